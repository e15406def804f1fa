"""Writing audit events. Every read of a participant page, every change and every export
calls audit_log once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from allauth.account.adapter import get_adapter
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connections, models, router, transaction
from django.db.models.sql import InsertQuery

from maatwerq.accounts.access import active_membership

from .models import Action, AuditEvent, AuditEventParticipant

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from maatwerq.accounts.access import AnyUser
    from maatwerq.accounts.models import Academy, User


def client_ip(request: HttpRequest | PathOnly | None) -> str | None:
    """The client address, read exactly as allauth's rate limits read it: X-Forwarded-For only
    as far as settings.TRUSTED_PROXY_COUNT proxies vouch for it (the entry that many places from
    the right; a forged left-hand entry is never taken), else the socket's address. Always a
    valid IP address or None, so the audit's inet column never refuses it."""
    if request is None:
        return None
    try:
        address: str = get_adapter(request).get_client_ip(request)
        return address
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address, or fewer X-Forwarded-For entries than trusted proxies (a request
        # that did not come through them): record none rather than a guess.
        return None


class PathOnly:
    """The request as an event records it: its path without the query string, for a list
    whose search would otherwise put a person's name in the append-only log for good."""

    def __init__(self, request: HttpRequest) -> None:
        self.META = request.META
        self.headers = request.headers  # the client address is read from these
        self._path = request.path

    def get_full_path(self) -> str:
        return self._path


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
    actor: AnyUser | None,
    action: str,
    obj: models.Model | None = None,
    participant: models.Model | None = None,
    academy: Academy | None = None,
    request: HttpRequest | PathOnly | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. The acting role and academy come from the acting membership
    unless given; the participant is taken from ``obj.participant`` when not given."""
    event = _audit_event(
        actor=actor,
        action=action,
        obj=obj,
        participant=participant,
        academy=academy,
        request=request,
        detail=detail,
    )
    event.save(force_insert=True)
    return event


def _audit_event(
    *,
    actor: AnyUser | None,
    action: str,
    obj: models.Model | None = None,
    participant: models.Model | None = None,
    academy: Academy | None = None,
    request: HttpRequest | PathOnly | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """The event ``audit_log`` appends, not saved yet."""
    membership = active_membership(actor)
    if participant is None and obj is not None:
        participant = getattr(obj, "participant", None)
        if participant is None and obj._meta.label == "participants.Participant":
            participant = obj
    if academy is None:
        academy = getattr(participant, "academy", None) or getattr(membership, "academy", None)
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        acting_role=membership.role if membership else "",
        academy=academy,
        # By id: the base layer knows the participant only as a model (participants is above it).
        participant_id=participant.pk if participant is not None else None,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=_storable(request.get_full_path()[:300]) if request is not None else "",
        client_ip=client_ip(request),
        detail=_storable(detail or {}),
    )


def audit_log_list(
    *,
    actor: AnyUser | None,
    action: str,
    participant_ids: Iterable[object],
    obj: models.Model | None = None,
    request: HttpRequest | PathOnly | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append ONE event for a list or export that shows several young people, naming them.

    Side effects: one AuditEvent (no single participant; ``detail["participant_ids"]`` holds
    the ids shown, in order) and one AuditEventParticipant row per id, written in one insert,
    so each young person's "who opened my record" finds it. On PostgreSQL one statement
    writes both (every list page pays for it: one round trip, not four); elsewhere two
    inserts in a transaction. Either way all or nothing, whatever the length."""
    ids = [str(pk) for pk in dict.fromkeys(participant_ids)]
    event = _audit_event(
        actor=actor,
        action=action,
        obj=obj,
        request=request,
        detail={**(detail or {}), "participant_ids": ids},
    )
    database = router.db_for_write(AuditEvent)
    if connections[database].vendor == "postgresql":
        _insert_event_with_list(event, ids, database)
        return event
    with transaction.atomic(using=database):  # the event and its rows together, or neither
        event.save(force_insert=True, using=database)
        AuditEventParticipant.objects.using(database).bulk_create(
            [AuditEventParticipant(event=event, participant_id=pk) for pk in ids]
        )
    return event


def _insert_event_with_list(event: AuditEvent, ids: list[str], database: str) -> None:
    """INSERT the event and its AuditEventParticipant rows in one statement (a data-modifying
    WITH: atomic by itself); Django's insert compiler writes the event's part, so every
    field's default and conversion is the one ``save`` would apply."""
    query = InsertQuery(AuditEvent)
    query.insert_values([f for f in AuditEvent._meta.concrete_fields if not f.primary_key], [event])
    compiler = query.get_compiler(using=database)
    compiler.returning_fields = [AuditEvent._meta.pk]
    [(insert, params)] = compiler.as_sql()
    listed = AuditEventParticipant._meta.db_table
    sql = (
        f"WITH event AS ({insert}), listed AS ("  # noqa: S608 - our tables, values as params
        f'INSERT INTO "{listed}" ("event_id", "participant_id") '
        "SELECT event.id, unnest(%s::uuid[]) FROM event) SELECT id FROM event"
    )
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [*params, ids])
        event.pk = cursor.fetchone()[0]
    event._state.adding, event._state.db = False, database


