"""The participant list as an Excel file: only the columns the acting role may see.

Every text cell is neutralised against formula injection (a name like ``=HYPERLINK(...)``
must stay text when someone opens the file in Excel or LibreOffice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from maatwerq import xlsx
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log_list
from maatwerq.xlsx import XLSX_CONTENT_TYPE, neutralise

from .models import Participant

__all__ = ["XLSX_CONTENT_TYPE", "neutralise", "participants_export", "workbook_bytes"]


@dataclass(frozen=True)
class Column:
    key: str  # stable name for the audit trail
    header: Any  # a lazy translation
    value: Callable[[Participant], Any]
    width: int = 16


def _route(attr: str, display: bool = False) -> Callable[[Participant], Any]:
    def get(participant: Participant) -> Any:
        route = participant.current_route
        if route is None:
            return ""
        if display:
            return getattr(route, f"get_{attr}_display")()
        return getattr(route, attr) or ""

    return get


def _cohort(participant: Participant) -> str:
    route = participant.current_route
    return route.cohort.name if route and route.cohort else ""


def _programme(participant: Participant) -> str:
    route = participant.current_route
    return route.programme.name if route else ""


NAME_COLUMNS = [
    Column("first_name", _("First name"), lambda p: p.first_name, 16),
    Column("last_name", _("Last name"), lambda p: p.last_name, 22),
]
PERSONAL_COLUMNS = [
    Column("date_of_birth", _("Date of birth"), lambda p: p.date_of_birth, 14),
    Column("email", _("Email address"), lambda p: p.email, 28),
    Column("phone", _("Phone"), lambda p: p.phone, 16),
]
ROUTE_COLUMNS = [
    Column("programme", _("Programme"), _programme, 12),
    Column("cohort", _("Group"), _cohort, 12),
    Column("status", _("Status"), _route("status", display=True), 14),
]
ROUTE_DETAIL_COLUMNS = [
    Column("route_type", _("Route type"), _route("route_type", display=True), 30),
    Column("referral_source", _("Referred by"), _route("referral_source", display=True), 20),
    Column("funding_stream", _("Funding stream"), lambda p: p.get_funding_stream_display(), 20),
    Column("referral_date", _("Referral date"), _route("referral_date"), 14),
    Column("start_date", _("Start date"), _route("start_date"), 14),
    Column("end_date", _("End date"), _route("end_date"), 14),
]
BSN_COLUMN = Column("bsn", _("BSN"), lambda p: p.bsn, 12)


def export_columns_for(user) -> list[Column]:
    """The columns a user's role may take out: names and route status for everyone allowed to
    export; personal and route details for coach and regisseur; the BSN for the regisseur."""
    if not user.has_perm("participants.list_personal_details"):
        return NAME_COLUMNS + ROUTE_COLUMNS
    columns = NAME_COLUMNS + PERSONAL_COLUMNS + ROUTE_COLUMNS + ROUTE_DETAIL_COLUMNS
    if user.has_perm("participants.export_bsn"):
        columns = [*columns, BSN_COLUMN]
    return columns


def workbook_bytes(
    *, title: str, headers: list[str], rows: Iterable[list[Any]], widths=()
) -> bytes:
    """One sheet, a bold frozen header row, every cell neutralised; dates as real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    xlsx.header_append(sheet, headers)
    for row in rows:
        xlsx.row_append(sheet, row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    return xlsx.workbook_bytes(workbook)


def participants_export(
    *, participants: QuerySet[Participant], by, request=None, filters: dict | None = None
) -> bytes:
    """The given (already scoped and filtered) participants as an .xlsx, with the columns
    ``by`` may see.

    Side effects: one audit event (action export) naming the participants exported (their
    ids, so each sees it in "who opened my record"), with the number of rows, the columns and
    the filters used (never a name search: that would put a name in the log).
    """
    columns = export_columns_for(by)
    people = list(participants)
    content = workbook_bytes(
        title=gettext("Participants"),
        headers=[str(c.header) for c in columns],
        rows=([c.value(p) for c in columns] for p in people),
        widths=[c.width for c in columns],
    )
    audit_log_list(
        actor=by,
        action=Action.EXPORT,
        participant_ids=[p.pk for p in people],
        request=request,
        detail={
            "what": "participant_list",
            "count": len(people),
            "columns": [c.key for c in columns],
            "filters": filters or {},
        },
    )
    return content
