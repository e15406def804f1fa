"""The demo employers: hosts kept, ten followers, a leermeester login, and the existing demo
placements enriched (not duplicated); deterministic and idempotent."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q

from demo.accounts import build_organisation, login_lines
from demo.employers import LEERMEESTER_EMAIL, build_employers
from demo.leerroutes import build_leerroutes
from demo.participants import build_participants
from employers.candidates import workplace_candidates
from employers.models import (
    Candidate,
    Commitment,
    EmployerContact,
    EmployerLocation,
    ParticipationWay,
    Placement,
    PlacementArrangement,
    PlacementKind,
    Vacancy,
)
from leerroutes.models import HoursWeek, LeermeesterAssessment
from maatwerq.accounts.models import Membership, Role, User

# Each builds the whole demo academy (one of them twice): seconds of inserts, so `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = date(2026, 11, 23)
MODELS = [
    Placement,
    PlacementArrangement,
    EmployerContact,
    EmployerLocation,
    Commitment,
    Vacancy,
    Candidate,
    User,
    Membership,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_employers_enrich_and_are_idempotent():
    organisation = build_organisation(TODAY)
    build_participants(organisation, TODAY)
    build_leerroutes(organisation, TODAY)
    simple = set(Placement.objects.values_list("pk", flat=True))
    employers = build_employers(organisation, TODAY)
    first = counts()
    snapshot = list(Placement.objects.order_by("pk").values())

    # Run everything again: the same state.
    build_organisation(TODAY)
    build_participants(organisation, TODAY)
    build_leerroutes(organisation, TODAY)
    build_employers(organisation, TODAY)
    assert counts() == first
    assert list(Placement.objects.order_by("pk").values()) == snapshot

    # The hosts are the existing ones; ten followers besides them.
    assert employers["binq"] == organisation.employers["binq"]
    assert employers["binq"].name == "Nijland Infra Raalte"
    assert len(employers) == 13
    ways = set(Commitment.objects.values_list("way", flat=True))
    assert ways == set(ParticipationWay.values)

    # The simple placements were enriched in place; new ones are trials and mini-stages only.
    placements = Placement.objects.all()
    assert simple <= set(placements.values_list("pk", flat=True))
    added = placements.exclude(pk__in=simple)
    assert set(added.values_list("kind", flat=True)) <= {
        PlacementKind.TRIAL,
        PlacementKind.MINI_STAGE,
    }
    kinds = set(placements.values_list("kind", flat=True))
    assert {PlacementKind.TRIAL, PlacementKind.CONTRACT, PlacementKind.MINI_STAGE} <= kinds
    running_hosts = placements.filter(
        employer__in=[employers[k] for k in ("binq", "tanq", "blinq")], end_date__isnull=True
    )
    assert running_hosts.exists()
    assert not running_hosts.filter(Q(leermeester__isnull=True) | Q(location__isnull=True))
    assert not running_hosts.filter(hours_per_week__isnull=True)
    assert placements.filter(trial_passed_on__isnull=False, contract_hours=32).exists()
    assert placements.filter(trial_reminder_listed_on__isnull=False).exists()
    ended = placements.filter(end_date__lt=TODAY)
    assert ended.exists()
    assert not ended.filter(end_reason="")
    assert PlacementArrangement.objects.filter(kind="loonkostensubsidie").exists()

    # The leermeester logs in as the BinQ host; assessments and hours are tied to the host.
    leermeester = User.objects.get(email=LEERMEESTER_EMAIL)
    membership = leermeester.memberships.get()
    assert (membership.role, membership.employer) == (Role.WERKGEVER, employers["binq"])
    assert EmployerContact.objects.filter(user=leermeester, role="leermeester").exists()
    assert not LeermeesterAssessment.objects.filter(employer__isnull=True).exists()
    assert HoursWeek.objects.filter(confirmed_by=leermeester).exists()

    # The employer chooses who trains (issue 17): the host's vacancy has two proposed
    # candidates, one of whom shares the work profile, so the werkgever login sees one.
    proposed = Candidate.objects.filter(vacancy__employer=employers["binq"])
    assert proposed.count() == 2
    werkgever = User.objects.get(email="werkgever@maatwerq.test")
    shown = workplace_candidates(werkgever, proposed.first().vacancy, today=TODAY)
    assert [c.public_id for c in shown] == [
        c.public_id for c in proposed.filter(participant__consents__scope="kandidaatprofiel")
    ]


def test_load_demo_prints_the_same_login_lines():
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1:] == login_lines()
    assert LEERMEESTER_EMAIL not in out.getvalue()


def test_the_demo_day_shows_a_staff_shortfall_and_an_open_consent_question():
    """After load_demo (twice: idempotent), the projectleider's queue names one programme a
    person short (the first by name) and the regisseur's one question the young person has
    not answered, asked three days ago."""
    from django.utils import timezone

    from home.selectors import staff_shortfall_entries
    from participants.models import ConsentRequest
    from reporting.models import ForecastSettings

    for _ in range(2):
        call_command("load_demo", stdout=StringIO())
    today = timezone.localdate()
    leader = User.objects.get(email="projectleider@maatwerq.test")
    entries = staff_shortfall_entries(leader, today)
    assert [e.name for e in entries] == ["BinQ"]
    assert "(1 " in entries[0].note  # one short
    assert ForecastSettings.objects.filter(staff_available__isnull=True).count() == 0
    open_questions = ConsentRequest.objects.filter(answered_at__isnull=True)
    assert open_questions.count() == 1
    question = open_questions.get()
    assert question.participant.user.email == "deelnemer@maatwerq.test"
    assert (timezone.now() - question.asked_at).days == 3
