"""Every read of participant data starts here, scoped to the acting membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from maatwerq.queries import BuiltQueries

from .models import (
    CareNote,
    Cohort,
    Consent,
    ConsentRequest,
    FollowUp,
    Handover,
    NetworkContact,
    Participant,
    Route,
    StatusChange,
)

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


def participants_visible_to(user: AnyUser) -> QuerySet[Participant]:
    """The participants a user may see at all, by the acting membership:

    - leerroutecoach: their own caseload in the academy;
    - regisseur, projectleider: all of the academy (what of it is shown differs; see rules);
    - werkgever: those with a placement at their employer that runs today;
    - beheerder, landelijk, anyone else: none.
    """
    membership = active_membership(user)
    if membership is None:
        return Participant.objects.none()
    in_academy = Participant.objects.filter(academy=membership.academy)
    if membership.role == Role.COACH:
        return in_academy.filter(coach_id=user.pk)
    if membership.role in {Role.REGISSEUR, Role.PROJECTLEIDER}:
        return in_academy
    if membership.role == Role.WERKGEVER:
        today = timezone.localdate()
        running = (
            Q(placements__employer=membership.employer_id)
            & Q(placements__start_date__lte=today)
            & (Q(placements__end_date__isnull=True) | Q(placements__end_date__gte=today))
        )
        return in_academy.filter(running).distinct()
    return Participant.objects.none()


def visibility_key(user: AnyUser) -> tuple[object, ...] | None:
    """Everything ``participants_visible_to`` reads of the user and the day, as a key: equal
    keys give the same query (``maatwerq.queries.BuiltQueries`` keeps queries built on it).
    None without an acting membership. Change it with ``participants_visible_to``."""
    membership = active_membership(user)
    if membership is None:
        return None
    return (
        user.pk,
        membership.pk,
        membership.role,
        membership.academy_id,
        membership.employer_id,
        timezone.localdate(),
    )


def participant_get_for_user(user: AnyUser, pk: UUID | str) -> Participant:
    """One participant inside the user's scope; 404 outside it (never reveal it exists)."""
    return get_object_or_404(
        participants_visible_to(user).select_related(
            "academy", "coach", "current_route__programme", "current_route__cohort"
        ),
        pk=pk,
    )


def care_notes_visible_to(user: AnyUser, participant: Participant) -> QuerySet[CareNote]:
    """Care notes of one participant: for the regisseur and the participant's own coach only."""
    membership = active_membership(user)
    allowed = (
        membership is not None
        and membership.academy_id == participant.academy_id
        and (
            membership.role == Role.REGISSEUR
            or (membership.role == Role.COACH and participant.coach_id == user.pk)
        )
    )
    if not allowed:
        return CareNote.objects.none()
    return participant.care_notes.select_related("author")


def cohorts_visible_to(user: AnyUser) -> QuerySet[Cohort]:
    """Cohorts of the acting academy, for academy staff (not for employers)."""
    membership = active_membership(user)
    if membership is None or membership.role not in {
        Role.COACH,
        Role.REGISSEUR,
        Role.PROJECTLEIDER,
        Role.BEHEERDER,
    }:
        return Cohort.objects.none()
    return Cohort.objects.filter(programme__academy=membership.academy).select_related("programme")


# --- one participant's record (the participant already comes from participant_get_for_user) ---


def network_visible_to(user: AnyUser, participant: Participant) -> QuerySet[NetworkContact]:
    """The people around a participant: for the regisseur and the participant's own coach."""
    if not user.has_perm("participants.view_network", participant):
        return NetworkContact.objects.none()
    return participant.network.all()


def consents_visible_to(user: AnyUser, participant: Participant) -> QuerySet[Consent]:
    """A participant's consents, given and withdrawn: regisseur and own coach."""
    if not user.has_perm("participants.view_consents", participant):
        return Consent.objects.none()
    return participant.consents.select_related("recorded_by")


def consent_requests_visible_to(
    user: AnyUser, participant: Participant
) -> QuerySet[ConsentRequest]:
    """A participant's consent requests, open ones first, then the answered ones, newest
    first: regisseur and own coach (as the consents)."""
    if not user.has_perm("participants.view_consents", participant):
        return ConsentRequest.objects.none()
    return participant.consent_requests.select_related("asked_by").order_by(
        F("answered_at").desc(nulls_first=True), "-asked_at", "-pk"
    )


