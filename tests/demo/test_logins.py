"""The demo's printed logins work for every role, as a newcomer would use them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from maatwerq.accounts.models import Role

# Builds the whole demo academy (load_demo) first: seconds of inserts, so `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_printed_demo_login_opens_its_start_page():
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if ": " in line and " / " in line]
    roles = [line.split(":", 1)[0] for line in lines]
    assert roles == [
        Role.COACH,
        Role.REGISSEUR,
        Role.PROJECTLEIDER,
        Role.WERKGEVER,
        Role.BEHEERDER,
        Role.LANDELIJK,
        Role.DEELNEMER,
    ]
    for line in lines:
        role, rest = line.split(": ", 1)
        email, password = rest.split(" / ")
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, line
        page = client.get("/", follow=True)
        assert page.status_code == 200, line
        body = page.content.decode()
        assert "Fijn dat je er bent" in body or role == Role.DEELNEMER, line
        assert "geen rol" not in body, line
