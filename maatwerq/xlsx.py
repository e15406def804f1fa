"""How every Excel file of ours is written (openpyxl): one rule for all of them.

- Every text cell is neutralised against formula injection (a name like ``=HYPERLINK(...)``
  must stay text when someone opens the file in Excel or LibreOffice).
- A header row is bold and frozen: the panes are frozen just below it, so it stays in view
  while scrolling (``header_append``).
- A share is a real number with a percentage format (0.53 shown as 53%), never the text
  "53%" nor a bare 0.53: wrap it in ``Percent`` and write the row with ``row_append``.
- Dates are real dates shown as yyyy-mm-dd.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)


class Percent(float):
    """A share between 0 and 1 (a rate may exceed 1), written as a percentage cell."""


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; control
    characters that a workbook cannot hold (typed or pasted into a form) are dropped."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def row_append(sheet, values: Iterable[Any], *, bold: bool = False) -> None:
    """Append one row: texts neutralised, a ``Percent`` as a percentage cell, a date as a
    date cell; bold when asked."""
    values = list(values)
    sheet.append([float(v) if isinstance(v, Percent) else neutralise(v) for v in values])
    if not values:
        return
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, Percent):
            cell.number_format = PERCENT_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = BOLD


def header_append(sheet, values: Iterable[Any]) -> None:
    """Append the sheet's header row, bold, and freeze the panes just below it."""
    row_append(sheet, values, bold=True)
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
