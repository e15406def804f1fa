"""The read replica router (maatwerq.replica, issue 19 item 5): reporting's reads go to the
``replica`` alias when configured, everything else and every write to the primary, and a
read that must see a just-made write stays on the primary (in the same request, in a
transaction, and in the browser's next requests while the pin cookie lasts).

The ``replica`` alias is a Django test MIRROR of the test database: its own connection to the
same database, so the tests see which connection a query went to. Transactional tests: a
mirror's connection cannot see the default connection's uncommitted test transaction.
"""

from __future__ import annotations

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from maatwerq.replica import PIN_COOKIE, REPLICA, pin_to_primary, reporting_reads
from participants.models import Route
from reporting.models import ReportRun

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def queries_on(alias: str):
    return CaptureQueriesContext(connections[alias])


@override_settings(REPLICA_READS=True)
def test_reporting_reads_go_to_the_replica_and_others_to_the_primary(world):
    pin_to_primary(False)  # a new request
    with queries_on(REPLICA) as replica, queries_on("default") as primary:
        with reporting_reads():
            counted = Route.objects.count()
        Route.objects.exists()  # outside reporting: the primary
    assert counted == Route.objects.count() > 0
    assert len(replica) == 1
    assert "participants_route" in replica[0]["sql"]
    assert len(primary) == 1


@override_settings(REPLICA_READS=True)
def test_reads_after_a_write_or_in_a_transaction_stay_on_the_primary(world):
    pin_to_primary(False)
    route = Route.objects.first()
    pin_to_primary(False)
    with queries_on(REPLICA) as replica, reporting_reads():
        with transaction.atomic():
            Route.objects.count()  # an open transaction: its own writes are not replicated yet
        Route.objects.filter(pk=route.pk).update(school="Ambelt")  # a write pins ...
        assert Route.objects.filter(school="Ambelt").count() == 1  # ... so this sees it
    assert len(replica) == 0


def test_without_the_setting_everything_reads_on_the_primary(world):
    pin_to_primary(False)
    with queries_on(REPLICA) as replica, reporting_reads():
        Route.objects.count()
    assert len(replica) == 0


def test_no_migration_runs_on_the_replica():
    assert router.allow_migrate(REPLICA, "participants") is False
    assert router.allow_migrate("default", "participants") is not False


@override_settings(REPLICA_READS=True, REPLICA_PIN_SECONDS=10)
def test_the_browser_that_just_wrote_reads_its_write_on_the_primary(world, client_for):
    client = client_for("projectleider")
    dashboard = reverse("reporting:dashboard")
    client.get(dashboard)  # the session's first use after login
    # Should that first request have written (a session renewed on a slow machine), its pin
    # would hold for 10 s: start from a browser whose pin has run out.
    client.cookies.pop(PIN_COOKIE, None)
    with queries_on(REPLICA) as replica:
        response = client.get(dashboard)
    assert response.status_code == 200
    assert any("cohortfigures" in q["sql"] for q in replica.captured_queries)
    assert PIN_COOKIE not in response.cookies  # a read only: no pin

    # A write (asking for the Excel export) pins this browser to the primary ...
    response = client.post(reverse("reporting:dashboard_export"), {})
    assert response.status_code == 302
    assert ReportRun.objects.filter(kind="dashboard_xlsx").exists()
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    with queries_on(REPLICA) as replica:
        response = client.get(dashboard)
    assert response.status_code == 200
    assert len(replica) == 0  # ... while the cookie lasts
    # Another browser is not pinned.
    other = client_for("regisseur")
    other.get(dashboard)
    other.cookies.pop(PIN_COOKIE, None)
    with queries_on(REPLICA) as replica:
        other.get(dashboard)
    assert len(replica) > 0
