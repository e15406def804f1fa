"""The route pipeline services (participants.services.pipeline, .follow_up): each step, its
refusals (which leave the database as it was), the outflow, follow-up and undo."""

from __future__ import annotations

import inspect
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maatwerq.audit.models import Action, AuditEvent
from participants import services
from participants.models import (
    Destination,
    DropoutReason,
    IntakeOutcome,
    OutcomeCategory,
    OutcomeReason,
    Status,
)
from participants.selectors import follow_ups_due_for
from participants.tasks import follow_ups_mark_due
from tests.factories import (
    CohortFactory,
    FollowUpFactory,
    ProgrammeFactory,
    RouteFactory,
)

from .conftest import (
    CONTRACT,
    INTAKE,
    REFERRAL,
    START,
    TRIAL,
    error_fields,
    state,
    walk,
)

# --- the pipeline --------------------------------------------------------------------------


def test_pipeline_records_each_step_with_its_date_and_a_status_change(referred, coach, world):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    route.refresh_from_db()
    assert (route.status, route.cohort) == (Status.CONTRACT, world.cohort)
    assert (route.intake_date, route.start_date, route.trial_start_date) == (
        INTAKE,
        START,
        TRIAL,
    )
    assert route.contract_date == CONTRACT
    history = route.status_changes.order_by("created_at", "id")
    assert [(c.from_status, c.to_status, c.on_date) for c in history] == [
        ("", Status.AANGEMELD, REFERRAL),
        (Status.AANGEMELD, Status.INTAKE, INTAKE),
        (Status.INTAKE, Status.GESTART, START),
        (Status.GESTART, Status.PROEFPERIODE, TRIAL),
        (Status.PROEFPERIODE, Status.CONTRACT, CONTRACT),
    ]
    events = AuditEvent.objects.filter(participant=referred).order_by("id")
    route_actions = list(
        events.filter(object_type="participants.Route").values_list("action", flat=True)
    )
    assert route_actions == [Action.UPDATE] * 4
    # Issue 15: the trial step creates the trial placement and the contract step passes its
    # trial, each with its own audit event, in the same transaction as the route's step.
    placement_actions = list(
        events.filter(object_type="employers.Placement").values_list("action", flat=True)
    )
    assert placement_actions == [Action.CREATE, Action.UPDATE]


def test_intake_not_admitted_needs_a_reason_and_ends_the_route(referred, coach):
    route = referred.current_route
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_intake_record(
            route=route,
            intake_date=INTAKE,
            intake_outcome=IntakeOutcome.NOT_ADMITTED,
            by=coach,
        )
    assert error_fields(excinfo) == {"intake_outcome_reason"}
    assert state(route) == before

    services.route_intake_record(
        route=route,
        intake_date=INTAKE,
        intake_outcome=IntakeOutcome.NOT_ADMITTED,
        intake_outcome_reason="Wil liever naar school",
        by=coach,
    )
    route.refresh_from_db()
    assert (route.status, route.end_date, route.is_ended) == (
        Status.NIET_TOEGELATEN,
        INTAKE,
        True,
    )
    assert route.status_changes.filter(to_status=Status.NIET_TOEGELATEN).get().reason == (
        "Wil liever naar school"
    )


def test_waiting_list_after_intake_can_start_later(referred, coach, world):
    route = services.route_intake_record(
        route=referred.current_route,
        intake_date=INTAKE,
        intake_outcome=IntakeOutcome.WAITING_LIST,
        by=coach,
    )
    assert route.status == Status.INTAKE
    # Issue 15: only an admitted person starts; the waiting list is admitted later.
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(route=route, start_date=START, cohort=world.cohort, by=coach)
    assert error_fields(excinfo) == {"start_date"}
    assert "niet toegelaten" in excinfo.value.error_dict["start_date"][0].messages[0]
    assert state(route) == before
    route = services.route_intake_record(
        route=route,
        intake_date=INTAKE + timedelta(days=30),
        intake_outcome=IntakeOutcome.ADMITTED,
        by=coach,
    )
    route = services.route_start(route=route, start_date=START, cohort=world.cohort, by=coach)
    assert route.status == Status.GESTART


