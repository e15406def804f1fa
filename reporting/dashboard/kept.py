"""The dashboard's kept figures: what reporting counts into participants.CohortFigures (the
counter registered in ReportingConfig.ready()), and how a dashboard scope reads them back.

The counter counts, per slice of routes (programme, cohort, period day, started, route
type), the same things the live queries of reporting.dashboard.figures count, under these
keys:

- ``m:<metric>``: routes per metric of ``METRICS`` (its Q, as the live count uses it);
- ``d:<dimension>:<bucket>``: routes per bucket of each breakdown, within its metric;
- ``f:<months>:<bucket>``: recorded follow-up checks at 6 and 12 months, per situation
  bucket, of the routes that left after starting;
- ``c:<kind>`` and ``cr:<kind>``: certificates per kind, and routes with one of that kind.

A slice is as fine as any dashboard filter: the period filters read the period day, which is
the start date, or the referral date of a route that never started (``Filters.q``). So every
scope the dashboard and the national view build translates into a Q over the kept rows
(``kept_scope``), and summing those rows gives exactly what counting the routes gives
(tests/reporting/test_kept_figures.py holds the two together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce

from leerroutes.models import Certificate
from participants.figures import FiguresKey
from participants.models import CohortFigures, FollowUp, Route

from .metrics import (
    DIMENSIONS,
    LEFT_AFTER_START,
    METRICS,
    MOMENTS,
    REASON_DIMENSIONS,
    RECORDED_SITUATIONS,
    SITUATION_BUCKETS,
    Dimension,
)

BREAKDOWNS = ("status", "source", "reason", "phase", "destination", "outcome")
COMBO_FIELDS = (
    "status",
    "referral_source",
    "dropout_reason",
    "dropout_phase",
    "destination",
    "outcome_category",
    "outcome_reason",
)


def folded_dimensions() -> list[Dimension]:
    """The dimensions the breakdowns split on, the outcome reasons per category included."""
    return [*(DIMENSIONS[key] for key in BREAKDOWNS), *REASON_DIMENSIONS.values()]


def situation_bucket(situation: str) -> str:
    return next(bucket for bucket, values in SITUATION_BUCKETS.items() if situation in values)


def prefixed(q: Q, prefix: str) -> Q:
    """The same conditions on a related model's route: Q(status=...) -> Q(route__status=...)."""
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    copy.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    return copy


# --- counting (the registered counter) ---------------------------------------------------


def _slices(queryset: Any, prefix: str = "") -> Any:
    """The queryset annotated with its rows' slice: period day and started."""
    return queryset.annotate(
        kept_period=Coalesce(f"{prefix}start_date", f"{prefix}referral_date"),
        kept_started=ExpressionWrapper(
            Q(**{f"{prefix}start_date__isnull": False}), output_field=BooleanField()
        ),
    )


def _slice_fields(prefix: str = "") -> list[str]:
    return [
        f"{prefix}programme_id",
        f"{prefix}cohort_id",
        "kept_period",
        "kept_started",
        f"{prefix}route_type",
    ]


def _key(row: dict, prefix: str = "") -> FiguresKey:
    return (
        row[f"{prefix}programme_id"],
        row[f"{prefix}cohort_id"],
        row["kept_period"],
        row["kept_started"],
        row[f"{prefix}route_type"],
    )


