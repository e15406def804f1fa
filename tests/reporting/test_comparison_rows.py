"""Academies side by side (reporting.results.comparison), on the bare world: the rows of every
rate line up when some tables are empty. (The hand-counted academies of test_comparison.py are
shared by that module; this test needs the world without them.)"""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q

from reporting.results.comparison import rate_rows
from reporting.results.outcomes import route_facts
from tests.factories import ProgrammeFactory, RouteFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 1)


def test_every_rate_has_the_same_rows_when_some_tables_are_empty(world):
    """Salland has one route that left (so an outcome row), Twente one still running: the
    drop-out and outcome tables hold different academies, the rows must still line up."""
    world.other_participant.current_route.delete()
    route = world.participant.current_route
    route.status, route.end_date, route.outcome_category = "uitgevallen", date(2025, 6, 1), ""
    route.start_date = date(2025, 1, 6)
    route.save()
    RouteFactory(
        participant=world.foreign_participant,
        programme=ProgrammeFactory(academy=world.other_academy, name="TanQ"),
        start_date=date(2025, 1, 6),
    )
    rows = rate_rows(route_facts(Q(), today=TODAY), "academy", protected=False)
    assert [row.label for row in rows] == ["Academie Salland", "Academie Twente"]
    assert [cell.whole for cell in rows[1].cells] == [1, 0, 1, 0, 0]
