import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from maatwerq.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_at_allauths_url(world):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": world.users["coach"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Mijn caseload" in client.get("/").content.decode()


def test_wrong_password_gives_dutch_message_and_no_session(world):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": world.users["coach"].email, "password": "fout-fout-fout"}
    )
    assert response.status_code == 200
    assert "wachtwoord" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_login_attempts_are_rate_limited(world):
    """allauth's own limit: after five failures for one account, even the right password is
    refused for a while, with a Dutch message."""
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/", {"login": world.users["coach"].email, "password": "fout-fout-fout"}
        )
    response = client.post(
        "/accounts/login/", {"login": world.users["coach"].email, "password": PASSWORD}
    )
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_public_signup_is_closed(db):
    from maatwerq.accounts.models import User

    response = Client().post(
        "/accounts/signup/",
        {
            "email": "zelf@example.test",
            "password1": "Lang-wachtwoord-42",
            "password2": "Lang-wachtwoord-42",
        },
    )
    assert "gesloten" in response.content.decode().lower()
    assert not User.objects.filter(email="zelf@example.test").exists()


def test_user_without_membership_sees_a_dutch_message_and_nothing_else(world):
    loner = UserFactory(email="los@example.test")
    client = Client()
    client.force_login(loner)
    response = client.get("/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "geen rol" in body
    assert "Zichtbaar" not in body
    assert client.get(reverse("participants:participant_list")).status_code == 403


@pytest.mark.parametrize("persona", ["regisseur", "projectleider", "beheerder"])
def test_mfa_required_roles_are_sent_to_set_up_mfa(persona, world, client_for, settings):
    settings.MFA_REQUIRED_ROLES = [Role.REGISSEUR, Role.PROJECTLEIDER, Role.BEHEERDER]
    client = Client()
    client.post("/accounts/login/", {"login": world.users[persona].email, "password": PASSWORD})
    response = client.get(reverse("participants:participant_detail", args=[world.participant.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert "Zichtbaar" not in response.content.decode()
    # The MFA set-up is reachable: allauth asks for the password once more, then shows it.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()


def test_mfa_required_role_with_totp_gets_through(world, client_for, settings):
    settings.MFA_REQUIRED_ROLES = [Role.REGISSEUR]
    Authenticator.objects.create(
        user=world.users["regisseur"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    response = client_for("regisseur").get(
        reverse("participants:participant_detail", args=[world.participant.pk])
    )
    assert response.status_code == 200
    assert "Daan Zichtbaar" in response.content.decode()


def test_coach_is_not_forced_into_mfa(world, client_for, settings):
    settings.MFA_REQUIRED_ROLES = [Role.REGISSEUR, Role.PROJECTLEIDER, Role.BEHEERDER]
    response = client_for("coach").get("/")
    assert response.status_code == 200


def test_acting_membership_can_be_switched_only_to_ones_own(world, client_for):
    from maatwerq.accounts.models import Membership

    coach = world.users["coach"]
    second = Membership.objects.create(user=coach, academy=world.other_academy, role=Role.REGISSEUR)
    client = client_for("coach")
    client.post(reverse("accounts:membership_switch"), {"membership": second.pk})
    body = client.get("/").content.decode()
    assert "Academie Twente" in body
    assert "Zichtbaar" not in body  # the other academy's scope, not the coach's caseload

    regisseur_membership = world.users["regisseur"].memberships.get()
    response = client.post(
        reverse("accounts:membership_switch"), {"membership": regisseur_membership.pk}
    )
    assert response.status_code == 404
