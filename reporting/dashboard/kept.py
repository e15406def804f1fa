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
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import Coalesce

from leerroutes.models import Certificate, CertificateKind
from maatwerq.accounts.models import Programme
from participants.figures import FiguresKey
from participants.models import CohortFigures, FollowUp, Route

from ..models import KEPT_COLUMNS, KEPT_KEYS, AcademyMonthFigures
from .metrics import (
    DIMENSIONS,
    LEFT_AFTER_START,
    METRICS,
    MOMENTS,
    REASON_DIMENSIONS,
    RECORDED_SITUATIONS,
    SITUATION_BUCKETS,
    UNKNOWN,
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


CERTIFICATES_UNKNOWN = f"c:{UNKNOWN}"


def _kept_keys() -> list[str]:
    """Every key the counter can write, in a fixed order: what the national view's kept
    rows (reporting.AcademyMonthFigures) hold as integer columns."""
    keys = [f"m:{key}" for key in METRICS]
    for dimension in folded_dimensions():
        keys += [f"d:{dimension.key}:{b}" for b in dict.fromkeys([*dimension.known, UNKNOWN])]
    keys += [f"f:{months}:{bucket}" for months in MOMENTS[1:] for bucket in SITUATION_BUCKETS]
    keys += [f"{prefix}:{kind}" for kind in CertificateKind.values for prefix in ("c", "cr")]
    # Certificates of a kind no choice knows: the dashboard shows their number as "unknown".
    keys.append(CERTIFICATES_UNKNOWN)
    return keys


# The columns of AcademyMonthFigures must hold every key the counter writes: a change of the
# choices behind the keys needs the model's list (and a migration) changed with it.
if _kept_keys() != list(KEPT_KEYS) or len(set(KEPT_COLUMNS.values())) != len(KEPT_KEYS):
    raise ImproperlyConfigured("reporting.models.KEPT_KEYS differs from the kept counts.")


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


def _month_lookup(lookup: str, value: Any) -> tuple[str, Any]:
    """A period bound on the month rows: only whole months translate (a bound inside a
    month would need the days the month rows no longer have)."""
    if lookup == "gte" and isinstance(value, date) and value.day == 1:
        return ("month__gte", value)
    if lookup == "lte" and isinstance(value, date) and (value + timedelta(days=1)).day == 1:
        return ("month__lte", value)
    raise UntranslatableError(f"period__{lookup}")


def _kept_child(name: str, value: Any, *, unstarted: bool, monthly: bool) -> Q | tuple[str, Any]:
    for field, kept in _SAME_ON_ROW.items():
        lookup = _split_lookup(name, field)
        if lookup is not None:
            if monthly and kept.startswith("cohort"):
                raise UntranslatableError(name)  # the month rows add up the cohorts
            return (f"{kept}__{lookup}" if lookup else kept, value)
    lookup = _split_lookup(name, "start_date")
    if lookup == "isnull":
        return ("started", not value)
    if lookup in _PERIOD_LOOKUPS:
        # Only a started route has a start date, and then it is the period day.
        bound = _month_lookup(lookup, value) if monthly else (f"period__{lookup}", value)
        return Q(bound, started=True)
    lookup = _split_lookup(name, "referral_date")
    if unstarted and lookup in _PERIOD_LOOKUPS:
        # Next to start_date__isnull=True: a route that never started, whose period day is
        # its referral date.
        return _month_lookup(lookup, value) if monthly else (f"period__{lookup}", value)
    raise UntranslatableError(name)


def _kept_q(q: Q, *, monthly: bool) -> Q:
    copy = Q()
    copy.connector, copy.negated = q.connector, q.negated
    unstarted = q.connector == Q.AND and ("start_date__isnull", True) in q.children
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_kept_q(child, monthly=monthly))
        elif isinstance(child, tuple):
            children.append(_kept_child(child[0], child[1], unstarted=unstarted, monthly=monthly))
        else:
            raise UntranslatableError(repr(child))
    copy.children = children
    return copy


def kept_scope(scope: Q, *, monthly: bool = False) -> Q | None:
    """The scope (a Q over routes) as a Q over kept rows (``monthly``: over the rows per
    programme and month, reporting.AcademyMonthFigures), or None when some condition has no
    kept counterpart (then the dashboard reads the cohort rows, or counts the routes)."""
    try:
        return _kept_q(scope, monthly=monthly)
    except UntranslatableError:
        return None


def kept_version(kept_q: Q) -> str:
    """The version of the kept cohort rows in ``kept_q``, for a cache key: their highest id,
    their number and the sum of their ids. A refresh deletes rows and writes new ones with
    higher ids, so the sum changes with every refresh, also when two refreshes commit out of
    order and the highest id stays the same."""
    version = CohortFigures.objects.filter(kept_q).aggregate(
        top=Max("pk"), rows=Count("pk"), ids=Sum("pk")
    )
    return "|".join(str(version[key]) for key in ("top", "rows", "ids"))


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