def consent_requests_open_for(user: AnyUser) -> QuerySet[ConsentRequest]:
    """The open consent requests of the participants the user sees, oldest first (the
    regisseur's work queue)."""
    return (
        ConsentRequest.objects.filter(
            answered_at__isnull=True, participant__in=participants_visible_to(user)
        )
        .select_related("participant")
        .order_by("asked_at", "pk")
    )


def routes_visible_to(user: AnyUser, participant: Participant) -> QuerySet[Route]:
    """Every route of a participant, newest first, with its status history and follow-up
    checks in a fixed number of queries: regisseur and own coach."""
    if not user.has_perm("participants.view_route_history", participant):
        return Route.objects.none()
    return (
        participant.routes.select_related("programme", "cohort")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("by").order_by("created_at", "id"),
            ),
            "follow_ups",
        )
        .order_by("-referral_date", "-created_at")
    )


def handovers_visible_to(user: AnyUser, participant: Participant) -> QuerySet[Handover]:
    if not user.has_perm("participants.view_route_history", participant):
        return Handover.objects.none()
    return participant.handovers.select_related("by")


def consent_is_active(
    participant: Participant, scope: str, on: date | None = None, *, organisation: str = ""
) -> bool:
    """Whether the participant's consent for ``scope`` holds on a day (today by default).

    Anything that shares data calls this at the moment of sharing, never earlier: a consent
    holds from the day it was given up to (not including) the day it was withdrawn. With an
    organisation, only a consent naming that organisation counts.
    """
    on = on or timezone.localdate()
    holding = participant.consents.filter(scope=scope, given_on__lte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    )
    if organisation:
        holding = holding.filter(organisation__iexact=organisation.strip())
    return holding.exists()


def follow_ups_due_for(user: AnyUser) -> QuerySet[FollowUp]:
    """The follow-up checks on a user's list (listed by the daily task, not yet done): a
    coach's own caseload, or the whole academy for the regisseur; nothing for other roles."""
    membership = active_membership(user)
    if membership is None or membership.role not in {Role.COACH, Role.REGISSEUR}:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(
            route__participant__in=participants_visible_to(user),
            listed_for_coach_on__isnull=False,
            done_on__isnull=True,
        )
        .select_related("route__participant", "route__programme")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class FollowUpDue:
    """One line of a short list of follow-up checks: whose, which check, when."""

    participant_id: UUID
    name: str
    months_after: int
    due_on: date


def follow_ups_due_list(user: AnyUser, *, limit: int) -> list[FollowUpDue]:
    """The first ``limit`` of ``follow_ups_due_for`` as plain rows, for a short list on a busy
    page (the caseload): one narrow query, no model objects, built once per user's scope and
    kept (maatwerq.queries)."""
    key = visibility_key(user)
    if key is None:
        return []
    return [
        FollowUpDue(
            participant_id=participant,
            name=Participant.name_of(first_name, last_name),
            months_after=months_after,
            due_on=due_on,
        )
        for participant, first_name, last_name, months_after, due_on in _FOLLOW_UPS_QUERIES.rows(
            (key, limit), user, limit
        )
    ]


def _follow_ups_due_query(user: AnyUser, limit: int) -> QuerySet[FollowUp, tuple[Any, ...]]:
    return follow_ups_due_for(user).values_list(
        "route__participant",
        "route__participant__first_name",
        "route__participant__last_name",
        "months_after",
        "due_on",
    )[:limit]


_FOLLOW_UPS_QUERIES = BuiltQueries(_follow_ups_due_query)


def follow_up_get_for_participant(participant: Participant, pk: int) -> FollowUp:
    """One follow-up check of an (already scoped) participant; 404 for any other."""
    return get_object_or_404(
        FollowUp.objects.select_related("route"), pk=pk, route__participant=participant
    )


def plan_unsigned_weeks(route: Route | None, today: date | None = None) -> int | None:
    """Whole weeks since a running route started without a signed plan, once that is
    settings.PLAN_UNSIGNED_WARNING_WEEKS or more; None otherwise (a warning, never a block).
    The plans are read through the route's reverse relation (leerroutes.Plan, related name
    "plans"): leerroutes sits above participants, so it is not imported here."""
    if route is None or route.start_date is None or route.is_ended:
        return None
    weeks = ((today or timezone.localdate()) - route.start_date).days // 7
    if weeks < settings.PLAN_UNSIGNED_WARNING_WEEKS:
        return None
    if route.plans.filter(signed_off_on__isnull=False).exists():
        return None
    return weeks
