"""Fixtures of the employers tests: a leermeester login, planted secrets around the employer's
own trainee, and a client for any user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from leerroutes.models import CertificateKind, Evaluation
from maatwerq.accounts.models import Role
from participants.models import FundingStream

from ..factories import (
    AnalysisFactory,
    CareNoteFactory,
    CertificateFactory,
    EmployerContactFactory,
    EmployerLocationFactory,
    GoalFactory,
    HandelingswijzerFactory,
    HoursWeekFactory,
    LeermeesterAssessmentFactory,
    MembershipFactory,
    NetworkContactFactory,
    PlacementArrangementFactory,
    PlacementFactory,
    PlanFactory,
    ProgressEntryFactory,
    UserFactory,
    participant_in,
)

PLANTED_BSN = "987654305"
# Strings that must never reach an employer, in any page, export or file.
SECRETS = [
    "ZORG-GEHEIM",  # care notes (also the other employer's trainee's)
    "ANALYSE-GEHEIM",  # the Q-fit analysis
    PLANTED_BSN,
    "NETWERK-GEHEIM",  # the network
    "Wajong",  # the funding stream
    "PERSPECTIEF-GEHEIM",  # the plan
    "STEUNPLAN-GEHEIM",
    "LOGBOEK-GEHEIM",  # the coach's progress log
    "EVALUATIE-GEHEIM",
    "REGELING-GEHEIM",  # employer arrangements hint at benefits
    "Wage dispensation",  # the arrangement, in English
    "Loondispensatie",  # and in Dutch
    "SOVA-GEHEIM",  # Q-certificates hint at support needs
    "ANDERE-WERKGEVER-BEOORDELING",  # an assessment by another employer
    "Geheimstraat",  # personal details
    "daan.geheim@",
    "Anderman",  # the other employer's trainee
    "Oudgediende",  # a trainee whose placement here ended
    "Toekomstig",  # a trainee whose placement here has not started
]
GOAL_TEXT = "DOELTEKST-STRAATWERK"
HW_TEXT = "HW-TEKST-KORTE-OPDRACHTEN"


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def leermeester(world):
    """A second werkgever login of the same employer, a leermeester contact."""
    user = UserFactory(email="leermeester@example.test", full_name="Gerrit Leermeester")
    MembershipFactory(
        user=user, academy=world.academy, role=Role.WERKGEVER, employer=world.employer_org
    )
    EmployerContactFactory(employer=world.employer_org, name="Gerrit Leermeester", user=user)
    return user


@dataclass
class Planted:
    participant: object
    placement: object
    goal: object


@pytest.fixture
def planted(world, today) -> Planted:
    """The employer's own trainee (Daan Zichtbaar) surrounded by everything an employer must
    not see, plus what they may see (a VCA certificate, their own leermeester's assessment,
    a goal and a handelingswijzer that need consent)."""
    return plant(world, today)


def plant(world, today) -> Planted:
    """What the `planted` fixture gives; a module that shares it builds it with
    `module_data` (tests/conftest.py) and reads the three objects afresh per test."""
    p = world.participant
    p.bsn = PLANTED_BSN
    p.funding_stream = FundingStream.WAJONG
    p.street = "Geheimstraat 1"
    p.email = "daan.geheim@example.test"
    p.save()
    route = p.current_route
    placement = p.placements.get()
    placement.location = EmployerLocationFactory(employer=world.employer_org, name="Werf Raalte")
    placement.save()
    AnalysisFactory(route=route, summary="ANALYSE-GEHEIM schulden en thuissituatie")
    NetworkContactFactory(participant=p, name="NETWERK-GEHEIM Oom Karel")
    plan = PlanFactory(
        route=route, perspective="PERSPECTIEF-GEHEIM", support_plan="STEUNPLAN-GEHEIM"
    )
    goal = GoalFactory(created_in=plan, description=GOAL_TEXT, status="bezig")
    ProgressEntryFactory(route=route, text="LOGBOEK-GEHEIM ruzie thuis")
    Evaluation.objects.create(route=route, held_on=date(2025, 12, 1), summary="EVALUATIE-GEHEIM")
    PlacementArrangementFactory(
        placement=placement, kind="loondispensatie", reference="REGELING-GEHEIM"
    )
    CertificateFactory(route=route, kind=CertificateKind.BRANCH, title="VCA Basis")
    CertificateFactory(route=route, kind=CertificateKind.Q_CERTIFICATE, title="SOVA-GEHEIM")
    LeermeesterAssessmentFactory(
        route=route, employer=world.employer_org, remarks="EIGEN-BEOORDELING netjes"
    )
    LeermeesterAssessmentFactory(
        route=route,
        employer=world.other_employer_org,
        remarks="ANDERE-WERKGEVER-BEOORDELING",
    )
    HandelingswijzerFactory(participant=p, about_me=HW_TEXT)
    HoursWeekFactory(route=route, week_start=today - timedelta(days=today.weekday() + 7))
    # Trainees of this employer that are not (or no longer, or not yet) placed here today.
    gone = participant_in(world.cohort, coach=world.users["coach"], last_name="Oudgediende")
    PlacementFactory(
        participant=gone,
        employer=world.employer_org,
        start_date=date(2025, 9, 1),
        end_date=today - timedelta(days=1),
    )
    future = participant_in(world.cohort, coach=world.users["coach"], last_name="Toekomstig")
    PlacementFactory(
        participant=future, employer=world.employer_org, start_date=today + timedelta(days=7)
    )
    CareNoteFactory(participant=future, text="ZORG-GEHEIM-TOEKOMST")
    return Planted(participant=p, placement=placement, goal=goal)