def test_start_after_the_groups_start_makes_a_late_entrant(referred, coach, world):
    route = walk(referred.current_route, Status.INTAKE, coach)
    route = services.route_start(
        route=route, start_date=date(2025, 11, 3), cohort=world.cohort, by=coach
    )
    route.refresh_from_db()
    assert route.is_late_entrant


def test_start_needs_a_group_of_the_routes_programme(referred, coach, world):
    route = walk(referred.current_route, Status.INTAKE, coach)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(route=route, start_date=START, cohort=None, by=coach)
    assert error_fields(excinfo) == {"cohort"}
    other_group = CohortFactory(programme=ProgrammeFactory(academy=world.academy))
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(route=route, start_date=START, cohort=other_group, by=coach)
    assert error_fields(excinfo) == {"cohort"}
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(
            route=route, start_date=date(2025, 8, 25), cohort=world.cohort, by=coach
        )
    assert error_fields(excinfo) == {"start_date"}
    assert "kan niet eerder" in excinfo.value.error_dict["start_date"][0].messages[0]
    assert state(route) == before


OUT_OF_ORDER = [
    # (status to walk to, service, kwargs, field the message is at, words in it)
    (
        Status.AANGEMELD,
        "route_contract_record",
        {"contract_date": CONTRACT},
        "contract_date",
        "Leg eerst de stap",
    ),
    (
        Status.AANGEMELD,
        "route_trial_start",
        {"trial_start_date": TRIAL},
        "trial_start_date",
        "Leg eerst de stap",
    ),
    (
        Status.AANGEMELD,
        "route_complete",
        {"end_date": CONTRACT, "destination": Destination.EDUCATION},
        "end_date",
        "pas na de start",
    ),
    (
        Status.INTAKE,
        "route_intake_record",
        {"intake_date": INTAKE, "intake_outcome": IntakeOutcome.ADMITTED},
        "intake_date",
        "al vastgelegd",
    ),
    (
        Status.GESTART,
        "route_trial_start",
        {"trial_start_date": date(2025, 8, 31)},
        "trial_start_date",
        "vóór de vorige stap",
    ),
    (
        Status.PROEFPERIODE,
        "route_contract_record",
        {"contract_date": timezone.localdate() + timedelta(days=1)},
        "contract_date",
        "in de toekomst",
    ),
    (
        Status.CONTRACT,
        "route_complete",
        {"end_date": date(2025, 8, 1), "destination": Destination.EDUCATION},
        "end_date",
        "vóór de vorige stap",
    ),
    (
        Status.GESTART,
        "route_drop_out",
        {"end_date": date(2025, 7, 1), "dropout_reason": DropoutReason.MOTIVATION},
        "end_date",
        "vóór de vorige stap",
    ),
]


@pytest.mark.parametrize(("at", "service", "kwargs", "field", "words"), OUT_OF_ORDER)
def test_step_out_of_order_is_refused_at_its_field_and_changes_nothing(
    referred, coach, at, service, kwargs, field, words
):
    route = referred.current_route
    if at != Status.AANGEMELD:
        route = walk(route, at, coach)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        getattr(services, service)(route=route, by=coach, **kwargs)
    assert error_fields(excinfo) == {field}
    assert words in excinfo.value.error_dict[field][0].messages[0]
    assert state(route) == before


def test_no_step_on_an_ended_route(referred, coach):
    route = walk(referred.current_route, Status.GESTART, coach)
    services.route_drop_out(
        route=route, end_date=date(2025, 10, 1), dropout_reason=DropoutReason.MOVED, by=coach
    )
    before = state(route)
    with pytest.raises(ValidationError, match="is beëindigd"):
        services.route_trial_start(route=route, trial_start_date=date(2025, 10, 2), by=coach)
    assert state(route) == before


# --- outflow and follow-up -----------------------------------------------------------------


