"""The ESF+ indicators of a project (programme) and funding period, in the layout of a
funder's monitoring sheet: one row per indicator, columns men / women / total (the total also
counts non-binary participants, those who would rather not say and those not recorded).

Who counts where:
- output indicators (at entry): the routes that started within the period;
- result indicators at exit: the started routes that ended within the period;
- result indicators six months after exit: the routes whose six-month moment (end date plus
  six months) falls within the period.
The answers come from the route's ESF+ record (reporting.models.EsfRecord); the age band from
the date of birth at the start. The four self-declared sensitive categories are published
with the small-number rule only (reporting.small_numbers: rounded to a multiple of 5, "<5"
under 5), in the page and the file alike; the other rows are exact, as a funder's
accountancy needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from maatwerq import xlsx
from maatwerq.accounts.models import Programme
from participants.services import add_months

from ..dashboard import academy_routes
from ..dashboard.metrics import SMALL_CELL, published_count
from ..exports import neutralise
from ..funder import funder_file_name, run_programme_period
from ..models import EsfAnswer, EsfSex, IscedLevel, LabourMarketStatus
from ..registry import report_kind_register

ENTRY, EXIT, SIX_MONTHS = "entry", "exit", "m6"

Row = dict[str, Any]


def _age(row: Row) -> int | None:
    born, start = row["participant__date_of_birth"], row["start_date"]
    if born is None or start is None:
        return None
    return start.year - born.year - ((start.month, start.day) < (born.month, born.day))


def _age_between(low: int, high: int) -> Callable[[Row], bool]:
    def test(row: Row) -> bool:
        age = _age(row)
        return age is not None and low <= age <= high

    return test


def _is(field: str, *values: Any) -> Callable[[Row], bool]:
    return lambda row: row[f"esf_record__{field}"] in values


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    moment: str
    test: Callable[[Row], bool]
    sensitive: bool = False
    total_row: bool = False  # the moment's population itself (a heading row)


INDICATORS: list[Indicator] = [
    Indicator(
        "participants",
        gettext_lazy("Participants who started"),
        ENTRY,
        lambda r: True,
        total_row=True,
    ),
    Indicator(
        "unemployed",
        gettext_lazy("Unemployed, including long-term unemployed"),
        ENTRY,
        _is(
            "labour_market_status",
            LabourMarketStatus.UNEMPLOYED,
            LabourMarketStatus.LONG_TERM_UNEMPLOYED,
        ),
    ),
    Indicator(
        "long_term_unemployed",
        gettext_lazy("of which long-term unemployed"),
        ENTRY,
        _is("labour_market_status", LabourMarketStatus.LONG_TERM_UNEMPLOYED),
    ),
    Indicator(
        "inactive",
        gettext_lazy("Inactive"),
        ENTRY,
        _is("labour_market_status", LabourMarketStatus.INACTIVE, LabourMarketStatus.IN_EDUCATION),
    ),
    Indicator(
        "in_education",
        gettext_lazy("of which in education or training"),
        ENTRY,
        _is("labour_market_status", LabourMarketStatus.IN_EDUCATION),
    ),
    Indicator(
        "employed",
        gettext_lazy("Employed, including self-employed"),
        ENTRY,
        _is("labour_market_status", LabourMarketStatus.EMPLOYED),
    ),
    Indicator(
        "status_unknown",
        gettext_lazy("Labour-market status not recorded"),
        ENTRY,
        _is("labour_market_status", "", None),
    ),
    Indicator("age_below_18", gettext_lazy("Below 18 years of age"), ENTRY, _age_between(0, 17)),
    Indicator("age_18_29", gettext_lazy("18 to 29 years of age"), ENTRY, _age_between(18, 29)),
    Indicator("age_30_54", gettext_lazy("30 to 54 years of age"), ENTRY, _age_between(30, 54)),
    Indicator("age_55", gettext_lazy("55 years of age and above"), ENTRY, _age_between(55, 200)),
    Indicator(
        "isced_0_2",
        gettext_lazy("With lower secondary education or less (ISCED 0-2)"),
        ENTRY,
        _is("isced_level", IscedLevel.LOW),
    ),
    Indicator(
        "isced_3_4",
        gettext_lazy("With upper secondary or post-secondary education (ISCED 3-4)"),
        ENTRY,
        _is("isced_level", IscedLevel.MIDDLE),
    ),
    Indicator(
        "isced_5_8",
        gettext_lazy("With tertiary education (ISCED 5-8)"),
        ENTRY,
        _is("isced_level", IscedLevel.HIGH),
    ),
    Indicator(
        "isced_unknown",
        gettext_lazy("Education level not recorded"),
        ENTRY,
        _is("isced_level", "", None),
    ),
    Indicator(
        "disability",
        gettext_lazy("Participants with disabilities"),
        ENTRY,
        _is("disability", EsfAnswer.YES),
        sensitive=True,
    ),
    Indicator(
        "foreign_background",
        gettext_lazy("Participants with a foreign background"),
        ENTRY,
        _is("foreign_background", EsfAnswer.YES),
        sensitive=True,
    ),
    Indicator(
        "minority",
        gettext_lazy("Participants belonging to a minority"),
        ENTRY,
        _is("minority", EsfAnswer.YES),
        sensitive=True,
    ),
    Indicator(
        "homeless",
        gettext_lazy("Homeless or affected by housing exclusion"),
        ENTRY,
        _is("homeless", EsfAnswer.YES),
        sensitive=True,
    ),
    Indicator("left", gettext_lazy("Participants who left"), EXIT, lambda r: True, total_row=True),
    Indicator(
        "exit_education",
        gettext_lazy("In education or training upon leaving"),
        EXIT,
        _is("exit_education", True),
    ),
    Indicator(
        "exit_qualification",
        gettext_lazy("Gaining a qualification upon leaving"),
        EXIT,
        _is("exit_qualification", True),
    ),
    Indicator(
        "exit_employed",
        gettext_lazy("In employment, including self-employment, upon leaving"),
        EXIT,
        _is("exit_employed", True),
    ),
    Indicator(
        "m6",
        gettext_lazy("Participants six months after leaving"),
        SIX_MONTHS,
        lambda r: True,
        total_row=True,
    ),
    Indicator(
        "m6_employed",
        gettext_lazy("In employment, including self-employment, six months after leaving"),
        SIX_MONTHS,
        _is("m6_employed", True),
    ),
    Indicator(
        "m6_better",
        gettext_lazy("With an improved labour-market situation six months after leaving"),
        SIX_MONTHS,
        _is("m6_better", True),
    ),
    Indicator(
        "m6_education",
        gettext_lazy("In education or training six months after leaving"),
        SIX_MONTHS,
        _is("m6_education", True),
    ),
]

FIELDS = (
    "start_date",
    "end_date",
    "participant__date_of_birth",
    "esf_record__sex",
    "esf_record__labour_market_status",
    "esf_record__isced_level",
    "esf_record__disability",
    "esf_record__foreign_background",
    "esf_record__minority",
    "esf_record__homeless",
    "esf_record__exit_education",
    "esf_record__exit_qualification",
    "esf_record__exit_employed",
    "esf_record__m6_employed",
    "esf_record__m6_better",
    "esf_record__m6_education",
)


@dataclass
class IndicatorRow:
    indicator: Indicator
    men: int
    women: int
    total: int

    @property
    def cells(self) -> list[str]:
        """Men, women, total as published (the sensitive rows by the small-number rule)."""
        if not self.indicator.sensitive:
            return [str(self.men), str(self.women), str(self.total)]
        return [_rounded(n) for n in (self.men, self.women, self.total)]


def _rounded(value: int) -> str:
    shown = published_count(value)
    return f"<{SMALL_CELL}" if shown < SMALL_CELL else str(shown)


def _moment(row: Row, start_from: date, start_to: date) -> set[str]:
    start, end = row["start_date"], row["end_date"]
    moments = set()
    if start_from <= start <= start_to:
        moments.add(ENTRY)
    if end is not None and start_from <= end <= start_to:
        moments.add(EXIT)
    if end is not None and start_from <= add_months(end, 6) <= start_to:
        moments.add(SIX_MONTHS)
    return moments


def esf_indicators(
    *, academy_id: int, programme: Programme, start_from: date, start_to: date
) -> list[IndicatorRow]:
    """Every indicator of the project and period, counted in one query."""
    earliest = add_months(start_from, -6)
    rows = (
        academy_routes(academy_id)
        .filter(programme=programme, start_date__isnull=False, start_date__lte=start_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=earliest))
        .values(*FIELDS)
        .order_by()
    )
    counts = {i.key: [0, 0, 0] for i in INDICATORS}
    for row in rows:
        moments = _moment(row, start_from, start_to)
        sex = row["esf_record__sex"]
        for indicator in INDICATORS:
            if indicator.moment in moments and indicator.test(row):
                cell = counts[indicator.key]
                cell[0] += sex == EsfSex.MAN
                cell[1] += sex == EsfSex.WOMAN
                cell[2] += 1
    return [IndicatorRow(i, *counts[i.key]) for i in INDICATORS]


HEADINGS = {
    ENTRY: gettext_lazy("At entry (output indicators)"),
    EXIT: gettext_lazy("Upon leaving (result indicators)"),
    SIX_MONTHS: gettext_lazy("Six months after leaving (longer-term result indicators)"),
}


def esf_workbook(rows: list[IndicatorRow], *, title: str) -> bytes:
    """The monitoring sheet: a title, then per moment a heading and its indicator rows
    (indicator, men, women, total). Sensitive rows hold text ("<5" or a rounded number)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = neutralise(_("ESF+ indicators"))[:31]
    sheet.append([neutralise(title)])
    sheet["A1"].font = Font(bold=True)
    xlsx.header_append(sheet, [_("Indicator"), _("Men"), _("Women"), _("Total")])
    moment = None
    for row in rows:
        if row.indicator.moment != moment:
            moment = row.indicator.moment
            sheet.append([str(HEADINGS[moment])])
            sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
        values: list[Any] = (
            row.cells if row.indicator.sensitive else [row.men, row.women, row.total]
        )
        sheet.append([str(row.indicator.label), *values])
    sheet.append([])
    sheet.append(
        [
            _(
                "Total includes participants who are non-binary, would rather not say or whose "
                "sex was not recorded. Sensitive categories are rounded to a multiple of 5, "
                "fewer than 5 shown as <5."
            )
        ]
    )
    sheet.column_dimensions["A"].width = 70
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 10
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@report_kind_register(
    "esf_xlsx",
    label=gettext_lazy("ESF+ indicators for the funder (Excel)"),
    permission="reporting.export_esf",
)
def esf_xlsx(run, progress):
    """Counts only (no name, no per-person value), the sensitive rows rounded."""
    params = run.parameters
    programme, start_from, start_to = run_programme_period(run)
    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        progress(20, gettext_noop("Counting the indicators."))
        rows = esf_indicators(
            academy_id=run.academy_id,
            programme=programme,
            start_from=start_from,
            start_to=start_to,
        )
        title = _("%(programme)s: ESF+ indicators from %(first)s to %(last)s") % {
            "programme": programme.name,
            "first": start_from.isoformat(),
            "last": start_to.isoformat(),
        }
        content = esf_workbook(rows, title=title)
    return funder_file_name("esf-indicatoren", programme, start_from, start_to), content
