"""Demo: one young person of the demo coach's caseload gets a login for My route, with a few
weekly check-ins (the latest a low one, so the coach's caseload shows its card) and one
reflection on a work goal, so the coach sees the young person's voice.

Idempotent: the same participant (the first running route of the coach, by name) is linked
to the same user every run, with the same check-ins and reflection."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from demo.accounts import DEMO_PARTICIPANT_EMAIL, DEMO_PASSWORD
from leerroutes.models import Goal, GoalKind, Reflection, SelfReportedWellbeing
from leerroutes.services import route_summaries_refresh
from maatwerq.accounts.models import Membership, Role, User
from participants.models import ENDED_STATUSES, Participant


def build_portal(organisation) -> None:
    coach = organisation.people["coach@maatwerq.test"]
    participant = (
        Participant.objects.filter(academy=organisation.academy, coach=coach)
        .exclude(current_route__status__in=ENDED_STATUSES)
        .exclude(current_route__isnull=True)
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
    _voice(participant, user)


DEMO_CHECK_INS = (4, 3, 2)  # oldest first, one a week up to this week
DEMO_REFLECTION = "Het bestraten gaat steeds beter, maar ik vind vroeg opstaan nog moeilijk."


def _voice(participant: Participant, user: User) -> None:
    route = participant.current_route
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for weeks_ago, score in zip(
        range(len(DEMO_CHECK_INS) - 1, -1, -1), DEMO_CHECK_INS, strict=True
    ):
        SelfReportedWellbeing.objects.update_or_create(
            route=route,
            week_start=monday - timedelta(weeks=weeks_ago),
            defaults={"score": score, "reported_by": user},
        )
    goal = Goal.objects.filter(route=route, kind=GoalKind.WORK).order_by("order").first()
    if goal is not None:
        Reflection.objects.get_or_create(
            route=route, goal=goal, text=DEMO_REFLECTION, defaults={"written_by": user}
        )
    route_summaries_refresh([route.pk])
