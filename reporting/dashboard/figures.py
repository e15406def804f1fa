"""The cohort dashboard's figures: selectors that count what reporting.dashboard.metrics
defines, per cohort, programme, academy and period, in a fixed handful of aggregate queries
(about seven), whatever the number of routes.

A scope is a Q over routes (routes): the acting academy's programmes, narrowed by the
filters. The same Q, prefixed with ``route__``, selects the follow-up checks and
certificates of those routes, so no query needs a subquery over the routes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from leerroutes.models import Certificate, CertificateKind
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Academy, Programme, Role
from participants.models import Cohort, FollowUp, Route

from .kept import (
    BREAKDOWNS,
    COMBO_FIELDS,
    folded_dimensions,
    kept_scope,
    kept_sums,
    kept_version,
    month_sums,
)
from .kept import prefixed as _prefixed
from .metrics import (
    BUCKET_LABELS,
    BUCKETS,
    DIMENSIONS,
    FUNNEL,
    GROUP_COLUMNS,
    HEADLINE,
    LEFT_AFTER_START,
    METRICS,
    MOMENTS,
    NEITHER,
    NO_VALUE,
    NOT_CHECKED,
    REASON_DIMENSIONS,
    RECORDED_SITUATIONS,
    ROUTE_TYPE_COLUMNS,
    SITUATION_BUCKETS,
    SMALL_CELL,
    UNKNOWN,
    UNKNOWN_LABEL,
    WORK_OR_SCHOOL,
    Breakdown,
    Dashboard,
    Dimension,
    Group,
    Row,
    SurvivalPoint,
    small_cell,
)

__all__ = [
    "ACADEMY_GROUPING",
    "BRANCH_GROUPING",
    "COHORT_GROUPING",
    "GROUP_COLUMNS",
    "METRICS",
    "MOMENTS",
    "NO_VALUE",
    "ROUTE_TYPE_COLUMNS",
    "SMALL_CELL",
    "Breakdown",
    "Dashboard",
    "Filters",
    "Group",
    "Row",
    "academy_routes",
    "academy_scope",
    "dashboard_build",
    "dashboard_cohorts",
    "dashboard_names_routes",
    "dashboard_programmes",
    "dashboard_scope",
    "groups_build",
    "national_academies",
    "national_branches",
    "national_group_keys",
    "national_scope",
    "small_cell",
]


# --- the scopes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to. ``period`` is on the start date; a route that never
    started counts by its referral date."""

    start_from: date | None = None
    start_to: date | None = None
    programme: int | None = None
    cohort: int | None = None
    route_type: str = ""
    academy: int | None = None  # national view only
    branch: str = ""  # national view only: a programme name (BinQ, TanQ, ...)

    def q(self) -> Q:
        q = Q()
        if self.start_from:
            q &= Q(start_date__gte=self.start_from) | Q(
                start_date__isnull=True, referral_date__gte=self.start_from
            )
        if self.start_to:
            q &= Q(start_date__lte=self.start_to) | Q(
                start_date__isnull=True, referral_date__lte=self.start_to
            )
        if self.programme:
            q &= Q(programme_id=self.programme)
        if self.cohort:
            q &= Q(cohort_id=self.cohort)
        if self.route_type:
            q &= Q(route_type=self.route_type)
        if self.academy:
            q &= Q(programme__academy_id=self.academy)
        if self.branch:
            q &= Q(programme__name=self.branch)
        return q

    def apply(self, routes: QuerySet[Route]) -> QuerySet[Route]:
        return routes.filter(self.q())

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters and ReportRun parameters: ids, dates, codes."""
        values = {
            "start_from": self.start_from.isoformat() if self.start_from else "",
            "start_to": self.start_to.isoformat() if self.start_to else "",
            "programme": str(self.programme or ""),
            "cohort": str(self.cohort or ""),
            "route_type": self.route_type,
            "academy": str(self.academy or ""),
            "branch": self.branch,
        }
        return {key: value for key, value in values.items() if value}


def academy_scope(academy_id: int) -> Q:
    """The routes of an academy's programmes: what its dashboard counts."""
    return Q(programme__academy_id=academy_id)