def test_complete_derives_the_outcome_and_plans_follow_ups(referred, coach):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    services.route_complete(
        route=route,
        end_date=date(2026, 3, 31),
        destination=Destination.JOB_HOST,
        contract_type="jaar",
        contract_hours=32,
        still_on_benefit=False,
        by=coach,
    )
    route.refresh_from_db()
    assert (route.status, route.end_date) == (Status.AFGEROND, date(2026, 3, 31))
    assert (route.outcome_category, route.outcome_reason) == (
        OutcomeCategory.SUCCESSFUL,
        OutcomeReason.JOB,
    )
    assert (route.contract_type, route.contract_hours, route.still_on_benefit) == (
        "jaar",
        32,
        False,
    )
    follow_ups = route.follow_ups.order_by("months_after")
    # 31 March + 6 months is the last day of September.
    assert [(f.months_after, f.due_on) for f in follow_ups] == [
        (6, date(2026, 9, 30)),
        (12, date(2027, 3, 31)),
    ]
    assert all(f.listed_for_coach_on is None and f.done_on is None for f in follow_ups)


def test_complete_with_a_job_needs_the_contract_type(referred, coach):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_complete(
            route=route,
            end_date=date(2026, 3, 31),
            destination=Destination.JOB_ELSEWHERE,
            contract_hours=45,
            by=coach,
        )
    assert error_fields(excinfo) == {"contract_type", "contract_hours"}
    assert state(route) == before


def test_drop_out_records_reason_and_the_phase_it_happened_in(referred, coach):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    services.route_drop_out(
        route=route,
        end_date=date(2025, 10, 20),
        dropout_reason=DropoutReason.MOTIVATION,
        destination=Destination.BENEFIT,
        still_on_benefit=True,
        by=coach,
    )
    route.refresh_from_db()
    assert (route.status, route.dropout_reason, route.dropout_phase) == (
        Status.UITGEVALLEN,
        DropoutReason.MOTIVATION,
        Status.PROEFPERIODE,
    )
    assert (route.outcome_category, route.outcome_reason) == (
        OutcomeCategory.NEGATIVE,
        OutcomeReason.MOTIVATION,
    )
    assert route.follow_ups.count() == 2


def test_drop_out_before_the_start_plans_no_follow_up(referred, coach):
    route = services.route_drop_out(
        route=referred.current_route,
        end_date=INTAKE,
        dropout_reason=DropoutReason.MOVED,
        by=coach,
    )
    route.refresh_from_db()
    assert (route.dropout_phase, route.outcome_reason) == (
        Status.AANGEMELD,
        OutcomeReason.MOVED,
    )
    assert not route.follow_ups.exists()


def test_drop_out_needs_a_reason(referred, coach):
    route = referred.current_route
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_drop_out(route=route, end_date=INTAKE, dropout_reason="", by=coach)
    assert error_fields(excinfo) == {"dropout_reason"}
    assert state(route) == before


def test_follow_ups_mark_due_task_lists_due_checks_once(world, coach):
    today = timezone.localdate()
    route = world.participant.current_route
    overdue = FollowUpFactory(route=route, months_after=6, due_on=today - timedelta(days=3))
    due_today = FollowUpFactory(
        route=RouteFactory(participant=world.participant), months_after=6, due_on=today
    )
    later = FollowUpFactory(route=route, months_after=12, due_on=today + timedelta(days=1))
    done = FollowUpFactory(
        route=world.other_participant.current_route,
        due_on=today - timedelta(days=1),
        done_on=today - timedelta(days=1),
        situation="werk",
    )
    assert not inspect.signature(follow_ups_mark_due.run).parameters  # no personal data in

    assert follow_ups_mark_due.delay().get() == 2
    for f in (overdue, due_today, later, done):
        f.refresh_from_db()
    assert overdue.listed_for_coach_on == today
    assert due_today.listed_for_coach_on == today
    assert later.listed_for_coach_on is None
    assert done.listed_for_coach_on is None

    assert follow_ups_mark_due.delay().get() == 0  # idempotent
    assert set(follow_ups_due_for(coach)) == {overdue, due_today}
    assert not follow_ups_due_for(world.users["other_coach"]).exists()
    assert not follow_ups_due_for(world.users["projectleider"]).exists()
    assert set(follow_ups_due_for(world.users["regisseur"])) == {overdue, due_today}