def month_sums(kept_q: Q, fields: Iterable[str]) -> dict[tuple, dict[str, int]]:
    """The national view's sums: the integer columns of the month rows in ``kept_q`` summed
    per value of ``fields``, in one query, as counts by key (the shape of ``kept_sums``)."""
    fields = list(fields)
    rows = (
        AcademyMonthFigures.objects.filter(kept_q)
        .order_by()
        .values(*fields)
        .annotate(**{f"sum_{column}": Sum(column) for column in KEPT_COLUMNS.values()})
    )
    return {
        tuple(row[field] for field in fields): {
            key: row[f"sum_{column}"]
            for key, column in KEPT_COLUMNS.items()
            if row[f"sum_{column}"]
        }
        for row in rows
    }


# (programme id, first day of the month, started, route type)
MonthKey = tuple[int, date, bool, str]


def months_roll_up(
    figures: Iterable[tuple[int, date, bool, str, dict[str, int]]],
) -> dict[MonthKey, dict[str, int]]:
    """Cohort slices (programme, period day, started, route type, counts) added up per
    programme and month: what the month rows hold."""
    sums: dict[MonthKey, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for programme, period, started, route_type, counts in figures:
        into = sums[(programme, period.replace(day=1), started, route_type)]
        for key, n in counts.items():
            if key in KEPT_COLUMNS:
                into[key] += n
            elif key.startswith("c:"):  # a kind no choice knows: shown as unknown
                into[CERTIFICATES_UNKNOWN] += n
            elif not key.startswith("cr:"):  # (routes per unknown kind are not shown)
                raise ImproperlyConfigured(f"No column for the kept count {key!r}.")
    return {key: {k: n for k, n in counts.items() if n} for key, counts in sums.items()}


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def kept_months_refresh(touched: set[tuple[int, date]] | None) -> None:
    """Recompute the month rows (reporting.AcademyMonthFigures) of the touched (programme,
    period day) pairs from the cohort rows, or all of them (None). Registered with
    participants.figures, which calls it in the transaction of every refresh (holding the
    programmes' locks) and rebuild. Side effects: replaces those month rows."""
    cohort_rows = CohortFigures.objects.order_by()
    month_rows = AcademyMonthFigures.objects.all()
    if touched is not None:
        months = {(programme, day.replace(day=1)) for programme, day in touched}
        if not months:
            return
        in_months, month_q = Q(pk__in=[]), Q(pk__in=[])
        for programme, month in months:
            in_months |= Q(programme_id=programme, period__gte=month, period__lt=_next_month(month))
            month_q |= Q(programme_id=programme, month=month)
        cohort_rows, month_rows = cohort_rows.filter(in_months), month_rows.filter(month_q)
    month_rows.delete()
    rolled = months_roll_up(
        cohort_rows.values_list("programme_id", "period", "started", "route_type", "counts")
    )
    academies = dict(
        Programme.objects.filter(pk__in={key[0] for key in rolled})
        .order_by()
        .values_list("pk", "academy_id")
    )
    AcademyMonthFigures.objects.bulk_create(
        [
            AcademyMonthFigures(
                academy_id=academies[programme],
                programme_id=programme,
                month=month,
                started=started,
                route_type=route_type,
                **{KEPT_COLUMNS[key]: n for key, n in counts.items()},
            )
            for (programme, month, started, route_type), counts in rolled.items()
        ],
        batch_size=1000,
    )


def kept_months() -> dict[MonthKey, dict[str, int]]:
    """The month rows as counts by key, in the shape of ``months_roll_up`` (the tests
    compare the two)."""
    columns = list(KEPT_COLUMNS.items())
    result = {}
    for row in AcademyMonthFigures.objects.order_by().values():
        counts = {key: row[column] for key, column in columns if row[column]}
        result[(row["programme_id"], row["month"], row["started"], row["route_type"])] = counts
    return result


def kept_figures_fill(using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: fill the kept figures when the table is empty and routes exist (the
    release that adds the table, or a database restored from before it), and the month rows
    when only they are missing (the release that adds them). Otherwise the services keep
    them; ``cohort_figures_rebuild`` recomputes both on demand."""
    from participants.figures import cohort_figures_rebuild

    tables = set(connections[using].introspection.table_names())
    if not {CohortFigures._meta.db_table, AcademyMonthFigures._meta.db_table} <= tables:
        return  # migrated part of the way (or back): the next full migrate fills them
    if Route.objects.using(using).exists() and not CohortFigures.objects.using(using).exists():
        cohort_figures_rebuild()
    elif (
        CohortFigures.objects.using(using).exists()
        and not AcademyMonthFigures.objects.using(using).exists()
    ):
        with transaction.atomic(using=using):
            kept_months_refresh(None)
