"""Bad input (issue 8, item 3): random and hostile input on every form, the import and the
exports. Whatever comes in, the app answers without a 500 (and logs no error), a rejected
submit changes no data, hostile markup is never rendered unescaped, and no exported cell
starts a formula.

How hypothesis and pytest-django fit together: the database fixtures are function-scoped,
so one test's world is shared by all the examples hypothesis runs in it. Every example
therefore runs inside ``hostile.rolled_back()``, a savepoint that is rolled back when the
example ends: what a successful submit saved never reaches the next example, and the database
fingerprint taken at the start of an example (``hostile.db_fingerprint``: per table a row
count and an md5 over its rows, audit trail and sessions left out) is compared with the one
taken after a rejected submit. The @given functions are defined inside the tests (as in
tests/reporting/test_dashboard.py), so fixtures are plain pytest fixtures, and
``derandomize=True`` keeps every run the same: a failure found once is found again.

A case that shows a real defect is a separate, explicit test marked
``xfail(strict=True, reason=...)``; the fuzz tests leave that one input out and name the
xfail test where they do.
"""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from maatwerq.accounts.models import Role
from tests.factories import MembershipFactory, UserFactory

# One profile for every test here: reproducible, bounded, and no example database on disk.
FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Evidence files and report files go to a fresh directory, never the repository's."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def deelnemer(world):
    """Daan's own login (the participant portal), linked to his record."""
    user = UserFactory(email="daan@example.test", full_name="Daan")
    MembershipFactory(user=user, academy=world.academy, role=Role.DEELNEMER)
    world.participant.user = user
    world.participant.email = "daan@example.test"
    world.participant.save(update_fields=["user", "email"])
    return user


@pytest.fixture
def client_as(request, client_for):
    """client_as("deelnemer") besides every persona of client_for; the HTML in English."""

    def make(persona: str) -> Client:
        if persona == "deelnemer":
            client = Client()
            client.force_login(request.getfixturevalue("deelnemer"))
        else:
            client = client_for(persona)
        # A 500 comes back as a response (and an error in the log), not as an exception, so
        # hypothesis can shrink it like any other failure.
        client.raise_request_exception = False
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def logged_errors(caplog):
    """logged_errors() -> the messages logged at ERROR so far in this test."""

    def read() -> list[str]:
        return [r.getMessage() for r in caplog.get_records("call") if r.levelno >= logging.ERROR]

    return read


@pytest.fixture
def target(request, world, client_as):
    """The endpoint named by the test's parameter, ready to be posted to (endpoints.py)."""
    from .endpoints import make_target

    return make_target(request.param, world, client_as)
