"""The intake forecast ("prognose aantal leerlingen") as pure functions: no database, no Django.

A forecast is a table with one row per group and one column per intake moment (the intake
months of a programme between two months, inclusive); each cell is the number of that group's
trainees present at that moment. Everything works on whole months: a group counts at every
moment from the month it starts until its course has ended,
``start month <= moment < start month + 6 x duration`` (the same rule as ``Cohort.end_date``).

Three scenarios, shown side by side:

- planned: the planned size of each group;
- projected: the planned size times the retention observed in earlier cohorts for the half-year
  of the course the group is in at that moment;
- actual: the routes really present, as of the end of the moment's month (or today, for the
  running month); only for moments not in the future.

This module stays free of Django so that the CLI, the views, the Excel export and the benchmark
share one rule and the unit tests need no database.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

MONTHS_PER_HALF_YEAR = 6
TRIAL_MONTHS = 3
TRIAL_STAFF_PER_TEN = 3
DEFAULT_STAFF_PER_TEN_AFTER_TRIAL = Decimal("1.5")
MAX_DURATION = 12
MAX_SIZE = 999

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

# A route reduced to what the forecast needs: (start_date, end_date), either may be None.
Span = tuple[date | None, date | None]


# --- months --------------------------------------------------------------------------------


def month_index(day: date) -> int:
    """Months since year 0: comparing whole months becomes comparing integers."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    return month_start(index + 1) - timedelta(days=1)


def parse_month(text: str) -> date:
    """'2025-09' -> date(2025, 9, 1). ValueError for anything else ('2024-13', '2025-9')."""
    match = _MONTH_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(text)
    return date(year, month, 1)


def format_month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def intake_moments(first: date, last: date, months: Iterable[int]) -> list[date]:
    """The first day of every month in ``months`` from ``first``'s month to ``last``'s month,
    inclusive, in order."""
    wanted = set(months)
    return [
        month_start(index)
        for index in range(month_index(first), month_index(last) + 1)
        if index % 12 + 1 in wanted
    ]


# --- groups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedGroup:
    """One group in a forecast. ``key`` links it to its routes (a cohort id) for actuals."""

    name: str
    start: date
    size: int
    duration: int
    key: object = None

    @cached_property
    def first_month(self) -> int:
        return month_index(self.start)

    @cached_property
    def end_month(self) -> int:
        """The first month the group no longer counts."""
        return self.first_month + MONTHS_PER_HALF_YEAR * self.duration

    def overlaps(self, first: date, last: date) -> bool:
        return self.first_month <= month_index(last) and self.end_month > month_index(first)


class PlanError(ValueError):
    """A plan row that cannot be used. ``code`` names the field: group, start, size, duration.
    The CLI and the web pages each word the message in their own language."""

    def __init__(self, code: str, value: str = "") -> None:
        super().__init__(code, value)
        self.code = code
        self.value = value


def parse_plan_row(group: str, start: str, size: str, duration: str) -> PlannedGroup:
    """One row as typed by a planner (start as YYYY-MM, duration in half-years)."""
    name = (group or "").strip()
    if not name:
        raise PlanError("group")
    try:
        start_month = parse_month(start or "")
    except ValueError:
        raise PlanError("start", (start or "").strip()) from None
    size_number = _whole_number(size)
    if size_number is None or not 1 <= size_number <= MAX_SIZE:
        raise PlanError("size", (size or "").strip())
    duration_number = _whole_number(duration)
    if duration_number is None or not 1 <= duration_number <= MAX_DURATION:
        raise PlanError("duration", (duration or "").strip())
    return PlannedGroup(name, start_month, size_number, duration_number)


def _whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    if not re.fullmatch(r"-?\d{1,6}", text):
        return None
    return int(text)


# --- tables --------------------------------------------------------------------------------


@dataclass
class Table:
    """Rows of (group name, one cell per moment) and a total per moment. A cell is None where
    it is not known (actuals in the future, or a group without routes)."""

    moments: list[date]
    rows: list[tuple[str, list[int | None]]]
    totals: list[int | None]


def _present_range(group: PlannedGroup, moment_months: list[int]) -> range:
    """Indices of the moments at which the group counts."""
    return range(
        bisect_left(moment_months, group.first_month), bisect_left(moment_months, group.end_month)
    )


def planned_table(groups: Sequence[PlannedGroup], moments: list[date]) -> Table:
    months = [month_index(m) for m in moments]
    totals: list[int | None] = [0] * len(moments)
    rows = []
    for group in groups:
        cells: list[int | None] = [0] * len(moments)
        for i in _present_range(group, months):
            cells[i] = group.size
            totals[i] += group.size
        rows.append((group.name, cells))
    return Table(moments, rows, totals)


