"""Services of the employers app: refusals leave the database as it was; trial periods,
reminders, ending, and the leermeester's actions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from employers import services, tasks
from employers.models import Employer, Placement, PlacementEndReason, PlacementKind
from employers.selectors import watchlist_for
from leerroutes.models import LeermeesterAssessment
from maatwerq.audit.models import AuditEvent

from ..factories import (
    EmployerContactFactory,
    EmployerFactory,
    EmployerLocationFactory,
    PlacementArrangementFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    """Everything a refused service might have touched."""
    return (
        list(Placement.objects.order_by("pk").values()),
        list(Employer.objects.order_by("pk").values()),
        LeermeesterAssessment.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(field: str | None, call) -> ValidationError:
    before = _state()
    with pytest.raises(ValidationError) as caught:
        call()
    assert _state() == before, "a refused change wrote something"
    if field is not None:
        assert field in caught.value.message_dict, caught.value
    return caught.value


def _place(world, **kwargs):
    data = {
        "participant": world.participant,
        "employer": world.other_employer_org,
        "kind": PlacementKind.CONTRACT,
        "start_date": date(2025, 10, 1),
        "by": world.users["coach"],
    }
    return services.placement_create(**{**data, **kwargs})


# --- placements ------------------------------------------------------------------------------


def test_overlapping_main_placement_is_refused_and_nothing_is_written(world):
    # The world's participant has a running main placement at employer_org since 2025-09-01.
    error = _refused("start_date", lambda: _place(world))
    assert "Nijland Infra" in error.message_dict["start_date"][0]
    # Also when the new one lies entirely inside the running one, with an end.
    _refused("start_date", lambda: _place(world, end_date=date(2025, 11, 1)))


def test_a_mini_stage_may_overlap_the_main_placement(world):
    stage = _place(
        world,
        kind=PlacementKind.MINI_STAGE,
        start_date=date(2025, 10, 6),
        end_date=date(2025, 10, 10),
    )
    assert stage.pk
    assert stage.trial_ends_on is None


def test_a_new_main_placement_after_the_old_one_ended_is_fine(world):
    old = world.participant.placements.get()
    services.placement_end(
        placement=old,
        ended_on=date(2025, 12, 31),
        reason=PlacementEndReason.OTHER_EMPLOYER,
        by=world.users["coach"],
    )
    new = _place(world, start_date=date(2026, 1, 1))
    assert new.employer == world.other_employer_org
    # The end day itself still belongs to the old placement.
    new.delete()
    _refused("start_date", lambda: _place(world, start_date=date(2025, 12, 31)))


def test_database_refuses_overlapping_main_placements_too(world):
    """The service is not the only guard: the database refuses a second open main placement
    (everywhere), and on PostgreSQL any overlap of dates."""
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(participant=world.participant, employer=world.other_employer_org)
    from django.db import connection

    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            PlacementFactory(
                participant=world.participant,
                employer=world.other_employer_org,
                start_date=date(2025, 10, 1),
                end_date=date(2025, 10, 31),
            )
    # A mini-stage is fine at the database level too.
    PlacementFactory(
        participant=world.participant,
        employer=world.other_employer_org,
        kind=PlacementKind.MINI_STAGE,
        start_date=date(2025, 10, 1),
        end_date=date(2025, 10, 3),
    )


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 1, 5), date(2026, 4, 5)),
        (date(2025, 11, 30), date(2026, 2, 28)),  # no 30 February: the month's last day
        (date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_trial_period_ends_three_months_after_the_start_by_default(world, start, expected):
    world.participant.placements.update(end_date=date(2025, 10, 1))
    placement = _place(world, kind=PlacementKind.TRIAL, start_date=start)
    assert placement.trial_ends_on == expected


def test_a_given_trial_end_is_kept(world):
    world.participant.placements.update(end_date=date(2025, 10, 1))
    placement = _place(
        world, kind=PlacementKind.TRIAL, start_date=date(2026, 1, 5), trial_ends_on=date(2026, 3, 1)
    )
    assert placement.trial_ends_on == date(2026, 3, 1)


def test_bad_placement_input_is_refused_at_its_field(world):
    world.participant.placements.update(end_date=date(2025, 10, 1))
    other_leermeester = EmployerContactFactory(employer=world.employer_org)
    other_location = EmployerLocationFactory(employer=world.employer_org)
    start = date(2026, 1, 5)
    _refused("end_date", lambda: _place(world, start_date=start, end_date=date(2026, 1, 4)))
    _refused(
        "hours_per_week",
        lambda: _place(world, start_date=start, hours_per_week=Decimal("40.5")),
    )
    _refused("leermeester", lambda: _place(world, start_date=start, leermeester=other_leermeester))
    _refused("location", lambda: _place(world, start_date=start, location=other_location))
    foreign_employer = EmployerFactory(academy=world.other_academy)
    _refused("employer", lambda: _place(world, start_date=start, employer=foreign_employer))


def test_trial_pass_sets_contract_hours_and_leaves_the_coach_list(world, today):
    world.participant.placements.update(end_date=today - timedelta(days=200))
    placement = _place(world, kind=PlacementKind.TRIAL, start_date=today - timedelta(days=80))
    assert services.placement_trial_reminders_list(today=today) == 1
    assert watchlist_for(world.users["coach"]).trials == [placement]
    services.placement_trial_pass(placement=placement, passed_on=today, by=world.users["coach"])
    placement.refresh_from_db()
    assert placement.kind == PlacementKind.CONTRACT
    assert placement.contract_hours == Decimal(32)
    assert placement.hours_per_week == Decimal(32)
    assert watchlist_for(world.users["coach"]).trials == []


def test_ending_records_the_reason_and_refuses_a_second_end(world):
    placement = world.participant.placements.get()
    _refused(
        "ended_on",
        lambda: services.placement_end(
            placement=placement,
            ended_on=date(2025, 8, 1),
            reason=PlacementEndReason.DISMISSED,
            by=world.users["coach"],
        ),
    )
    services.placement_end(
        placement=placement,
        ended_on=date(2025, 12, 1),
        reason=PlacementEndReason.DISMISSED,
        note="Te vaak te laat",
        by=world.users["coach"],
    )
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (date(2025, 12, 1), "ontslag")
    _refused(
        None,
        lambda: services.placement_end(
            placement=placement,
            ended_on=date(2025, 12, 2),
            reason=PlacementEndReason.OTHER,
            by=world.users["coach"],
        ),
    )


# --- the daily reminder ----------------------------------------------------------------------


def test_trial_reminder_task_is_idempotent(world, today):
    placement = world.participant.placements.get()
    placement.trial_ends_on = today + timedelta(days=10)
    placement.save()
    far = PlacementFactory(
        participant=world.other_participant,
        employer=world.other_employer_org,
        kind=PlacementKind.MINI_STAGE,
        start_date=today,
        end_date=today + timedelta(days=4),
    )
    far.trial_ends_on = today + timedelta(days=30)  # not within two weeks: not listed
    far.save()
    assert tasks.placement_trial_reminders.delay().get() == 1
    assert tasks.placement_trial_reminders.delay().get() == 0
    placement.refresh_from_db()
    assert placement.trial_reminder_listed_on == today
    assert watchlist_for(world.users["coach"]).trials == [placement]
    assert watchlist_for(world.users["other_coach"]).trials == []
    assert watchlist_for(world.users["employer"]).trials == []


def test_arrangement_running_out_is_on_the_coach_list(world, today):
    placement = world.participant.placements.get()
    soon = PlacementArrangementFactory(placement=placement, ends_on=today + timedelta(days=20))
    PlacementArrangementFactory(placement=placement, kind="no_risk", ends_on=today + timedelta(40))
    assert watchlist_for(world.users["coach"]).arrangements == [soon]
    assert watchlist_for(world.users["other_coach"]).arrangements == []


# --- employers -------------------------------------------------------------------------------


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "12 34 56 78"])
def test_kvk_number_must_be_eight_digits(world, kvk):
    _refused(
        "kvk_number",
        lambda: services.employer_save(
            academy=world.academy, name="Nieuw BV", kvk_number=kvk, by=world.users["regisseur"]
        ),
    )


def test_kvk_number_is_unique_in_the_academy(world):
    services.employer_save(
        academy=world.academy, name="Eerste BV", kvk_number="12345678", by=world.users["regisseur"]
    )
    _refused(
        "kvk_number",
        lambda: services.employer_save(
            academy=world.academy,
            name="Tweede BV",
            kvk_number="12345678",
            by=world.users["regisseur"],
        ),
    )


def test_a_contact_login_must_belong_to_the_employer(world):
    _refused(
        "user",
        lambda: services.contact_add(
            employer=world.employer_org,
            role="leermeester",
            name="Piet",
            user=world.users["other_employer"],
            by=world.users["regisseur"],
        ),
    )
    contact = services.contact_add(
        employer=world.employer_org,
        role="leermeester",
        name="Henk",
        user=world.users["employer"],
        by=world.users["regisseur"],
    )
    assert contact.user == world.users["employer"]


# --- the leermeester's actions ---------------------------------------------------------------


def test_assessment_for_a_trainee_not_of_the_employer_is_refused(world, today):
    _refused(
        "participant",
        lambda: services.workplace_assessment_add(
            participant=world.other_participant,
            employer=world.employer_org,
            assessed_on=today,
            work_attitude=3,
            professional_skills=3,
            cooperation=3,
            safety=3,
            by=world.users["employer"],
        ),
    )


def test_hours_of_a_week_outside_the_placement_are_refused(world):
    _refused(
        "week_start",
        lambda: services.trainee_hours_confirm(
            participant=world.participant,
            employer=world.employer_org,
            week_start=date(2025, 8, 18),  # before the placement started
            practice_hours=Decimal(24),
            by=world.users["employer"],
        ),
    )


def test_coach_correction_clears_the_leermeester_confirmation(world):
    from leerroutes import services as route_services

    monday = date(2025, 10, 6)
    week = services.trainee_hours_confirm(
        participant=world.participant,
        employer=world.employer_org,
        week_start=monday,
        practice_hours=Decimal(24),
        by=world.users["employer"],
    )
    assert week.confirmed_by == world.users["employer"]
    route_services.hours_record(
        participant=world.participant,
        week_start=monday,
        practice_hours=Decimal(24),
        theory_hours=Decimal(8),
        by=world.users["coach"],
    )
    week.refresh_from_db()
    assert week.confirmed_by == world.users["employer"]  # same practice hours: still confirmed
    route_services.hours_record(
        participant=world.participant,
        week_start=monday,
        practice_hours=Decimal(20),
        theory_hours=Decimal(8),
        by=world.users["coach"],
    )
    week.refresh_from_db()
    assert week.confirmed_by is None
    assert week.confirmed_at is None
