"""Issue 14 item 4: logins are in the audit log: success, a wrong password, a refusal by the
rate limit, and the second factor right or wrong. One event each."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from maatwerq.accounts.models import Role
from maatwerq.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _events() -> list[tuple]:
    return [
        (e.action, e.actor_id, e.actor_email, e.acting_role, e.detail.get("reason", ""))
        for e in AuditEvent.objects.order_by("pk")
    ]


def _code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_a_login_writes_one_login_event(world):
    coach = world.users["coach"]
    response = Client().post(LOGIN, {"login": coach.email, "password": PASSWORD})
    assert response.status_code == 302
    assert _events() == [(Action.LOGIN, coach.pk, coach.email, Role.COACH, "")]
    event = AuditEvent.objects.get()
    assert event.academy == world.academy
    assert event.detail["method"] == "password"


def test_a_wrong_password_writes_one_failed_login_without_actor(world):
    coach = world.users["coach"]
    response = Client().post(LOGIN, {"login": coach.email, "password": "fout-wachtwoord"})
    assert response.status_code == 200
    assert _events() == [(Action.LOGIN_FAILED, None, coach.email, Role.COACH, "password")]
    assert AuditEvent.objects.get().academy == world.academy  # the academy sees the attempt


def test_an_unknown_address_is_logged_with_the_address_typed(world):
    Client().post(LOGIN, {"login": "niemand@example.test", "password": "x"})
    assert _events() == [(Action.LOGIN_FAILED, None, "niemand@example.test", "", "password")]
    assert AuditEvent.objects.get().academy is None


def test_a_login_refused_by_the_rate_limit_is_logged(world, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    coach = world.users["coach"]
    client = Client()
    for _attempt in range(3):
        client.post(LOGIN, {"login": coach.email, "password": "fout-wachtwoord"})
    reasons = [reason for action, *_rest, reason in _events() if action == Action.LOGIN_FAILED]
    assert reasons == ["password", "password", "rate_limited"]


def test_the_login_page_rate_limit_per_address_is_logged(world, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    coach = world.users["coach"]
    client = Client()
    client.post(LOGIN, {"login": coach.email, "password": "fout-wachtwoord"})
    response = client.post(LOGIN, {"login": coach.email, "password": "fout-wachtwoord"})
    assert response.status_code == 429
    assert _events()[-1] == (Action.LOGIN_FAILED, None, coach.email, Role.COACH, "rate_limited")


@pytest.fixture
def regisseur_with_totp(world):
    user = world.users["regisseur"]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_a_wrong_second_factor_is_logged_and_a_right_one_too(regisseur_with_totp):
    user, secret = regisseur_with_totp
    client = Client()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert _events() == []  # the password alone is no login yet
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert _events() == [(Action.LOGIN_FAILED, None, user.email, Role.REGISSEUR, "mfa")]
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert _events()[1:] == [
        (Action.LOGIN, user.pk, user.email, Role.REGISSEUR, ""),
        (Action.LOGIN, user.pk, user.email, Role.REGISSEUR, ""),
    ]
    mfa, login = AuditEvent.objects.order_by("pk")[1:]
    assert mfa.detail["method"] == "mfa"
    assert login.detail["method"] == "mfa"  # the login completed through the second factor
