"""Personas (alice/bob style, after healthchecks and ephios) and the suite's strictness.

The world: one academy with a programme and a cohort; two coaches each with one participant
(who has a distinctive care note); two employers, each hosting one of those participants;
a regisseur, projectleider, beheerder and a national user; and a second academy with a
participant nobody here may see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import translation

from maatwerq.accounts.models import Membership, Role, User

from .factories import (
    AcademyFactory,
    CareNoteFactory,
    CohortFactory,
    EmployerFactory,
    MembershipFactory,
    ParticipantFactory,
    PlacementFactory,
    ProgrammeFactory,
    UserFactory,
    participant_in,
)

TESTS = Path(__file__).resolve().parent
T = TypeVar("T")

# A marker per directory, set at collection, so a loop can pick a part by name
# (`-m "not browser"`); `make test-fast` runs what none of these mark.
DIRECTORY_MARKERS = {
    "browser": "browser",
    "faults": "faults",
    "ops": "ops",
    "security": "crawl",
    "badinput": "fuzz",
}
# What starts its own processes, drives Chromium, or kills a worker: run after the parallel
# part, one at a time (`make pytest`), so timing-sensitive faults never share the 2 cores.
SERIAL_DIRECTORIES = {"browser", "faults", "ops"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(TESTS).parts
        top = parts[0] if len(parts) > 1 else ""
        if top in DIRECTORY_MARKERS:
            item.add_marker(DIRECTORY_MARKERS[top])
        if top in SERIAL_DIRECTORIES:
            item.add_marker("serial")


PERSONAS = [
    "coach",
    "other_coach",
    "regisseur",
    "projectleider",
    "employer",
    "other_employer",
    "beheerder",
    "landelijk",
    "anonymous",
]


@dataclass
class World:
    academy: object
    other_academy: object
    programme: object
    cohort: object
    employer_org: object
    other_employer_org: object
    users: dict
    participant: object  # coach's, placed at employer_org
    other_participant: object  # other_coach's, placed at other_employer_org
    foreign_participant: object  # in the other academy
    care_note: object
    other_care_note: object


@pytest.fixture
def world(db) -> World:
    return build_world()


@contextmanager
def shared_data(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """What `build()` makes, in an outer transaction that is rolled back when the `with` ends:
    data a whole module shares, built once instead of once per test.

    Each test still runs in its own savepoint inside it (pytest-django's `db` fixture is a
    TestCase, whose atomic blocks nest as savepoints here), so whatever a test writes - a POST,
    an audit event, a session, an object its URL needs - is rolled back before the next test:
    every test starts from the same rows, as with data of its own. The database is open only
    while building and rolling back; the tests still ask for `db`. Not for `transactional_db`
    tests: they truncate the tables.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One `world` for every test of a module (see `shared_data`). A module opts in with

        @pytest.fixture
        def world(module_world, db):
            return module_world

    where its tests leave the world's Python objects as they found them (a test that sets an
    attribute on `world.participant` would hand it on to the next test)."""
    with shared_data(django_db_blocker, build_world) as world:
        yield world


def module_data(build: Callable[[World], T]):
    """A module-scoped fixture holding `(world, build(world))`, built once for the module in
    `shared_data` (each test still in its own savepoint). A module whose tests read what
    `build` adds (a hand-counted academy) names it and hands both out:

        _shared = module_data(build_dashboard_world)

        @pytest.fixture
        def world(_shared, db):
            return _shared[0]

    Every test of the module then sees the same rows, so `world` alone is that world too."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker) -> Iterator[tuple[World, T]]:
        def both() -> tuple[World, T]:
            world = build_world()
            return world, build(world)

        with shared_data(django_db_blocker, both) as data:
            yield data

    return fixture


def build_world() -> World:
    """The personas' world, as the module docstring describes it."""
    academy = AcademyFactory(name="Academie Salland")
    other_academy = AcademyFactory(name="Academie Twente")
    programme = ProgrammeFactory(academy=academy, name="BinQ")
    cohort = CohortFactory(programme=programme, name="Groep 27")
    employer_org = EmployerFactory(academy=academy, name="Nijland Infra")
    other_employer_org = EmployerFactory(academy=academy, name="Van der Wal Transport")
    roles = {
        "coach": (Role.COACH, None),
        "other_coach": (Role.COACH, None),
        "regisseur": (Role.REGISSEUR, None),
        "projectleider": (Role.PROJECTLEIDER, None),
        "employer": (Role.WERKGEVER, employer_org),
        "other_employer": (Role.WERKGEVER, other_employer_org),
        "beheerder": (Role.BEHEERDER, None),
        "landelijk": (Role.LANDELIJK, None),
    }
    # Eight personas and their memberships in two inserts (most tests build this world).
    users = {
        name: UserFactory.build(email=f"{name}@example.test", full_name=name.replace("_", " "))
        for name in roles
    }
    User.objects.bulk_create(users.values())
    Membership.objects.bulk_create(
        MembershipFactory.build(user=users[name], academy=academy, role=role, employer=employer)
        for name, (role, employer) in roles.items()
    )
    participant = participant_in(
        cohort, coach=users["coach"], first_name="Daan", last_name="Zichtbaar"
    )
    other_participant = participant_in(
        cohort, coach=users["other_coach"], first_name="Noor", last_name="Anderman"
    )
    foreign = ParticipantFactory(academy=other_academy, first_name="Finn", last_name="Buitenaf")
    PlacementFactory(participant=participant, employer=employer_org)
    PlacementFactory(participant=other_participant, employer=other_employer_org)
    care_note = CareNoteFactory(participant=participant, text="ZORG-GEHEIM-DAAN schulden")
    other_care_note = CareNoteFactory(
        participant=other_participant, text="ZORG-GEHEIM-NOOR jeugdzorg"
    )
    return World(
        academy,
        other_academy,
        programme,
        cohort,
        employer_org,
        other_employer_org,
        users,
        participant,
        other_participant,
        foreign,
        care_note,
        other_care_note,
    )


@pytest.fixture
def client_for(world):
    """client_for("coach") -> a Django test client logged in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _private_files(tmp_path_factory):
    """Uploaded evidence and report files go to a directory of this test process, never the
    repository's private/: parallel workers each number their report runs from 1. Set once,
    before any package fixture, so a package's own MEDIA_ROOT (tests/security) still holds."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "private"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: it holds allauth's login rate limits, and the
    personas have the same email addresses in every test, so one test's failed logins would
    otherwise lock the next test's coach out."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Every test starts in the default language (Dutch): a request in English activates
    English for the rest of the thread, and a later service test would read English messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(caplog):
    """A test fails when anything logs an error, even if the response looked fine."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, f"errors were logged: {[r.getMessage() for r in errors]}"