def _round(value: float) -> int:
    """Half up: 10.5 trainees becomes 11, as a planner would round."""
    return math.floor(value + 0.5)


def projected_table(
    groups: Sequence[PlannedGroup], moments: list[date], retention: Sequence[float]
) -> Table:
    """Planned size x retention of the half-year of the course the group is in (the last
    known value beyond the list), rounded to whole trainees per cell, so the totals add up to
    what is shown."""
    months = [month_index(m) for m in moments]
    factors = list(retention) or [1.0]
    last = len(factors) - 1
    totals: list[int | None] = [0] * len(moments)
    rows = []
    for group in groups:
        cells: list[int | None] = [0] * len(moments)
        for i in _present_range(group, months):
            half_year = (months[i] - group.first_month) // MONTHS_PER_HALF_YEAR
            value = _round(group.size * factors[half_year if half_year < last else last])
            cells[i] = value
            totals[i] += value
        rows.append((group.name, cells))
    return Table(moments, rows, totals)


def _moment_refs(moments: list[date], today: date) -> list[date]:
    """The day each moment is measured on: the end of its month, or today for the running
    month. Future moments get none (the list is shorter than ``moments``)."""
    refs = []
    for moment in moments:
        if moment > today:
            break
        refs.append(min(month_end(month_index(moment)), today))
    return refs


def _count_present(spans: Iterable[Span], refs: list[date]) -> list[int]:
    """How many spans are present on each of the ascending days ``refs``:
    start <= ref and (end is None or end > ref)."""
    size = len(refs)
    steps = [0] * (size + 1)
    for start, end in spans:
        if start is None:
            continue
        lo = bisect_left(refs, start)
        hi = size if end is None else bisect_left(refs, end)
        if lo < hi:
            steps[lo] += 1
            steps[hi] -= 1
    counts, running = [], 0
    for step in steps[:size]:
        running += step
        counts.append(running)
    return counts


def actual_table(
    groups: Sequence[PlannedGroup],
    moments: list[date],
    spans_by_key: Mapping[object, Sequence[Span]],
    today: date,
) -> Table:
    """The routes really present per group and moment; None for moments in the future and
    for groups that have no key (a plan that is not a cohort yet)."""
    refs = _moment_refs(moments, today)
    future: list[int | None] = [None] * (len(moments) - len(refs))
    known = not groups or any(group.key is not None for group in groups)
    totals: list[int | None] = [0 if known else None] * len(refs) + future
    rows = []
    for group in groups:
        if group.key is None:
            rows.append((group.name, [None] * len(moments)))
            continue
        counts = _count_present(spans_by_key.get(group.key, ()), refs)
        for i, count in enumerate(counts):
            totals[i] += count
        rows.append((group.name, [*counts, *future]))
    return Table(moments, rows, totals)


def difference(table: Table, base: Table) -> Table:
    """Cell by cell ``table - base`` (None where either is unknown)."""

    def minus(cells: list[int | None], base_cells: list[int | None]) -> list[int | None]:
        return [
            None if a is None or b is None else a - b
            for a, b in zip(cells, base_cells, strict=True)
        ]

    rows = [
        (name, minus(cells, base_cells))
        for (name, cells), (_, base_cells) in zip(table.rows, base.rows, strict=True)
    ]
    return Table(table.moments, rows, minus(table.totals, base.totals))


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortHistory:
    """An earlier cohort: its start and its routes as (start_date, end_date) spans."""

    start: date
    spans: Sequence[Span]


def retention_counts(
    histories: Iterable[CohortHistory], *, today: date, half_years: int
) -> list[tuple[int, int]]:
    """(present, starters) per half-year k of the course: the starters still present k
    half-years after their cohort's start, pooled over the cohorts whose k-th half-year has
    passed (its month is over before today). Starters are the routes with a start date, late
    entrants included, so present can exceed starters. (0, 0) where no cohort has data yet."""
    present = [0] * half_years
    starters = [0] * half_years
    for history in histories:
        spans = [span for span in history.spans if span[0] is not None]
        if not spans:
            continue
        first = month_index(history.start)
        checkpoints = []
        for k in range(half_years):
            checkpoint = month_end(first + MONTHS_PER_HALF_YEAR * k)
            if checkpoint >= today:
                break
            checkpoints.append(checkpoint)
        for k, count in enumerate(_count_present(spans, checkpoints)):
            present[k] += count
            starters[k] += len(spans)
    return list(zip(present, starters, strict=True))


def observed_retention(
    histories: Iterable[CohortHistory], *, today: date, half_years: int
) -> list[float | None]:
    """retention[k] = share of starters still present k half-years after their cohort's start
    (``retention_counts``); None where no cohort has data yet. A value can exceed 1."""
    counts = retention_counts(histories, today=today, half_years=half_years)
    return _shares(counts)


