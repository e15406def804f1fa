"""The acting membership of a user: which academy and role a request acts in.

A user may hold several memberships (a regisseur in two academies, say). The one chosen in the
session is the acting one; every scope and every audit entry is computed from it alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from .models import Membership, User

    # Who asks: a request's user, logged in or not (what predicates and selectors are given).
    AnyUser: TypeAlias = User | AnonymousUser

SESSION_KEY = "acting_membership_id"
_CACHE_ATTR = "_acting_membership"
_LIST_ATTR = "_memberships"  # on the request: all of the user's, read once per request


def memberships_of(user: AnyUser | None) -> list[Membership]:
    from .models import Membership

    if user is None or not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("academy", "employer")
        .order_by("academy__name", "role")
    )


def active_membership(user: AnyUser | None) -> Membership | None:
    """The acting membership, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _CACHE_ATTR):
        found = memberships_of(user)
        setattr(user, _CACHE_ATTR, found[0] if found else None)
    acting: Membership | None = getattr(user, _CACHE_ATTR)
    return acting


def set_active_membership(user: AnyUser, membership: Membership | None) -> None:
    setattr(user, _CACHE_ATTR, membership)


def activate_from_session(request: HttpRequest) -> Membership | None:
    """Pick the session's membership if it is still the user's, else their first one."""
    user = request.user
    found = memberships_of(user)
    setattr(request, _LIST_ATTR, found)
    chosen_id = request.session.get(SESSION_KEY)
    chosen = next((m for m in found if m.pk == chosen_id), found[0] if found else None)
    set_active_membership(user, chosen)
    return chosen


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships as the middleware read them for this request (the navigation's
    switcher needs them too; one query rather than two on every page)."""
    if not hasattr(request, _LIST_ATTR):
        setattr(request, _LIST_ATTR, memberships_of(request.user))
    memberships: list[Membership] = getattr(request, _LIST_ATTR)
    return memberships


def acting_role(user: AnyUser) -> str | None:
    membership = active_membership(user)
    return membership.role if membership else None
