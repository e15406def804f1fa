"""Background Excel exports of the dashboard (counts only) and of a cohort's participant list
(names and status, no care data, no BSN). The funder list lives in reporting.funder and is
registered through the import below.

Each generator scopes its queries to the run's academy, or for a national run (requested as
landelijk) to every academy, with the figures protected as on the page (whole periods only,
counts rounded, small ones as "<5": reporting.small_numbers). Text cells are neutralised.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook

from maatwerq import xlsx
from maatwerq.accounts.models import Programme, Role
from participants.models import Cohort

from .. import funder  # noqa: F401 - registers the funder_xlsx kind
from ..exports import neutralise
from ..registry import ReportUnavailable, report_kind_register
from ..services import report_run_record_listed
from ..small_numbers import national_build
from .figures import (
    GROUP_COLUMNS,
    METRICS,
    MOMENTS,
    ROUTE_TYPE_COLUMNS,
    SMALL_CELL,
    Breakdown,
    Dashboard,
    Filters,
    Group,
    academy_routes,
    academy_scope,
    dashboard_build,
    small_cell,
)
from .forms import national_period_value
from .metrics import MIN_SHARE_BASE, WORK_OR_SCHOOL

# --- parameters ----------------------------------------------------------------------------


def dashboard_parameters(filters: Filters, *, language: str) -> dict:
    """Ids, dates and codes only. A national branch (a programme name, which may hold spaces)
    travels as the id of one programme of that name."""
    params = dict(filters.as_params())
    if filters.branch:
        first = Programme.objects.filter(name=filters.branch).order_by("pk").first()
        params["branch"] = first.pk if first else 0
    params["language"] = language
    return params


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def filters_from_parameters(params: dict, *, national: bool) -> Filters:
    try:
        branch = ""
        if national and params.get("branch"):
            found = Programme.objects.filter(pk=int(params["branch"])).first()
            branch = found.name if found else "-"
        filters = Filters(
            start_from=_date(params.get("start_from")),
            start_to=_date(params.get("start_to")),
            programme=None if national else _int(params.get("programme")),
            cohort=None if national else _int(params.get("cohort")),
            route_type=str(params.get("route_type") or ""),
            academy=_int(params.get("academy")) if national else None,
            branch=branch,
        )
        if national and national_period_value(filters.start_from, filters.start_to) is None:
            raise ValueError("not a whole quarter or year")  # only the form makes national runs
        return filters
    except (TypeError, ValueError):
        raise ReportUnavailable(gettext_noop("The filters of this export are not valid.")) from None


# --- the dashboard workbook ----------------------------------------------------------------


class _Writer:
    """Appends tables to a sheet: a bold title, rows, a bold total; counts as shown. The
    sheet's first bold row is its header: frozen."""

    def __init__(self, sheet, *, suppress: bool):
        self.sheet, self.suppress = sheet, suppress
        self.headed = False

    def count(self, value):
        shown = small_cell(value, suppress=self.suppress)
        return int(shown) if shown.isdigit() else shown

    def bold_row(self, values) -> None:
        if self.headed:
            xlsx.row_append(self.sheet, values, bold=True)
        else:
            xlsx.header_append(self.sheet, values)
            self.headed = True

    def breakdown(self, breakdown: Breakdown) -> None:
        self.bold_row([breakdown.title, _("Routes")])
        for row in breakdown.rows:
            self.sheet.append([neutralise(row.label), self.count(row.count)])
        if breakdown.total_label:
            self.bold_row([breakdown.total_label, self.count(breakdown.total)])
        self.sheet.append([])

    def groups(self, title: str, groups: list[Group], columns: list[str], *, durable: bool):
        """Per moment three columns: in work or school, the n it is of (those whose situation
        is known), and the share; no share of fewer than MIN_SHARE_BASE (the count and its n
        stand beside it), nor where the small-number rule hides a count."""
        labels = [str(METRICS[key].label) for key in columns]
        moments = []
        for months in MOMENTS:
            moment = _("In work or school after %(months)d months") % {"months": months}
            moments += [moment, _("n (known)"), _("Share")]
        self.bold_row([title, *labels, *(moments if durable else [])])
        for group in groups:
            shares: list = []
            if durable:
                for point in group.survival:
                    hidden = point.share is None or point.known < MIN_SHARE_BASE
                    hidden = hidden or (
                        self.suppress
                        and min(point.counts[WORK_OR_SCHOOL], point.known) < SMALL_CELL
                    )
                    shares += [
                        self.count(point.counts[WORK_OR_SCHOOL]),
                        self.count(point.known),
                        None if hidden else xlsx.Percent(point.share),
                    ]
            name = f"{group.sublabel} · {group.label}" if group.sublabel else group.label
            xlsx.row_append(
                self.sheet, [name, *(self.count(group.counts[k]) for k in columns), *shares]
            )
        self.sheet.append([])


