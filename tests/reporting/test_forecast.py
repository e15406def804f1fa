"""The forecast rule on hand-made plans, with hand-computed tables. Pure functions: no database."""

from datetime import date
from decimal import Decimal

import pytest

from reporting import forecast as fc

M = fc.parse_month


def group(name, start, size, duration, key=None):
    return fc.PlannedGroup(name, M(start), size, duration, key=key)


MOMENTS = [M("2025-09"), M("2026-02"), M("2026-09"), M("2027-02"), M("2027-09")]


def test_intake_moments_are_the_intake_months_between_two_months_inclusive():
    assert fc.intake_moments(M("2025-09"), M("2027-09"), [2, 9]) == MOMENTS
    assert fc.intake_moments(M("2025-10"), M("2027-08"), [9, 2]) == MOMENTS[1:4]
    assert fc.intake_moments(M("2026-01"), M("2026-01"), [2, 9]) == []
    assert fc.intake_moments(date(2026, 2, 17), date(2026, 2, 3), [2]) == [M("2026-02")]


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-1", "24-01", "", "2024/01", "x"])
def test_parse_month_refuses_what_is_not_yyyy_mm(text):
    with pytest.raises(ValueError, match=r".*"):
        fc.parse_month(text)


def test_planned_table_counts_a_group_from_its_start_until_its_course_has_ended():
    plan = [
        group("A", "2025-09", 12, 4),  # the whole period, gone at 2027-09 (start + 4 half-years)
        group("B", "2026-02", 10, 2),  # ends inside the period: 2026-02 and 2026-09 only
        group("C", "2027-02", 8, 4),  # a late start: the last two moments
        group("D", "2024-09", 9, 4),  # started before the period, ends inside it
        group("E", "2025-11", 6, 1),  # starts between intake moments: counts from the next one
    ]
    table = fc.planned_table(plan, MOMENTS)
    assert table.rows == [
        ("A", [12, 12, 12, 12, 0]),
        ("B", [0, 10, 10, 0, 0]),
        ("C", [0, 0, 0, 8, 8]),
        ("D", [9, 9, 0, 0, 0]),
        ("E", [0, 6, 0, 0, 0]),
    ]
    assert table.totals == [21, 37, 22, 20, 8]


def test_planned_table_with_no_groups_has_a_zero_total():
    assert fc.planned_table([], MOMENTS).totals == [0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (("", "2025-09", "12", "4"), "group"),
        (("A", "2024-13", "12", "4"), "start"),
        (("A", "sept", "12", "4"), "start"),
        (("A", "2025-09", "-3", "4"), "size"),
        (("A", "2025-09", "0", "4"), "size"),
        (("A", "2025-09", "twelve", "4"), "size"),
        (("A", "2025-09", "1.5", "4"), "size"),
        (("A", "2025-09", "12", "0"), "duration"),
        (("A", "2025-09", "12", "13"), "duration"),
    ],
)
def test_parse_plan_row_names_the_bad_field(row, code):
    with pytest.raises(fc.PlanError) as error:
        fc.parse_plan_row(*row)
    assert error.value.code == code


def test_parse_plan_row_reads_a_good_row():
    assert fc.parse_plan_row(" Groep 1 ", "2025-09", " 12", "4") == group(
        "Groep 1", "2025-09", 12, 4
    )


def test_projected_table_applies_retention_per_half_year_of_the_course():
    retention = [1.0, 0.9, 0.75, 0.5]
    plan = [group("A", "2025-09", 12, 4), group("B", "2026-02", 10, 4)]
    table = fc.projected_table(plan, MOMENTS, retention)
    # A: offsets 0, 5, 12, 17 months -> half-years 0, 0, 2, 2 -> 12, 12, 9, 9; gone at 24.
    # B: offsets 0, 7, 12, 19 -> half-years 0, 1, 2, 3 -> 10, 9, 7.5 (half up: 8), 5.
    assert table.rows == [("A", [12, 12, 9, 9, 0]), ("B", [0, 10, 9, 8, 5])]
    assert table.totals == [12, 22, 18, 17, 5]


def test_projected_table_without_retention_equals_planned():
    plan = [group("A", "2025-09", 12, 4)]
    assert fc.projected_table(plan, MOMENTS, []).rows == fc.planned_table(plan, MOMENTS).rows


def test_actual_table_counts_routes_present_at_the_end_of_each_past_month():
    spans = [
        (date(2025, 9, 1), None),
        (date(2025, 9, 8), date(2026, 1, 10)),  # left before the February moment
        (date(2025, 10, 1), None),  # late entrant
        (date(2025, 9, 1), date(2026, 9, 30)),  # leaves on the day of the September count
        (None, None),  # never started
        (date(2026, 9, 20), None),  # late entrant in September 2026
    ]
    plan = [group("A", "2025-09", 12, 4, key=1), group("Plan", "2026-09", 10, 4)]
    table = fc.actual_table(plan, MOMENTS, {1: spans}, today=date(2026, 10, 15))
    assert table.rows == [
        ("A", [3, 3, 3, None, None]),
        ("Plan", [None, None, None, None, None]),
    ]
    assert table.totals == [3, 3, 3, None, None]


