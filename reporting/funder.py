"""The funder's participant list ("deelnemerslijst financier"): per project (programme) and
period, who took part, with BSN, target group, hours and result, as ESF and municipalities ask
for it (domain.md, "Funders"). For the regisseur only; made in the background (ReportRun).

Who is on it: every route of the programme that ran during the period (started on or before
its last day and not ended before its first). Hours are the practice and theory hours of the
weeks that start within the period (leerroutes.HoursWeek).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext
from openpyxl import Workbook

from maatwerq import xlsx
from maatwerq.accounts.models import Programme
from participants.models import Route

from .dashboard import academy_routes
from .exports import neutralise
from .registry import ReportUnavailable, report_kind_register
from .services import report_run_record_listed, report_run_request

if TYPE_CHECKING:
    from maatwerq.accounts.models import User

    from .models import ReportRun

ZERO = Decimal(0)


def funder_routes(
    *, academy_id: int, programme: Programme, start_from: date, start_to: date
) -> QuerySet[Route]:
    """The routes on the funder list, with the period's hours summed: one query."""
    in_period = Q(hours_weeks__week_start__gte=start_from, hours_weeks__week_start__lte=start_to)
    return (
        academy_routes(academy_id)
        .filter(programme=programme, start_date__isnull=False, start_date__lte=start_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_from))
        .select_related("participant", "cohort")
        .annotate(
            practice=Sum("hours_weeks__practice_hours", filter=in_period),
            theory=Sum("hours_weeks__theory_hours", filter=in_period),
        )
        .order_by("participant__last_name", "participant__first_name", "start_date", "pk")
    )


@dataclass(frozen=True)
class Column:
    header: Any
    width: int


COLUMNS = [
    Column(gettext_lazy("First name"), 16),
    Column(gettext_lazy("Last name"), 22),
    Column(gettext_lazy("Date of birth"), 14),
    Column(gettext_lazy("BSN"), 12),
    Column(gettext_lazy("Group"), 14),
    Column(gettext_lazy("Start date"), 12),
    Column(gettext_lazy("End date"), 12),
    Column(gettext_lazy("Target group (funding stream)"), 24),
    Column(gettext_lazy("Route type"), 30),
    Column(gettext_lazy("Activities"), 22),
    Column(gettext_lazy("Practice hours"), 12),
    Column(gettext_lazy("Theory hours"), 12),
    Column(gettext_lazy("Total hours"), 12),
    Column(gettext_lazy("Status"), 14),
    Column(gettext_lazy("Result"), 18),
    Column(gettext_lazy("Result reason"), 22),
]


def _activities(practice: Decimal, theory: Decimal) -> str:
    done = [
        label
        for label, hours in ((_("practice at the workplace"), practice), (_("theory"), theory))
        if hours
    ]
    return ", ".join(done)


def funder_row(route: Route) -> list[Any]:
    person = route.participant
    practice, theory = route.practice or ZERO, route.theory or ZERO
    ended = route.is_ended
    return [
        person.first_name,
        person.last_name,
        person.date_of_birth,
        person.bsn,
        route.cohort.name if route.cohort else "",
        route.start_date,
        route.end_date,
        person.get_funding_stream_display(),
        route.get_route_type_display(),
        _activities(practice, theory),
        float(practice),
        float(theory),
        float(practice + theory),
        route.get_status_display(),
        route.get_outcome_category_display() if ended else pgettext("route", "Running"),
        route.get_outcome_reason_display() if ended else "",
    ]


def funder_workbook(routes: QuerySet[Route], *, title: str) -> tuple[bytes, int]:
    """The list as .xlsx bytes and the number of rows. Every text cell is neutralised."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = neutralise(_("Participants"))[:31]
    xlsx.row_append(sheet, [title], bold=True)
    xlsx.header_append(sheet, [str(c.header) for c in COLUMNS])
    count = 0
    for route in routes.iterator(chunk_size=500):
        xlsx.row_append(sheet, funder_row(route))
        count += 1
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = column.width
    return xlsx.workbook_bytes(workbook), count


def funder_parameters(
    *, programme: Programme, start_from: date, start_to: date, language: str
) -> dict:
    """A run's parameters for a programme and period (the funder list, the ESF+ sheet)."""
    return {
        "programme": programme.pk,
        "start_from": start_from.isoformat(),
        "start_to": start_to.isoformat(),
        "language": language,
    }


def funder_run_request(*, kind: str, values: Mapping[str, Any], by: User) -> ReportRun:
    """Request a funder report of the kind ``kind`` for a form's programme and period
    (``values``: its cleaned data), in the language of the request; made in the background."""
    return report_run_request(
        kind=kind,
        parameters=funder_parameters(
            programme=values["programme"],
            start_from=values["start_from"],
            start_to=values["start_to"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        ),
        by=by,
    )


def funder_file_name(prefix: str, programme: Programme, start_from: date, start_to: date) -> str:
    """The file name of a funder report of a project and period, the same for every kind."""
    return f"{prefix}-{slugify(programme.name) or programme.pk}-{start_from}-{start_to}.xlsx"


def run_programme_period(run) -> tuple[Programme, date, date]:
    """The programme and period a run of funder_parameters() asks for, read back: the
    programme must still exist in the run's academy and the dates must be dates."""
    params = run.parameters
    programme = Programme.objects.filter(pk=params.get("programme"), academy=run.academy).first()
    if programme is None:
        raise ReportUnavailable(gettext_noop("The programme of this list no longer exists."))
    try:
        start_from = date.fromisoformat(params["start_from"])
        start_to = date.fromisoformat(params["start_to"])
    except (KeyError, TypeError, ValueError):
        raise ReportUnavailable(gettext_noop("This list's period is not valid.")) from None
    return programme, start_from, start_to


@report_kind_register(
    "funder_xlsx",
    label=gettext_lazy("Participant list for the funder (Excel)"),
    permission="reporting.export_funder_list",
)
def funder_xlsx(run, progress):
    """Names, dates of birth and BSNs: the regisseur's kind, never shared. The number of rows
    and the people listed are recorded on the run, so the download's one audit event names
    them."""
    params = run.parameters
    programme, start_from, start_to = run_programme_period(run)
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        progress(10, gettext_noop("Collecting the participants."))
        routes = funder_routes(
            academy_id=run.academy_id,
            programme=programme,
            start_from=start_from,
            start_to=start_to,
        )
        title = _("%(programme)s: participants from %(first)s to %(last)s") % {
            "programme": programme.name,
            "first": start_from.isoformat(),
            "last": start_to.isoformat(),
        }
        content, count = funder_workbook(routes, title=title)
    report_run_record_listed(
        run=run,
        participant_ids=routes.values_list("participant_id", flat=True),
        rows=count,
    )
    return funder_file_name("deelnemerslijst", programme, start_from, start_to), content
