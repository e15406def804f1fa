"""Role predicates, read from the acting membership (a relation, not a global group)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from .access import active_membership
from .models import Role

if TYPE_CHECKING:
    from .access import AnyUser


def _role_is(*roles: str) -> rules.Predicate:
    names = "_or_".join(roles)

    @rules.predicate(name=f"acts_as_{names}")
    def predicate(user: AnyUser) -> bool:
        membership = active_membership(user)
        return membership is not None and membership.role in roles

    return predicate


is_coach = _role_is(Role.COACH)
is_regisseur = _role_is(Role.REGISSEUR)
is_projectleider = _role_is(Role.PROJECTLEIDER)
is_werkgever = _role_is(Role.WERKGEVER)
is_beheerder = _role_is(Role.BEHEERDER)
is_landelijk = _role_is(Role.LANDELIJK)
is_academy_staff = _role_is(Role.COACH, Role.REGISSEUR, Role.PROJECTLEIDER)

rules.add_perm("accounts.manage_members", is_beheerder)
rules.add_perm("accounts.view_audit", is_beheerder | is_regisseur)
rules.add_perm("accounts.view_audit_names", is_regisseur)