def test_follow_up_record_takes_the_check_off_the_list(world, coach):
    route = world.participant.current_route
    route.end_date = date(2026, 1, 15)
    route.status = Status.AFGEROND
    route.save()
    check = FollowUpFactory(
        route=route, due_on=date(2026, 7, 15), listed_for_coach_on=date(2026, 7, 15)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_record(
            follow_up=check, situation="werk", done_on=date(2026, 1, 1), by=coach
        )
    assert error_fields(excinfo) == {"done_on"}
    services.follow_up_record(
        follow_up=check, situation="werk", done_on=date(2026, 7, 20), notes="Bij Nijland", by=coach
    )
    check.refresh_from_db()
    assert (check.situation, check.done_on, check.recorded_by) == ("werk", date(2026, 7, 20), coach)
    assert check.still_in_work_or_school is True
    assert not follow_ups_due_for(coach).exists()
    event = AuditEvent.objects.get(object_type="participants.FollowUp")
    assert event.participant == world.participant


# --- undo ----------------------------------------------------------------------------------


def test_undo_is_for_the_regisseur_only(referred, coach):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    before = state(route)
    with pytest.raises(PermissionDenied):
        services.route_step_undo(route=route, reason="Verkeerde datum", by=coach)
    assert state(route) == before


def test_undo_by_regisseur_goes_back_one_step_and_is_recorded(referred, coach, regisseur):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    with pytest.raises(ValidationError) as excinfo:
        services.route_step_undo(route=route, reason="  ", by=regisseur)
    assert error_fields(excinfo) == {"reason"}

    services.route_step_undo(route=route, reason="Verkeerde datum", by=regisseur)
    route.refresh_from_db()
    assert (route.status, route.trial_start_date, route.start_date) == (
        Status.GESTART,
        None,
        START,
    )
    undo = route.status_changes.get(is_undo=True)
    assert (undo.from_status, undo.to_status, undo.reason, undo.by) == (
        Status.PROEFPERIODE,
        Status.GESTART,
        "Verkeerde datum",
        regisseur,
    )
    assert AuditEvent.objects.filter(actor=regisseur, detail__undo=Status.PROEFPERIODE).count() == 1
    # The step can be taken again afterwards.
    services.route_trial_start(route=route, trial_start_date=date(2025, 9, 15), by=coach)


def test_undo_of_an_end_removes_outflow_and_open_follow_ups(referred, coach, regisseur):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    services.route_drop_out(
        route=route,
        end_date=date(2025, 10, 20),
        dropout_reason=DropoutReason.PROBLEMS,
        by=coach,
    )
    services.route_step_undo(route=route, reason="Toch niet gestopt", by=regisseur)
    route.refresh_from_db()
    assert route.status == Status.PROEFPERIODE
    assert (route.end_date, route.dropout_reason, route.outcome_category) == (None, "", "")
    assert not route.follow_ups.exists()


def test_undo_refused_for_the_referral_and_after_a_recorded_follow_up(referred, coach, regisseur):
    route = referred.current_route
    with pytest.raises(ValidationError, match="geen stap om ongedaan"):
        services.route_step_undo(route=route, reason="x", by=regisseur)
    route = walk(route, Status.GESTART, coach)
    services.route_complete(
        route=route, end_date=date(2025, 11, 1), destination=Destination.EDUCATION, by=coach
    )
    check = route.follow_ups.get(months_after=6)
    services.follow_up_record(
        follow_up=check, situation="school", done_on=date(2026, 5, 1), by=coach
    )
    before = state(route)
    with pytest.raises(ValidationError, match="nazorgcontrole"):
        services.route_step_undo(route=route, reason="x", by=regisseur)
    assert state(route) == before
