"""The two result lines per group (issue 18, reporting.results.lines), by hand.

Group A of BlinQ, six routes r1..r6 started 6 January 2025, counted on 1 August 2025 (every
route has reached month 6-9). Quarters are counted from the start.

    coach's well-being, month 0-3: r1 4 and 2 (its mean 3), r2 4, r3 5, r4 3, r5 5
        -> mean of the five routes' means 4.0 (n = 5); month 3-6: r1 2 only -> not shown (n = <5)
    own well-being, month 0-3: r1..r4 (four routes) -> not shown
    ROC diploma progress on 10 July (month 6-9): 20, 40, 60, 80, 100 % -> 60% (n = 5)
    certificates: r1 on 1 February (month 0-3), r2 on 1 May (month 3-6)
        -> share of the six: 17% (1/6), 33% (2/6), 33% (2/6)
    leermeester assessments: none.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from leerroutes.models import SelfReportedWellbeing
from reporting.dashboard import academy_scope
from reporting.results.lines import moment_of, result_lines
from tests.conftest import module_data
from tests.factories import (
    CertificateFactory,
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgressEntryFactory,
    RocResultFactory,
    RouteFactory,
)

pytestmark = pytest.mark.django_db

START = date(2025, 1, 6)
TODAY = date(2025, 8, 1)


def build_group_a(world):
    programme = ProgrammeFactory(academy=world.academy, name="BlinQ")
    cohort = CohortFactory(programme=programme, name="Groep A", start_date=START)
    routes = [
        RouteFactory(
            participant=ParticipantFactory(academy=world.academy, last_name=f"Lijn{i}"),
            programme=programme,
            cohort=cohort,
            start_date=START,
        )
        for i in range(1, 7)
    ]
    r1, r2, r3, r4, r5, _r6 = routes
    for route, on, score in [
        (r1, date(2025, 1, 20), 4),
        (r1, date(2025, 3, 1), 2),
        (r2, date(2025, 2, 1), 4),
        (r3, date(2025, 2, 1), 5),
        (r4, date(2025, 2, 1), 3),
        (r5, date(2025, 4, 5), 5),  # 5 April: still the first quarter (before 6 April)
        (r1, date(2025, 5, 1), 2),
    ]:
        ProgressEntryFactory(route=route, on=on, wellbeing=score)
    for route in (r1, r2, r3, r4):
        SelfReportedWellbeing.objects.create(route=route, week_start=date(2025, 2, 3), score=1)
    for route, percent in zip(routes[:5], (20, 40, 60, 80, 100), strict=True):
        RocResultFactory(route=route, on=date(2025, 7, 10), progress_percent=percent, passed=None)
    CertificateFactory(route=r1, issued_on=date(2025, 2, 1))
    CertificateFactory(route=r2, issued_on=date(2025, 5, 1))
    return cohort


# Built once for the module (tests/conftest.py, module_data): every test reads it.
_shared = module_data(build_group_a)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def group_a(_shared, db):
    return _shared[1]


def test_moments_are_quarters_since_the_start():
    assert moment_of(START, date(2025, 4, 5)) == 0
    assert moment_of(START, date(2025, 4, 6)) == 1
    assert moment_of(START, date(2025, 1, 5)) is None
    assert moment_of(START, date(2030, 1, 1)) == 8  # two years and more


def test_the_lines_match_the_hand_count(world, group_a):
    tables = {t.line.key: t for t in result_lines(academy_scope(world.academy.pk), today=TODAY)}
    key = (group_a.programme_id, group_a.pk)

    def texts(line):
        table = tables[line]
        row = next(row for row in table.rows if row.key == key)
        return dict(zip(table.moments, [cell.text for cell in row.cells], strict=True))

    assert texts("coach_wellbeing") == {"maand 0-3": "4.0 (n = 5)", "maand 3-6": "\u2013 (n = <5)"}
    assert texts("own_wellbeing") == {"maand 0-3": "\u2013 (n = <5)"}
    assert texts("roc_progress") == {"maand 6-9": "60% (n = 5)"}
    assert texts("certified") == {
        "maand 0-3": "17% (n = 6)",
        "maand 3-6": "33% (n = 6)",
        "maand 6-9": "33% (n = 6)",
    }
    assert tables["assessment"].rows == []


def test_planners_see_the_lines_and_no_name(world, group_a, client_for):
    body = client_for("projectleider").get(reverse("reporting:result_lines")).content.decode()
    assert "60% (n = 5)" in body
    assert "Lijn1" not in body


@pytest.mark.parametrize("persona", ["coach", "employer", "landelijk"])
def test_others_get_no_lines(world, group_a, client_for, persona):
    response = client_for(persona).get(reverse("reporting:result_lines"))
    assert response.status_code == 403
    assert "60% (n = 5)" not in response.content.decode()


def test_the_lines_split_by_start_year(world, group_a, client_for):
    """Per start year: the six routes of 2025 (with the world's, which hold no scores) give
    the same cells as their group; a route started in 2024 makes its own row."""
    earlier = RouteFactory(
        participant=ParticipantFactory(academy=world.academy, last_name="Lijn0"),
        programme=group_a.programme,
        start_date=date(2024, 3, 1),
    )
    ProgressEntryFactory(route=earlier, on=date(2024, 4, 1), wellbeing=1)
    tables = {
        t.line.key: t for t in result_lines(academy_scope(world.academy.pk), "year", today=TODAY)
    }
    rows = {row.key: row for row in tables["coach_wellbeing"].rows}
    assert list(rows) == [2024, 2025]
    moments = tables["coach_wellbeing"].moments
    cells_2025 = dict(zip(moments, [c.text for c in rows[2025].cells], strict=True))
    assert cells_2025["maand 0-3"] == "4.0 (n = 5)"
    assert rows[2024].cells[0].text == "\u2013 (n = <5)"
    body = (
        client_for("projectleider")
        .get(reverse("reporting:result_lines"), {"per": "year"})
        .content.decode()
    )
    assert '<tr data-row="2025">' in body
    assert '<tr data-row="2024">' in body
    assert "Lijn0" not in body
