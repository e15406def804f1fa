"""Queries built and compiled once per key (maatwerq.queries.BuiltQueries), and the scope key
they are kept under for a user (participants.selectors.visibility_key): only the statement is
kept, never its rows, and a key changes with everything the user's scope is built from."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import F
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from leerroutes.selectors import caseload_for
from maatwerq.accounts.access import memberships_of, set_active_membership
from maatwerq.accounts.models import Membership, Role
from maatwerq.queries import BuiltQueries
from maatwerq.replica import REPLICA, pin_to_primary, reporting_reads
from participants.models import Participant
from participants.selectors import follow_ups_due_list, visibility_key
from tests.factories import FollowUpFactory, participant_in


def counting(build):
    calls = []

    def counted(*args):
        calls.append(args)
        return build(*args)

    return counted, calls


@pytest.mark.django_db
def test_the_statement_is_kept_and_run_against_the_database_as_it_is_now(world):
    build, calls = counting(
        lambda academy: (
            Participant.objects.filter(academy=academy)
            .order_by("last_name")
            .values("last_name", first=F("first_name"))
        )
    )
    queries = BuiltQueries(build)
    first = queries.rows(world.academy.pk, world.academy)
    assert [row["last_name"] for row in first] == ["Anderman", "Zichtbaar"]
    assert first[0] == {"last_name": "Anderman", "first": "Noor"}
    participant_in(world.participant.current_route.cohort, first_name="Sem", last_name="Bakker")
    with CaptureQueriesContext(connection) as captured:
        again = queries.rows(world.academy.pk, world.academy)
    assert [row["last_name"] for row in again] == ["Anderman", "Bakker", "Zichtbaar"]
    assert len(captured) == 1
    assert len(calls) == 1  # built once, run twice


@pytest.mark.django_db
def test_values_list_gives_tuples_with_django_s_conversions(world):
    queries = BuiltQueries(
        lambda pk: Participant.objects.filter(pk=pk).values_list("pk", "date_of_birth")
    )
    [(pk, born)] = queries.rows(world.participant.pk, world.participant.pk)
    assert pk == world.participant.pk
    assert born == Participant.objects.get(pk=pk).date_of_birth


@pytest.mark.django_db
def test_the_least_recently_used_key_is_dropped_past_the_bound(world):
    build, calls = counting(lambda name: Participant.objects.filter(last_name=name).values("pk"))
    queries = BuiltQueries(build, size=2)
    for name in ("Zichtbaar", "Anderman", "Zichtbaar", "Buitenaf", "Zichtbaar", "Anderman"):
        queries.rows(name, name)
    assert calls == [("Zichtbaar",), ("Anderman",), ("Buitenaf",), ("Anderman",)]
    assert len(queries) == 2


@pytest.mark.django_db
def test_a_query_that_can_select_nothing_runs_nothing(world):
    queries = BuiltQueries(lambda: Participant.objects.none().values("pk"))
    with CaptureQueriesContext(connection) as captured:
        assert queries.rows("none") == []
    assert len(captured) == 0


@pytest.mark.django_db
def test_only_values_queries_are_kept(world):
    queries = BuiltQueries(lambda: Participant.objects.all())
    with pytest.raises(TypeError):
        queries.rows("models")


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
@override_settings(REPLICA_READS=True)
def test_each_call_runs_on_the_database_the_router_picks(world):
    queries = BuiltQueries(lambda: Participant.objects.order_by("last_name").values("last_name"))
    pin_to_primary(False)
    with (
        CaptureQueriesContext(connections[REPLICA]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        on_primary = queries.rows("all")
        with reporting_reads():
            on_replica = queries.rows("all")
    assert on_primary == on_replica
    assert (len(primary), len(replica)) == (1, 1)


# --- the key a user's scope is kept under ----------------------------------------------------


@pytest.mark.django_db
def test_the_key_changes_with_everything_the_scope_is_built_from(world):
    coach = world.users["coach"]
    [membership] = memberships_of(coach)
    set_active_membership(coach, membership)
    key = visibility_key(coach)
    assert key is not None
    assert visibility_key(world.users["other_coach"]) != key
    for change in (
        {"role": Role.REGISSEUR},
        {"academy": world.other_academy},
        {"employer": world.employer_org},
    ):
        changed = Membership(**{**_fields(membership), **change})
        set_active_membership(coach, changed)
        assert visibility_key(coach) != key, change
    set_active_membership(coach, membership)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with mock.patch.object(timezone, "localdate", return_value=tomorrow):
        assert visibility_key(coach) != key
    set_active_membership(coach, None)
    assert visibility_key(coach) is None


def _fields(membership: Membership) -> dict:
    return {
        "pk": membership.pk,
        "user": membership.user,
        "academy": membership.academy,
        "role": membership.role,
        "employer": membership.employer,
    }


@pytest.mark.django_db
def test_a_kept_caseload_follows_reassignment_and_the_acting_role_at_once(world):
    """Two coaches in one process: each their own trainees; a trainee handed over leaves the
    first caseload and joins the other on the next call; a role switch shows that role's
    scope (the regisseur's caseload is the academy's), never a kept list."""
    coach, other = world.users["coach"], world.users["other_coach"]
    for user in (coach, other):
        set_active_membership(user, memberships_of(user)[0])
    names = lambda user: [row.name for row in caseload_for(user)]  # noqa: E731
    assert names(coach) == [world.participant.full_name]
    assert names(other) == [world.other_participant.full_name]
    Participant.objects.filter(pk=world.participant.pk).update(coach=other)
    assert names(coach) == []
    assert sorted(names(other)) == sorted(
        [world.participant.full_name, world.other_participant.full_name]
    )
    regisseur_membership = Membership.objects.create(
        user=coach, academy=world.academy, role=Role.REGISSEUR
    )
    set_active_membership(coach, regisseur_membership)
    assert sorted(names(coach)) == sorted(names(other))


@pytest.mark.django_db
def test_kept_follow_ups_list_shows_a_new_check_at_once(world):
    coach = world.users["coach"]
    set_active_membership(coach, memberships_of(coach)[0])
    assert follow_ups_due_list(coach, limit=50) == []
    FollowUpFactory(
        route=world.participant.current_route,
        months_after=6,
        due_on=timezone.localdate(),
        listed_for_coach_on=timezone.localdate(),
    )
    [due] = follow_ups_due_list(coach, limit=50)
    assert (due.participant_id, due.months_after) == (world.participant.pk, 6)
    set_active_membership(world.users["other_coach"], memberships_of(world.users["other_coach"])[0])
    assert follow_ups_due_list(world.users["other_coach"], limit=50) == []


@pytest.mark.django_db
def test_postgresql_prepares_a_statement_the_connection_ran_twice(world):
    """config.settings.PREPARED_STATEMENTS: server-side binding, so psycopg prepares what a
    connection runs again (PostgreSQL then skips parsing, and planning once a generic plan
    serves)."""
    from django.conf import settings

    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    connection.ensure_connection()
    # The suite itself prepares nothing (config.settings); production's threshold here.
    connection.connection.prepare_threshold = 2
    try:
        for _ in range(3):
            list(Participant.objects.filter(last_name="Zichtbaar").values("pk"))
    finally:
        connection.connection.prepare_threshold = None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "participants_participant" WHERE "participants_participant"."last_name" = $1%'],
        )
        assert cursor.fetchone()[0] == 1


def test_prepared_statements_can_be_switched_off_for_a_pooler(monkeypatch):
    """MAATWERQ_PREPARED_STATEMENTS=false (PgBouncer in transaction mode): no server-side
    binding, no prepared statement; otherwise prepared after two runs, but in the suite."""
    import importlib

    import config.settings

    monkeypatch.setenv("MAATWERQ_PREPARED_STATEMENTS", "false")
    try:
        switched_off = importlib.reload(config.settings)
        assert switched_off.PREPARED_STATEMENTS == {}
        assert "server_side_binding" not in switched_off.DATABASES["default"].get("OPTIONS", {})
        monkeypatch.delenv("MAATWERQ_PREPARED_STATEMENTS")
        monkeypatch.setenv("MAATWERQ_MODE", "demo")  # as production: prepared after two runs
        prepared = importlib.reload(config.settings)
        assert prepared.PREPARED_STATEMENTS == {"server_side_binding": True, "prepare_threshold": 2}
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)
    assert config.settings.PREPARED_STATEMENTS["prepare_threshold"] is None  # the suite's
