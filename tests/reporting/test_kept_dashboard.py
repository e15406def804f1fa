"""The kept dashboard figures (participants.CohortFigures, issue 19 item 1), on test_dashboard's
hand-counted academy, built once for the module: the dashboard and the national view read from
the kept rows the same figures that counting the routes gives; the rebuild is idempotent and
repairs. (The random walk over every service and the import: test_kept_figures.py.)
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from participants.figures import (
    cohort_figures_fresh,
    cohort_figures_kept,
    cohort_figures_rebuild,
)
from participants.models import (
    CohortFigures,
)
from reporting.dashboard import (
    ACADEMY_GROUPING,
    BRANCH_GROUPING,
    Filters,
    academy_scope,
    dashboard_build,
    groups_build,
)
from reporting.dashboard.kept import kept_figures_fill, kept_months, kept_scope
from reporting.models import AcademyMonthFigures
from tests.conftest import module_data
from tests.reporting.test_kept_figures import months_of

from .conftest_dashboard import build_dashboard_world, refer_through_the_service

pytestmark = pytest.mark.django_db


# --- the dashboard reads the kept rows, and they give what counting the routes gives ------


# One hand-counted academy for the whole module (tests/conftest.py, module_data): every test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_dashboard_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def dashboard_world(_shared, db):
    return _shared[1]


SCOPES = [
    {},
    {"start_from": date(2025, 9, 1)},
    {"start_to": date(2025, 8, 31)},
    {"start_from": date(2025, 7, 1), "start_to": date(2025, 12, 31)},
    {"start_from": date(2026, 1, 1)},
    {"route_type": "2"},
    {"route_type": "1b", "start_from": date(2025, 1, 1)},
]


@pytest.mark.parametrize("filters", SCOPES)
def test_dashboard_from_kept_rows_equals_the_count_over_routes(dashboard_world, filters):
    world = dashboard_world.world
    scope = academy_scope(world.academy.pk) & Filters(**filters).q()
    assert kept_scope(scope) is not None  # read from the kept rows, not counted again
    kept, counted = dashboard_build(scope), dashboard_build(scope, kept=False)
    assert kept == counted
    assert kept.totals["referred"] == counted.totals["referred"]


def test_dashboard_per_cohort_and_programme_from_kept_rows(dashboard_world):
    world = dashboard_world.world
    for filters in (
        Filters(programme=world.programme.pk),
        Filters(cohort=dashboard_world.g28.pk),
        Filters(cohort=world.cohort.pk, route_type="2"),
    ):
        scope = academy_scope(world.academy.pk) & filters.q()
        assert dashboard_build(scope) == dashboard_build(scope, kept=False)
    # The hand count (test_dashboard's table): G28 holds eva, fleur, gijs and ivo.
    g28 = dashboard_build(
        academy_scope(world.academy.pk) & Filters(cohort=dashboard_world.g28.pk).q()
    )
    assert g28.totals["referred"] == 4


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start_from=date(2025, 7, 1), start_to=date(2025, 9, 30)),
        Filters(branch="BinQ", route_type="2"),
    ],
)
def test_national_view_from_kept_rows_equals_the_count_over_routes(dashboard_world, filters):
    scope = Q() & filters.q()
    assert kept_scope(scope, monthly=True) is not None  # whole months: the month rows
    with CaptureQueriesContext(connection) as read:
        kept = dashboard_build(scope, grouping=ACADEMY_GROUPING)
        branches = groups_build(scope, BRANCH_GROUPING)
    assert kept == dashboard_build(scope, grouping=ACADEMY_GROUPING, kept=False)
    assert branches == groups_build(scope, BRANCH_GROUPING, kept=False)
    assert kept.totals["referred"] > 0
    sql = [q["sql"] for q in read.captured_queries]
    assert sum("academymonthfigures" in q for q in sql) == 2  # one sum per grouping
    assert not any("cohortfigures" in q or '"participants_route"' in q for q in sql)


def test_days_inside_a_month_are_summed_from_the_cohort_rows(dashboard_world):
    """A bound inside a month (no national form offers one; the Excel parameters could) is
    answered from the cohort rows, exactly."""
    scope = Filters(start_from=date(2025, 9, 2), start_to=date(2025, 12, 31)).q()
    assert kept_scope(scope, monthly=True) is None
    assert kept_scope(Filters(cohort=dashboard_world.g28.pk).q(), monthly=True) is None
    with CaptureQueriesContext(connection) as read:
        kept = dashboard_build(scope, grouping=ACADEMY_GROUPING)
    assert kept == dashboard_build(scope, grouping=ACADEMY_GROUPING, kept=False)
    assert any("cohortfigures" in q["sql"] for q in read.captured_queries)
    assert not any("academymonthfigures" in q["sql"] for q in read.captured_queries)


def test_the_kept_dashboard_is_one_query_for_its_counts(dashboard_world):
    scope = academy_scope(dashboard_world.world.academy.pk)
    with CaptureQueriesContext(connection) as kept:
        dashboard_build(scope)
    with CaptureQueriesContext(connection) as counted:
        dashboard_build(scope, kept=False)
    figures = [q["sql"] for q in kept.captured_queries if "cohortfigures" in q["sql"]]
    assert len(figures) == 1
    assert not any('"participants_route"' in q["sql"] for q in kept.captured_queries)
    assert len(kept) < len(counted)


def test_a_scope_the_kept_rows_cannot_answer_is_counted_over_routes(dashboard_world):
    world = dashboard_world.world
    scope = academy_scope(world.academy.pk) & Q(participant__academy_id=world.academy.pk)
    assert kept_scope(scope) is None
    assert kept_scope(Q(referral_date__gte=date(2025, 1, 1))) is None  # not beside "unstarted"
    assert dashboard_build(scope).totals["referred"] == 12


def test_rebuild_is_idempotent_and_repairs(dashboard_world):
    first = cohort_figures_kept()
    assert first == cohort_figures_fresh()
    out = StringIO()
    call_command("cohort_figures_rebuild", stdout=out)
    assert cohort_figures_kept() == first
    # A lost row and a wrong count come back from the routes.
    CohortFigures.objects.order_by("pk").first().delete()
    row = CohortFigures.objects.order_by("pk").last()
    row.counts = {"m:referred": 99}
    row.save()
    assert cohort_figures_kept() != first
    written = cohort_figures_rebuild()
    assert cohort_figures_kept() == first
    assert written == len(first) == CohortFigures.objects.count()
    # The month rows too: a lost row and a wrong column come back with the rebuild.
    months = kept_months()
    assert months == months_of(first)
    AcademyMonthFigures.objects.order_by("pk").first().delete()
    AcademyMonthFigures.objects.filter(
        pk=AcademyMonthFigures.objects.order_by("pk").last().pk
    ).update(m_referred=99)
    assert kept_months() != months
    cohort_figures_rebuild()
    assert kept_months() == months
    # The release that adds the month rows: the first migrate fills them from the cohort rows.
    AcademyMonthFigures.objects.all()._raw_delete("default")
    kept_figures_fill()
    assert kept_months() == months


def test_national_figures_are_cached_until_the_kept_figures_change(dashboard_world):
    from reporting.small_numbers import national_build

    first, _branches = national_build(Q(), Filters())
    with CaptureQueriesContext(connection) as again:
        cached, _branches = national_build(Q(), Filters())
    assert cached.totals == first.totals
    assert not any("academymonthfigures" in q["sql"] for q in again.captured_queries)
    # A change to the counts (a new route through the service) is a new version: counted.
    world = dashboard_world.world
    for n in range(5):
        refer_through_the_service(world, f"Landelijk {n}")
    with CaptureQueriesContext(connection) as changed:
        after, _branches = national_build(Q(), Filters())
    assert any("academymonthfigures" in q["sql"] for q in changed.captured_queries)
    assert after.totals["referred"] == first.totals["referred"] + 5  # 5 more, rounded to 5s


def test_the_sum_in_python_equals_the_sum_in_postgresql(dashboard_world, monkeypatch):
    """SQLite (the demo) sums the kept counts in Python, PostgreSQL in one query."""
    from reporting.dashboard import kept

    fields = ["programme_id", "cohort_id", "route_type"]
    in_sql = {key: dict(counts) for key, counts in kept.kept_sums(Q(), fields).items()}
    monkeypatch.setattr(kept.connections["default"], "vendor", "sqlite")
    in_python = {key: dict(counts) for key, counts in kept.kept_sums(Q(), fields).items()}
    assert in_python == in_sql
    assert sum(counts.get("m:referred", 0) for counts in in_sql.values()) >= 12


def test_the_dashboard_page_is_cached_until_its_academys_kept_rows_change(
    dashboard_world, client_for
):
    """The second view sums nothing (the cache, under the version of the academy's kept rows);
    a route step in the academy makes a new version: counted again, the new figure shown.
    Another academy's scope is another entry, never this one's figures."""
    from reporting.dashboard import dashboard_build_cached

    world = dashboard_world.world
    own = academy_scope(world.academy.pk)
    client = client_for("regisseur")
    url = "/rapportage/dashboard/"

    def sums(response_queries) -> int:
        return sum("SUM(entry.value" in q["sql"] for q in response_queries)

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert sums(first.captured_queries) == 1
    assert sums(again.captured_queries) == 0
    before = dashboard_build_cached(own).totals["referred"]
    assert before == dashboard_build(own, kept=False).totals["referred"]
    refer_through_the_service(world, "Gecachet")
    with CaptureQueriesContext(connection) as changed:
        assert client.get(url).status_code == 200
    assert sums(changed.captured_queries) == 1
    assert dashboard_build_cached(own).totals["referred"] == before + 1
    other = academy_scope(world.other_academy.pk)
    assert dashboard_build_cached(other) == dashboard_build(other, kept=False)
    assert dashboard_build_cached(other).totals["referred"] != before + 1


def test_a_refresh_that_commits_after_a_later_one_still_makes_a_new_version(dashboard_world):
    """Two refreshes of one academy: the second (higher ids) commits first and a view caches
    it; then the first replaces one row with a row of a lower id. The highest id and the
    number of rows are as before; the sum of the ids is not, so the view counts again."""
    from reporting.dashboard import dashboard_build_cached

    scope = academy_scope(dashboard_world.world.academy.pk)
    rows = CohortFigures.objects.filter(academy=dashboard_world.world.academy).order_by("pk")
    top = rows.last().pk
    later = rows.last()
    later.pk = top + 1000  # the refresh that took the higher ids
    later.counts = {**later.counts}
    later.save(force_insert=True)
    CohortFigures.objects.filter(pk=top).delete()
    cached = dashboard_build_cached(scope)
    assert cached == dashboard_build(scope)
    earlier = rows.first()
    referred = earlier.counts.get("m:referred", 0)
    CohortFigures.objects.filter(pk=earlier.pk).delete()
    earlier.pk = top + 500  # lower than the highest id: that and the row count stay the same
    earlier.counts = {**earlier.counts, "m:referred": referred + 7}
    earlier.save(force_insert=True)
    after = dashboard_build_cached(scope)
    assert after.totals["referred"] == cached.totals["referred"] + 7
