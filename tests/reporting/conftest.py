"""Fixtures of the reporting tests: a private MEDIA_ROOT per test, report kinds made for the
test, and a small history of cohorts with routes."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest

from maatwerq.accounts.models import Role
from reporting import registry
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RouteFactory,
    UserFactory,
)


@contextmanager
def celery_conf(**overrides):
    """Override the Celery app's configuration for a while and put back exactly what was
    there (it otherwise reads the Django settings live)."""
    from config.celery import app

    changes = app.conf.changes
    before = {key: changes[key] for key in overrides if key in changes}
    app.conf.update(overrides)
    try:
        yield app
    finally:
        for key in overrides:
            changes.pop(key, None)
        changes.update(before)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Report files go to a fresh directory, never the repository's private/."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def register_kind(monkeypatch):
    """register_kind("name", generate, shared=False): a report kind for this test only."""

    def register(name, generate, *, shared=False, permission="reporting.view_forecast"):
        kind = registry.ReportKind(name, name, generate, permission, shared)
        monkeypatch.setitem(registry._KINDS, name, kind)
        return kind

    return register


def person_with_role(academy, role, email):
    user = UserFactory(email=email)
    MembershipFactory(user=user, academy=academy, role=role)
    return user


@pytest.fixture
def colleague(world):
    """A second projectleider in the same academy."""
    return person_with_role(world.academy, Role.PROJECTLEIDER, "pl2@example.test")


@pytest.fixture
def foreign_projectleider(world):
    return person_with_role(world.other_academy, Role.PROJECTLEIDER, "pl-twente@example.test")


def routes(cohort, spans):
    """Routes in the cohort with these (start_date, end_date) spans."""
    for start, end in spans:
        participant = ParticipantFactory(academy=cohort.programme.academy)
        RouteFactory(
            participant=participant,
            programme=cohort.programme,
            cohort=cohort,
            start_date=start,
            end_date=end,
            status="uitgevallen" if end else "contract",
        )


@pytest.fixture
def history(world):
    """Two earlier cohorts of the world's programme with drop-out, and a planned one.

    Groep 20 (Sep 2024, planned 12): 10 start, 2 leave in December 2024, 1 late entrant.
    Groep 21 (Feb 2025, planned 10): 8 start, 1 leaves in March 2025.
    Groep 30 (Feb 2027, planned 11): not started.
    """
    programme = world.programme
    g20 = CohortFactory(programme=programme, name="Groep 20", start_date=date(2024, 9, 2))
    routes(g20, [(date(2024, 9, 2), None)] * 8)
    routes(g20, [(date(2024, 9, 2), date(2024, 12, 13))] * 2)
    routes(g20, [(date(2024, 11, 4), None)])
    g21 = CohortFactory(
        programme=programme, name="Groep 21", start_date=date(2025, 2, 3), planned_size=10
    )
    routes(g21, [(date(2025, 2, 3), None)] * 7 + [(date(2025, 2, 3), date(2025, 3, 14))])
    g30 = CohortFactory(
        programme=programme, name="Groep 30", start_date=date(2027, 2, 1), planned_size=11
    )
    return {"g20": g20, "g21": g21, "g30": g30}


@pytest.fixture
def other_academy_programme(world):
    programme = ProgrammeFactory(academy=world.other_academy, name="TanQ")
    CohortFactory(programme=programme, name="Groep Twente", start_date=date(2025, 9, 1))
    return programme
