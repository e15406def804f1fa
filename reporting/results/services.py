"""Writes of the ESF+ data: one function per state change, the regisseur as ``by``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import Route

from ..models import EsfRecord
from .selectors import ESF_EXPORT_FIELDS

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


def _check_dates(values: dict[str, Any]) -> None:
    entry: date | None = values.get("entry_on")
    exit_on: date | None = values.get("exit_on")
    m6_on: date | None = values.get("m6_on")
    if entry and exit_on and exit_on < entry:
        raise ValidationError({"exit_on": _("The exit lies before the entry.")})
    if exit_on and m6_on and m6_on < exit_on:
        raise ValidationError({"m6_on": _("The six-month record lies before the exit.")})


def esf_record_save(*, route: Route, by: AnyUser, **values: Any) -> EsfRecord:
    """Create or change the ESF+ record of a route with ``values`` (fields of EsfRecord).

    Side effects: saves the record; one CREATE or UPDATE audit event naming the participant
    and the fields changed (their names, never their values)."""
    unknown = set(values) - set(ESF_EXPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not ESF+ fields: {sorted(unknown)}")
    _check_dates(values)
    with transaction.atomic():
        record = EsfRecord.objects.select_for_update().filter(route=route).first()
        created = record is None
        if record is None:
            record = EsfRecord(route=route)
        changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
        for name, value in values.items():
            setattr(record, name, value)
        record.updated_by = by if getattr(by, "pk", None) else None  # type: ignore[assignment]  # AnyUser: a logged-in user here
        record.save()
        audit_log(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            obj=record,
            participant=route.participant,
            detail={"what": "esf_record", "fields": changed},
        )
    return record
