"""Demo: one young person of the demo coach's caseload gets a login for My route.

Idempotent: the same participant (the first running route of the coach, by name) is linked
to the same user every run."""

from __future__ import annotations

from maatwerq.accounts.demo import DEMO_PARTICIPANT_EMAIL, DEMO_PASSWORD
from maatwerq.accounts.models import Membership, Role, User
from participants.models import ENDED_STATUSES, Participant


def build_portal(organisation) -> None:
    coach = organisation.people["coach@maatwerq.test"]
    participant = (
        Participant.objects.filter(academy=organisation.academy, coach=coach)
        .exclude(current_traject__status__in=ENDED_STATUSES)
        .exclude(current_traject__isnull=True)
        .order_by("last_name", "first_name", "date_of_birth")
        .first()
    )
    user, _ = User.objects.update_or_create(
        email=DEMO_PARTICIPANT_EMAIL,
        defaults={"full_name": participant.full_name, "is_active": True},
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user,
        academy=organisation.academy,
        role=Role.DEELNEMER,
        defaults={"employer": None, "is_active": True},
    )
    Participant.objects.filter(user=user).exclude(pk=participant.pk).update(user=None)
    if participant.user_id != user.pk:
        participant.user = user
        participant.email = participant.email or DEMO_PARTICIPANT_EMAIL
        participant.save(update_fields=["user", "email"])
