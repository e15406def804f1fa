"""How a participant and a parent get in: the coach's invitation, a sign-in code by email
(allauth's login by code, same rate limits as staff), and a guardian's read-only access."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leerroutes.models import Reflection, SelfReportedWellbeing
from maatwerq.accounts.models import Invitation, Membership, Role, User
from participants.models import GuardianAccess

from .conftest import GOAL_TEXT

pytestmark = pytest.mark.django_db

PASSWORD = "Lang-wachtwoord-42"


def _token_from_mail() -> str:
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


def _accept(token: str, name: str) -> Client:
    """Accept with a new password, then log in: the invitation link itself logs nobody in."""
    from maatwerq.accounts.services import _hash

    email = Invitation.objects.get(token_hash=_hash(token)).email
    client = Client()
    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"full_name": name, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    return client


# --- the coach invites the participant ---------------------------------------------------------


def test_coach_invites_participant_who_accepts_and_sees_own_route(
    world, planted, client_for, django_capture_on_commit_callbacks
):
    participant = world.participant
    participant.email = "daan@example.test"
    participant.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coach").post(
            reverse("portal:participant_invite", args=[participant.pk])
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="daan@example.test")
    assert (invitation.role, invitation.participant) == (Role.DEELNEMER, participant)
    assert "/uitnodiging/" in mail.outbox[-1].body

    client = _accept(_token_from_mail(), "Daan")

    user = User.objects.get(email="daan@example.test")
    participant.refresh_from_db()
    assert participant.user == user
    assert Membership.objects.filter(user=user, role=Role.DEELNEMER, academy=world.academy)
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")
    assert GOAL_TEXT in client.get(reverse("portal:goals")).content.decode()


def test_invite_button_partial_shows_for_own_coach_only(world, client_for):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    world.participant.email = "daan@example.test"
    html = {}
    for persona in ("coach", "other_coach", "projectleider"):
        request = RequestFactory().get("/")
        request.user = world.users[persona]
        html[persona] = render_to_string(
            "portal/_invite_button.html", {"participant": world.participant}, request=request
        )
    assert reverse("portal:participant_invite", args=[world.participant.pk]) in html["coach"]
    assert "portal-invite-button" not in html["other_coach"]
    assert "portal-invite-button" not in html["projectleider"]


@pytest.mark.parametrize(("persona", "status"), [("other_coach", 404), ("projectleider", 403)])
def test_only_own_coach_or_regisseur_may_invite(persona, status, world, client_for):
    world.participant.email = "daan@example.test"
    world.participant.save(update_fields=["email"])
    url = reverse("portal:participant_invite", args=[world.participant.pk])
    assert client_for(persona).post(url).status_code == status
    assert not Invitation.objects.exists()


def test_invite_needs_an_email_address(world, client_for):
    url = reverse("portal:participant_invite", args=[world.participant.pk])
    response = client_for("coach").post(url, follow=True)
    # "Add the participant's email address first."
    assert "Vul eerst het e-mailadres van de deelnemer in." in response.content.decode()
    assert not Invitation.objects.exists()


# --- login by a one-time code ------------------------------------------------------------------


@pytest.fixture
def login_by_code(settings):
    cache.clear()  # allauth keeps its rate-limit counters in the cache
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = True
    settings.ROOT_URLCONF = "tests.portal.urls_login_code"
    yield
    cache.clear()


def test_participant_logs_in_with_a_code_by_email(world, planted, deelnemer, login_by_code):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": deelnemer.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")
    assert GOAL_TEXT in client.get(reverse("portal:goals")).content.decode()


def test_sign_in_codes_are_rate_limited_like_staff(world, deelnemer, login_by_code):
    sent = []
    for _attempt in range(5):
        Client().post(reverse("account_request_login_code"), {"email": deelnemer.email})
        sent.append(len(mail.outbox))
    # allauth's default for everyone: three codes a minute per address.
    assert sent[-1] == 3


# --- a parent or guardian: read-only, with the participant's and the regisseur's agreement -----


@pytest.fixture
def minor(world):
    participant = world.participant
    today = timezone.localdate()
    participant.date_of_birth = today.replace(year=today.year - 16)
    participant.save(update_fields=["date_of_birth"])
    return participant


@pytest.fixture
def guardian_client(world, minor, planted, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("regisseur").post(
            reverse("portal:guardian_access", args=[minor.pk]),
            {
                "guardian_name": "Petra Zichtbaar",
                "email": "petra@example.test",
                "agreed_by_participant_on": date(2025, 9, 1).isoformat(),
            },
        )
    assert response.status_code == 302
    return _accept(_token_from_mail(), "Petra Zichtbaar")


def test_guardian_reads_the_plain_view_but_changes_nothing(world, planted, guardian_client):
    access = GuardianAccess.objects.get()
    assert access.guardian.email == "petra@example.test"
    assert access.agreed_by_regisseur == world.users["regisseur"]
    home = guardian_client.get(reverse("portal:home")).content.decode()
    assert "Daan" in home
    assert 'id="wellbeing-form"' not in home
    goals = guardian_client.get(reverse("portal:goals")).content.decode()
    assert GOAL_TEXT in goals
    assert "portal-write" not in goals
    goal = planted.goal
    response = guardian_client.post(
        reverse("portal:goal_reflect", args=[goal.pk]), {f"goal-{goal.pk}-text": "Namens Daan"}
    )
    assert response.status_code == 403
    assert guardian_client.post(reverse("portal:wellbeing"), {"score": "4"}).status_code == 403
    assert guardian_client.get(reverse("portal:dossier")).status_code == 403
    assert not Reflection.objects.exists()
    assert not SelfReportedWellbeing.objects.exists()


def test_guardian_access_ends_when_the_participant_stops_it(world, guardian_client):
    daan = Client()
    daan.force_login(_daan_login(world))
    access = GuardianAccess.objects.get()
    response = daan.post(reverse("portal:guardian_stop", args=[access.pk]))
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revoked_on == timezone.localdate()
    assert guardian_client.get(reverse("portal:home")).status_code == 404


def test_guardian_access_ends_at_18(world, minor, guardian_client):
    today = timezone.localdate()
    minor.date_of_birth = today.replace(year=today.year - 18)
    minor.save(update_fields=["date_of_birth"])
    assert guardian_client.get(reverse("portal:home")).status_code == 404


def test_regisseur_alone_records_guardian_access(world, minor, client_for):
    url = reverse("portal:guardian_access", args=[minor.pk])
    assert client_for("coach").get(url).status_code == 403
    assert client_for("regisseur").get(url).status_code == 200


def test_no_guardian_access_for_an_adult(world, client_for):
    response = client_for("regisseur").post(
        reverse("portal:guardian_access", args=[world.participant.pk]),
        {"guardian_name": "Petra", "email": "petra@example.test",
         "agreed_by_participant_on": "2025-09-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not GuardianAccess.objects.exists()


def _daan_login(world) -> User:
    user = User.objects.create_user("daan@example.test", PASSWORD, full_name="Daan")
    Membership.objects.create(user=user, academy=world.academy, role=Role.DEELNEMER)
    world.participant.user = user
    world.participant.save(update_fields=["user"])
    return user
