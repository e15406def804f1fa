"""Academies side by side (issue 18, reporting.results.comparison): rates with their n, made
from rounded counts, and an academy's own row against the national median.

The hand count (all started 2025-01-06, so every route counts everywhere):

    academy           programme  started  dropped out   published (rounded)   drop-out rate
    Academie Salland  BinQ       12       6             10 / 5                50% (n = 10)
    Academie Twente   TanQ       20       5             20 / 5                25% (n = 20)
    Academie Noord    BlinQ       8       7             10 / 5                50% (n = 10)
    Academie Leeg     -           0       0             <5                    - (n = <5)
    median of the three with a rate: 50%.
Salland's own row is exact: 6 of 12 = 50% (n = 12).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q
from django.urls import reverse

from reporting.results.comparison import medians, rate_rows
from reporting.results.outcomes import route_facts
from tests.conftest import module_data
from tests.factories import AcademyFactory, ParticipantFactory, ProgrammeFactory, RouteFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)
NATIONAL = reverse("reporting:national_comparison")
OWN = reverse("reporting:comparison")


def started(programme, n, dropped, name="Vergelijker"):
    for index in range(n):
        out = index < dropped
        RouteFactory(
            participant=ParticipantFactory(academy=programme.academy, last_name=name),
            programme=programme,
            start_date=date(2025, 1, 6),
            end_date=date(2025, 6, 1) if out else None,
            status="uitgevallen" if out else "contract",
            outcome_category="negatief" if out else "",
        )


def build_academies(world):
    """The world's own two routes (daan, noor) are moved out of the way: started in 2025 too,
    they would make Salland 14 started."""
    world.participant.current_route.delete()
    world.other_participant.current_route.delete()
    started(world.programme, 12, 6)
    started(ProgrammeFactory(academy=world.other_academy, name="TanQ"), 20, 5)
    noord = AcademyFactory(name="Academie Noord")
    started(ProgrammeFactory(academy=noord, name="BlinQ"), 8, 7)
    leeg = AcademyFactory(name="Academie Leeg")
    return world, noord, leeg


# Built once for the module (tests/conftest.py, module_data): every test reads it, or writes
# what its savepoint undoes. (A test that needs the bare world: test_comparison_rows.py.)
_shared = module_data(build_academies)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def academies(_shared, db):
    return _shared[1]


def test_rates_are_made_from_rounded_counts_with_their_n(academies):
    world, noord, leeg = academies
    facts = route_facts(Q(), today=TODAY)
    every = [world.academy.pk, world.other_academy.pk, noord.pk, leeg.pk]
    rows = {
        row.label: row.cells[0].text
        for row in rate_rows(facts, "academy", protected=True, every=every)
    }
    assert rows == {
        "Academie Salland": "50% (n = 10)",
        "Academie Twente": "25% (n = 20)",
        "Academie Noord": "50% (n = 10)",
        "Academie Leeg": "\u2013 (n = <5)",
    }
    median = medians(rate_rows(facts, "academy", protected=True, every=every))[0]
    assert (median.share, median.academies) == (0.5, 3)
    branches = {row.label: row.cells[0].text for row in rate_rows(facts, "branch", protected=True)}
    assert branches == {"BinQ": "50% (n = 10)", "BlinQ": "50% (n = 10)", "TanQ": "25% (n = 20)"}


def test_landelijk_sees_every_academy_and_the_median(academies, client_for):
    body = client_for("landelijk").get(NATIONAL).content.decode()
    for name in ("Academie Salland", "Academie Twente", "Academie Noord", "Academie Leeg"):
        assert name in body
    assert "25% (n = 20)" in body
    assert "50% (mediaan van 3 academies)" in body
    assert "Vergelijker" not in body
    assert "Zichtbaar" not in body


def test_the_academy_sees_its_own_exact_row_against_the_median(academies, client_for):
    body = client_for("projectleider").get(OWN).content.decode()
    assert (
        "<td data-own>50% (n = 12)</td><td data-median>50% (mediaan van 3 academies)</td>" in body
    )
    assert "Academie Twente" not in body
    assert "Academie Noord" not in body


def test_no_median_for_an_academy_when_fewer_than_three_have_a_figure(academies, client_for):
    _world, noord, _leeg = academies
    noord.programmes.get().routes.all().delete()
    body = client_for("projectleider").get(OWN).content.decode()
    assert "<td data-own>50% (n = 12)</td><td data-median>\u2013</td>" in body


@pytest.mark.parametrize(
    "persona", ["projectleider", "regisseur", "coach", "employer", "beheerder"]
)
def test_only_landelijk_compares_the_academies(academies, client_for, persona):
    response = client_for(persona).get(NATIONAL)
    assert response.status_code == 403
    assert "Academie Noord" not in response.content.decode()


@pytest.mark.parametrize("persona", ["landelijk", "coach", "employer", "beheerder"])
def test_the_own_comparison_is_for_the_planners(academies, client_for, persona):
    response = client_for(persona).get(OWN)
    assert response.status_code == 403
    assert "data-own" not in response.content.decode()


def test_loose_dates_are_not_a_period(academies, client_for):
    response = client_for("landelijk").get(NATIONAL, {"period": "2025-03-05"})
    assert response.status_code == 200
    assert "25% (n = 20)" not in response.content.decode()
