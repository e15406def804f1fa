"""Every read of participant data starts here, scoped to the acting membership."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role

from .models import CareNote, Cohort, Participant


def participants_visible_to(user) -> QuerySet[Participant]:
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
        return in_academy.filter(coach=user)
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


def participant_get_for_user(user, pk) -> Participant:
    """One participant inside the user's scope; 404 outside it (never reveal it exists)."""
    return get_object_or_404(
        participants_visible_to(user).select_related(
            "coach", "current_traject__programme", "current_traject__cohort"
        ),
        pk=pk,
    )


def care_notes_visible_to(user, participant: Participant) -> QuerySet[CareNote]:
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


def cohorts_visible_to(user) -> QuerySet[Cohort]:
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
