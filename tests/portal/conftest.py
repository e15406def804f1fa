"""The deelnemer persona on the world of tests/conftest.py: Daan (the coach's participant,
placed at the world's employer) with his own login, and a route full of planted texts that
must never reach him (analysis, care note, a coach's note that is not shareable, the staff's
evaluation summary, the other participant's goal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from leerroutes import services as route_services
from maatwerq.accounts.models import Role
from participants import services as participant_services
from tests.factories import CertificateFactory, MembershipFactory, UserFactory

SECRET_ANALYSIS = "ANALYSE-GEHEIM schulden"
SECRET_PRIVATE_LOG = "LOG-NIET-DELEN ruzie thuis"
SECRET_SUMMARY = "GESPREK-GEHEIM verslag"
SECRET_OTHER_GOAL = "DOEL-NOOR-GEHEIM"
SHARED_LOG = "Goed gewerkt vandaag, trots op je!"
GOAL_TEXT = "Elke dag om 7.00 uur op de bouwplaats"
PERSPECTIVE = "Vaste baan als straatmaker"
HW_TEXT = "HANDELINGSWIJZER-DAAN: geef korte opdrachten"
SECRETS = (
    "ZORG-GEHEIM",
    SECRET_ANALYSIS,
    SECRET_PRIVATE_LOG,
    SECRET_SUMMARY,
    SECRET_OTHER_GOAL,
    "Anderman",  # the other participant's last name
    "Buitenaf",  # the participant of the other academy
)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def deelnemer(world):
    return make_deelnemer(world)


def make_deelnemer(world):
    """Daan's own login: a deelnemer membership, linked to his record."""
    user = UserFactory(email="daan@example.test", full_name="Daan")
    MembershipFactory(user=user, academy=world.academy, role=Role.DEELNEMER)
    participant = world.participant
    participant.user = user
    participant.email = "daan@example.test"
    participant.save(update_fields=["user", "email"])
    return user


@pytest.fixture
def deelnemer_client(deelnemer) -> Client:
    client = Client()
    client.force_login(deelnemer)
    return client


@dataclass
class Planted:
    goal: object
    evaluation: object
    other_goal: object
    other_evaluation: object
    phases: list


def plan_with_goal(participant, domains, by, description):
    return route_services.plan_save(
        participant=participant,
        based_on=0,
        plan_date=date(2025, 9, 1),
        perspective=PERSPECTIVE,
        support_plan="Coach twee keer per week",
        goals=[
            route_services.GoalData(
                description=description, target_date=date(2026, 3, 1), domain=domains[0]
            )
        ],
        by=by,
    )


@pytest.fixture
def planted(world) -> Planted:
    return plant_route(world)


def plant_route(world) -> Planted:
    """Daan's route with what he may see and what he may not, and Noor's with her own."""
    coach, regisseur = world.users["coach"], world.users["regisseur"]
    domains = route_services.life_domains_ensure(academy=world.academy)
    phases = route_services.phases_ensure(programme=world.programme)
    daan, noor = world.participant, world.other_participant
    route_services.analysis_create(
        participant=daan,
        made_on=date(2025, 8, 1),
        summary=SECRET_ANALYSIS,
        domains=[route_services.DomainAnalysis(domain=domains[0], talents="Harde werker")],
        by=regisseur,
    )
    plan_with_goal(daan, domains, regisseur, GOAL_TEXT)
    plan_with_goal(noor, domains, regisseur, SECRET_OTHER_GOAL)
    goal = daan.current_route.goals.get()
    other_goal = noor.current_route.goals.get()
    route_services.progress_entry_add(
        participant=daan, on=date(2025, 10, 1), text=SECRET_PRIVATE_LOG, wellbeing=2, by=coach
    )
    route_services.progress_entry_add(
        participant=daan,
        on=date(2025, 10, 2),
        text=SHARED_LOG,
        wellbeing=4,
        shareable=True,
        by=coach,
    )
    evaluation = route_services.evaluation_record(
        participant=daan,
        held_on=date(2025, 12, 1),
        summary=SECRET_SUMMARY,
        phase_decision=phases[1],
        next_on=timezone.localdate() + timedelta(days=30),
        by=coach,
    )
    other_evaluation = route_services.evaluation_record(
        participant=noor,
        held_on=date(2025, 12, 1),
        summary="Noor gesprek",
        by=world.users["other_coach"],
    )
    route_services.hours_record(
        participant=daan,
        week_start=date(2025, 10, 6),
        practice_hours=24,
        theory_hours=8,
        by=coach,
    )
    CertificateFactory(route=daan.current_route, title="VCA Basis")
    route_services.handelingswijzer_save(
        participant=daan, written_on=date(2025, 10, 1), about_me=HW_TEXT, by=coach
    )
    participant_services.consent_give(
        participant=daan,
        scope="handelingswijzer",
        given_on=date(2025, 9, 1),
        given_by="deelnemer",
        by=coach,
    )
    return Planted(goal, evaluation, other_goal, other_evaluation, phases)
