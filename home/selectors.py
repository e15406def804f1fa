"""What each role sees first on the start page. Every read goes through a scoped selector of
the app that owns the data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count

from maatwerq.accounts.models import Academy, Membership, Programme, Role
from maatwerq.accounts.selectors import (
    memberships_managed_by,
    open_invitations_managed_by,
    role_grants_shown_to,
)
from participants.selectors import cohorts_visible_to, participants_visible_to

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


def home_context(user: AnyUser, membership: Membership) -> dict[str, Any]:
    role = membership.role
    context: dict[str, Any] = {"membership": membership}
    if role in {Role.COACH, Role.WERKGEVER, Role.REGISSEUR}:
        visible = participants_visible_to(user).select_related(
            "current_route__programme", "current_route__cohort"
        )
        context["participants"] = list(visible[:25])
        context["participant_count"] = visible.count()
    if role in {Role.REGISSEUR, Role.PROJECTLEIDER, Role.BEHEERDER}:
        context["cohorts"] = (
            cohorts_visible_to(user)
            .annotate(participant_count=Count("routes"))
            .order_by("-start_date")[:12]
        )
    if role == Role.BEHEERDER:
        context["member_count"] = memberships_managed_by(user).count()
        context["open_invitations"] = open_invitations_managed_by(user).count()
        context["role_grants"] = role_grants_shown_to(user)
        context["programmes"] = Programme.objects.filter(academy=membership.academy).annotate(
            cohort_count=Count("cohorts")
        )
    if role == Role.LANDELIJK:
        # Aggregates across academies, never a name of a participant.
        context["academies"] = Academy.objects.annotate(
            participant_count=Count("participants", distinct=True),
            programme_count=Count("programmes", distinct=True),
        )
    return context
