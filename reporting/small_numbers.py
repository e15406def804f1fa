"""Small numbers: how the national view keeps anyone from being singled out by its figures.

The national role (landelijk) sees aggregates across academies and may narrow them by period,
academy, branch and route type. Showing counts from 1 to 4 as "<5" protects one table, but not
a table generator: two selections that differ by a single route (two periods a week apart,
"branch A" against "branch A and route type 2", a total minus the visible cells) subtract to
exact figures about that one route. So the national figures are published this way:

1. **Whole periods only.** The period is a calendar quarter or year (or all time), picked from
   a list; typed dates are refused. Nobody can slide a window a week at a time.
2. **Every count rounded to a multiple of 5**, and **0 to 4 shown as "<5"** (a true zero
   too: telling zero from "a few" says something about those few). This is
   ``published_count``. No published figure is exact, so no sum or difference of published
   figures is exact either: two figures of the same thing differ by 0 or by 5 or more, and
   their difference is only known to within a range several people wide.
3. Everything else on the page is made from the rounded counts only: shares, bars and the
   per-group tables (``dashboard_protect`` runs before anything is drawn or exported), and
   every academy and branch gets a row even when it has nothing in the selection, so that a
   row's presence does not tell that someone is in it.

Why rounding and not secondary (complementary) suppression, which statistical offices such as
CBS use for a fixed set of tables: secondary suppression protects the sums of one table, but
here every filter choice makes another overlapping table; a cell hidden in one can be
recovered from the others unless the suppression is coordinated across all of them at once.
Rounding every figure protects each table and every combination of them with one local rule.
What rounding leaves is an estimate (a true difference lies within a few of the rounded one),
which is why the filters stay coarse. Breakdowns of rounded counts need not add up to their
rounded total; the page says so.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language

from .dashboard import (
    ACADEMY_GROUPING,
    BRANCH_GROUPING,
    Filters,
    dashboard_build,
    groups_build,
    national_group_keys,
)
from .dashboard.kept import kept_version
from .dashboard.metrics import Dashboard, Group, Row, SurvivalPoint, published_count

__all__ = [
    "dashboard_protect",
    "groups_protect",
    "national_build",
    "national_cache_key",
    "published_count",
]


# The national figures are the same for every national user: kept in the cache for this long,
# under the kept figures' version, so any change to them makes a new entry (see below).
NATIONAL_CACHE_SECONDS = 600


def _national_cache_key(scope: Q, filters: Filters) -> str | None:
    """The cache key of the national figures: the filters, the language (labels are
    translated) and the kept figures' version (``kept_version``: it changes with every
    refresh of the counts).
    None for a scope other than the whole country (nothing cached)."""
    if scope != Q():
        return None
    parts = [
        "national",
        get_language() or "",
        kept_version(Q()),
        *(f"{k}={v}" for k, v in sorted(filters.as_params().items())),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def national_cache_key(scope: Q, filters: Filters) -> str | None:
    """The key the national figures of ``scope`` and ``filters`` are kept under (None: not
    kept); the page keeps its rendered tables under it too."""
    return _national_cache_key(scope, filters)


def national_build(
    scope: Q, filters: Filters, *, key: str | None = None
) -> tuple[Dashboard, list[Group]]:
    """The national figures of the routes in ``scope`` narrowed by ``filters``: the dashboard
    per academy and the table per branch, every academy and branch with a row, every count
    protected. What the page and the Excel export both show. Kept in the cache under the
    kept figures' version: the sum over every cohort of the country is made once per change,
    not once per view. ``key``: the one ``national_cache_key`` gave, when the caller has it."""
    if key is None:  # (for a scope that is not kept, making it again gives None at once)
        key = _national_cache_key(scope, filters)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    narrowed = scope & filters.q()
    academies, branches = national_group_keys(filters)
    result = dashboard_build(narrowed, grouping=ACADEMY_GROUPING, every=academies)
    per_branch = groups_build(narrowed, BRANCH_GROUPING, every=branches)
    protected = dashboard_protect(result), groups_protect(per_branch)
    if key is not None:
        cache.set(key, protected, NATIONAL_CACHE_SECONDS)
    return protected


def _rows(rows: list[Row]) -> None:
    for row in rows:
        row.count = published_count(row.count)


def _counts(counts: dict[str, int]) -> None:
    for key, value in counts.items():
        counts[key] = published_count(value)


def _survival(points: list[SurvivalPoint]) -> None:
    for point in points:
        _counts(point.counts)


def groups_protect(groups: list[Group]) -> list[Group]:
    """Round every count of the per-group tables (in place); the same list back."""
    for group in groups:
        _counts(group.counts)
        _rows(group.rows)
        _survival(group.survival)
    return groups


def dashboard_protect(result: Dashboard) -> Dashboard:
    """Round every count of the national dashboard in place, before anything is drawn,
    shared or exported; the same object back. Rounding twice changes nothing, so a row that
    appears in two places (the headline and the funnel) is safe."""
    _counts(result.totals)
    _rows([*result.headline, *result.route_type_totals])
    for breakdown in [result.funnel, result.certificate_routes, *result.all_breakdowns()]:
        breakdown.total = published_count(breakdown.total)
        _rows(breakdown.rows)
    groups_protect(result.route_types)
    _survival(result.survival)
    groups_protect(result.groups)
    return result
