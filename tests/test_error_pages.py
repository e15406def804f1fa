"""The pages a user meets when something is not there, not theirs or broken: Dutch, with the
way back (issue 17, "right in Dutch for everyone"); and Django's own messages in Dutch."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from maatwerq.audit.models import AuditEvent
from reporting.forms import PlannerForm

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def world(module_world, db):
    return module_world


def test_an_unknown_participant_is_a_dutch_404_with_the_menu(world, client_for):
    url = reverse("participants:participant_detail", args=[uuid.uuid4()])
    response = client_for("coach").get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina niet gevonden" in body
    assert 'aria-label="Hoofdmenu"' in body or 'id="mainnav"' in body
    assert f'href="{reverse("home")}"' in body
    assert "Page not found" not in body


def test_a_page_of_another_role_is_a_dutch_403_that_names_the_acting_role(world, client_for):
    response = client_for("employer").get(reverse("reporting:forecast"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Geen toegang" in body
    assert "Je werkt nu als" in body
    assert 'id="mainnav"' in body


def test_the_500_page_is_dutch_and_stands_alone():
    with translation.override("nl"):
        response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in body
    assert 'href="/"' in body


@pytest.mark.slow  # starts Django in a second interpreter once per mode
def test_the_demo_shows_the_users_error_pages_not_djangos_technical_ones():
    def debug_in(mode: str, **extra: str) -> str:
        env = {**os.environ, "MAATWERQ_MODE": mode, "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("DJANGO_DEBUG", None)
        env.update(extra)
        code = (
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
        )
        done = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        return done.stdout.strip()

    assert debug_in("demo", DATABASE_URL="sqlite:///:memory:") == "False"
    assert debug_in("demo", DATABASE_URL="sqlite:///:memory:", DJANGO_DEBUG="1") == "True"


def test_djangos_password_rules_speak_dutch():
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_password("1234")
    messages = refused.value.messages
    assert "Dit wachtwoord is te kort. Het moet minstens 10 tekens bevatten." in messages
    assert all("password" not in message.lower() for message in messages), messages


@pytest.mark.parametrize(
    ("stored", "dutch"),
    [
        ("participants.Participant", "Deelnemer"),
        ("participants.Traject", "Route"),  # written before the model was renamed to Route
        ("employers.Placement", "Plaatsing"),
        ("gone.Model", "gone.Model"),
        ("", ""),
    ],
)
def test_the_audit_log_names_what_an_event_is_about_as_a_reader_says_it(stored, dutch):
    with translation.override("nl"):
        assert AuditEvent(object_type=stored).object_label == dutch


def test_the_planners_intake_months_are_named_boxes_not_a_decimal(world, client_for):
    body = client_for("projectleider").get(reverse("reporting:planner")).content.decode()
    assert 'type="checkbox" name="months" value="2"' in body
    assert ">Feb<" in body or "Feb</label>" in body or " Feb" in body
    assert 'value="2,9"' not in body


@pytest.mark.parametrize(
    ("months", "cleaned"), [(["2", "9"], [2, 9]), (["9,2"], [2, 9]), (["9", "9", "2"], [2, 9])]
)
def test_the_planner_takes_boxes_and_a_scripts_comma_list(months, cleaned):
    form = PlannerForm({"first": "2025-09", "last": "2026-08", "months": months})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["months"] == cleaned


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ([], "Vink minstens één maand aan waarin groepen starten."),
        (["13"], "Give months as numbers from 1 to 12, separated by commas."),
    ],
)
def test_the_planner_says_what_is_wrong_with_the_months(months, message):
    with translation.override("nl"):
        form = PlannerForm({"first": "2025-09", "last": "2026-08", "months": months})
        assert not form.is_valid()
        expected = translation.gettext(message)
        assert form.errors["months"] == [expected]
