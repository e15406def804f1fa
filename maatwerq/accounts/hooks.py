"""Where the apps above accounts act on what accounts does. accounts is the base layer and
imports no domain app, so an app that must take part registers a handler here from its
AppConfig.ready(), as report kinds register in ``reporting.registry``::

    invitation_accepted_register(Role.DEELNEMER, portal_login_link)

One hook so far: when an invitation to a role is accepted, each handler registered for that
role runs inside the acceptance's transaction with ``invitation=`` and ``user=``; it may raise
a ValidationError, which refuses the acceptance and rolls it back whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Invitation, User

InvitationAcceptedHandler = Callable[..., None]

_INVITATION_ACCEPTED: dict[str, list[InvitationAcceptedHandler]] = {}


def invitation_accepted_register(role: str, handler: InvitationAcceptedHandler) -> None:
    """Run ``handler(invitation=..., user=...)`` whenever an invitation to ``role`` is
    accepted. Registering the same handler again changes nothing."""
    handlers = _INVITATION_ACCEPTED.setdefault(role, [])
    if handler not in handlers:
        handlers.append(handler)


def invitation_accepted_run(*, invitation: Invitation, user: User) -> None:
    """Run the handlers registered for the invitation's role, in the order registered."""
    for handler in _INVITATION_ACCEPTED.get(invitation.role, ()):
        handler(invitation=invitation, user=user)
