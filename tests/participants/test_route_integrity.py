"""Issue 15: every status is backed by facts. Each step's refusal (the record as it was, the
message at the field naming what is missing) and success; the placement moves with the
status; check_routes on the demo; the warning for a route without a signed plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from employers.models import Placement, PlacementEndReason, PlacementKind
from employers.services import placement_create
from participants import services
from participants.models import Destination, DropoutReason, IntakeOutcome, RouteType, Status
from reporting.route_checks import routes_check
from tests.factories import EmployerFactory

from .conftest import CONTRACT, INTAKE, START, TRIAL, error_fields, referral_for, state, walk

pytestmark = pytest.mark.django_db


def message(excinfo, field: str) -> str:
    return excinfo.value.error_dict[field][0].messages[0]


def placements(participant) -> list[tuple]:
    return list(
        Placement.objects.filter(participant=participant)
        .order_by("start_date", "pk")
        .values_list("employer__name", "kind", "start_date", "end_date", "contract_hours")
    )


@pytest.fixture
def individual(world, coach):
    """A 1b route (lateral entry), admitted at the intake."""
    participant = services.participant_create(
        academy=world.academy,
        person=services.PersonData(
            first_name="Iris", last_name="Individueel", date_of_birth=date(2004, 2, 2)
        ),
        referral=referral_for(world, route_type=RouteType.ZIJ_INSTROOM),
        coach=coach,
        by=coach,
    )
    return walk(participant.current_route, Status.INTAKE, coach)


# --- start -----------------------------------------------------------------------------------


def test_start_of_an_individual_route_has_no_group_and_its_own_date(individual, coach, world):
    before = state(individual)
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(route=individual, start_date=START, cohort=world.cohort, by=coach)
    assert error_fields(excinfo) == {"cohort"}
    assert "zonder groep" in message(excinfo, "cohort")
    assert state(individual) == before
    own_day = date(2025, 7, 14)  # not a group's start date
    route = services.route_start(route=individual, start_date=own_day, by=coach)
    route.refresh_from_db()
    assert (route.status, route.start_date, route.cohort) == (Status.GESTART, own_day, None)


def test_start_needs_an_admitting_intake(referred, coach, world):
    route = services.route_intake_record(
        route=referred.current_route,
        intake_date=INTAKE,
        intake_outcome=IntakeOutcome.WAITING_LIST,
        by=coach,
    )
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_start(route=route, start_date=START, cohort=world.cohort, by=coach)
    assert "niet toegelaten" in message(excinfo, "start_date")
    assert state(route) == before


# --- trial -----------------------------------------------------------------------------------


def test_trial_without_a_placement_is_refused_at_the_employer(referred, coach):
    route = walk(referred.current_route, Status.GESTART, coach)
    before, placed = state(route), placements(referred)
    with pytest.raises(ValidationError) as excinfo:
        services.route_trial_start(route=route, trial_start_date=TRIAL, by=coach)
    assert error_fields(excinfo) == {"employer"}
    assert "geen lopende proefplaatsing bij een werkgever" in message(excinfo, "employer")
    assert (state(route), placements(referred)) == (before, placed)


def test_trial_creates_the_trial_placement_in_the_same_step(referred, coach, world):
    route = walk(referred.current_route, Status.GESTART, coach)
    route = services.route_trial_start(
        route=route,
        trial_start_date=TRIAL,
        employer=world.employer_org,
        hours_per_week=Decimal(24),
        by=coach,
    )
    assert route.status == Status.PROEFPERIODE
    placement = Placement.objects.get(participant=referred)
    assert (placement.employer, placement.kind, placement.start_date) == (
        world.employer_org,
        PlacementKind.TRIAL,
        TRIAL,
    )
    assert (placement.hours_per_week, placement.end_date) == (24, None)


def test_trial_uses_a_trial_placement_recorded_before(referred, coach, world):
    route = walk(referred.current_route, Status.GESTART, coach)
    placement_create(
        participant=referred,
        employer=world.other_employer_org,
        kind=PlacementKind.TRIAL,
        start_date=TRIAL,
        by=coach,
    )
    route = services.route_trial_start(route=route, trial_start_date=TRIAL, by=coach)
    assert route.status == Status.PROEFPERIODE
    assert Placement.objects.filter(participant=referred).count() == 1


def test_a_placement_refused_by_its_own_rules_leaves_the_route_as_it_was(referred, coach, world):
    route = walk(referred.current_route, Status.GESTART, coach)
    foreign = EmployerFactory(academy=world.other_academy)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_trial_start(route=route, trial_start_date=TRIAL, employer=foreign, by=coach)
    assert error_fields(excinfo) == {"employer"}
    assert (state(route), placements(referred)) == (before, [])


# --- contract --------------------------------------------------------------------------------


def test_contract_at_the_same_employer_passes_the_trial_with_32_hours(referred, coach, world):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    assert route.status == Status.CONTRACT
    placement = Placement.objects.get(participant=referred)
    assert (placement.kind, placement.trial_passed_on, placement.contract_hours) == (
        PlacementKind.CONTRACT,
        CONTRACT,
        32,
    )
    assert placement.employer == world.employer_org


def test_contract_at_another_employer_ends_the_trial_placement(referred, coach, world):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    services.route_contract_record(
        route=route,
        contract_date=CONTRACT,
        employer=world.other_employer_org,
        contract_hours=Decimal(36),
        by=coach,
    )
    last_trial_day = CONTRACT - timedelta(days=1)
    assert placements(referred) == [
        ("Nijland Infra", PlacementKind.TRIAL, TRIAL, last_trial_day, None),
        ("Van der Wal Transport", PlacementKind.CONTRACT, CONTRACT, None, 36),
    ]
    first = Placement.objects.get(participant=referred, kind=PlacementKind.TRIAL)
    assert (first.trial_passed_on, first.end_reason) == (
        last_trial_day,
        PlacementEndReason.OTHER_EMPLOYER,
    )


def test_contract_without_a_running_trial_is_refused(referred, coach):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    placement = Placement.objects.get(participant=referred)
    placement.end_date, placement.end_reason = TRIAL, PlacementEndReason.TRIAL_NOT_PASSED
    placement.save()
    before, placed = state(route), placements(referred)
    with pytest.raises(ValidationError) as excinfo:
        services.route_contract_record(route=route, contract_date=CONTRACT, by=coach)
    assert "geen geslaagde proefperiode" in message(excinfo, "employer")
    assert (state(route), placements(referred)) == (before, placed)


def test_contract_hours_out_of_range_are_refused_at_the_field(referred, coach):
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_contract_record(
            route=route, contract_date=CONTRACT, contract_hours=Decimal(50), by=coach
        )
    assert error_fields(excinfo) == {"contract_hours"}
    assert state(route) == before


# --- ends and undo ---------------------------------------------------------------------------


def test_completion_ends_the_running_placement_and_undo_reopens_it(referred, coach, world):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    end = date(2026, 6, 30)
    services.route_complete(
        route=route,
        end_date=end,
        destination=Destination.JOB_HOST,
        contract_type="vast",
        by=coach,
    )
    placement = Placement.objects.get(participant=referred)
    assert (placement.end_date, placement.end_reason) == (end, PlacementEndReason.COMPLETED)
    assert [f for f in routes_check(referred.routes.all()) if not f.warning] == []

    services.route_step_undo(route=route, reason="Te vroeg", by=world.users["regisseur"])
    placement.refresh_from_db()
    assert (placement.end_date, placement.end_reason) == (None, "")


def test_undo_of_a_contract_makes_the_trial_run_again(referred, coach, world):
    route = walk(referred.current_route, Status.CONTRACT, coach)
    route = services.route_step_undo(
        route=route, reason="Verkeerde datum", by=world.users["regisseur"]
    )
    assert route.status == Status.PROEFPERIODE
    placement = Placement.objects.get(participant=referred)
    assert (placement.kind, placement.trial_passed_on, placement.contract_hours) == (
        PlacementKind.TRIAL,
        None,
        None,
    )
    assert [f for f in routes_check(referred.routes.all()) if not f.warning] == []


def test_an_individual_route_ends_within_3_years_of_its_start(world, coach):
    participant = services.participant_create(
        academy=world.academy,
        person=services.PersonData(
            first_name="Lang", last_name="Lopend", date_of_birth=date(2003, 2, 2)
        ),
        referral=referral_for(
            world, route_type=RouteType.WERKSCHOOL, referral_date=date(2021, 9, 1)
        ),
        coach=coach,
        by=coach,
    )
    route = services.route_intake_record(
        route=participant.current_route,
        intake_date=date(2021, 10, 1),
        intake_outcome=IntakeOutcome.ADMITTED,
        by=coach,
    )
    route = services.route_start(route=route, start_date=date(2022, 1, 3), by=coach)
    before = state(route)
    with pytest.raises(ValidationError) as excinfo:
        services.route_drop_out(
            route=route,
            end_date=date(2025, 1, 4),
            dropout_reason=DropoutReason.MOVED,
            by=coach,
        )
    assert "hooguit 3 jaar" in message(excinfo, "end_date")
    assert state(route) == before
    services.route_drop_out(
        route=route, end_date=date(2025, 1, 3), dropout_reason=DropoutReason.MOVED, by=coach
    )
    route.refresh_from_db()
    assert route.status == Status.UITGEVALLEN


# --- check_routes ----------------------------------------------------------------------------


def run_check(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_routes", *args, stdout=out)
    except SystemExit as exit_info:
        return int(exit_info.code), out.getvalue()
    return 0, out.getvalue()


def test_check_routes_lists_a_status_without_its_facts_and_exits_1(referred, coach):
    route = walk(referred.current_route, Status.GESTART, coach)
    # Past the services, as data from before issue 15 could be: contract, no placement.
    type(route).objects.filter(pk=route.pk).update(
        status=Status.CONTRACT, trial_start_date=TRIAL, contract_date=CONTRACT
    )
    code, out = run_check()
    line = next(line for line in out.splitlines() if str(route.pk) in line)
    assert code == 1
    assert "contract without a running contract placement with hours" in line
    assert referred.last_name not in out  # ids only, never a name


@pytest.mark.slow  # builds the whole demo academy first
def test_check_routes_is_clean_on_the_demo():
    from demo.accounts import build_organisation
    from demo.employers import build_employers
    from demo.leerroutes import build_leerroutes
    from demo.participants import build_participants

    today = date(2026, 11, 23)
    organisation = build_organisation(today)
    build_participants(organisation, today)
    build_leerroutes(organisation, today)
    build_employers(organisation, today)
    code, out = run_check("--today", today.isoformat())
    assert [line for line in out.splitlines() if line.startswith("problem")] == []
    assert code == 0
    assert out.splitlines()[-1].startswith("No problems found")


# --- the unsigned plan -----------------------------------------------------------------------


def test_a_started_route_without_a_signed_plan_warns_on_the_page(world, client_for, settings):
    route = world.participant.current_route
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    settings.PLAN_UNSIGNED_WARNING_WEEKS = 10_000
    assert 'id="plan-unsigned-warning"' not in client_for("coach").get(url).content.decode()
    settings.PLAN_UNSIGNED_WARNING_WEEKS = 6
    body = client_for("coach").get(url).content.decode()
    assert 'id="plan-unsigned-warning"' in body
    assert "nog geen ondertekend plan" in body
    warnings = [f for f in routes_check(type(route).objects.filter(pk=route.pk)) if f.warning]
    assert [w.message.endswith("without a signed plan") for w in warnings] == [True]
    employer_body = client_for("employer").get(url).content.decode()
    assert "ondertekend plan" not in employer_body


# --- the step form ---------------------------------------------------------------------------


def test_a_refused_trial_step_keeps_the_input_and_names_what_is_missing(
    referred, coach, world, client_for
):
    walk(referred.current_route, Status.GESTART, coach)
    url = reverse("participants:route_trial", args=[referred.pk])
    client = client_for("coach")
    form = client.get(url).content.decode()
    assert 'name="employer"' in form
    assert 'name="hours_per_week"' in form
    assert world.employer_org.name in form
    assert "Buitenaf" not in form  # only the academy's employers are offered

    response = client.post(url, {"trial_start_date": "2025-09-08", "hours_per_week": "24"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_employer_error"' in body
    assert "Er is geen lopende proefplaatsing bij een werkgever." in body
    assert 'value="2025-09-08"' in body
    assert 'value="24"' in body
    referred.current_route.refresh_from_db()
    assert referred.current_route.status == Status.GESTART

    response = client.post(
        url,
        {"trial_start_date": "2025-09-08", "employer": world.employer_org.pk, "hours_per_week": 24},
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.current_route.status == Status.PROEFPERIODE
    assert placements(referred) == [("Nijland Infra", PlacementKind.TRIAL, TRIAL, None, None)]


def test_the_contract_form_offers_the_employer_and_32_hours(referred, coach, client_for):
    walk(referred.current_route, Status.PROEFPERIODE, coach)
    body = (
        client_for("coach")
        .get(reverse("participants:route_contract", args=[referred.pk]))
        .content.decode()
    )
    assert 'name="employer"' in body
    assert 'name="contract_hours"' in body
    assert 'value="32"' in body


# --- labels as the seed writes them (issue 15, item 6) ---------------------------------------


def test_labels_follow_the_seed():
    from django.utils import translation

    from employers.models import ParticipationWay
    from leerroutes.models.qfit import Supporter
    from participants.models import OutcomeCategory

    with translation.override("nl"):
        assert str(OutcomeCategory.OTHER.label) == "Overig"
        assert str(ParticipationWay.FOLLOWER.label).startswith("Starter")
        assert "Volger" not in str(ParticipationWay.FOLLOWER.label)
        assert str(Supporter.TALENT_TRAINER.label) == "Talenttrainer (SOVA)"


def test_the_start_form_of_an_individual_route_asks_no_group(individual, client_for):
    url = reverse("participants:route_start", args=[individual.participant_id])
    client = client_for("coach")
    assert 'name="cohort"' not in client.get(url).content.decode()
    response = client.post(url, {"start_date": "2025-07-14"})
    assert response.status_code == 302
    individual.refresh_from_db()
    assert (individual.status, str(individual.start_date), individual.cohort) == (
        Status.GESTART,
        "2025-07-14",
        None,
    )


def test_a_trial_passed_on_the_placement_page_records_the_routes_contract(
    referred, coach, client_for
):
    """The employer page's "trial period passed" goes through the route's contract step
    while the route is in its trial period: status and placement move together."""
    route = walk(referred.current_route, Status.PROEFPERIODE, coach)
    placement = Placement.objects.get(participant=referred)
    url = reverse("employers:placement_trial_pass", args=[placement.public_id])
    client = client_for("coach")
    response = client.post(url, {"passed_on": "2025-09-01", "contract_hours": "32"})
    assert 'id="id_passed_on_error"' in response.content.decode()  # before the trial
    placement.refresh_from_db()
    route.refresh_from_db()
    assert (placement.trial_passed_on, route.status) == (None, Status.PROEFPERIODE)

    response = client.post(url, {"passed_on": CONTRACT.isoformat(), "contract_hours": "30"})
    assert response.status_code == 302
    route.refresh_from_db()
    placement.refresh_from_db()
    assert (route.status, route.contract_date) == (Status.CONTRACT, CONTRACT)
    assert (placement.kind, placement.trial_passed_on, placement.contract_hours) == (
        PlacementKind.CONTRACT,
        CONTRACT,
        30,
    )
    assert [f for f in routes_check(referred.routes.all()) if not f.warning] == []


def test_check_routes_reads_a_fixed_number_of_queries(world, coach):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants.models import Route

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            routes_check(Route.objects.all())
        return len(ctx.captured_queries)

    few = count()
    for index in range(5):
        participant = services.participant_create(
            academy=world.academy,
            person=services.PersonData(
                first_name=f"Telling{index}", last_name="Query", date_of_birth=date(2004, 1, 1)
            ),
            referral=referral_for(world),
            coach=coach,
            by=coach,
        )
        walk(participant.current_route, Status.PROEFPERIODE, coach, world.other_employer_org)
    assert count() == few == 3


def test_a_trial_passed_on_the_placement_page_before_the_routes_trial_is_refused(
    referred, coach, world, client_for
):
    """Passed before the route's trial step, the placement would become a contract the trial
    step could never use: the route would be stuck. Refused at the date, nothing changes."""
    route = walk(referred.current_route, Status.GESTART, coach)
    placement = placement_create(
        participant=referred,
        employer=world.other_employer_org,
        kind=PlacementKind.TRIAL,
        start_date=TRIAL,
        by=coach,
    )
    url = reverse("employers:placement_trial_pass", args=[placement.public_id])
    response = client_for("coach").post(
        url, {"passed_on": CONTRACT.isoformat(), "contract_hours": "32"}
    )
    body = response.content.decode()
    assert 'id="id_passed_on_error"' in body
    assert "Leg eerst de proefperiode vast" in body
    placement.refresh_from_db()
    route.refresh_from_db()
    assert (placement.kind, placement.trial_passed_on) == (PlacementKind.TRIAL, None)
    assert route.status == Status.GESTART


def test_on_the_waiting_list_the_page_offers_the_intake_again_not_the_start(
    referred, coach, client_for
):
    services.route_intake_record(
        route=referred.current_route,
        intake_date=INTAKE,
        intake_outcome=IntakeOutcome.WAITING_LIST,
        by=coach,
    )
    body = client_for("coach").get(reverse("participants:participant_detail", args=[referred.pk]))
    body = body.content.decode()
    assert reverse("participants:route_intake", args=[referred.pk]) in body
    assert reverse("participants:route_start", args=[referred.pk]) not in body


def test_check_routes_names_an_unknown_academy_instead_of_finding_nothing(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Academie Nergens"):
        run_check("--academy", "Academie Nergens")
