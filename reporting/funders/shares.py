"""The per-person funder reports with shares: which routes of a project and period a funder
pays for, with its share of each, and the sheet that lists them (one row per route, a share
column, a last row with the totals weighted by share).

Who is on it: the routes of the funder list (reporting.funder.funder_routes: the project's
routes that ran during the period, with the period's hours) that one of the report's
funding streams pays for. The share is the sum of those streams' shares of the route
(participants.RouteFunding), or 100 % for a route without shares whose participant's stream
is one of them. A weighted total is the sum of value x share / 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from employers.models import Placement
from maatwerq import xlsx
from maatwerq.accounts.models import Programme
from participants.models import FollowUp, Route
from participants.services import route_shares

from ..exports import neutralise
from ..funder import funder_file_name, funder_routes, run_programme_period
from ..services import report_run_record_listed
from . import FunderReport

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class ShareColumn:
    """A field of a report: its header, width and value for one row; ``weighted``: its total
    is the sum of value x share / 100 (hours); ``share``: the share column, whose total is
    the number of participants (the shares / 100)."""

    header: Any
    width: int
    value: Callable[[FunderRow], Any]
    weighted: bool = False
    share: bool = False


@dataclass
class FunderRow:
    route: Route
    share: int  # percent
    placement: Placement | None

    @property
    def hours(self) -> Decimal:
        return (self.route.practice or ZERO) + (self.route.theory or ZERO)

    def follow_up(self, months: int) -> FollowUp | None:
        return next((f for f in self.route.follow_ups.all() if f.months_after == months), None)


def share_of(route: Route, streams: frozenset[str]) -> int:
    """The part of the route (percent) the streams pay for together; 0: none of them."""
    return sum(share for stream, share in route_shares(route).items() if stream in streams)


def funder_rows(
    report: FunderReport,
    *,
    academy_id: int,
    programme: Programme,
    start_from: date,
    start_to: date,
) -> list[FunderRow]:
    """The routes the report's streams pay for, with their share. Four queries: the routes
    with their hours, their shares, their follow-ups, their participants' placements."""
    if report.streams is None:
        raise ValueError(f"Funder report {report.key!r} covers no funding streams")
    routes = funder_routes(
        academy_id=academy_id, programme=programme, start_from=start_from, start_to=start_to
    ).prefetch_related("fundings", "follow_ups")
    covered = [(route, share_of(route, report.streams)) for route in routes]
    covered = [(route, share) for route, share in covered if share]
    placements: dict[Any, list[Placement]] = {}
    for placement in (
        Placement.objects.filter(participant__in={r.participant_id for r, _s in covered})
        .select_related("employer")
        .order_by("start_date", "pk")
    ):
        placements.setdefault(placement.participant_id, []).append(placement)
    return [
        FunderRow(route, share, _first_placement(route, placements.get(route.participant_id, [])))
        for route, share in covered
    ]


def _first_placement(route: Route, placements: list[Placement]) -> Placement | None:
    """The first placement that began during the route (on or after its start)."""
    for placement in placements:
        after_start = route.start_date is not None and placement.start_date >= route.start_date
        if after_start and (route.end_date is None or placement.start_date <= route.end_date):
            return placement
    return None


def weighted(value: Decimal | float | int, share: int) -> Decimal:
    return (Decimal(str(value)) * share / HUNDRED).quantize(Decimal("0.1"))


def totals(rows: list[FunderRow], columns: list[ShareColumn]) -> dict[int, Decimal]:
    """Per weighted column (its index), the sum of value x share / 100, rounded to a tenth."""
    sums: dict[int, Decimal] = {}
    for index, column in enumerate(columns):
        if column.weighted:
            sums[index] = sum(
                (Decimal(str(column.value(row) or 0)) * row.share / HUNDRED for row in rows),
                ZERO,
            ).quantize(Decimal("0.1"))
    return sums


def weighted_participants(rows: list[FunderRow]) -> Decimal:
    """The number of participants the funder pays for: each route counts with its share."""
    return (sum((Decimal(row.share) for row in rows), ZERO) / HUNDRED).quantize(Decimal("0.01"))


def share_workbook(rows: list[FunderRow], columns: list[ShareColumn], *, title: str) -> bytes:
    """The sheet: a title, the headers, one row per route, then the weighted totals (the
    number of participants as the sum of the shares / 100). Text cells are neutralised."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = neutralise(_("Participants"))[:31]
    xlsx.row_append(sheet, [title], bold=True)
    xlsx.header_append(sheet, [str(c.header) for c in columns])
    for row in rows:
        xlsx.row_append(
            sheet,
            [
                xlsx.Percent(row.share / 100) if column.share else _cell(column.value(row))
                for column in columns
            ],
        )
    sums = totals(rows, columns)
    total_row: list[Any] = [""] * len(columns)
    total_row[0] = _("Total, weighted by share")
    for index, column in enumerate(columns):
        if column.share:
            total_row[index] = float(weighted_participants(rows))
    for index, value in sums.items():
        total_row[index] = float(value)
    xlsx.row_append(sheet, total_row, bold=True)
    xlsx.row_append(sheet, [])
    xlsx.row_append(
        sheet,
        [
            _(
                "A route that several funders pay for counts with its share (%). In the total "
                "row, the share column holds the number of participants (shares / 100) and "
                "the hours are weighted by share."
            )
        ],
    )
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = column.width
    return xlsx.workbook_bytes(workbook)


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def share_generator(report_key: str, filename: str) -> Callable[..., tuple[str, bytes]]:
    """The background generator of a report with shares: its rows, its sheet, and the people
    listed recorded on the run (the download's one audit event names them)."""

    def generate(run, progress):
        from . import REGISTRY

        report = REGISTRY[report_key]
        programme, start_from, start_to = run_programme_period(run)
        with translation.override(run.parameters.get("language") or settings.LANGUAGE_CODE):
            progress(10, gettext_noop("Collecting the participants."))
            rows = funder_rows(
                report,
                academy_id=run.academy_id,
                programme=programme,
                start_from=start_from,
                start_to=start_to,
            )
            title = _("%(report)s, %(programme)s: %(first)s to %(last)s") % {
                "report": report.label,
                "programme": programme.name,
                "first": start_from.isoformat(),
                "last": start_to.isoformat(),
            }
            content = report.writer(rows, list(report.columns), title=title)
        report_run_record_listed(
            run=run, participant_ids=[row.route.participant_id for row in rows], rows=len(rows)
        )
        return funder_file_name(filename, programme, start_from, start_to), content

    return generate