def audit_login(
    *,
    user: User | None,
    email: str = "",
    succeeded: bool,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One LOGIN or LOGIN_FAILED event: who (the account, when known; otherwise the address
    typed, cut to the field's length), how (``detail["method"]``: password, code, mfa) and,
    for a failure, why (``detail["reason"]``: password, rate_limited, mfa).

    Side effects: one AuditEvent. The academy is the account's acting membership's (its first
    active one), so the academy's beheerder sees attempts on its accounts; none for an unknown
    address."""
    membership = active_membership(user) if user is not None else None
    AuditEvent.objects.create(
        actor=user if succeeded else None,
        actor_email=_storable((getattr(user, "email", "") or email or "")[:254]),
        acting_role=membership.role if membership else "",
        academy=membership.academy if membership else None,
        action=Action.LOGIN if succeeded else Action.LOGIN_FAILED,
        path=_storable(request.path[:300]) if request is not None else "",
        client_ip=client_ip(request),
        detail=_storable(detail or {}),
    )


# What a refused URL may name, by model label (audit is the base layer and imports no domain
# app; these labels are accepted like its string foreign keys): the field the URL's id is
# matched on, and the fields giving (participant id, academy id).
REFUSED_SUBJECTS = {
    "participants.Participant": ("pk", ("pk", "academy_id")),
    "employers.Placement": ("public_id", ("participant_id", "participant__academy_id")),
    "employers.Candidate": ("public_id", ("participant_id", "participant__academy_id")),
}


def audit_refused(*, request: HttpRequest, status: int, subject: tuple[str, Any]) -> AuditEvent:
    """One REFUSED event for a 403 or 404 on a URL naming a participant or placement:
    ``subject`` is (object type, id) from the URL. The event names the participant when the
    record exists (found without any scope: the log is the academy's, not the actor's), so the
    academy sees who tried whose record, even from outside it.

    Side effects: one AuditEvent (``detail``: status and method)."""
    object_type, pk = subject
    id_field, participant_fields = REFUSED_SUBJECTS[object_type]
    found = (
        apps.get_model(object_type)
        ._default_manager.filter(**{id_field: pk})
        .values_list(*participant_fields)
    )
    participant_id, academy_id = found.first() or (None, None)
    user = cast("User", request.user)  # the middleware asks for logged-in users only
    membership = active_membership(user)
    return AuditEvent.objects.create(
        actor=user,
        actor_email=user.email or "",
        acting_role=membership.role if membership else "",
        academy_id=academy_id or getattr(membership, "academy_id", None),
        participant_id=participant_id,
        action=Action.REFUSED,
        object_type=object_type,
        object_id=str(pk),
        path=_storable(request.path[:300]),
        client_ip=client_ip(request),
        detail={"status": status, "method": (request.method or "")[:10]},
    )
