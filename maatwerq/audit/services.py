"""Writing audit events. Every read of a participant page, every change and every export
calls audit_log once."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models

from maatwerq.accounts.access import active_membership

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client address, read exactly as allauth's rate limits read it: X-Forwarded-For only
    as far as settings.TRUSTED_PROXY_COUNT proxies vouch for it (the entry that many places from
    the right; a forged left-hand entry is never taken), else the socket's address. Always a
    valid IP address or None, so the audit's inet column never refuses it."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address, or fewer X-Forwarded-For entries than trusted proxies (a request
        # that did not come through them): record none rather than a guess.
        return None


def _storable(value: Any) -> Any:
    """The detail as PostgreSQL's jsonb takes it: a NUL character is dropped from every text
    (it can only come from hostile input, and jsonb refuses it)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    participant=None,
    academy=None,
    request=None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. The acting role and academy come from the acting membership
    unless given; the participant is taken from ``obj.participant`` when not given."""
    membership = active_membership(actor)
    if participant is None and obj is not None:
        participant = getattr(obj, "participant", None)
        if participant is None and obj._meta.label == "participants.Participant":
            participant = obj
    if academy is None:
        academy = getattr(participant, "academy", None) or getattr(membership, "academy", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_email=getattr(actor, "email", "") or "",
        acting_role=membership.role if membership else "",
        academy=academy,
        participant=participant,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=(request.get_full_path()[:300] if request is not None else ""),
        client_ip=client_ip(request),
        detail=_storable(detail or {}),
    )