def test_actual_table_counts_the_running_month_as_of_today():
    spans = [
        (date(2025, 9, 1), None),
        (date(2025, 9, 20), None),
        (date(2025, 9, 1), date(2025, 9, 30)),
    ]
    plan = [group("A", "2025-09", 12, 4, key=1)]
    table = fc.actual_table(plan, MOMENTS, {1: spans}, today=date(2025, 9, 15))
    # On 15 September: the first and the third are there, the second has not started yet.
    assert table.rows == [("A", [2, None, None, None, None])]


def test_differences_are_cell_by_cell_and_unknown_stays_unknown():
    plan = [group("A", "2025-09", 12, 4, key=1)]
    planned = fc.planned_table(plan, MOMENTS)
    actual = fc.actual_table(plan, MOMENTS, {1: [(date(2025, 9, 1), None)] * 11}, date(2026, 3, 1))
    diff = fc.difference(actual, planned)
    assert diff.rows == [("A", [-1, -1, None, None, None])]
    assert diff.totals == [-1, -1, None, None, None]


def _cohort_x():
    """Starts 1 September 2024: ten start on day one, two leave in December, one in May, and
    one late entrant joins on 1 November."""
    spans = [(date(2024, 9, 1), None)] * 7
    spans += [(date(2024, 9, 1), date(2024, 12, 15))] * 2
    spans += [(date(2024, 9, 1), date(2025, 5, 1)), (date(2024, 11, 1), None)]
    return fc.CohortHistory(date(2024, 9, 1), spans)


def _cohort_y():
    """Starts 3 February 2025: eight start, one leaves within the first month; one referral
    never started (no start date: not a starter)."""
    spans = [(date(2025, 2, 3), None)] * 7 + [(date(2025, 2, 3), date(2025, 2, 20)), (None, None)]
    return fc.CohortHistory(date(2025, 2, 3), spans)


def test_observed_retention_pools_the_cohorts_whose_half_year_has_passed():
    future = fc.CohortHistory(date(2026, 2, 1), [(date(2026, 2, 1), None)] * 12)
    empty = fc.CohortHistory(date(2023, 9, 1), [])
    observed = fc.observed_retention(
        [_cohort_x(), _cohort_y(), future, empty], today=date(2025, 11, 1), half_years=4
    )
    # Checkpoints (end of month start + 6k) before 1 Nov 2025: X at k=0,1,2; Y at k=0,1.
    # X present: 10 (the late entrant not yet), 9, 8 of 11 starters; Y: 7, 7 of 8.
    assert observed == [
        pytest.approx(17 / 19),
        pytest.approx(16 / 19),
        pytest.approx(8 / 11),
        None,
    ]
    assert fc.retention_filled(observed)[3] == pytest.approx(8 / 11)


def test_retention_filled_starts_at_one_and_carries_forward():
    assert fc.retention_filled([None, 0.9, None, 0.8]) == [1.0, 0.9, 0.9, 0.8]
    assert fc.retention_filled([]) == []


@pytest.mark.parametrize(
    ("trainees", "months_in", "expected"),
    [
        (12, 0, 4),  # trial: 12 / 10 x 3 = 3.6 -> 4
        (10, 2, 3),  # still the trial period (first three months)
        (10, 3, 2),  # after the trial: 10 / 10 x 1.5 = 1.5 -> 2
        (20, 6, 3),  # exactly 3
        (7, 0, 3),  # 2.1 -> 3
        (0, 0, 0),
    ],
)
def test_staff_needed_three_per_ten_in_the_trial_then_the_programme_ratio(
    trainees, months_in, expected
):
    assert fc.staff_needed(trainees, months_in, Decimal("1.5")) == expected


def test_staffing_row_sums_each_present_groups_need():
    plan = [
        group("A", "2025-09", 12, 4),  # 2025-09: trial (4); later 12 x 0.15 = 1.8 -> 2
        group("B", "2025-12", 10, 2),  # 2026-02 is its third month: trial, 3
        group("C", "2025-11", 10, 2),  # 2026-02 is its fourth month: 1.5 -> 2
    ]
    table = fc.planned_table(plan, MOMENTS)
    # 2026-02: 2 + 3 + 2; 2026-09: 2 + 2 + 2 (B and C end in the autumn of 2026).
    assert fc.staffing_row(plan, table, Decimal("1.5")) == [4, 7, 6, 2, 0]
    assert fc.staffing_row(plan, table, Decimal("1")) == [4, 6, 4, 2, 0]


def test_forecast_build_puts_the_three_scenarios_side_by_side():
    plan = [group("A", "2024-09", 11, 4, key="x")]
    result = fc.forecast_build(
        plan,
        fc.intake_moments(M("2024-09"), M("2026-02"), [2, 9]),
        today=date(2025, 11, 1),
        histories=[_cohort_x(), _cohort_y()],
        spans_by_key={"x": _cohort_x().spans},
    )
    assert result.planned.totals == [11, 11, 11, 11]
    # Offsets 0, 5, 12, 17 months: half-years 0, 0, 2, 2 -> 11 x 17/19 (9.8), idem, 11 x 8/11.
    assert result.projected.totals == [10, 10, 8, 8]
    # Cohort X itself: 10 at the end of September, 9 in February, 8 in September; then future.
    assert result.actual.totals == [10, 9, 8, None]
    assert result.projected_minus_planned.totals == [-1, -1, -3, -3]
    assert result.actual_minus_planned.totals == [-1, -2, -3, None]
    assert result.staffing_planned == [4, 2, 2, 2]
    assert result.has_actuals
