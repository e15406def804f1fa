"""maatwerq.accounts.hooks: the apps above accounts act on an accepted invitation without
accounts importing them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from maatwerq.accounts import hooks
from maatwerq.accounts.models import Role
from portal.services import portal_login_link


@pytest.fixture
def registry(monkeypatch):
    """An empty hook table for the test, the real one put back afterwards."""
    monkeypatch.setattr(hooks, "_INVITATION_ACCEPTED", {})
    return hooks._INVITATION_ACCEPTED


def test_the_portal_links_an_accepted_deelnemer_invitation():
    assert hooks._INVITATION_ACCEPTED[Role.DEELNEMER] == [portal_login_link]
    assert all(
        portal_login_link not in handlers
        for role, handlers in hooks._INVITATION_ACCEPTED.items()
        if role != Role.DEELNEMER
    )


def test_handlers_run_for_their_role_only_once_each_in_order(registry):
    calls = []

    def first(*, invitation, user):
        calls.append(("first", invitation.role, user))

    def second(*, invitation, user):
        calls.append(("second", invitation.role, user))

    hooks.invitation_accepted_register(Role.DEELNEMER, first)
    hooks.invitation_accepted_register(Role.DEELNEMER, second)
    hooks.invitation_accepted_register(Role.DEELNEMER, first)  # again: no second run

    hooks.invitation_accepted_run(invitation=SimpleNamespace(role=Role.COACH), user="u")
    assert calls == []
    hooks.invitation_accepted_run(invitation=SimpleNamespace(role=Role.DEELNEMER), user="u")
    assert calls == [("first", Role.DEELNEMER, "u"), ("second", Role.DEELNEMER, "u")]
