"""What the start pages' work queues and the agenda show in the demo (issue 17): an open
invitation and a user who has not logged in for months (the beheerder's queue), and two of the
coach's trainees with their next evaluation in the coming two weeks (the coach's queue, agenda
and calendar feed).

Idempotent: found by natural keys and brought back to the same state.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.utils import timezone

from leerroutes.models import Evaluation
from leerroutes.services import route_summaries_refresh
from maatwerq.accounts.models import Invitation, Role, User
from participants.models import ENDED_STATUSES, Participant

from .accounts import DemoOrganisation

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