def figures_count(route_q: Q) -> dict[FiguresKey, dict[str, int]]:
    """Every kept count of the routes in ``route_q``, per slice: four aggregate queries."""
    result: dict[FiguresKey, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    routes = _slices(Route.objects.filter(route_q)).order_by()
    fields = _slice_fields()
    metrics = routes.values(*fields).annotate(
        **{f"n_{key}": Count("pk", filter=metric.q) for key, metric in METRICS.items()}
    )
    for row in metrics:
        counts = result[_key(row)]
        for key in METRICS:
            counts[f"m:{key}"] += row[f"n_{key}"]
    dimensions = folded_dimensions()
    for row in routes.values(*fields, *COMBO_FIELDS).annotate(n=Count("pk")):
        counts = result[_key(row)]
        for dimension in dimensions:
            if dimension.holds(row):
                counts[f"d:{dimension.key}:{dimension.bucket(row[dimension.field])}"] += row["n"]
    follow_ups = (
        _slices(
            FollowUp.objects.filter(
                prefixed(route_q & LEFT_AFTER_START, "route__"),
                months_after__in=MOMENTS[1:],
                situation__in=RECORDED_SITUATIONS,
            ),
            "route__",
        )
        .order_by()
        .values(*_slice_fields("route__"), "months_after", "situation")
        .annotate(n=Count("pk"))
    )
    for row in follow_ups:
        bucket = situation_bucket(row["situation"])
        result[_key(row, "route__")][f"f:{row['months_after']}:{bucket}"] += row["n"]
    certificates = (
        _slices(Certificate.objects.filter(prefixed(route_q, "route__")), "route__")
        .order_by()
        .values(*_slice_fields("route__"), "kind")
        .annotate(n=Count("pk"), routes=Count("route", distinct=True))
    )
    for row in certificates:
        counts = result[_key(row, "route__")]
        counts[f"c:{row['kind']}"] += row["n"]
        counts[f"cr:{row['kind']}"] += row["routes"]
    return {key: dict(counts) for key, counts in result.items()}


# --- reading ------------------------------------------------------------------------------


class UntranslatableError(Exception):
    """A scope condition the kept rows cannot answer: the dashboard counts the routes."""


# Route lookups that name the same thing on a kept row (longest first).
_SAME_ON_ROW = {
    "programme__academy_id": "academy_id",
    "programme__academy": "academy",
    "programme__name": "programme__name",
    "programme_id": "programme_id",
    "programme": "programme",
    "cohort_id": "cohort_id",
    "cohort": "cohort",
    "route_type": "route_type",
}
_PERIOD_LOOKUPS = {"exact", "gt", "gte", "lt", "lte", "range", "in"}


def _split_lookup(name: str, field: str) -> str | None:
    """The lookup after ``field`` in ``name`` ("" for none), or None when it is not on it."""
    if name == field:
        return ""
    if name.startswith(field + "__"):
        return name[len(field) + 2 :]
    return None


def _kept_child(name: str, value: Any, *, unstarted: bool) -> Q | tuple[str, Any]:
    for field, kept in _SAME_ON_ROW.items():
        lookup = _split_lookup(name, field)
        if lookup is not None:
            return (f"{kept}__{lookup}" if lookup else kept, value)
    lookup = _split_lookup(name, "start_date")
    if lookup == "isnull":
        return ("started", not value)
    if lookup in _PERIOD_LOOKUPS:
        # Only a started route has a start date, and then it is the period day.
        return Q(started=True, **{f"period__{lookup}": value})
    lookup = _split_lookup(name, "referral_date")
    if unstarted and lookup in _PERIOD_LOOKUPS:
        # Next to start_date__isnull=True: a route that never started, whose period day is
        # its referral date.
        return (f"period__{lookup}", value)
    raise UntranslatableError(name)


def _kept_q(q: Q) -> Q:
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    unstarted = q.connector == Q.AND and ("start_date__isnull", True) in q.children
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_kept_q(child))
        elif isinstance(child, tuple):
            children.append(_kept_child(child[0], child[1], unstarted=unstarted))
        else:
            raise UntranslatableError(repr(child))
    copy.children = children
    return copy


def kept_scope(scope: Q) -> Q | None:
    """The scope (a Q over routes) as a Q over kept rows, or None when some condition has
    no kept counterpart (then the dashboard counts the routes)."""
    try:
        return _kept_q(scope)
    except UntranslatableError:
        return None


def kept_sums(kept_q: Q, fields: Iterable[str]) -> dict[tuple, dict[str, int]]:
    """The kept counts of the rows in ``kept_q`` summed per value of ``fields`` (one of
    them the route type): on PostgreSQL in one query that unpacks and sums the counts
    (a few dozen keys per group come back, however many cohorts), elsewhere in Python."""
    fields = list(fields)
    rows = CohortFigures.objects.filter(kept_q).order_by()
    database = connections[rows.db]  # the routed one: the read replica where configured
    sums: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if database.vendor != "postgresql":
        for *key, counts in rows.values_list(*fields, "counts"):
            into = sums[tuple(key)]
            for name, n in counts.items():
                into[name] += n
        return sums
    aliases = [f"g{index}" for index in range(len(fields))]
    inner, params = rows.values(
        **{a: F(f) for a, f in zip(aliases, fields, strict=True)}, kept_counts=F("counts")
    ).query.sql_with_params()
    columns = ", ".join(f"rows.{a}" for a in aliases)
    sql = (
        f"SELECT {columns}, entry.key, SUM(entry.value::bigint) "  # noqa: S608 - our own aliases
        f"FROM ({inner}) AS rows CROSS JOIN LATERAL jsonb_each_text(rows.kept_counts) AS entry "
        f"GROUP BY {columns}, entry.key"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        for *key, name, n in cursor.fetchall():
            sums[tuple(key)][name] = int(n)
    return sums


def kept_figures_fill(using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: fill the kept figures when the table is empty and routes exist (the
    release that adds the table, or a database restored from before it). Otherwise the
    services keep them; ``cohort_figures_rebuild`` recomputes them on demand."""
    from participants.figures import cohort_figures_rebuild

    if Route.objects.using(using).exists() and not CohortFigures.objects.using(using).exists():
        cohort_figures_rebuild()
