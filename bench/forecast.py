"""Benchmark: the intake forecast (planned, projected with observed retention, actual,
differences, staffing) for 1,000 cohorts. Prints figures; not a test. Target: p50 under 50 ms.

    .venv/bin/python bench/forecast.py [--cohorts 1000] [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reporting import forecast as fc

TODAY = date(2026, 11, 23)


def make_programme(cohorts: int, rng: random.Random):
    """Cohorts spread over the intake moments since 2012, each with about a dozen routes
    of which some drop out and a few enter late."""
    moments = fc.intake_moments(date(2012, 2, 1), date(2027, 9, 1), [2, 9])
    groups, spans_by_key = [], {}
    for key in range(cohorts):
        start = moments[key % len(moments)] + timedelta(days=rng.randint(0, 10))
        groups.append(fc.PlannedGroup(f"Groep {key}", start, rng.randint(10, 12), 4, key=key))
        spans = []
        for _ in range(rng.randint(9, 13)):
            begin = start + timedelta(days=rng.choice([0, 0, 0, 0, 30, 60]))
            end = begin + timedelta(days=rng.randint(20, 900)) if rng.random() < 0.3 else None
            spans.append((begin if begin <= TODAY else None, end))
        spans_by_key[key] = spans
    return groups, spans_by_key


def run_once(groups, spans_by_key) -> float:
    began = time.perf_counter()
    histories = [fc.CohortHistory(g.start, spans_by_key[g.key]) for g in groups]
    first, last = date(2012, 1, 1), date(2028, 12, 1)
    fc.forecast_build(
        [g for g in groups if g.overlaps(first, last)],
        fc.intake_moments(first, last, [2, 9]),
        today=TODAY,
        histories=histories,
        spans_by_key=spans_by_key,
        staff_per_ten_after_trial=Decimal("1.5"),
    )
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    groups, spans_by_key = make_programme(args.cohorts, random.Random(7))
    routes = sum(len(s) for s in spans_by_key.values())
    run_once(groups, spans_by_key)  # warm-up
    timings = sorted(run_once(groups, spans_by_key) for _ in range(args.runs))
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(f"intake forecast: {args.cohorts} cohorts, {routes} routes, 34 moments")
    print(f"runs {args.runs}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
          f"max {timings[-1]:.1f} ms (target p50 < 50 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
