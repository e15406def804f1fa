from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from .access import active_membership
from .models import SENSITIVE_ROLES, Invitation, Membership, Role

if TYPE_CHECKING:
    from .access import AnyUser


def memberships_managed_by(user: AnyUser) -> QuerySet[Membership]:
    """The memberships of the beheerder's acting academy."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Membership.objects.none()
    return Membership.objects.filter(academy=membership.academy).select_related("user", "employer")


def open_invitations_managed_by(user: AnyUser) -> QuerySet[Invitation]:
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        academy=membership.academy, accepted_at__isnull=True
    ).select_related("employer")


ROLE_GRANT_DAYS = 30


def role_grants_shown_to(user: AnyUser) -> QuerySet[Invitation]:
    """The grants of regisseur, beheerder and landelijk in the beheerder's acting academy over
    the last ROLE_GRANT_DAYS days, newest first: every beheerder sees every such grant,
    including their colleagues' (the rule "nobody grants a role unseen")."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            academy=membership.academy,
            role__in=SENSITIVE_ROLES,
            created_at__gte=timezone.now() - timedelta(days=ROLE_GRANT_DAYS),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )
