"""The kept dashboard figures (participants.CohortFigures, issue 19 item 1): after every
service that changes a route, its follow-ups or certificates (and after imports and undo),
the kept rows equal a fresh count. (The dashboard and the national view read from them the
same figures that counting the routes gives, and the rebuild is idempotent:
test_kept_dashboard.py, on a hand-counted academy shared by that module.)

The central test is a property over every route service: a seeded random walk of services
over a handful of participants, comparing the kept rows with a fresh count after each
step, and failing unless every service was exercised.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from employers.models import Employer
from leerroutes.services import certificate_add
from participants import services
from participants.figures import (
    cohort_figures_fresh,
    cohort_figures_kept,
)
from participants.models import (
    CohortFigures,
    Destination,
    DropoutReason,
    FollowUp,
    FollowUpSituation,
    IntakeOutcome,
    Participant,
    Route,
    RouteType,
    Status,
)
from reporting.dashboard import (
    academy_scope,
    dashboard_build,
)
from reporting.dashboard.kept import kept_months, months_roll_up
from tests.factories import CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

SERVICES = {
    "participant_create",
    "route_create",
    "route_intake_record",
    "route_start",
    "route_trial_start",
    "route_contract_record",
    "route_complete",
    "route_drop_out",
    "route_step_undo",
    "follow_up_record",
    "certificate_add",
}
RUNNING = {Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT}
FIRST_DAY = date(2025, 9, 1)  # the world's cohort starts that day


def assert_kept_is_fresh(after: str) -> None:
    kept, fresh = cohort_figures_kept(), cohort_figures_fresh()
    assert kept == fresh, f"after {after}: kept {kept} != fresh {fresh}"
    # The national view's month rows (integer columns) equal the fresh count added up per
    # programme and month.
    months, fresh_months = kept_months(), months_of(fresh)
    assert months == fresh_months, f"after {after}: months {months} != fresh {fresh_months}"


def months_of(figures: dict) -> dict:
    return months_roll_up(
        (programme, period, started, route_type, counts)
        for (programme, _cohort, period, started, route_type), counts in figures.items()
    )


class Walk:
    """A random walk of services over a few participants, each step dated a week after the
    route's last date, so every step is valid when its precondition holds."""

    def __init__(self, world, seed: int):
        self.world = world
        self.rng = random.Random(seed)  # noqa: S311 - a repeatable walk, not a secret
        self.coach = world.users["coach"]
        self.regisseur = world.users["regisseur"]
        self.employer = Employer.objects.filter(academy=world.academy).first()
        # A second group in the world's programme, and a second programme with a group: a
        # start moves a route between units, and the units stay apart.
        self.cohorts = {
            world.programme.pk: [
                world.cohort,
                CohortFactory(programme=world.programme, name="Groep 28", start_date=FIRST_DAY),
            ]
        }
        tanq = ProgrammeFactory(academy=world.academy, name="TanQ")
        self.programmes = [world.programme, tanq]
        self.cohorts[tanq.pk] = [CohortFactory(programme=tanq, start_date=FIRST_DAY)]
        self.people: list[Participant] = []
        self.done: set[str] = set()
        self.counter = 0
        self.refusals: list[tuple[str, ValidationError]] = []

    # --- helpers

    def day_after(self, route: Route) -> date:
        days = [
            route.referral_date,
            route.intake_date,
            route.start_date,
            route.trial_start_date,
            route.contract_date,
            route.end_date,
            FIRST_DAY if route.status == Status.INTAKE else None,
        ]
        return max(d for d in days if d) + timedelta(days=7)

    def referral(self, day: date) -> services.ReferralData:
        return services.ReferralData(
            programme=self.rng.choice(self.programmes),
            route_type=self.rng.choice([RouteType.GROUP, RouteType.GROUP, "1a", "1b"]),
            referral_date=day,
            referral_source=self.rng.choice(["vso", "pro", "uwv", "gemeente"]),
            referring_organisation="",
        )

    # --- the services, each with its precondition

    def participant_create(self) -> None:
        self.counter += 1
        person = services.PersonData(
            first_name="Walk",
            last_name=f"Persoon {self.counter}",
            date_of_birth=date(2004, 1, 1 + self.counter % 28),
            phone="",
            email="",
        )
        self.people.append(
            services.participant_create(
                academy=self.world.academy,
                person=person,
                referral=self.referral(date(2025, 6, 2)),
                coach=self.coach,
                by=self.coach,
            )
        )

    def options(self, route: Route) -> list[tuple[str, Callable[[], object]]]:
        day = self.day_after(route)
        rng, by = self.rng, self.coach
        found: list[tuple[str, Callable[[], object]]] = []
        if route.status == Status.AANGEMELD:
            outcome = rng.choice(
                [IntakeOutcome.ADMITTED, IntakeOutcome.ADMITTED, IntakeOutcome.NOT_ADMITTED]
            )
            found.append(
                (
                    "route_intake_record",
                    lambda: services.route_intake_record(
                        route=route,
                        intake_date=day,
                        intake_outcome=outcome,
                        intake_outcome_reason="Past niet" if outcome != "toegelaten" else "",
                        by=by,
                    ),
                )
            )
        if route.status == Status.INTAKE and route.intake_outcome == IntakeOutcome.ADMITTED:
            group = route.route_type == RouteType.GROUP
            cohort = rng.choice(self.cohorts[route.programme_id]) if group else None
            found.append(
                (
                    "route_start",
                    lambda: services.route_start(route=route, start_date=day, cohort=cohort, by=by),
                )
            )
        if route.status == Status.GESTART:
            found.append(
                (
                    "route_trial_start",
                    lambda: services.route_trial_start(
                        route=route, trial_start_date=day, employer=self.employer, by=by
                    ),
                )
            )
        if route.status == Status.PROEFPERIODE:
            found.append(
                (
                    "route_contract_record",
                    lambda: services.route_contract_record(route=route, contract_date=day, by=by),
                )
            )
        if route.status in RUNNING:
            destination = rng.choice(list(Destination.values))
            job = destination in {Destination.JOB_HOST, Destination.JOB_ELSEWHERE}
            outflow = {"contract_type": "vast", "contract_hours": 32} if job else {}
            found.append(
                (
                    "route_complete",
                    lambda: services.route_complete(
                        route=route, end_date=day, destination=destination, by=by, **outflow
                    ),
                )
            )
            found.append(
                (
                    "route_drop_out",
                    lambda: services.route_drop_out(
                        route=route,
                        end_date=day,
                        dropout_reason=rng.choice(list(DropoutReason.values)),
                        destination=destination,
                        by=by,
                        **outflow,
                    ),
                )
            )
            found.append(
                (
                    "certificate_add",
                    lambda: certificate_add(
                        participant=route.participant,
                        kind=rng.choice(["diploma", "deelcertificaat", "branche"]),
                        title="VCA Basis",
                        issued_on=day,
                        issuer="SSVV",
                        by=by,
                    ),
                )
            )
        if route.status != Status.AANGEMELD:
            found.append(
                (
                    "route_step_undo",
                    lambda: services.route_step_undo(
                        route=route, reason="Verkeerd ingevoerd", by=self.regisseur
                    ),
                )
            )
        open_checks = list(FollowUp.objects.filter(route=route).order_by("months_after"))
        if open_checks:
            check = rng.choice(open_checks)
            found.append(
                (
                    "follow_up_record",
                    lambda: services.follow_up_record(
                        follow_up=check,
                        situation=rng.choice(list(FollowUpSituation.values)),
                        done_on=day,
                        by=by,
                    ),
                )
            )
        if route.is_ended:
            referral = self.referral(day)
            found.append(
                (
                    "route_create",
                    lambda: services.route_create(
                        participant=route.participant, referral=referral, by=by
                    ),
                )
            )
        return found

    def step(self) -> str:
        if len(self.people) < 3 or self.rng.random() < 0.05:
            self.participant_create()
            return "participant_create"
        person = Participant.objects.get(pk=self.rng.choice(self.people).pk)
        route = Route.objects.select_related("participant").get(pk=person.current_route_id)
        options = self.options(route)
        fresh = [option for option in options if option[0] not in self.done]
        name, call = self.rng.choice(fresh if fresh and self.rng.random() < 0.5 else options)
        try:
            call()
        except ValidationError as error:
            self.refusals.append((name, error))
            return "refused"
        return name


