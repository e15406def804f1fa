"""Writing audit events. Every read of a participant page, every change and every export
calls audit_log once."""

from __future__ import annotations

from typing import Any

from django.db import models

from maatwerq.accounts.access import active_membership

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client address as the (trusted) proxy or the socket reports it."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


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
