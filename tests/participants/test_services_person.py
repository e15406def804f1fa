"""The services of the person and their routes (participants.services.person): creating
and changing a participant, a new route; each refusal and its single audit event."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from maatwerq.audit.models import Action, AuditEvent
from participants import services
from participants.models import (
    DropoutReason,
    Participant,
    Route,
    RouteType,
    Status,
)
from tests.factories import (
    ProgrammeFactory,
)

from .conftest import (
    INTAKE,
    REFERRAL,
    error_fields,
    person,
    referral_for,
    walk,
)

# --- creating people and routes ------------------------------------------------------------


def test_participant_create_makes_person_route_and_referral_history(world, coach):
    participant = services.participant_create(
        academy=world.academy,
        person=person(),
        referral=referral_for(world),
        coach=coach,
        by=coach,
    )
    participant.refresh_from_db()
    route = participant.current_route
    assert (participant.full_name, participant.coach, participant.academy) == (
        "Sem Verwijsd",
        coach,
        world.academy,
    )
    assert (route.status, route.referral_date, route.programme) == (
        Status.AANGEMELD,
        REFERRAL,
        world.programme,
    )
    changes = list(route.status_changes.values_list("from_status", "to_status", "on_date"))
    assert changes == [("", Status.AANGEMELD, REFERRAL)]
    events = AuditEvent.objects.filter(participant=participant)
    assert [(e.action, e.actor) for e in events] == [(Action.CREATE, coach)]


def test_participant_create_refuses_bsn_failing_the_11_test(world, coach):
    with pytest.raises(ValidationError) as excinfo:
        services.participant_create(
            academy=world.academy,
            person=person(bsn="123456789"),
            referral=referral_for(world),
            coach=coach,
            by=coach,
        )
    assert error_fields(excinfo) == {"bsn"}
    assert not Participant.objects.filter(last_name="Verwijsd").exists()
    assert not AuditEvent.objects.exists()


def test_participant_create_keeps_valid_bsn(world, regisseur):
    participant = services.participant_create(
        academy=world.academy,
        person=person(bsn="111222333"),
        referral=referral_for(world),
        coach=None,
        by=regisseur,
    )
    participant.refresh_from_db()
    assert participant.bsn == "111222333"


@pytest.mark.parametrize("born", [date(2009, 6, 3), date(1997, 6, 1)])
def test_participant_create_refuses_age_outside_16_to_27_on_referral(world, coach, born):
    # 2009-06-03: 15 on 2 June 2025; 1997-06-01: 28.
    with pytest.raises(ValidationError) as excinfo:
        services.participant_create(
            academy=world.academy,
            person=person(date_of_birth=born),
            referral=referral_for(world),
            coach=coach,
            by=coach,
        )
    assert error_fields(excinfo) == {"date_of_birth"}
    assert "16 tot en met 27" in excinfo.value.error_dict["date_of_birth"][0].messages[0]
    assert not Route.objects.filter(referral_date=REFERRAL).exists()


def test_age_outside_route_type_range_is_only_a_warning(world, coach):
    born = date(2000, 1, 10)  # 25 on the referral date
    # Issue 15: the group route's range is the programme's own, not a fixed 18-24.
    narrow = ProgrammeFactory(academy=world.academy, min_age=18, max_age=24)
    warning = services.route_type_age_warning(
        date_of_birth=born, route_type=RouteType.GROUP, on=REFERRAL, programme=narrow
    )
    assert "25" in warning
    assert "18-24" in warning
    assert (world.programme.min_age, world.programme.max_age) == (16, 27)
    assert not services.route_type_age_warning(
        date_of_birth=born, route_type=RouteType.GROUP, on=REFERRAL, programme=world.programme
    )
    assert not services.route_type_age_warning(
        date_of_birth=born, route_type=RouteType.ZIJ_INSTROOM, on=REFERRAL
    )
    participant = services.participant_create(
        academy=world.academy,
        person=person(date_of_birth=born),
        referral=referral_for(world),
        coach=coach,
        by=coach,
    )
    assert participant.current_route.route_type == RouteType.GROUP


def test_participant_create_refuses_programme_of_another_academy(world, coach):
    foreign = ProgrammeFactory(academy=world.other_academy)
    with pytest.raises(ValidationError) as excinfo:
        services.participant_create(
            academy=world.academy,
            person=person(),
            referral=referral_for(world, programme=foreign),
            coach=coach,
            by=coach,
        )
    assert error_fields(excinfo) == {"programme"}
    assert not Participant.objects.filter(last_name="Verwijsd").exists()


def test_participant_create_refuses_a_coach_who_is_no_coach_here(world, regisseur):
    with pytest.raises(ValidationError) as excinfo:
        services.participant_create(
            academy=world.academy,
            person=person(),
            referral=referral_for(world),
            coach=world.users["projectleider"],
            by=regisseur,
        )
    assert error_fields(excinfo) == {"coach"}


def test_participant_update_logs_changed_field_names_not_values(referred, coach):
    services.participant_update(
        participant=referred,
        person=person(phone="0687654321", city="Raalte"),
        coach=coach,
        by=coach,
    )
    referred.refresh_from_db()
    assert (referred.phone, referred.city) == ("0687654321", "Raalte")
    event = AuditEvent.objects.filter(participant=referred, action=Action.UPDATE).get()
    assert sorted(event.detail["fields"]) == ["city", "phone"]
    assert "Raalte" not in str(event.detail)


def test_route_create_refused_while_a_route_runs(referred, coach, world):
    with pytest.raises(ValidationError, match="lopende route"):
        services.route_create(
            participant=referred, referral=referral_for(world, referral_date=INTAKE), by=coach
        )
    assert referred.routes.count() == 1


def test_route_create_for_a_returning_person_becomes_current(referred, coach, world):
    first = walk(referred.current_route, Status.GESTART, coach)
    services.route_drop_out(
        route=first, end_date=date(2025, 10, 1), dropout_reason=DropoutReason.HEALTH, by=coach
    )
    with pytest.raises(ValidationError) as excinfo:
        services.route_create(
            participant=referred,
            referral=referral_for(world, referral_date=date(2025, 9, 30)),
            by=coach,
        )
    assert error_fields(excinfo) == {"referral_date"}

    second = services.route_create(
        participant=referred,
        referral=referral_for(world, referral_date=date(2026, 5, 1)),
        by=coach,
    )
    referred.refresh_from_db()
    assert referred.current_route == second
    assert second.status == Status.AANGEMELD
    assert set(referred.routes.all()) == {first, second}
    first.refresh_from_db()
    assert first.status == Status.UITGEVALLEN
