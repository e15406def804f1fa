"""Reads of the ESF+ data (reporting.models.EsfRecord). Per person only through these, and
only for whom ``reporting.view_esf_record`` holds (the academy's regisseur): the view checks
the permission on the participant, the selector fetches only among that participant's
routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404

from participants.models import Participant, Route

from ..models import ESF_SENSITIVE_FIELDS, EsfRecord

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


def esf_route_get_for_user(user: AnyUser, participant: Participant, pk: UUID | str) -> Route:
    """One route of a participant whose ESF+ data the user may see; 404 otherwise (a route
    of someone else, or a role without the permission)."""
    if not user.has_perm("reporting.view_esf_record", participant):
        raise Http404
    route = Route.objects.filter(participant=participant, pk=pk).select_related("programme").first()
    if route is None:
        raise Http404
    return route


def esf_record_of(route: Route) -> EsfRecord | None:
    return EsfRecord.objects.filter(route=route).first()


def _value(record: EsfRecord, name: str) -> Any:
    value = getattr(record, name)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    display = getattr(record, f"get_{name}_display", None)
    return str(display()) if display is not None and value else value


ESF_EXPORT_FIELDS = (
    "entry_on",
    "sex",
    "labour_market_status",
    "isced_level",
    *ESF_SENSITIVE_FIELDS,
    "exit_on",
    "exit_education",
    "exit_qualification",
    "exit_employed",
    "exit_better",
    "m6_on",
    "m6_education",
    "m6_qualification",
    "m6_employed",
    "m6_better",
)


def esf_inspection_section(participant: Participant) -> list[dict[str, Any]] | None:
    """The ESF+ records of a participant for their inspection export (participants.hooks):
    the one export that carries the self-declared categories per person."""
    records = EsfRecord.objects.filter(route__participant=participant).select_related(
        "route__programme"
    )
    found = [
        {"programme": record.route.programme.name}
        | {name: _value(record, name) for name in ESF_EXPORT_FIELDS}
        for record in records.order_by("route__referral_date")
    ]
    return found or None
