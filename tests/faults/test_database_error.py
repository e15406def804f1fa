"""A PostgreSQL error partway through a multi-row service: nothing of the state change stays.

participants.services.route_complete writes, in this order, the follow-up checks, the
end of the running placement (with its audit event), the route's new status, a StatusChange
and an audit event, in one transaction. A temporary trigger
makes PostgreSQL refuse one of those inserts as if its disk were full (the first insert, a
middle one, the last); afterwards the route, its history, follow-ups and the audit log are
exactly as before."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import OperationalError, connection

from employers.models import Placement
from maatwerq.audit.models import AuditEvent
from participants import services
from participants.models import ContractType, Destination, FollowUp, Route, Status, StatusChange

FAULT = "injected fault"


def _snapshot(route: Route) -> dict:
    fresh = Route.objects.get(pk=route.pk)
    return {
        "status": fresh.status,
        "end_date": fresh.end_date,
        "destination": fresh.destination,
        "outcome": fresh.outcome_category,
        "status_changes": StatusChange.objects.filter(route=route).count(),
        "follow_ups": FollowUp.objects.filter(route=route).count(),
        "audit_events": AuditEvent.objects.count(),
        "open_placements": Placement.objects.filter(
            participant=fresh.participant_id, end_date__isnull=True
        ).count(),
    }


def _fail_inserts_into(table: str):
    """Install a trigger that raises on INSERT into ``table``; returns its remover."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION faults_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{FAULT}' USING ERRCODE = 'disk_full'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER faults_refuse BEFORE INSERT ON {connection.ops.quote_name(table)} "
            "FOR EACH ROW EXECUTE FUNCTION faults_refuse()"
        )

    def remove() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS faults_refuse ON {connection.ops.quote_name(table)}"
            )
            cursor.execute("DROP FUNCTION IF EXISTS faults_refuse()")

    return remove


def _complete(route: Route, coach) -> None:
    services.route_complete(
        route=route,
        end_date=date(2026, 1, 15),
        destination=Destination.JOB_HOST,
        contract_type=ContractType.PERMANENT,
        contract_hours=32,
        by=coach,
    )


# Transactional, so the service's transaction.atomic is a real transaction (not a savepoint
# inside the test's), as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", [FollowUp, StatusChange, AuditEvent], ids=lambda m: m.__name__)
def test_database_error_mid_route_complete_rolls_back_the_whole_state_change(world, model):
    route = world.participant.current_route
    before = _snapshot(route)
    assert before["status"] == Status.PROEFPERIODE
    assert before["follow_ups"] == 0

    remove = _fail_inserts_into(model._meta.db_table)
    try:
        with pytest.raises(OperationalError, match=FAULT):
            _complete(route, world.users["coach"])
    finally:
        remove()

    assert _snapshot(route) == before
    # The database is fine again: the same step now goes through, whole.
    services.route_complete(
        route=route,
        end_date=date(2026, 1, 15),
        destination="werk_leerbedrijf",
        contract_type="vast",
        contract_hours=32,
        by=world.users["coach"],
    )
    after = _snapshot(route)
    assert after["status"] == Status.AFGEROND
    assert after["follow_ups"] == before["follow_ups"] + 2
    assert after["status_changes"] == before["status_changes"] + 1
    # Issue 15: the end also closes the running placement, with its own audit event.
    assert (after["open_placements"], before["open_placements"]) == (0, 1)
    assert after["audit_events"] == before["audit_events"] + 2
