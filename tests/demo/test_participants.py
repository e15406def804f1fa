"""The demo academy's participants: realistic, deterministic and idempotent.

The checks read one demo built once for the module (tests/conftest.py `shared_data`; each test
in its own savepoint, so the rebuild of the idempotence test is undone after it). Building on
another day and the command, which need an empty database, are in test_demo_rebuild.py."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, F

from demo.accounts import build_organisation
from demo.participants import _person, build_participants
from employers.models import Placement
from participants.models import (
    CareNote,
    Cohort,
    Consent,
    FollowUp,
    Handover,
    NetworkContact,
    Participant,
    Route,
    Status,
    StatusChange,
    bsn_is_valid,
)
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
ENDED = {Status.AFGEROND, Status.UITGEVALLEN, Status.NIET_TOEGELATEN}
MODELS = [
    Participant,
    Route,
    StatusChange,
    FollowUp,
    Handover,
    NetworkContact,
    Consent,
    CareNote,
    Placement,
]


def build(today: date = TODAY):
    organisation = build_organisation(today)
    build_participants(organisation, today)
    return organisation


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def running(queryset):
    return queryset.exclude(current_route__status__in=ENDED)


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, build) as organisation:
        yield organisation


@pytest.fixture
def demo(_demo, db):
    return _demo


def test_demo_size_and_every_status(demo):
    people = Participant.objects.filter(academy=demo.academy)
    assert 150 <= people.count() <= 220
    statuses = set(people.values_list("current_route__status", flat=True))
    assert statuses == set(Status.values)


def test_demo_coach_caseloads(demo):
    people = Participant.objects.filter(academy=demo.academy)
    coach = demo.people["coach@maatwerq.test"]
    coach2 = demo.people["coach2@maatwerq.test"]
    assert 18 <= running(people.filter(coach=coach)).count() <= 25
    assert 8 <= running(people.filter(coach=coach2)).count() <= 25
    # Every running route that has started has a coach, and no coach carries more than 25.
    started = running(people).exclude(current_route__status__in=["aangemeld", "intake"])
    assert not started.filter(coach=None).exists()
    loads = Counter(running(people).exclude(coach=None).values_list("coach", flat=True))
    assert max(loads.values()) <= 25


def test_demo_cohorts_are_about_their_planned_size(demo):
    cohorts = Cohort.objects.annotate(n_routes=Count("routes")).filter(
        programme__academy=demo.academy
    )
    filled = [c for c in cohorts if c.n_routes]
    running_groups = [c for c in cohorts if c.start_date <= TODAY < c.end_date]
    assert len(running_groups) == 12
    assert all(c.n_routes for c in running_groups)
    assert {c.programme.name for c in filled if c.end_date <= TODAY} == {"BinQ", "TanQ", "BlinQ"}
    for cohort in filled:
        assert abs(cohort.n_routes - cohort.planned_size) <= 2, cohort


def test_demo_finished_groups_drop_out_and_outcomes(demo):
    finished = [
        t
        for t in Route.objects.select_related("cohort").exclude(cohort=None)
        if t.cohort.end_date <= TODAY
    ]
    statuses = Counter(t.status for t in finished)
    assert statuses[Status.AFGEROND] + statuses[Status.UITGEVALLEN] >= 0.9 * len(finished)
    assert 0.25 <= statuses[Status.UITGEVALLEN] / len(finished) <= 0.35
    ended = [t for t in finished if t.status in {Status.AFGEROND, Status.UITGEVALLEN}]
    split = Counter(t.outcome_category for t in ended)
    assert 0.45 <= split["succesvol"] / len(ended) <= 0.60
    assert 0.18 <= split["negatief"] / len(ended) <= 0.32
    assert split["succesvol"] + split["negatief"] + split["overig"] == len(ended)
    dropped = [t for t in ended if t.status == Status.UITGEVALLEN]
    assert all(t.dropout_reason and t.dropout_phase and t.destination for t in dropped)
    assert len({t.dropout_reason for t in dropped}) >= 5


def test_demo_routes_are_consistent(demo):
    for route in Route.objects.select_related("participant", "cohort"):
        person = route.participant
        assert 16 <= person.age_on(route.referral_date) <= 27, route
        assert route.referral_date <= TODAY
        if route.start_date:
            assert route.intake_date
            assert route.referral_date <= route.intake_date
            assert route.intake_date <= route.start_date <= TODAY
        if route.cohort and route.start_date:
            assert route.cohort.start_date <= route.start_date < route.cohort.end_date
        if route.status in ENDED:
            assert route.end_date
            assert route.end_date <= TODAY
        if route.status in {Status.AFGEROND, Status.UITGEVALLEN}:
            assert route.outcome_category
            assert route.outcome_reason
        last = route.status_changes.order_by("-on_date", "-pk").first()
        assert last.to_status == route.status, route
    for person in Participant.objects.exclude(bsn=""):
        assert bsn_is_valid(person.bsn)
    assert not Participant.objects.exclude(current_route__participant=F("pk")).exists()


def test_demo_has_late_entrants_returners_follow_ups_and_history(demo):
    assert sum(t.is_late_entrant for t in Route.objects.select_related("cohort")) >= 15
    twice = Participant.objects.annotate(n=Count("routes")).filter(n=2)
    assert twice.count() >= 3
    for person in twice:
        first, second = person.routes.order_by("referral_date")
        assert first.status == Status.UITGEVALLEN
        assert person.current_route == second
        assert second.referral_date > first.end_date
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    due = FollowUp.objects.filter(done_on__isnull=True, due_on__lte=TODAY)
    assert due.exists()
    assert not due.filter(listed_for_coach_on=None).exists()
    assert Handover.objects.count() >= 30
    assert NetworkContact.objects.count() >= 100
    assert Consent.objects.filter(scope="werkgever_werkstatus").count() >= 100
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert StatusChange.objects.filter(is_undo=True).count() == 1


def test_demo_keeps_the_original_twelve(demo):
    binq = demo.programmes["BinQ"]
    newest = Cohort.objects.filter(programme=binq, start_date__lte=TODAY).latest("start_date")
    first, last, born = _person(random.Random(2012), newest.start_date)  # noqa: S311 - the seed
    daan = Participant.objects.get(first_name=first, last_name=last, date_of_birth=born)
    assert daan.coach == demo.people["coach@maatwerq.test"]
    assert daan.placements.filter(employer=demo.employers["binq"], end_date=None).exists()
    assert daan.care_notes.exists()
    assert daan.current_route.cohort == newest


@pytest.mark.slow  # a second build of the whole demo
def test_demo_is_idempotent_and_deterministic(demo):
    before = counts()
    names = sorted(Participant.objects.values_list("first_name", "last_name", "date_of_birth"))
    build()
    assert counts() == before
    assert sorted(Participant.objects.values_list("first_name", "last_name", "date_of_birth")) == (
        names
    )
