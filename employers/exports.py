"""The SROI statement as an Excel file, for the employer's own use (tenders).

No names: numbered lines, dates, hours. Every text cell is neutralised against formula
injection (an employer name like ``=HYPERLINK(...)`` must stay text in Excel or LibreOffice).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from maatwerq import xlsx
from maatwerq.xlsx import XLSX_CONTENT_TYPE

from .selectors import SroiNorm, SroiStatement

__all__ = ["XLSX_CONTENT_TYPE", "sroi_workbook"]


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def sroi_workbook(statement: SroiStatement, norm: SroiNorm | None = None) -> bytes:
    """One sheet: the employer and period, the totals, the tender's norm against them (when
    asked), then one line per placement (its header row bold and frozen)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "SROI"

    def row(*values, strong: bool = False) -> None:
        xlsx.row_append(sheet, [_cell(v) for v in values], bold=strong)

    row(_("SROI statement"), strong=True)
    row(_("Employer"), statement.employer_name)
    row(_("KvK number"), statement.kvk_number)
    row(_("Period"), statement.period_start, statement.period_end)
    row(_("Counted until"), statement.counted_until)
    row()
    row(_("Target-group people"), statement.people, strong=True)
    row(_("of whom employed"), statement.people_employed)
    row(_("of whom placed"), statement.people_placed)
    row(_("Contract weeks"), statement.weeks, strong=True)
    row(_("Hours"), statement.hours, strong=True)
    row(_("Hours employed"), statement.hours_employed)
    row(_("Hours placed"), statement.hours_placed)
    row()
    if norm is not None:
        row(_("Social-return norm"), strong=True)
        row(_("Tender sum or labour cost (EUR)"), norm.basis)
        row(_("Norm (%)"), norm.percent)
        row(_("Value of one hour (EUR)"), norm.hour_value)
        row(_("Required amount (EUR)"), norm.required_amount)
        row(_("Required hours"), norm.required_hours)
        row(_("Delivered amount (EUR)"), norm.delivered_amount)
        row(_("Delivered hours"), norm.delivered_hours)
        row(_("Norm met"), _("yes") if norm.met else _("no"), strong=True)
        row()
    xlsx.header_append(
        sheet,
        [
            _("No."),
            _("Type"),
            _("Employed"),
            _("From"),
            _("To"),
            _("Hours per week"),
            _("Weeks"),
            _("Hours"),
        ],
    )
    for line in statement.lines:
        row(
            line.number,
            line.kind,
            _("yes") if line.employed else _("no"),
            line.start,
            line.end,
            line.hours_per_week if line.hours_per_week is not None else "",
            line.weeks,
            line.hours,
        )
    for column, width in zip("ABCDEFGH", (24, 30, 10, 12, 12, 14, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    return xlsx.workbook_bytes(workbook)
