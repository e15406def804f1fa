"""What the start pages' work queues and the agenda show in the demo (issue 17): an open
invitation and a user who has not logged in for months (the beheerder's queue), and two of the
coach's trainees with their next evaluation in the coming two weeks (the coach's queue, agenda
and calendar feed), the staff each programme has (the first one a person short of the
forecast's peak: the projectleider's queue shows when) and a question about a consent that
the demo's young person has not answered yet (the regisseur's queue, the young person's app).

Idempotent: found by natural keys and brought back to the same state.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.utils import timezone

from leerroutes.models import Evaluation
from leerroutes.services import route_summaries_refresh
from maatwerq.accounts.models import Invitation, Programme, Role, User
from participants.models import ENDED_STATUSES, ConsentRequest, ConsentScope, Participant
from reporting.models import ForecastSettings
from reporting.selectors import staff_needed

from .accounts import DEMO_PARTICIPANT_EMAIL, DemoOrganisation

INVITED_EMAIL = "nieuwe.coach@maatwerq.test"
IDLE_EMAIL = "coach2@maatwerq.test"
SOON_DAYS = (4, 9)  # the next evaluations of two of the coach's trainees, from today


def build_day(organisation: DemoOrganisation, today: date) -> None:
    now = timezone.now()
    Invitation.objects.update_or_create(
        academy=organisation.academy,
        email=INVITED_EMAIL,
        defaults={
            "role": Role.COACH,
            # A demo invitation nobody can accept: the hash of no token ever sent.
            "token_hash": hashlib.sha256(b"demo-invitation-never-sent").hexdigest(),
            "invited_by": organisation.people["beheerder@maatwerq.test"],
            "expires_at": now + timedelta(days=5),
            "accepted_at": None,
        },
    )
    User.objects.filter(email=IDLE_EMAIL).update(last_login=now - timedelta(days=120))
    _evaluations_soon(organisation.people["coach@maatwerq.test"], today)
    _staff_available(organisation, today)
    _consent_question(organisation, now)


def _staff_available(organisation: DemoOrganisation, today: date) -> None:
    """The first programme (by name) has one person fewer than the forecast's peak need in
    the coming two years, the others exactly the peak (no shortfall)."""
    programmes = Programme.objects.filter(academy=organisation.academy).order_by("name")
    for index, programme in enumerate(programmes):
        _moments, needed = staff_needed(programme, today)
        peak = max(needed, default=0)
        ForecastSettings.objects.update_or_create(
            programme=programme,
            defaults={"staff_available": max(peak - 1, 0) if index == 0 else peak},
        )


def _consent_question(organisation: DemoOrganisation, now) -> None:
    """The regisseur asked the demo's young person, three days ago, for a consent they have
    not given (a photo, else contact with parents); open until they answer in their app."""
    participant = Participant.objects.filter(user__email=DEMO_PARTICIPANT_EMAIL).first()
    if participant is None:
        return
    ConsentRequest.objects.filter(participant=participant, answered_at__isnull=True).delete()
    held = set(
        participant.consents.filter(withdrawn_on__isnull=True).values_list("scope", flat=True)
    )
    scope = next(
        (s for s in (ConsentScope.PHOTO, ConsentScope.CONTACT_PARENTS) if s not in held), None
    )
    if scope is None:
        return
    asked = ConsentRequest.objects.create(
        participant=participant,
        scope=scope,
        asked_by=organisation.people["regisseur@maatwerq.test"],
    )
    ConsentRequest.objects.filter(pk=asked.pk).update(asked_at=now - timedelta(days=3))


def _evaluations_soon(coach: User, today: date) -> None:
    """The latest evaluation of the coach's first two running trainees (by name) that have one
    sets the next one a few days from now."""
    routes = list(
        Participant.objects.filter(coach=coach, current_route__isnull=False)
        .exclude(current_route__status__in=ENDED_STATUSES)
        .filter(current_route__evaluations__isnull=False)
        .distinct()
        .order_by("last_name", "first_name")
        .values_list("current_route", flat=True)[: len(SOON_DAYS)]
    )
    for route, days in zip(routes, SOON_DAYS, strict=False):
        latest = Evaluation.objects.filter(route=route).order_by("-held_on", "-created_at").first()
        if latest is not None and latest.held_on < today + timedelta(days=days):
            latest.next_on = today + timedelta(days=days)
            latest.save(update_fields=["next_on"])
    route_summaries_refresh(routes)
