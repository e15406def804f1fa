"""The demo academy built on another day, and `load_demo` run twice: each from an empty
database (the other demo checks share one demo, test_participants.py)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from demo.accounts import login_lines
from participants.models import Participant, Route

from .test_participants import build

# Each builds the whole demo academy (the command twice): seconds of inserts, so `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_holds_on_another_day():
    build(date(2027, 5, 10))
    people = Participant.objects.all()
    assert 150 <= people.count() <= 220
    assert not Route.objects.filter(referral_date__gt=date(2027, 5, 10)).exists()


def test_load_demo_prints_exactly_the_login_lines_twice():
    for _ in range(2):
        out = StringIO()
        call_command("load_demo", stdout=out)
        assert out.getvalue().splitlines() == ["Demo logins (one per role):", *login_lines()]
