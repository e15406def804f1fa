"""Fixtures for the route tests: the world's academy with its life domains and phases, and
evidence files kept in a temporary private root."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from leerroutes import services
from maatwerq.audit.models import AuditEvent

SECRET_ANALYSIS = "ANALYSE-GEHEIM"
SECRET_GOAL = "DOEL-GEHEIM vakmanschap"
SECRET_LOG = "LOG-GEHEIM ruzie thuis"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@dataclass
class Route:
    participant: object
    route: object
    domains: list
    phases: list


@pytest.fixture
def route(world) -> Route:
    return make_route(world)


def make_route(world) -> Route:
    """The coach's participant with the academy's default domains and the programme's phases."""
    domains = services.life_domains_ensure(academy=world.academy)
    phases = services.phases_ensure(programme=world.programme)
    participant = world.participant
    return Route(participant, participant.current_route, domains, phases)


@pytest.fixture
def coach(world):
    return world.users["coach"]


@pytest.fixture
def regisseur(world):
    return world.users["regisseur"]


def audit_count() -> int:
    return AuditEvent.objects.count()


def plan_with_goal(route: Route, by, *, description: str = "Op tijd op de bouwplaats"):
    """Version 1 of the plan with one goal, made through the service."""
    from datetime import date

    return services.plan_save(
        participant=route.participant,
        based_on=0,
        plan_date=date(2025, 9, 1),
        perspective="Vaste baan als straatmaker",
        support_plan="Coach twee keer per week",
        goals=[
            services.GoalData(
                description=description, target_date=date(2026, 1, 15), domain=route.domains[0]
            )
        ],
        by=by,
    )


@pytest.fixture
def planted(route, coach, regisseur):
    return plant(route, coach, regisseur)


def plant(route: Route, coach, regisseur):
    """Distinctive texts that must never reach a projectleider or anyone outside the scope:
    an analysis, a goal and a log entry."""
    from datetime import date

    services.analysis_create(
        participant=route.participant,
        made_on=date(2025, 8, 1),
        summary=f"{SECRET_ANALYSIS}: schulden en weinig slaap",
        domains=[services.DomainAnalysis(domain=route.domains[0], talents="Harde werker")],
        by=regisseur,
    )
    plan = plan_with_goal(route, regisseur, description=SECRET_GOAL)
    services.progress_entry_add(
        participant=route.participant,
        on=date(2025, 10, 1),
        text=SECRET_LOG,
        wellbeing=2,
        by=coach,
    )
    return plan
