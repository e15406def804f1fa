"""The two result lines per group (issue 18, domain.md "The method"): learning gain
(leerwinst: ROC results, certificates, the leermeester's assessments) and well-being
(welbevinden: the coach's scores and the young person's own), as group trends per quarter of
the route, so an academy can report interim results before anyone has left.

A moment is a quarter since the route's start ("month 0-3", "3-6", ...; the last one takes
everything after two years). Per group and moment, each route counts once: its own mean of
the scores in that quarter (or its latest diploma progress, or whether it holds a
certificate by then), and the cell is the mean over the routes, with n the number of routes
behind it. A cell resting on fewer than 5 routes is not shown: a mean of one or two is a
person's score, and the planners do not see those per person (the young person's own scores
are for their coach and the regisseur only).

Five queries (the routes, then one per source), whatever the number of routes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerroutes.models import (
    Certificate,
    LeermeesterAssessment,
    ProgressEntry,
    RocResult,
    SelfReportedWellbeing,
)
from participants.models import Route

from ..dashboard.metrics import NO_VALUE, SMALL_CELL, n_text
from .outcomes import DIMENSIONS

MOMENTS = 9  # eight quarters and "two years and more"


def moment_of(start: date, on: date) -> int | None:
    """The quarter of the route a date falls in (0 = the first three months); None before
    the start."""
    months = (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)
    if months < 0:
        return None
    return min(months // 3, MOMENTS - 1)


def moment_label(index: int) -> str:
    if index == MOMENTS - 1:
        return _("month %(from)d+") % {"from": 3 * index}
    return _("month %(from)d-%(to)d") % {"from": 3 * index, "to": 3 * index + 3}


@dataclass(frozen=True)
class Line:
    key: str
    title: Promise
    unit: str  # how a value is written: "score" (one decimal) or "percent"
    line: str  # "leerwinst" or "welbevinden"


LINES = [
    Line(
        "roc_progress", gettext_lazy("Diploma progress at the ROC (mean %)"), "percent", "leerwinst"
    ),
    Line(
        "roc_passed", gettext_lazy("ROC tests and modules passed (share)"), "percent", "leerwinst"
    ),
    Line(
        "certified",
        gettext_lazy("Routes with a certificate by then (share)"),
        "percent",
        "leerwinst",
    ),
    Line(
        "assessment",
        gettext_lazy("Leermeester's assessment (mean, 1-4)"),
        "score",
        "leerwinst",
    ),
    Line(
        "coach_wellbeing",
        gettext_lazy("Well-being, the coach's score (mean, 1-5)"),
        "score",
        "welbevinden",
    ),
    Line(
        "own_wellbeing", gettext_lazy("Well-being, own score (mean, 1-5)"), "score", "welbevinden"
    ),
]


@dataclass
class LineCell:
    mean: float | None
    n: int
    unit: str

    @property
    def shown(self) -> bool:
        return self.mean is not None and self.n >= SMALL_CELL

    @property
    def text(self) -> str:
        if self.mean is None:
            return NO_VALUE
        if self.n < SMALL_CELL:
            return n_text(NO_VALUE, f"<{SMALL_CELL}")
        value = f"{round(100 * self.mean)}%" if self.unit == "percent" else f"{self.mean:.1f}"
        return n_text(value, self.n)


@dataclass
class LineRow:
    key: Any
    label: str
    cells: list[LineCell]


@dataclass
class LineTable:
    line: Line
    moments: list[str]
    rows: list[LineRow]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _collect(
    per_route: dict[Any, dict[int, list[float]]],
    routes: dict[Any, tuple[Any, date]],
    rows: Iterable[tuple[Any, date, float]],
) -> None:
    for route_id, on, value in rows:
        _group, start = routes[route_id]
        moment = moment_of(start, on)
        if moment is not None:
            per_route[route_id].setdefault(moment, []).append(value)


# The splits the result lines offer: per group, per route type, per start year.
LINE_DIMENSIONS = ("cohort", "route_type", "year")


def _group_of(route: dict[str, Any], dimension: str, split: Any) -> Any:
    """The row a route counts in: its group, its route type or the year it started."""
    if dimension == "cohort":
        return (route["programme_id"], route["cohort_id"])
    if dimension == "year":
        return route["start_date"].year
    return split.bucket(route[dimension])


def result_lines(scope: Q, dimension: str = "cohort", *, today: date) -> list[LineTable]:
    """Every line of LINES per value of ``dimension`` (a group, a route type or a start
    year: LINE_DIMENSIONS) and moment;
    a route counts up to the moment it has reached by ``today``."""
    split = DIMENSIONS[dimension]
    values = Route.objects.filter(scope, start_date__isnull=False).values(
        "pk", "start_date", "programme_id", "cohort_id", "route_type"
    )
    routes = {r["pk"]: (_group_of(r, dimension, split), r["start_date"]) for r in values.order_by()}
    ids = list(routes)
    sources: dict[str, Iterable[tuple[Any, date, float]]] = {
        "roc_progress": (
            (r, on, p / 100)
            for r, on, p in RocResult.objects.filter(
                route__in=ids, progress_percent__isnull=False
            ).values_list("route_id", "on", "progress_percent")
        ),
        "roc_passed": (
            (r, on, 1.0 if passed else 0.0)
            for r, on, passed in RocResult.objects.filter(
                route__in=ids, passed__isnull=False
            ).values_list("route_id", "on", "passed")
        ),
        "assessment": (
            (r, on, (a + b + c + d) / 4)
            for r, on, a, b, c, d in LeermeesterAssessment.objects.filter(
                route__in=ids
            ).values_list(
                "route_id",
                "assessed_on",
                "work_attitude",
                "professional_skills",
                "cooperation",
                "safety",
            )
        ),
        "coach_wellbeing": ProgressEntry.objects.filter(route__in=ids).values_list(
            "route_id", "on", "wellbeing"
        ),
        "own_wellbeing": SelfReportedWellbeing.objects.filter(route__in=ids).values_list(
            "route_id", "week_start", "score"
        ),
    }
    first_certificate: dict[Any, date] = {}
    for route_id, issued in Certificate.objects.filter(route__in=ids).values_list(
        "route_id", "issued_on"
    ):
        if route_id not in first_certificate or issued < first_certificate[route_id]:
            first_certificate[route_id] = issued
    today_moments = {rid: moment_of(start, today) for rid, (_g, start) in routes.items()}
    tables = []
    for line in LINES:
        per_route: dict[Any, dict[int, list[float]]] = defaultdict(dict)
        if line.key == "certified":
            # Every route that has reached a moment counts there: 1 once it holds one.
            for rid, (_group, start) in routes.items():
                reached = today_moments[rid] or 0
                got = first_certificate.get(rid)
                got_at = moment_of(start, got) if got else None
                for moment in range(reached + 1):
                    per_route[rid][moment] = [
                        1.0 if got_at is not None and got_at <= moment else 0.0
                    ]
        else:
            _collect(per_route, routes, sources[line.key])
        tables.append(_table(line, per_route, routes, split))
    return tables


def _table(
    line: Line,
    per_route: dict[Any, dict[int, list[float]]],
    routes: dict[Any, tuple[Any, date]],
    split: Any,
) -> LineTable:
    groups: dict[Any, list[list[float]]] = defaultdict(lambda: [[] for _i in range(MOMENTS)])
    for rid, moments in per_route.items():
        group = routes[rid][0]  # the route's mean per moment, then the mean over routes
        for moment, values in moments.items():
            groups[group][moment].append(_mean(values))
    labels = split.rows(set(groups))
    used = [m for m in range(MOMENTS) if any(groups[g][m] for g in groups)]
    rows = []
    for key, label in labels:
        if key not in groups:
            continue
        means = groups[key]
        cells = [
            LineCell(_mean(means[m]) if means[m] else None, len(means[m]), line.unit) for m in used
        ]
        rows.append(LineRow(key, label, cells))
    return LineTable(line, [moment_label(m) for m in used], rows)
