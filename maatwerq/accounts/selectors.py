from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .access import active_membership
from .models import SENSITIVE_ROLES, Invitation, Membership, Role, User

if TYPE_CHECKING:
    from .access import AnyUser


def memberships_managed_by(user: AnyUser) -> QuerySet[Membership]:
    """The memberships of the beheerder's acting academy."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Membership.objects.none()
    return (
        Membership.objects.filter(academy=membership.academy)
        .select_related("user", "employer")
        .order_by("user__full_name", "user__email", "role")
    )


def open_invitations_managed_by(user: AnyUser) -> QuerySet[Invitation]:
    membership = active_membership(user)
    if membership is None or membership.role != Role.BEHEERDER:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        academy=membership.academy, accepted_at__isnull=True, revoked_at__isnull=True
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


def membership_get_managed(user: AnyUser, pk: int | str) -> Membership:
    """One membership of the beheerder's acting academy; 404 otherwise."""
    return get_object_or_404(memberships_managed_by(user), pk=pk)


def invitation_get_managed(user: AnyUser, pk: int | str) -> Invitation:
    """One open invitation of the beheerder's acting academy; 404 otherwise."""
    return get_object_or_404(open_invitations_managed_by(user), pk=pk)


def user_get_managed(user: AnyUser, pk: int | str) -> User:
    """A user with a membership (active or not) in the beheerder's acting academy; 404
    otherwise."""
    return get_object_or_404(
        User.objects.filter(pk__in=memberships_managed_by(user).values("user")), pk=pk
    )
