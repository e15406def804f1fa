"""The agenda: what falls on a date for the acting membership, across the domain apps.

One selector (``agenda_for``) feeds the agenda page, the calendar feed and the daily digest, so
the three always agree. Every read starts from a scoped selector of the app that owns the data
(``participants_visible_to``, ``placements_visible_to``); nothing here widens a scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Placement
from employers.selectors import placements_visible_to
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from participants.models import ENDED_STATUSES, FollowUp, Participant, Status
from participants.selectors import participants_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from maatwerq.accounts.access import AnyUser

# Who has an agenda: the academy staff who work with the young people, and the employer.
AGENDA_ROLES = {Role.COACH, Role.REGISSEUR, Role.PROJECTLEIDER, Role.WERKGEVER}
# The kinds of dated things, in the order a day lists them.
EVALUATION = "evaluation"
INTAKE = "intake"
TRIAL_END = "trial_end"
FOLLOW_UP = "follow_up"
KIND_LABELS: dict[str, StrOrPromise] = {
    INTAKE: _("Intake conversation"),
    EVALUATION: _("Evaluation"),
    TRIAL_END: _("Trial period ends"),
    FOLLOW_UP: _("Follow-up check"),
}
KIND_ORDER = {kind: i for i, kind in enumerate(KIND_LABELS)}
# Follow-up checks are the coach's and the regisseur's work (participants.list_follow_ups).
FOLLOW_UP_ROLES = {Role.COACH, Role.REGISSEUR}


@dataclass(frozen=True)
class AgendaEvent:
    """One dated thing about one young person, with the page where it is acted on."""

    on: date
    kind: str
    participant_id: UUID
    first_name: str
    last_name: str
    url: str
    uid: str  # stable across runs: the calendar feed's UID

    @property
    def label(self) -> StrOrPromise:
        return KIND_LABELS[self.kind]

    @property
    def name(self) -> str:
        return Participant.name_of(self.first_name, self.last_name)

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name: all a calendar or an email shows."""
        initial = self.last_name.strip()[:1].upper()
        return f"{self.first_name} {initial}." if initial else self.first_name


def agenda_for(user: AnyUser, first: date, last: date) -> list[AgendaEvent]:
    """The acting membership's dated events from ``first`` to ``last`` (both inclusive),
    ordered by day, kind and name. Coach: own caseload; regisseur and projectleider: the
    academy; werkgever: trial ends of placements at their employer only. Four queries at most,
    whatever the number of people."""
    membership = active_membership(user)
    if membership is None or membership.role not in AGENDA_ROLES:
        return []
    if membership.role == Role.WERKGEVER:
        events = _employer_trial_ends(user, membership.employer_id, first, last)
    else:
        # The evaluations page is for those who work with the young person (coach,
        # regisseur); the projectleider's link goes to the route's overview.
        evaluation_page = (
            "leerroutes:route_overview"
            if membership.role == Role.PROJECTLEIDER
            else "leerroutes:evaluations"
        )
        events = [
            *_evaluations(user, first, last, evaluation_page),
            *_intakes(user, first, last),
            *_staff_trial_ends(user, first, last),
        ]
        if membership.role in FOLLOW_UP_ROLES:
            events += _follow_ups(user, first, last)
    return sorted(events, key=lambda e: (e.on, KIND_ORDER[e.kind], e.last_name, e.first_name))


def _running_routes() -> Q:
    return Q(current_route__isnull=False) & ~Q(current_route__status__in=ENDED_STATUSES)


def _evaluations(user: AnyUser, first: date, last: date, page: str) -> list[AgendaEvent]:
    """The next evaluation of each running route, as the latest evaluation set it."""
    rows = (
        participants_visible_to(user)
        .filter(
            _running_routes(),
            current_route__summary__next_evaluation_on__gte=first,
            current_route__summary__next_evaluation_on__lte=last,
        )
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "current_route",
            "current_route__summary__next_evaluation_on",
        )
    )
    return [
        AgendaEvent(
            on=on,
            kind=EVALUATION,
            participant_id=pk,
            first_name=first_name,
            last_name=last_name,
            url=reverse(page, args=[pk]),
            uid=f"evaluation-{route}-{on.isoformat()}",
        )
        for pk, first_name, last_name, route, on in rows
        if on is not None  # the filter above; the column itself is nullable
    ]