def _shares(counts: Sequence[tuple[int, int]]) -> list[float | None]:
    return [p / s if s else None for p, s in counts]


def retention_filled(observed: Sequence[float | None]) -> list[float]:
    """Where nothing is observed yet, carry the last observed value forward (1.0 before any)."""
    filled, last = [], 1.0
    for value in observed:
        last = last if value is None else value
        filled.append(last)
    return filled


# --- staffing ------------------------------------------------------------------------------


def _per_ten(ratio: Decimal | int) -> tuple[int, int]:
    """A staff ratio as an exact fraction (numerator, denominator): no float rounding."""
    exact = Fraction(str(ratio))
    return exact.numerator, exact.denominator


_TRIAL_PER_TEN = _per_ten(TRIAL_STAFF_PER_TEN)


def _need(trainees: int, per_ten: tuple[int, int]) -> int:
    numerator, denominator = per_ten
    return -(-trainees * numerator // (10 * denominator))  # ceiling, in integers


def staff_needed(trainees: int, months_since_start: int, after_trial_per_ten: Decimal) -> int:
    """Staff per half-day for one group: three per ten trainees in the trial period (the first
    three months), the programme's ratio after it; always rounded up."""
    if months_since_start < TRIAL_MONTHS:
        return _need(trainees, _TRIAL_PER_TEN)
    return _need(trainees, _per_ten(after_trial_per_ten))


def staffing_row(
    groups: Sequence[PlannedGroup], table: Table, after_trial_per_ten: Decimal
) -> list[int]:
    """Staff per half-day per moment: each present group's need, summed (groups do not share
    their staff)."""
    months = [month_index(m) for m in table.moments]
    after_trial = _per_ten(after_trial_per_ten)
    needs = [0] * len(months)
    for group, (_, cells) in zip(groups, table.rows, strict=True):
        for i in _present_range(group, months):
            in_trial = months[i] - group.first_month < TRIAL_MONTHS
            needs[i] += _need(cells[i] or 0, _TRIAL_PER_TEN if in_trial else after_trial)
    return needs


@dataclass(frozen=True)
class Shortfall:
    """The first month in which the staff needed per half-day exceeds the staff available."""

    month: date
    needed: int
    available: int

    @property
    def gap(self) -> int:
        return self.needed - self.available


def first_shortfall(
    moments: Sequence[date], needed: Sequence[int], available: int
) -> Shortfall | None:
    """The first of the (ascending) moments whose need exceeds ``available``; None if none."""
    for moment, need in zip(moments, needed, strict=True):
        if need > available:
            return Shortfall(moment, need, available)
    return None


# --- the whole forecast --------------------------------------------------------------------


@dataclass
class Forecast:
    moments: list[date]
    groups: list[PlannedGroup]
    planned: Table
    projected: Table
    actual: Table
    projected_minus_planned: Table
    actual_minus_planned: Table
    retention_observed: list[float | None]
    retention: list[float]
    retention_starters: list[int]  # the n behind each observed retention
    staffing_planned: list[int]
    staffing_projected: list[int]
    staff_per_ten_after_trial: Decimal

    @property
    def has_actuals(self) -> bool:
        return any(value is not None for value in self.actual.totals)


def forecast_build(
    groups: Sequence[PlannedGroup],
    moments: list[date],
    *,
    today: date,
    histories: Iterable[CohortHistory] = (),
    spans_by_key: Mapping[object, Sequence[Span]] | None = None,
    staff_per_ten_after_trial: Decimal = DEFAULT_STAFF_PER_TEN_AFTER_TRIAL,
) -> Forecast:
    """Planned, projected and actual side by side, their differences and the staffing need."""
    groups = list(groups)
    half_years = max((g.duration for g in groups), default=1)
    counts = retention_counts(histories, today=today, half_years=half_years)
    observed = _shares(counts)
    retention = retention_filled(observed)
    planned = planned_table(groups, moments)
    projected = projected_table(groups, moments, retention)
    actual = actual_table(groups, moments, spans_by_key or {}, today)
    return Forecast(
        moments=moments,
        groups=groups,
        planned=planned,
        projected=projected,
        actual=actual,
        projected_minus_planned=difference(projected, planned),
        actual_minus_planned=difference(actual, planned),
        retention_observed=observed,
        retention=retention,
        retention_starters=[starters for _present, starters in counts],
        staffing_planned=staffing_row(groups, planned, staff_per_ten_after_trial),
        staffing_projected=staffing_row(groups, projected, staff_per_ten_after_trial),
        staff_per_ten_after_trial=staff_per_ten_after_trial,
    )
