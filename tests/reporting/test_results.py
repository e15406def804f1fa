"""Outcomes as shares (issue 18, reporting.results.outcomes): every table against the
hand-counted academy of conftest_dashboard (its table is in test_dashboard), rows that add up
to their denominator, and who sees the page.

Counted on 1 April 2026 (``TODAY``):

    route  type start    status       contract end       outcome   3 months +6      +12
    daan   2    25-09-01 proefperiode -        -         -         no       -       -
    noor   2    25-09-01 proefperiode -        -         -         no       -       -
    anna   2    25-09-01 contract     25-12-01 -         -         yes      -       -
    bram   1b   25-09-01 afgerond     25-12-01 26-03-31  succesvol yes      werk    not due
    chris  2    25-09-01 uitgevallen  -        25-11-15  negatief  no       geen    onbekend
    dewi   1a   25-09-01 uitgevallen  -        25-10-01  (none)    no       due (*) not due
    julia  2    25-09-01 uitgevallen  25-12-01 26-02-28  succesvol yes      werk    not due
    hamza  1b   25-02-01 afgerond     -        25-06-30  succesvol no (**)  school  werk+school
    ivo    2    26-02-02 gestart      -        -         -         pending  -       -
    eva    2    -        uitgevallen  -        26-01-20  overig    -        -       -
    fleur, gijs: never started, not left (not admitted, referred).

(*) dewi left 1 October 2025: her 6-month check fell due on 1 April 2026, today, unrecorded.
(**) hamza left for education, not a job, and had no contract.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from reporting.dashboard import academy_scope
from reporting.models import EsfRecord
from reporting.results.outcomes import (
    DIMENSIONS,
    TABLES,
    route_facts,
    share_table,
    share_tables,
    work_within_three_months,
)
from tests.conftest import module_data

from .conftest_dashboard import build_dashboard_world

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)
RESULTS = reverse("reporting:results")


# One hand-counted academy for the whole module (tests/conftest.py, module_data): every test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_dashboard_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def dashboard_world(_shared, db):
    return _shared[1]


def tables(world, per="route_type", **kwargs):
    facts = route_facts(academy_scope(world.academy.pk), today=TODAY)
    return {t.kind.key: t for t in share_tables(facts, per, **kwargs)}


def test_totals_match_the_hand_count(dashboard_world):
    t = tables(dashboard_world.world)
    assert (t["progress"].total.total, t["progress"].total.counts) == (
        9,
        {"running": 4, "completed": 2, "dropped_out": 3, "unknown": 0},
    )
    assert (t["outcome"].total.total, t["outcome"].total.counts) == (
        6,
        {"succesvol": 3, "negatief": 1, "overig": 1, "unknown": 1},
    )
    assert (t["work3"].total.total, t["work3"].total.counts) == (
        9,
        {"yes": 3, "no": 5, "pending": 1},
    )
    assert t["after6"].total.counts == {
        "work_school": 3,
        "neither": 1,
        "unknown": 0,
        "not_checked": 1,
        "not_due": 0,
    }
    assert t["after12"].total.counts == {
        "work_school": 1,
        "neither": 0,
        "unknown": 1,
        "not_checked": 0,
        "not_due": 3,
    }


def test_shares_are_of_the_stated_denominator(dashboard_world):
    t = tables(dashboard_world.world)
    assert t["work3"].total.cells == ["3 (33%)", "5 (56%)", "1 (11%)"]
    assert t["outcome"].total.cells == ["3 (50%)", "1 (17%)", "1 (17%)", "1 (17%)"]
    assert t["after6"].total.cells[0] == "3 (60%)"
    # Of fewer than five (route type 1b: bram and hamza started, both completed) the count of
    # the n, no percentage.
    assert t["progress"].row("1b").cells == ["0 van 2", "2 van 2", "0 van 2", "0 van 2"]


def test_rows_add_up_to_their_denominator_and_to_the_total(dashboard_world):
    t = tables(dashboard_world.world)
    for table in t.values():
        assert all(row.adds_up for row in table.rows), table.title
        assert sum(row.total for row in table.rows) == table.total.total, table.title
    progress = t["progress"]
    assert progress.row("2").counts == {
        "running": 4,
        "completed": 0,
        "dropped_out": 2,
        "unknown": 0,
    }
    assert progress.row("1b").counts["completed"] == 2
    assert progress.row("1a").counts["dropped_out"] == 1
    assert t["outcome"].row("2").counts == {
        "succesvol": 1,
        "negatief": 1,
        "overig": 1,
        "unknown": 0,
    }


def test_per_group_and_per_year(dashboard_world):
    dw = dashboard_world
    per_group = tables(dw.world, "cohort")["work3"]
    g27 = (dw.world.programme.pk, dw.g27.pk)
    g28 = (dw.world.programme.pk, dw.g28.pk)
    none = (dw.world.programme.pk, None)
    assert per_group.row(g27).counts == {"yes": 3, "no": 4, "pending": 0}
    assert per_group.row(g28).counts == {"yes": 0, "no": 0, "pending": 1}
    assert per_group.row(none).counts == {"yes": 0, "no": 1, "pending": 0}
    per_year = tables(dw.world, "year")["progress"]
    assert {row.key: row.total for row in per_year.rows} == {2025: 8, 2026: 1}


@pytest.mark.parametrize(
    ("contract", "end", "destination", "expected"),
    [
        (date(2026, 4, 1), None, "", "yes"),  # exactly 3 months after 1 January
        (date(2026, 4, 2), None, "", "no"),
        (None, date(2026, 3, 1), "werk_elders", "yes"),
        (None, date(2026, 3, 1), "opleiding", "no"),
    ],
)
def test_work_within_three_months_boundaries(contract, end, destination, expected):
    row = {
        "start_date": date(2026, 1, 1),
        "contract_date": contract,
        "end_date": end,
        "destination": destination,
    }
    assert work_within_three_months(row, date(2026, 6, 1)) == expected
    assert work_within_three_months(row, date(2026, 3, 31)) in {expected, "pending"}


def test_sex_comes_from_the_esf_data_and_is_rounded(dashboard_world):
    routes = dashboard_world.routes
    for key in ("bram", "hamza", "daan"):
        EsfRecord.objects.create(route=routes[key], sex="man")
    EsfRecord.objects.create(route=routes["julia"], sex="vrouw")
    exact = tables(dashboard_world.world, "sex")["progress"]
    assert exact.row("man").total == 3
    assert exact.row("vrouw").total == 1
    assert exact.row("unknown").total == 5  # no record: anna noor chris dewi ivo
    rounded = tables(dashboard_world.world, "sex", protected=True)["progress"]
    assert rounded.row("man").cells[0] == "<5 (\u2013)"
    assert rounded.row("unknown").total == 5
    assert rounded.total.total == 10  # 9 rounded


def test_the_other_academy_is_never_counted(dashboard_world):
    facts = route_facts(academy_scope(dashboard_world.world.other_academy.pk), today=TODAY)
    assert share_table(facts, TABLES["outcome"], DIMENSIONS["route_type"]).total.total == 1


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["projectleider", "regisseur"])
def test_planners_see_the_shares(dashboard_world, client_for, persona):
    body = client_for(persona).get(RESULTS, {"per": "route_type"}).content.decode()
    assert "In werk binnen 3 maanden na de start" in body
    assert "Zichtbaar" not in body  # counts only, no name
    assert 'data-table="after12"' in body


@pytest.mark.parametrize("persona", ["coach", "employer", "landelijk", "beheerder"])
def test_others_get_nothing(dashboard_world, client_for, persona):
    response = client_for(persona).get(RESULTS)
    assert response.status_code == 403
    assert "binnen 3 maanden" not in response.content.decode()


def test_a_programme_of_another_academy_is_a_404(dashboard_world, client_for):
    foreign = dashboard_world.foreign_route.programme
    response = client_for("projectleider").get(RESULTS, {"programme": foreign.pk})
    assert response.status_code == 404


def _queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # the first request after the login writes the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "per"),
    [(RESULTS, "cohort"), (RESULTS, "sex"), (reverse("reporting:result_lines"), "cohort")],
)
def test_query_count_does_not_grow_with_the_routes(world, client_for, url, per):
    from tests.factories import (
        CohortFactory,
        ParticipantFactory,
        ProgressEntryFactory,
        RouteFactory,
    )

    client = client_for("projectleider")

    def add(n):
        cohort = CohortFactory(programme=world.programme, name=f"Groep x{n}")
        for _i in range(n):
            route = RouteFactory(
                participant=ParticipantFactory(academy=world.academy),
                programme=world.programme,
                cohort=cohort,
                start_date=date(2025, 9, 1),
                end_date=date(2026, 1, 1),
                status="uitgevallen",
                outcome_category="negatief",
            )
            EsfRecord.objects.create(route=route, sex="vrouw")
            ProgressEntryFactory(route=route, on=date(2025, 10, 1))

    add(2)
    small = _queries(client, url, {"per": per})
    add(20)
    assert _queries(client, url, {"per": per}) == small


# --- the dashboard: shares beside the counts, the denominator under the charts --------------


def test_dashboard_writes_the_denominator_under_the_charts(dashboard_world, client_for):
    body = client_for("projectleider").get(reverse("reporting:dashboard")).content.decode()
    # At leaving: bram, julia, hamza in work or school; chris neither; dewi unknown.
    assert (
        "Bij uitstroom: 3 aan het werk of op school van de 4 van wie de situatie bekend is "
        "(3 van 4); van alle 5 die na de start uitstroomden is dat 60%."  # no % of four
    ) in body
    # The outcome breakdown: shares of the 6 who left, the "overig" row among them.
    assert 'data-denominator="outcome">Percentages van: Uitgestroomd' in body
    outcome = figure(body, "outcome")
    assert '<tr data-row="overig">' in outcome
    assert '<span class="fw-normal" data-n>(n = 6)</span>' in outcome  # the share column's n
    assert "<td data-share>17%</td>" in outcome  # 1 of 6
    assert "<td data-share>50%</td>" in outcome  # successful: 3 of 6
    # Drop-out by reason rests on the 4 who dropped out: counts of the four, no percentage.
    reason = figure(body, "reason")
    assert "(n = 4)" in reason
    assert not re.search(r"\d%", reason)
    assert "<td data-share>1 van 4</td>" in reason  # chris: motivation
    # Side by side, compared charts share one scale, stated as the axis: the outflow charts
    # run 0 to 3 (the 3 successful), so the reasons of success (2 work, 1 education) are
    # 250 * 2/3 and 250 * 1/3 long, not 250 and 125 as on a scale of their own.
    for key in ("destination", "outcome", "reason_succesvol", "reason_overig"):
        assert axis_max(body, key) == "3", key
    assert re.findall(r'<rect[^>]*width="([^"]+)"', figure(body, "reason_succesvol")) == [
        "166.7",
        "83.3",
        "0.0",
    ]


def figure(body: str, key: str) -> str:
    part = body[body.index(f'id="figure-{key}"') :]
    return part[: part.index("</figure>")]


def axis_max(body: str, key: str) -> str:
    return re.findall(r'text-anchor="end" class="dash-axis">([^<]+)</text>', figure(body, key))[-1]


def test_another_academys_planner_sees_only_their_own_routes(dashboard_world, client_for):
    from maatwerq.accounts.models import Role
    from tests.reporting.conftest import person_with_role

    own = client_for("projectleider").get(RESULTS).content.decode()
    assert '<tr data-row="total"><th scope="row">Totaal</th><td data-n>9</td>' in own
    foreign = person_with_role(
        dashboard_world.world.other_academy, Role.PROJECTLEIDER, "pl@tw.test"
    )
    client = client_for("anonymous")
    client.force_login(foreign)
    body = client.get(RESULTS).content.decode()
    assert "<td data-n>9</td>" not in body
    assert '<tr data-row="total"><th scope="row">Totaal</th><td data-n>1</td>' in body  # Finn


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 3, 31), -6, date(2024, 9, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    from reporting.results.outcomes import add_months

    assert add_months(day, months) == expected