def _intakes(user: AnyUser, first: date, last: date) -> list[AgendaEvent]:
    """Intake conversations planned on a route that has not started yet."""
    rows = (
        participants_visible_to(user)
        .filter(
            current_route__status__in=[Status.AANGEMELD, Status.INTAKE],
            current_route__intake_date__gte=first,
            current_route__intake_date__lte=last,
        )
        .values_list("pk", "first_name", "last_name", "current_route", "current_route__intake_date")
    )
    return [
        AgendaEvent(
            on=on,
            kind=INTAKE,
            participant_id=pk,
            first_name=first_name,
            last_name=last_name,
            url=reverse("participants:participant_detail", args=[pk]),
            uid=f"intake-{route}",
        )
        for pk, first_name, last_name, route, on in rows
        if on is not None  # the filter above; the column itself is nullable
    ]


def _trials_open(placements: Q | None, first: date, last: date) -> Q:
    """Placements whose trial period ends in the window and was not passed, still running
    today (a placement that ended settled its trial)."""
    today = timezone.localdate()
    return (
        Q(trial_ends_on__gte=first, trial_ends_on__lte=last, trial_passed_on__isnull=True)
        & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        & (placements if placements is not None else Q())
    )


_TRIAL_FIELDS = (
    "public_id",
    "participant",
    "participant__first_name",
    "participant__last_name",
    "trial_ends_on",
)


def _staff_trial_ends(user: AnyUser, first: date, last: date) -> list[AgendaEvent]:
    rows = (
        placements_visible_to(user)
        .filter(_trials_open(None, first, last))
        .select_related(None)
        .values_list(*_TRIAL_FIELDS)
    )
    return [
        AgendaEvent(
            on=on,
            kind=TRIAL_END,
            participant_id=participant,
            first_name=first_name,
            last_name=last_name,
            url=reverse("employers:placement_detail", args=[public_id]),
            uid=f"trial-{public_id}",
        )
        for public_id, participant, first_name, last_name, on in rows
    ]


def _employer_trial_ends(
    user: AnyUser, employer_id: int | None, first: date, last: date
) -> list[AgendaEvent]:
    """The employer's own trainees (running placement today) and trials at this employer."""
    rows = Placement.objects.filter(
        _trials_open(Q(employer_id=employer_id), first, last),
        participant__in=participants_visible_to(user),
    ).values_list(*_TRIAL_FIELDS)
    return [
        AgendaEvent(
            on=on,
            kind=TRIAL_END,
            participant_id=participant,
            first_name=first_name,
            last_name=last_name,
            url=reverse("employers:workplace_trainee", args=[participant]),
            uid=f"trial-{public_id}",
        )
        for public_id, participant, first_name, last_name, on in rows
    ]


def _follow_ups(user: AnyUser, first: date, last: date) -> list[AgendaEvent]:
    rows = FollowUp.objects.filter(
        route__participant__in=participants_visible_to(user),
        done_on__isnull=True,
        due_on__gte=first,
        due_on__lte=last,
    ).values_list(
        "pk",
        "route__participant",
        "route__participant__first_name",
        "route__participant__last_name",
        "due_on",
    )
    return [
        AgendaEvent(
            on=on,
            kind=FOLLOW_UP,
            participant_id=participant,
            first_name=first_name,
            last_name=last_name,
            url=reverse("participants:follow_up_record", args=[participant, pk]),
            uid=f"follow-up-{pk}",
        )
        for pk, participant, first_name, last_name, on in rows
    ]


@dataclass(frozen=True)
class AgendaDay:
    on: date
    events: list[AgendaEvent]


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def agenda_week(user: AnyUser, monday: date) -> list[AgendaDay]:
    """Seven days from ``monday``, each with its events (an empty day too)."""
    events = agenda_for(user, monday, monday + timedelta(days=6))
    return [
        AgendaDay(on=day, events=[e for e in events if e.on == day])
        for day in (monday + timedelta(days=i) for i in range(7))
    ]