def academy_routes(academy_id: int) -> QuerySet[Route]:
    """The academy's routes of the academy's own participants: every list with names (the
    drill-down, the group and funder lists) also checks the person's academy."""
    return Route.objects.filter(academy_scope(academy_id), participant__academy_id=academy_id)


def dashboard_names_routes(user) -> QuerySet[Route]:
    """The routes whose names the drill-down may list: the acting academy's, for those who
    may see names behind the dashboard's numbers."""
    membership = active_membership(user)
    if membership is None or not user.has_perm("reporting.view_dashboard_names"):
        return Route.objects.none()
    return academy_routes(membership.academy_id)


def dashboard_scope(user) -> Q | None:
    """The acting academy's routes, for those who may see the dashboard; None for others."""
    membership = active_membership(user)
    if membership is None or not user.has_perm("reporting.view_dashboard"):
        return None
    return academy_scope(membership.academy_id)


def national_scope(user) -> Q | None:
    """Every academy's routes, for the national role (counted, never named); None for others."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.LANDELIJK:
        return None
    return Q()


def dashboard_programmes(user) -> QuerySet[Programme]:
    membership = active_membership(user)
    if membership is None or not user.has_perm("reporting.view_dashboard"):
        return Programme.objects.none()
    return Programme.objects.filter(academy_id=membership.academy_id).order_by("name")


def dashboard_cohorts(user) -> QuerySet[Cohort]:
    membership = active_membership(user)
    if membership is None or not user.has_perm("reporting.view_dashboard"):
        return Cohort.objects.none()
    return (
        Cohort.objects.filter(programme__academy_id=membership.academy_id)
        .select_related("programme")
        .order_by("programme__name", "-start_date")
    )


def national_academies() -> QuerySet[Academy]:
    return Academy.objects.order_by("name")


def national_branches() -> list[str]:
    return list(Programme.objects.order_by("name").values_list("name", flat=True).distinct())


def national_group_keys(filters: Filters) -> tuple[list[tuple], list[tuple]]:
    """The academies and branches the national tables list, each with a row even when it has
    no route in the selection (a row's presence would tell that someone is in it): all of
    them, or the one a filter picked."""
    academies = national_academies()
    if filters.academy:
        academies = academies.filter(pk=filters.academy)
    branches = [filters.branch] if filters.branch else national_branches()
    return [(pk,) for pk in academies.values_list("pk", flat=True)], [(b,) for b in branches]


# --- groupings: per cohort, per academy, per branch ----------------------------------------

Labels = dict[tuple, tuple[str, str, tuple]]  # key -> (label, sublabel, sort key)


@dataclass(frozen=True)
class Grouping:
    fields: tuple[str, ...]  # route fields, ids where possible
    labels: Callable[[set[tuple]], Labels]
    per_cohort: bool = False
    kept_fields: tuple[str, ...] = ()  # the same on a kept row (participants.CohortFigures)
    # Read from the month rows (AcademyMonthFigures: integer columns per programme and month)
    # when the scope is whole months: the national view, flat however many cohorts.
    monthly: bool = False


def _cohort_labels(keys: set[tuple]) -> Labels:
    programmes = dict(
        Programme.objects.filter(pk__in={p for p, _c in keys}).order_by().values_list("pk", "name")
    )
    cohorts = {
        pk: (name, start)
        for pk, name, start in Cohort.objects.filter(pk__in={c for _p, c in keys if c}).values_list(
            "pk", "name", "start_date"
        )
    }
    labels = {}
    for programme, cohort in keys:  # (programme, cohort) pairs; cohort None: no group
        name, start = cohorts.get(cohort, (str(_("No group")), date.max))
        labels[(programme, cohort)] = (name, programmes.get(programme, ""), (start, name))
    return labels


def _academy_labels(keys: set[tuple]) -> Labels:
    names = dict(
        Academy.objects.filter(pk__in={k for (k,) in keys}).order_by().values_list("pk", "name")
    )
    return {key: (names.get(key[0], ""), "", (names.get(key[0], ""),)) for key in keys}


def _branch_labels(keys: set[tuple]) -> Labels:
    return {key: (key[0], "", (key[0],)) for key in keys}


COHORT_GROUPING = Grouping(
    ("programme_id", "cohort_id"),
    _cohort_labels,
    per_cohort=True,
    kept_fields=("programme_id", "cohort_id"),
)
ACADEMY_GROUPING = Grouping(
    ("programme__academy_id",), _academy_labels, kept_fields=("academy_id",), monthly=True
)
BRANCH_GROUPING = Grouping(
    ("programme__name",), _branch_labels, kept_fields=("programme__name",), monthly=True
)


# --- counting ------------------------------------------------------------------------------

ALL_METRICS = list(METRICS)


def _metric_counts(keys: Iterable[str]) -> dict[str, Count]:
    return {f"n_{key}": Count("pk", filter=METRICS[key].q) for key in keys}


def _counts_of(values: dict, keys: Iterable[str]) -> dict[str, int]:
    return {key: values.get(f"n_{key}", 0) or 0 for key in keys}


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for key, n in counts.items():
        into[key] = into.get(key, 0) + n


def _group_rows(scope: Q, grouping: Grouping) -> list[dict]:
    """Every metric per group and route type: one query, one pass over the routes."""
    return list(
        Route.objects.filter(scope)
        .values(*grouping.fields, "route_type")
        .annotate(**_metric_counts(ALL_METRICS))
        .order_by()
    )


def _combos(scope: Q) -> list[dict]:
    """The routes counted per combination of the fields the breakdowns split on: one query
    for all of them (a few hundred rows at most, whatever the number of routes)."""
    return list(
        Route.objects.filter(scope).values(*COMBO_FIELDS).annotate(n=Count("pk")).order_by()
    )


def _fold_counts(dimension: Dimension, combos: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in combos:
        if dimension.holds(row):
            counts[dimension.bucket(row[dimension.field])] += row["n"]
    return counts


def _fold(dimension: Dimension, counts: dict[str, int], total: int) -> Breakdown:
    choices = [(code, label) for code, label in dimension.choices if code in dimension.known]
    return Breakdown(
        key=dimension.key,
        title=str(dimension.title),
        total_label=str(METRICS[dimension.within].label),
        total=total,
        total_drill=f"m:{dimension.within}",
        rows=[
            Row(
                key,
                str(label),
                counts.get(key, 0),
                drill=f"{dimension.key}:{key}",
                sensitive=dimension.sensitive,
            )
            for key, label in [*choices, (UNKNOWN, UNKNOWN_LABEL)]
        ],
    )


def _follow_ups(scope: Q, grouping: Grouping) -> list[dict]:
    """Recorded follow-up checks at 6 and 12 months of the routes that left after starting,
    counted per group, moment and situation."""
    return list(
        FollowUp.objects.filter(
            _prefixed(scope & LEFT_AFTER_START, "route__"),
            months_after__in=MOMENTS[1:],
            situation__in=RECORDED_SITUATIONS,
        )
        .values(*(f"route__{f}" for f in grouping.fields), "months_after", "situation")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _situation_bucket(situation: str) -> str:
    return next(
        (bucket for bucket, values in SITUATION_BUCKETS.items() if situation in values),
        NOT_CHECKED,
    )


def _checks_by_group(follow_ups: list[dict], grouping: Grouping) -> dict:
    by_group: dict[tuple, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in follow_ups:
        key = tuple(row[f"route__{f}"] for f in grouping.fields)
        by_group[key][(row["months_after"], _situation_bucket(row["situation"]))] += row["n"]
    return by_group


def _survival(counts: dict[str, int], checks: dict[tuple[int, str], int]) -> list[SurvivalPoint]:
    left = counts["left_after_start"]
    points = [
        SurvivalPoint(
            0,
            {
                WORK_OR_SCHOOL: counts[f"m0_{WORK_OR_SCHOOL}"],
                NEITHER: counts[f"m0_{NEITHER}"],
                UNKNOWN: counts[f"m0_{UNKNOWN}"],
                NOT_CHECKED: 0,
            },
        )
    ]
    for months in MOMENTS[1:]:
        found = {b: checks.get((months, b), 0) for b in (WORK_OR_SCHOOL, NEITHER, UNKNOWN)}
        found[NOT_CHECKED] = left - sum(found.values())
        points.append(SurvivalPoint(months, found))
    return points


def _metric_row(key: str, counts: dict[str, int]) -> Row:
    metric = METRICS[key]
    return Row(
        key, str(metric.label), counts.get(key, 0), drill=f"m:{key}", sensitive=metric.sensitive
    )


def _durable(points: list[SurvivalPoint], left: int) -> list[Breakdown]:
    def drill(months: int, bucket: str) -> str:
        # Nobody is "not checked" at leaving: no list behind that zero.
        return "" if (months, bucket) == (0, NOT_CHECKED) else f"fu{months}:{bucket}"

    return [
        Breakdown(
            key=f"durable_{point.months}",
            title=str(_("%(months)d months after leaving") % {"months": point.months})
            if point.months
            else str(_("At leaving")),
            total_label=str(METRICS["left_after_start"].label),
            total=left,
            total_drill="m:left_after_start",
            rows=[
                Row(
                    bucket,
                    str(BUCKET_LABELS[bucket]),
                    point.counts[bucket],
                    drill=drill(point.months, bucket),
                    sensitive=True,
                )
                for bucket in BUCKETS
            ],
        )
        for point in points
    ]


def _certificates_by_kind(scope: Q) -> dict[str, dict[str, int]]:
    certificates = Certificate.objects.filter(_prefixed(scope, "route__"))
    return {
        row["kind"]: row
        for row in certificates.values("kind")
        .annotate(n=Count("pk"), routes=Count("route", distinct=True))
        .order_by()
    }


def _certificates(
    by_kind: dict[str, dict[str, int]], certified: Row
) -> tuple[Breakdown, Breakdown]:
    """Certificates by kind, and the routes with one (of any kind: the metric "certified",
    counted with the groups; of each kind: here)."""
    unknown = sum(row["n"] for kind, row in by_kind.items() if kind not in CertificateKind.values)
    rows = [
        Row(c.value, str(c.label), by_kind.get(c.value, {}).get("n", 0)) for c in CertificateKind
    ]
    rows.append(Row(UNKNOWN, str(UNKNOWN_LABEL), unknown))
    breakdown = Breakdown(
        "certificates",
        str(_("Certificates by kind")),
        str(_("Certificates")),
        sum(row["n"] for row in by_kind.values()),
        rows,
    )
    routes = Breakdown(
        "certificate_routes",
        str(_("Routes with a certificate")),
        "",
        certified.count,
        [
            certified,
            *(
                Row(
                    c.value,
                    str(_("Routes with: %(kind)s") % {"kind": c.label}),
                    by_kind.get(c.value, {}).get("routes", 0),
                    drill=f"cert:{c.value}",
                )
                for c in CertificateKind
            ),
        ],
    )
    return breakdown, routes


def _route_types(sums: dict[str, dict[str, int]]) -> list[Group]:
    """The funnel and the outcome per route type, with an unknown row: so a project cannot
    look good by only taking the easy cases (domain.md, "Equal chances")."""
    dimension = DIMENSIONS["route_type"]
    groups = []
    for code, label in [*dimension.choices, (UNKNOWN, UNKNOWN_LABEL)]:
        counts = {key: sums.get(code, {}).get(key, 0) for key in ROUTE_TYPE_COLUMNS}
        rows = [
            Row(key, str(METRICS[key].label), counts[key], drill=f"rt:{code}:{key}", sensitive=True)
            for key in ROUTE_TYPE_COLUMNS
        ]
        groups.append(Group(code, str(label), "", counts, [], rows=rows))
    return groups


def _groups(
    per_group: dict[tuple, dict[str, int]],
    grouping: Grouping,
    checks: dict,
    every: Iterable[tuple] = (),
) -> list[Group]:
    for key in every:  # a row for each of these, even with nothing in it
        per_group.setdefault(key, dict.fromkeys(ALL_METRICS, 0))
    labels = grouping.labels(set(per_group))
    groups = []
    for key, counts in per_group.items():
        label, sublabel, order = labels[key]
        groups.append(
            Group(
                f"p{key[0]}c{key[1] or 0}" if grouping.per_cohort else "",
                label,
                sublabel,
                counts,
                _survival(counts, checks.get(key, {})),
                rows=[_metric_row(k, counts) for k in GROUP_COLUMNS],
                export_cohort=key[1] if grouping.per_cohort else None,
                order=(sublabel, order),
            )
        )
    groups.sort(key=lambda g: g.order)
    return groups


def _split(group_rows: list[dict], grouping: Grouping):
    """The group rows (per group and route type) summed per group, per route type and in
    total."""
    per_group: dict[tuple, dict[str, int]] = defaultdict(dict)
    per_type: dict[str, dict[str, int]] = defaultdict(dict)
    totals = dict.fromkeys(ALL_METRICS, 0)
    route_type = DIMENSIONS["route_type"]
    for row in group_rows:
        counts = _counts_of(row, ALL_METRICS)
        _add(per_group[tuple(row[f] for f in grouping.fields)], counts)
        _add(per_type[route_type.bucket(row["route_type"])], counts)
        _add(totals, counts)
    return per_group, per_type, totals


@dataclass
class Sources:
    """What the dashboard is made of, counted from the routes or summed from the kept rows:
    the metrics per group and route type (as rows of ``grouping.fields``, ``route_type`` and
    ``n_<metric>``), the breakdowns' counts per bucket, the follow-up checks per group and
    the certificates per kind."""

    group_rows: list[dict]
    dimension_counts: dict[str, dict[str, int]]
    checks: dict[tuple, dict[tuple[int, str], int]]
    by_kind: dict[str, dict[str, int]]


def _live_sources(scope: Q, grouping: Grouping, *, whole: bool = True) -> Sources:
    """Counted from the routes: about seven queries (fewer for the group table alone)."""
    group_rows = _group_rows(scope, grouping)
    checks = _checks_by_group(_follow_ups(scope, grouping), grouping)
    if not whole:
        return Sources(group_rows, {}, checks, {})
    combos = _combos(scope)
    return Sources(
        group_rows,
        {d.key: _fold_counts(d, combos) for d in folded_dimensions()},
        checks,
        _certificates_by_kind(scope),
    )


def _kept_key(name: str) -> tuple:
    """A kept count's key in parts: ("m", "n_<metric>"), ("d", dimension, bucket),
    ("f", (months, bucket)), ("c" or "cr", kind, "n" or "routes")."""
    kind, _sep, rest = name.partition(":")
    if kind == "m":
        return ("m", f"n_{rest}")
    if kind == "d":
        return ("d", *rest.split(":", 1))
    if kind == "f":
        months, _sep, bucket = rest.partition(":")
        return ("f", (int(months), bucket))
    if kind in ("c", "cr"):
        return (kind, rest, "n" if kind == "c" else "routes")
    return ("?",)


def _kept_sources(scope: Q, grouping: Grouping) -> Sources | None:
    """Summed from the kept rows (participants.CohortFigures): one query over a few rows
    per cohort, whatever the number of routes; None when the scope has a condition the
    rows cannot answer."""
    if not grouping.kept_fields:
        return None
    fields = [*grouping.kept_fields, "route_type"]
    month_q = kept_scope(scope, monthly=True) if grouping.monthly else None
    if month_q is not None:
        sums = month_sums(month_q, fields)
    else:
        kept_q = kept_scope(scope)
        if kept_q is None:
            return None
        sums = kept_sums(kept_q, fields)
    group_rows: list[dict] = []
    dimension_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    checks: dict[tuple, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "routes": 0})
    parsed: dict[str, tuple] = {}  # each key's parts, worked out once
    for (*group, route_type), counts in sums.items():
        row: dict = dict(zip(grouping.fields, group, strict=True))
        row["route_type"] = route_type
        for name, n in counts.items():
            parts = parsed.get(name) or parsed.setdefault(name, _kept_key(name))
            kind = parts[0]
            if kind == "m":
                row[parts[1]] = n
            elif kind == "d":
                dimension_counts[parts[1]][parts[2]] += n
            elif kind == "f":
                checks[tuple(group)][parts[1]] += n
            elif kind in ("c", "cr"):
                by_kind[parts[1]][parts[2]] += n
        group_rows.append(row)
    return Sources(group_rows, dimension_counts, checks, by_kind)


def dashboard_sources(
    scope: Q, grouping: Grouping = COHORT_GROUPING, *, kept: bool = True, whole: bool = True
) -> Sources:
    """The kept figures where they answer the scope, the routes otherwise (or with
    ``kept=False``: the bench and the tests compare the two)."""
    found = _kept_sources(scope, grouping) if kept else None
    return found if found is not None else _live_sources(scope, grouping, whole=whole)


def dashboard_build(
    scope: Q,
    *,
    grouping: Grouping = COHORT_GROUPING,
    every: Iterable[tuple] = (),
    kept: bool = True,
) -> Dashboard:
    """All figures of the dashboard for the routes in ``scope``, grouped per cohort (or per
    academy for the national view; ``every`` lists group keys that get a row even when
    empty). From the kept figures: one query and a few label queries, whatever the number
    of routes (``kept=False``: seven queries over the routes)."""
    sources = dashboard_sources(scope, grouping, kept=kept)
    per_group, per_type, totals = _split(sources.group_rows, grouping)
    breakdowns = {
        key: _fold(
            DIMENSIONS[key], sources.dimension_counts.get(key, {}), totals[DIMENSIONS[key].within]
        )
        for key in BREAKDOWNS
    }
    outcome_reasons = [
        _fold(dimension, sources.dimension_counts.get(dimension.key, {}), totals[dimension.within])
        for dimension in REASON_DIMENSIONS.values()
    ]
    checks = sources.checks
    all_checks: dict[tuple[int, str], int] = defaultdict(int)
    for group_checks in checks.values():
        for key, n in group_checks.items():
            all_checks[key] += n
    survival = _survival(totals, all_checks)
    certificates, certificate_routes = _certificates(
        sources.by_kind, _metric_row("certified", totals)
    )
    return Dashboard(
        totals=totals,
        headline=[_metric_row(key, totals) for key in HEADLINE],
        funnel=Breakdown(
            "funnel",
            str(_("Intake funnel")),
            "",
            totals["referred"],
            [_metric_row(key, totals) for key in FUNNEL],
        ),
        breakdowns=breakdowns,
        outcome_reasons=outcome_reasons,
        route_types=_route_types(per_type),
        route_type_totals=[_metric_row(key, totals) for key in ROUTE_TYPE_COLUMNS],
        certificates=certificates,
        certificate_routes=certificate_routes,
        durable=_durable(survival, totals["left_after_start"]),
        survival=survival,
        groups=_groups(per_group, grouping, checks, every),
    )


def groups_build(
    scope: Q, grouping: Grouping, *, every: Iterable[tuple] = (), kept: bool = True
) -> list[Group]:
    """Only the per-group table, for a second grouping (the national view's branches)."""
    sources = dashboard_sources(scope, grouping, kept=kept, whole=False)
    per_group, _per_type, _totals = _split(sources.group_rows, grouping)
    return _groups(per_group, grouping, sources.checks, every)


# An academy's dashboard is the same for everyone who may see that academy's figures: kept in
# the cache for this long, under the version of the kept rows it sums, so any change to them
# (a route step, an import, an undo: each refresh deletes and writes the cohort's rows) makes
# a new entry. Labels (a renamed cohort) follow within this time.
DASHBOARD_CACHE_SECONDS = 600


def dashboard_build_cached(scope: Q) -> Dashboard:
    """``dashboard_build(scope)``, kept in the cache when the kept rows answer the scope (the
    version of exactly those rows is in the key, ``kept_version``), made
    afresh otherwise (a scope the rows cannot answer is counted over the routes, which have
    no version). What comes back is the caller's own copy: the cache hands out a new one."""
    kept_q = kept_scope(scope)
    if kept_q is None:
        return dashboard_build(scope)
    parts = [get_language() or "", str(scope), kept_version(kept_q)]
    key = "dashboard:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = dashboard_build(scope)
    cache.set(key, result, DASHBOARD_CACHE_SECONDS)
    return result
