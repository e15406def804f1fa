"""Checks every Excel export's test runs on the workbook it read back (maatwerq/xlsx.py):
each sheet's header row bold and frozen, shares as percentage cells and never as text."""

from __future__ import annotations

import re

PERCENT_TEXT = re.compile(r"^\s*-?\d+([.,]\d+)?\s*%\s*$")


def assert_headers_frozen(workbook) -> None:
    """Every sheet freezes its panes just below a header row whose cells are all bold."""
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes, sheet.title
        assert sheet.freeze_panes.startswith("A"), sheet.title
        header = [c for c in sheet[int(sheet.freeze_panes[1:]) - 1] if c.value is not None]
        assert header, sheet.title
        assert all(c.font.bold for c in header), sheet.title


def percent_cells(workbook) -> list:
    """Every percentage cell (a "%" number format), after checking that each holds a number
    and that no cell holds a percentage as text ("53%")."""
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and PERCENT_TEXT.match(cell.value)), (
                    sheet.title,
                    cell.coordinate,
                    cell.value,
                )
                if "%" in cell.number_format and cell.value is not None:
                    assert isinstance(cell.value, int | float), (sheet.title, cell.coordinate)
                    found.append(cell)
    return found


def sheet_frozen_below(sheet) -> int:
    """The header row: the last row above the frozen panes."""
    return int(sheet.freeze_panes[1:]) - 1
