"""Fixtures for the participant record: a fresh referral walked along the pipeline by the
services themselves, with fixed dates well in the past."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.models import model_to_dict

from employers.models import Employer
from maatwerq.audit.models import AuditEvent
from participants import services
from participants.models import FollowUp, IntakeOutcome, Route, RouteType, Status, StatusChange

REFERRAL = date(2025, 6, 2)
INTAKE = date(2025, 6, 16)
START = date(2025, 9, 1)  # the world's cohort starts that day
TRIAL = date(2025, 9, 8)
CONTRACT = date(2025, 12, 8)


def referral_for(world, **overrides) -> services.ReferralData:
    values = {
        "programme": world.programme,
        "route_type": RouteType.GROUP,
        "referral_date": REFERRAL,
        "referral_source": "vso",
        "referring_organisation": "De Ambelt",
    }
    return services.ReferralData(**{**values, **overrides})


def person(**overrides) -> services.PersonData:
    values = {
        "first_name": "Sem",
        "last_name": "Verwijsd",
        "date_of_birth": date(2005, 3, 4),
        "phone": "0612345678",
        "email": "sem@example.test",
    }
    return services.PersonData(**{**values, **overrides})


def walk(route, to_status: str, by, employer=None):
    """Move a route forward through the services up to ``to_status``. The trial step places
    the participant at ``employer`` (by default the first employer of their academy)."""
    if employer is None:
        employer = Employer.objects.filter(academy=route.participant.academy_id).first()
    steps = [
        (
            Status.INTAKE,
            lambda t: services.route_intake_record(
                route=t, intake_date=INTAKE, intake_outcome=IntakeOutcome.ADMITTED, by=by
            ),
        ),
        (
            Status.GESTART,
            lambda t: services.route_start(
                route=t, start_date=START, cohort=t.programme.cohorts.first(), by=by
            ),
        ),
        (
            Status.PROEFPERIODE,
            lambda t: services.route_trial_start(
                route=t, trial_start_date=TRIAL, employer=employer, by=by
            ),
        ),
        (
            Status.CONTRACT,
            lambda t: services.route_contract_record(route=t, contract_date=CONTRACT, by=by),
        ),
    ]
    for status, step in steps:
        route = step(route)
        if status == to_status:
            break
    return route


def state(route: Route) -> tuple:
    """Everything a refused step must leave as it was."""
    route.refresh_from_db()
    return (
        model_to_dict(route),
        list(StatusChange.objects.filter(route=route).values_list("pk", flat=True)),
        list(FollowUp.objects.filter(route=route).values_list("pk", flat=True)),
        AuditEvent.objects.count(),
    )


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.error_dict)


@pytest.fixture
def coach(world):
    return world.users["coach"]


@pytest.fixture
def regisseur(world):
    return world.users["regisseur"]


@pytest.fixture
def referred(world, coach):
    """A participant in the coach's caseload, just referred (status aangemeld)."""
    return services.participant_create(
        academy=world.academy,
        person=person(),
        referral=referral_for(world),
        coach=coach,
        by=coach,
    )


@pytest.fixture
def browse(client_for):
    """client_for, but asking for the English interface, so assertions on wording do not
    break when the Dutch translations arrive."""

    def make(persona: str):
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
