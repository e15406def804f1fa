"""Academies and branches side by side (issue 18): rates, each with the n it rests on, under
the small-number rule of the national view (reporting.small_numbers): the numerator and the
denominator of every rate are rounded to a multiple of 5 before the rate is made, and a rate
resting on fewer than 5 (rounded) is not shown. An academy sees its own row against the
national median of the academies' rates.

Each rate leaves out of its denominator what cannot be known yet: routes less than 3 months
under way (work within 3 months), and those whose follow-up check is not due yet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..dashboard.metrics import NO_VALUE, SMALL_CELL, published_count, share_text
from .outcomes import DIMENSIONS, TABLES, Facts, share_table


@dataclass(frozen=True)
class Rate:
    key: str
    label: Promise
    table: str  # a key of outcomes.TABLES
    part: tuple[str, ...]  # its columns that make the numerator
    not_yet: tuple[str, ...] = ()  # its columns left out of the denominator


RATES = [
    Rate(
        "dropout", gettext_lazy("Dropped out, of those who started"), "progress", ("dropped_out",)
    ),
    Rate("successful", gettext_lazy("Successful, of those who left"), "outcome", ("succesvol",)),
    Rate(
        "work3",
        gettext_lazy("In work within 3 months, of those who started 3 months ago or more"),
        "work3",
        ("yes",),
        ("pending",),
    ),
    Rate(
        "after6",
        gettext_lazy("In work or school 6 months after leaving, of those due"),
        "after6",
        ("work_school",),
        ("not_due",),
    ),
    Rate(
        "after12",
        gettext_lazy("In work or school 12 months after leaving, of those due"),
        "after12",
        ("work_school",),
        ("not_due",),
    ),
]


@dataclass
class RateCell:
    part: int
    whole: int
    protected: bool

    @property
    def share(self) -> float | None:
        if not self.whole or (
            self.protected and (self.part < SMALL_CELL or self.whole < SMALL_CELL)
        ):
            return None
        return self.part / self.whole

    @property
    def n_text(self) -> str:
        if self.protected and self.whole < SMALL_CELL:
            return f"<{SMALL_CELL}"
        return str(self.whole)

    @property
    def text(self) -> str:
        """ "50% (n = 10)"; "3 of 4" under MIN_SHARE_BASE; "- (n = <5)" when protected (a dash)."""
        return share_text(self.part, self.whole, suppress=self.protected)


@dataclass
class RateRow:
    key: Any
    label: str
    cells: list[RateCell]


def rate_rows(
    facts: list[Facts], dimension: str, *, protected: bool, every: Iterable[Any] = ()
) -> list[RateRow]:
    """One row per value of ``dimension`` (and per value of ``every``, even when empty),
    a cell per rate of RATES."""
    split = DIMENSIONS[dimension]
    # Every table gets the same rows: each value any route has, and those of ``every``.
    keys = list(dict.fromkeys([*every, *(split.bucket(f.keys[dimension]) for f in facts)]))
    labels = split.rows(set(keys))  # named once for the five tables
    tables = {
        rate.key: share_table(facts, TABLES[rate.table], split, every=keys, labels=labels)
        for rate in RATES
    }
    first = tables[RATES[0].key]
    rows = []
    for index, row in enumerate(first.rows):
        cells = []
        for rate in RATES:
            counts = tables[rate.key].rows[index].counts
            part = sum(counts[c] for c in rate.part)
            whole = sum(counts.values()) - sum(counts[c] for c in rate.not_yet)
            if protected:
                part, whole = published_count(part), published_count(whole)
            cells.append(RateCell(part, whole, protected))
        rows.append(RateRow(row.key, row.label, cells))
    return rows


@dataclass
class MedianCell:
    share: float | None
    academies: int

    @property
    def text(self) -> str:
        if self.share is None:
            return NO_VALUE
        return _("%(share)s (median of %(count)d academies)") % {
            "share": f"{round(100 * self.share)}%",
            "count": self.academies,
        }


# An academy sees the median only when at least this many academies have a figure: the median
# of two is their mean, and with its own rate an academy would work out the other's.
MEDIAN_MIN_ACADEMIES = 3


def medians(rows: list[RateRow], *, at_least: int = 1) -> list[MedianCell]:
    """Per rate, the median of the rows' shown rates (a row without one does not count);
    none when fewer than ``at_least`` rows have one."""
    result = []
    for index in range(len(RATES)):
        shares = [s for row in rows if (s := row.cells[index].share) is not None]
        enough = shares and len(shares) >= at_least
        result.append(MedianCell(statistics.median(shares) if enough else None, len(shares)))
    return result
