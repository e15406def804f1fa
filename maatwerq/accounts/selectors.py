from __future__ import annotations

from django.db.models import QuerySet

from .access import active_membership
from .models import Invitation, Membership, Role


def memberships_managed_by(user) -> QuerySet[Membership]:
    """The memberships of the beheerder's acting academy."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Membership.objects.none()
    return Membership.objects.filter(academy=membership.academy).select_related("user", "employer")


def open_invitations_managed_by(user) -> QuerySet[Invitation]:
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        academy=membership.academy, accepted_at__isnull=True
    ).select_related("employer")