@pytest.mark.slow  # a random walk of 60-400 service calls per seed, each checked by a recount
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_figures_equal_a_fresh_count_after_every_service(world, seed):
    walk = Walk(world, seed)
    assert_kept_is_fresh("the world")
    steps = 0
    while steps < 60 or (not walk.done >= SERVICES and steps < 400):
        # A refusal (a precondition the walk does not model) changes nothing: that holds too.
        name = walk.step()
        walk.done.add(name)
        steps += 1
        assert_kept_is_fresh(f"step {steps}, {name}")
    assert walk.done >= SERVICES, f"never exercised: {SERVICES - walk.done}, {walk.refusals}"
    assert Route.objects.filter(status__in=[Status.AFGEROND, Status.UITGEVALLEN]).exists()


def test_imported_history_keeps_the_figures(world, client_for):
    from tests.participants.test_import import report
    from tests.participants.test_import_history import KVK, row, upload

    world.employer_org.kvk_number = KVK
    world.employer_org.save(update_fields=["kvk_number"])
    rows = [
        row(voornaam="Bas", achternaam="Afgerond", status="afgerond", intakedatum="2022-09-20",
            startdatum="2022-10-03", proefperiode_start="2022-10-10", werkgever_kvk=KVK,
            contractdatum="2023-01-16", contracturen="36", einddatum="2024-09-30",
            bestemming="werk_leerbedrijf", contractsoort="vast"),
        row(voornaam="Umut", achternaam="Uitval", status="uitgevallen", intakedatum="2022-09-20",
            startdatum="2022-10-03", einddatum="2023-03-01", uitvalreden="verhuisd"),
        row(voornaam="Gijs", achternaam="Groep", routetype="2", groep="Groep 27",
            status="gestart", intakedatum="2025-06-16", startdatum="2025-09-01",
            aanmelddatum="2025-06-02"),
    ]  # fmt: skip
    before = CohortFigures.objects.count()
    response = upload(client_for("regisseur"), rows)
    assert response.status_code == 302, report(response)
    assert Route.objects.filter(participant__last_name="Afgerond").get().status == "afgerond"
    assert CohortFigures.objects.count() > before
    assert_kept_is_fresh("the import")
    scope = academy_scope(world.academy.pk)
    assert dashboard_build(scope) == dashboard_build(scope, kept=False)
    assert dashboard_build(scope).totals["completed"] == 1
