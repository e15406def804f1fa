"""Generators of the background reports of this app (see reporting.registry)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook

from maatwerq import xlsx
from maatwerq.accounts.models import Programme
from maatwerq.xlsx import neutralise  # one rule for every workbook we write

from . import forecast as fc
from .registry import ReportUnavailable, report_kind_register
from .selectors import forecast_for_programme


def forecast_parameters(*, programme: Programme, first, last, language: str) -> dict:
    """The parameters of a forecast_xlsx run: ids, months and a language code only."""
    return {
        "programme": programme.pk,
        "from": fc.format_month(first),
        "to": fc.format_month(last),
        "language": language,
    }


def _sheet(workbook, title: str, forecast: fc.Forecast, table: fc.Table, staffing=None) -> None:
    sheet = workbook.create_sheet(title=neutralise(title)[:31])
    xlsx.header_append(sheet, [_("Group"), *(fc.format_month(m) for m in table.moments)])
    for name, cells in table.rows:
        xlsx.row_append(sheet, [name, *cells])
    xlsx.row_append(sheet, [_("Total"), *table.totals], bold=True)
    if staffing is not None:
        sheet.append([_("Staff per half-day"), *staffing])
    sheet.column_dimensions["A"].width = 28


@report_kind_register(
    "forecast_xlsx",
    label=gettext_lazy("Intake forecast (Excel)"),
    permission="reporting.export_forecast",
)
def forecast_xlsx(run, progress):
    """Planned, projected and actual sheets with the differences and the staffing need.
    Counts only: no participant is named."""
    params = run.parameters
    programme = Programme.objects.filter(pk=params.get("programme"), academy=run.academy).first()
    if programme is None:
        raise ReportUnavailable(gettext_noop("The programme of this forecast no longer exists."))
    try:
        first, last = fc.parse_month(params["from"]), fc.parse_month(params["to"])
    except (KeyError, TypeError, ValueError):
        raise ReportUnavailable(gettext_noop("This forecast's period is not valid.")) from None
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        progress(10, gettext_noop("Counting the groups."))
        forecast = forecast_for_programme(
            programme, first=first, last=last, today=timezone.localdate()
        )
        progress(50, gettext_noop("Writing the sheets."))
        workbook = Workbook()
        workbook.remove(workbook.active)
        _sheet(workbook, _("Planned"), forecast, forecast.planned, forecast.staffing_planned)
        _sheet(workbook, _("Projected"), forecast, forecast.projected, forecast.staffing_projected)
        _sheet(workbook, _("Actual"), forecast, forecast.actual)
        _sheet(workbook, _("Projected - planned"), forecast, forecast.projected_minus_planned)
        _sheet(workbook, _("Actual - planned"), forecast, forecast.actual_minus_planned)
        _retention_sheet(workbook, forecast)
        progress(90, gettext_noop("Saving the file."))
        content = xlsx.workbook_bytes(workbook)
    name = f"prognose-{slugify(programme.name) or programme.pk}-{params['from']}-{params['to']}"
    return f"{name}.xlsx", content


def _retention_sheet(workbook, forecast: fc.Forecast) -> None:
    """Observed and used retention as percentage cells, with the starters they rest on."""
    sheet = workbook.create_sheet(title=_("Retention")[:31])
    xlsx.header_append(
        sheet, [_("Half-year of the course"), _("Observed"), _("Starters (n)"), _("Used")]
    )
    for k, (observed, starters, used) in enumerate(
        zip(
            forecast.retention_observed,
            forecast.retention_starters,
            forecast.retention,
            strict=True,
        ),
        start=1,
    ):
        shown = None if observed is None else xlsx.Percent(observed)
        xlsx.row_append(sheet, [k, shown, starters, xlsx.Percent(used)])
    sheet.append([])
    sheet.append(
        [_("Staff per half-day per ten trainees after the trial period"),
         float(forecast.staff_per_ten_after_trial)]
    )  # fmt: skip