def dashboard_workbook(
    result: Dashboard, *, filters_text: str, suppress: bool, extra_groups=None
) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = neutralise(_("Summary"))[:31]
    writer = _Writer(summary, suppress=suppress)
    writer.bold_row([_("Cohort dashboard")])
    summary.append([neutralise(filters_text)])
    if suppress:
        summary.append(
            [
                _(
                    "Counts under 5 (0 included) are shown as <5 and every other count is "
                    "rounded to a multiple of 5, to prevent re-identification; rounded parts "
                    "need not add up to their total."
                )
            ]
        )
    summary.append([])
    writer.breakdown(result.funnel)
    writer.breakdown(Breakdown("headline", _("Key figures"), "", 0, result.headline))
    writer.breakdown(result.certificate_routes)
    summary.column_dimensions["A"].width = 46

    sheet = workbook.create_sheet(neutralise(_("Breakdowns"))[:31])
    writer = _Writer(sheet, suppress=suppress)
    for breakdown in result.all_breakdowns():
        writer.breakdown(breakdown)
    sheet.column_dimensions["A"].width = 46

    sheet = workbook.create_sheet(neutralise(_("Route types"))[:31])
    writer = _Writer(sheet, suppress=suppress)
    writer.groups(_("Route type"), result.route_types, ROUTE_TYPE_COLUMNS, durable=False)
    sheet.column_dimensions["A"].width = 46

    sheet = workbook.create_sheet(neutralise(_("Groups"))[:31])
    writer = _Writer(sheet, suppress=suppress)
    first_title = _("Academy") if suppress else _("Group")
    writer.groups(first_title, result.groups, GROUP_COLUMNS, durable=True)
    if extra_groups is not None:
        writer.groups(_("Project (branch)"), extra_groups, GROUP_COLUMNS, durable=True)
    sheet.column_dimensions["A"].width = 36
    return xlsx.workbook_bytes(workbook)


def _sheet_title(name: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not empty."""
    return re.sub(r"[\[\]:*?/\\]", "-", neutralise(name))[:31] or "-"


def _filters_text(filters: Filters) -> str:
    shown = [f"{key}={value}" for key, value in filters.as_params().items()]
    return _("Filters: %(filters)s") % {"filters": ", ".join(shown) or _("none")}


@report_kind_register(
    "dashboard_xlsx",
    label=gettext_lazy("Cohort dashboard (Excel)"),
    permission="reporting.export_dashboard",
)
def dashboard_xlsx(run, progress):
    """The dashboard's tables, counts only. Requested as landelijk: across academies, per
    academy and branch, protected as on the national page (reporting.small_numbers)."""
    national = run.role == Role.LANDELIJK
    filters = filters_from_parameters(run.parameters, national=national)
    if not national:
        if (
            filters.programme
            and not Programme.objects.filter(pk=filters.programme, academy=run.academy).exists()
        ):
            raise ReportUnavailable(gettext_noop("The programme of this export no longer exists."))
        scope = academy_scope(run.academy_id) & filters.q()
    with translation.override(run.parameters.get("language") or settings.LANGUAGE_CODE):
        progress(10, gettext_noop("Counting."))
        if national:  # protected as on the page (reporting.small_numbers)
            result, extra = national_build(Q(), filters)
        else:
            result, extra = dashboard_build(scope), None
        progress(60, gettext_noop("Writing the sheets."))
        content = dashboard_workbook(
            result, filters_text=_filters_text(filters), suppress=national, extra_groups=extra
        )
    name = "landelijk-dashboard" if national else "dashboard"
    return f"{name}-{timezone.localdate().isoformat()}.xlsx", content


# --- a cohort's participant list -----------------------------------------------------------


def cohort_participants_rows(cohort: Cohort, academy_id: int):
    """Name, programme, group, status, start, end and outcome of the cohort's routes: no care
    data, no BSN, nothing else of the person is even read."""
    return (
        academy_routes(academy_id)
        .filter(cohort=cohort)
        .select_related("participant", "programme", "cohort")
        .only(
            "status",
            "start_date",
            "end_date",
            "outcome_category",
            "participant__first_name",
            "participant__last_name",
            "programme__name",
            "cohort__name",
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


@report_kind_register(
    "cohort_participants_xlsx",
    label=gettext_lazy("Participants of a group (Excel)"),
    permission="reporting.export_cohort_participants",
)
def cohort_participants_xlsx(run, progress):
    cohort = (
        Cohort.objects.filter(pk=run.parameters.get("cohort"), programme__academy=run.academy)
        .select_related("programme")
        .first()
    )
    if cohort is None:
        raise ReportUnavailable(gettext_noop("This group no longer exists."))
    with translation.override(run.parameters.get("language") or settings.LANGUAGE_CODE):
        progress(10, gettext_noop("Collecting the participants."))
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _sheet_title(cohort.name)
        headers = [
            _("First name"),
            _("Last name"),
            _("Programme"),
            _("Group"),
            _("Status"),
            _("Start date"),
            _("End date"),
            _("Outcome"),
        ]
        xlsx.header_append(sheet, headers)
        listed = []
        for route in cohort_participants_rows(cohort, run.academy_id):
            listed.append(route.participant_id)
            values = [
                route.participant.first_name,
                route.participant.last_name,
                route.programme.name,
                route.cohort.name,
                route.get_status_display(),
                route.start_date,
                route.end_date,
                route.get_outcome_category_display(),
            ]
            xlsx.row_append(sheet, values)
        for letter, width in zip("ABCDEFGH", (16, 22, 12, 14, 14, 12, 12, 14), strict=True):
            sheet.column_dimensions[letter].width = width
        content = xlsx.workbook_bytes(workbook)
    report_run_record_listed(run=run, participant_ids=listed)
    name = f"groep-{slugify(cohort.programme.name)}-{slugify(cohort.name) or cohort.pk}"
    return f"{name}.xlsx", content
