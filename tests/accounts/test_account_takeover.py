"""Trust first: no account can become another. Each test is an outsider's attempt, made over
HTTP as a browser would, that worked before (issue "Trust first", findings 1-3, 5, 6, 11)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse

from maatwerq.accounts import services
from maatwerq.accounts.models import Invitation, Membership, Role, User
from maatwerq.audit.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Lang-wachtwoord-42"
TARGET = "nieuwe.regisseur@example.test"


def _invite(world, email=TARGET, role=Role.REGISSEUR, by="beheerder", academy=None):
    invitation = services.invitation_create(
        email=email,
        academy=academy or world.academy,
        role=role,
        by=world.users[by],
        base_url="http://testserver/",
    )
    # The service keeps only the token's hash; give the test a known token.
    token = f"token-{invitation.pk}-{email}"
    invitation.token_hash = services._hash(token)
    invitation.save(update_fields=["token_hash"])
    return invitation, token


def _url(token: str) -> str:
    return reverse("accounts:invitation_accept", args=[token])


def _logged_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


# --- 1. claiming an address through allauth's email page ----------------------------------------


def test_employer_cannot_make_someone_elses_address_his_login(world, client_for):
    """The werkgever adds the address of a regisseur about to be invited and tries to make it
    primary: his login stays his own, and the invitation later creates a new account."""
    attacker = world.users["employer"]
    client = client_for("employer")
    client.post(reverse("account_email"), {"action_add": "", "email": TARGET})
    client.post(reverse("account_email"), {"action_primary": "", "email": TARGET})

    attacker.refresh_from_db()
    assert attacker.email == "employer@example.test"
    assert not EmailAddress.objects.filter(email=TARGET, verified=True).exists()
    assert services.user_for_email(TARGET) is None

    _, token = _invite(world)
    page = client_for("anonymous").get(_url(token)).content.decode()
    assert 'name="password1"' in page  # a new account, not the werkgever's
    Client().post(
        _url(token),
        {"full_name": "Echte Regisseur", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    owner = User.objects.get(email=TARGET)
    assert owner != attacker
    assert not Membership.objects.filter(user=attacker, role=Role.REGISSEUR).exists()
    # The werkgever's pending request for that address is gone with it.
    assert not EmailAddress.objects.filter(user=attacker, email=TARGET).exists()


def test_a_new_address_becomes_the_login_only_from_its_own_mailbox(world, client_for):
    coach = world.users["coach"]
    client = client_for("coach")
    client.post(reverse("account_email"), {"action_add": "", "email": "nieuw.adres@example.test"})
    coach.refresh_from_db()
    assert coach.email == "coach@example.test"  # not yet
    confirmation = next(m for m in mail.outbox if "nieuw.adres@example.test" in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    key_path = link.split("testserver", 1)[-1]
    client.post(key_path)
    coach.refresh_from_db()
    assert coach.email == "nieuw.adres@example.test"


# --- 2. an invitation link for an existing account -----------------------------------------------


def test_invitation_for_an_existing_account_asks_to_log_in_and_ignores_no_password(world):
    """Before: any password typed on the acceptance page logged the visitor into the existing
    account, past its TOTP. Now the page has no password field, a post creates nothing and
    logs nobody in."""
    regisseur = world.users["regisseur"]
    Authenticator.objects.create(user=regisseur, type=Authenticator.Type.TOTP, data={"secret": "x"})
    _, token = _invite(world, email=regisseur.email, role=Role.PROJECTLEIDER)

    visitor = Client()
    page = visitor.get(_url(token)).content.decode()
    assert 'name="password1"' not in page
    assert "al een account" in page

    response = visitor.post(
        _url(token),
        {"full_name": "Wie dan ook", "password1": "iets-anders-99", "password2": "iets-anders-99"},
    )
    assert response.status_code == 200
    assert _logged_in_user_id(visitor) is None
    assert not Membership.objects.filter(user=regisseur, role=Role.PROJECTLEIDER).exists()
    regisseur.refresh_from_db()
    assert regisseur.check_password(PASSWORD)  # the typed password changed nothing


def test_an_existing_account_is_told_to_log_in_not_to_set_a_password(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, email=world.users["coach"].email, role=Role.REGISSEUR)
        _invite(world, email=TARGET, role=Role.COACH)
    to = {m.to[0]: m.body for m in mail.outbox if len(m.to) == 1}
    existing, new = to["coach@example.test"], to[TARGET]
    assert "Je hebt al een account" in existing
    assert "wachtwoord in te stellen" not in existing
    assert "wachtwoord in te stellen" in new


def test_existing_account_accepts_only_while_logged_in_as_itself(world, client_for):
    regisseur = world.users["regisseur"]
    invitation, token = _invite(
        world, email=regisseur.email, role=Role.PROJECTLEIDER, academy=world.other_academy
    )
    # Another logged-in account is refused and gets nothing.
    other = client_for("coach")
    response = other.post(_url(token))
    assert response.status_code == 403
    assert "ander account" in response.content.decode()
    assert not Membership.objects.filter(role=Role.PROJECTLEIDER, academy=world.other_academy)

    owner = client_for("regisseur")
    assert "Deze rol aannemen" in owner.get(_url(token)).content.decode()
    response = owner.post(_url(token))
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=regisseur, role=Role.PROJECTLEIDER, academy=world.other_academy
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_logging_in_for_an_invitation_still_asks_for_the_second_factor(world):
    regisseur = world.users["regisseur"]
    Authenticator.objects.create(user=regisseur, type=Authenticator.Type.TOTP, data={"secret": "x"})
    _, token = _invite(world, email=regisseur.email, role=Role.PROJECTLEIDER)
    client = Client()
    login = client.post(
        f"{reverse('account_login')}?next={_url(token)}",
        {"login": regisseur.email, "password": PASSWORD},
    )
    assert login["Location"] == reverse("mfa_authenticate")
    assert _logged_in_user_id(client) is None
    assert client.post(_url(token)).status_code == 200  # still the "log in first" page
    assert not Membership.objects.filter(user=regisseur, role=Role.PROJECTLEIDER).exists()


def test_a_new_account_is_not_logged_in_by_the_link(world):
    _, token = _invite(world, role=Role.COACH)
    client = Client()
    response = client.post(
        _url(token),
        {"full_name": "Nieuwe Coach", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account_login")
    assert _logged_in_user_id(client) is None
    client.post(reverse("account_login"), {"login": TARGET, "password": NEW_PASSWORD})
    assert _logged_in_user_id(client) == str(User.objects.get(email=TARGET).pk)


# --- 3. self-granted roles ---------------------------------------------------------------------


def test_beheerder_cannot_invite_own_address(world, client_for):
    response = client_for("beheerder").post(
        reverse("accounts:member_list"),
        {"email": "BEHEERDER@example.test", "role": Role.LANDELIJK, "employer": ""},
    )
    assert response.status_code == 200
    assert "jezelf geen rol geven" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviter_cannot_accept_own_invitation_under_another_address(world, client_for):
    """The beheerder invites an address, then makes it (confirmed) his own: accepting is still
    refused, since the inviter would grant the role to himself."""
    beheerder = world.users["beheerder"]
    _, token = _invite(world, email="tweede.adres@example.test", role=Role.REGISSEUR)
    EmailAddress.objects.create(user=beheerder, email="tweede.adres@example.test", verified=True)
    response = client_for("beheerder").post(_url(token))
    assert response.status_code == 410
    assert "jezelf geen rol geven" in response.content.decode()
    assert not Membership.objects.filter(user=beheerder, role=Role.REGISSEUR).exists()


def test_sensitive_grant_is_told_to_the_other_beheerders(
    world, client_for, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="collega.beheer@example.test")
    MembershipFactory(user=colleague, academy=world.academy, role=Role.BEHEERDER)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("beheerder").post(
            reverse("accounts:member_list"),
            {"email": TARGET, "role": Role.REGISSEUR, "employer": ""},
        )
    told = [m for m in mail.outbox if colleague.email in m.to]
    assert len(told) == 1
    assert TARGET in told[0].body
    assert "beheerder@example.test" not in [a for m in told for a in m.to]
    event = AuditEvent.objects.get(object_type="accounts.Invitation", action="create")
    assert event.detail == {"event": "role_granted", "role": Role.REGISSEUR}

    colleague_client = Client()
    colleague_client.force_login(colleague)
    home = colleague_client.get("/").content.decode()
    assert TARGET in home.split('id="role-grants"', 1)[1]


def test_with_one_beheerder_the_regisseurs_are_told(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, email="landelijk.nieuw@example.test", role=Role.LANDELIJK)
    told = [m for m in mail.outbox if "regisseur@example.test" in m.to]
    assert len(told) == 1
    assert "landelijk.nieuw@example.test" in told[0].body


def test_an_ordinary_invitation_tells_no_one_else(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, email="coach.nieuw@example.test", role=Role.COACH)
    assert [m.to for m in mail.outbox] == [["coach.nieuw@example.test"]]


# --- 5. a forged X-Forwarded-For ------------------------------------------------------------------


def test_forged_forwarded_for_is_not_the_audited_address(world, client_for, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    client_for("coach").get(url, HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(path=url).latest("id")
    assert event.client_ip == "10.1.2.3"


def test_behind_one_proxy_the_proxys_entry_counts_not_the_clients_claim(
    world, client_for, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    # The client sent "6.6.6.6"; the proxy appended the address it saw.
    client_for("coach").get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert AuditEvent.objects.filter(path=url).latest("id").client_ip == "203.0.113.9"


@pytest.mark.parametrize("forged", ["not-an-ip", "1.2.3.4.5", "' OR 1=1 --", "::g"])
def test_an_invalid_forwarded_address_is_stored_as_none_not_a_500(
    forged, world, client_for, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    response = client_for("coach").get(url, HTTP_X_FORWARDED_FOR=forged)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(path=url).latest("id").client_ip is None


# --- 6. the Django admin --------------------------------------------------------------------------


def test_admin_login_form_is_allauths_with_its_rate_limit(world):
    staff = UserFactory(email="staf@example.test", is_staff=True, is_superuser=True)
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # The admin's own form no longer takes a password at all.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}
    )
    assert _logged_in_user_id(client) is None
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff.email, "password": "fout-fout-fout"})
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert _logged_in_user_id(client) is None  # locked out like every other login


def test_admin_staff_must_have_a_second_factor_where_required(world, settings):
    settings.ADMIN_MFA_REQUIRED = True
    staff = UserFactory(email="staf@example.test", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/participants/participant/")
    assert response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/participants/participant/").status_code == 200


def _production_settings(*names: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{n}))" for n in names
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "MAATWERQ_MODE": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/maatwerq",
        "DJANGO_ALLOWED_HOSTS": "academie.example.nl",
        "DJANGO_EMAIL_HOST": "smtp.example.nl",
    }
    result = subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()


@pytest.mark.slow  # starts Django in production mode in a second interpreter
def test_production_closes_the_admin_and_asks_coaches_for_a_second_factor():
    admin_enabled, admin_mfa, roles, proxies = _production_settings(
        "ADMIN_ENABLED", "ADMIN_MFA_REQUIRED", "MFA_REQUIRED_ROLES", "ALLAUTH_TRUSTED_PROXY_COUNT"
    )
    assert admin_enabled == "False"
    assert admin_mfa == "True"
    assert "'leerroutecoach'" in roles
    assert proxies == "0"


def test_admin_is_not_routed_when_off(settings):
    import importlib

    from django.urls import clear_url_caches

    import config.urls

    settings.ADMIN_ENABLED = False
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert Client().get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_ENABLED = True
        importlib.reload(config.urls)
        clear_url_caches()


# --- 11. no login by email code for roles that need a second factor -----------------------------


def test_a_coach_cannot_log_in_by_an_emailed_code_where_mfa_is_required(world, settings):
    settings.MFA_REQUIRED_ROLES = [Role.COACH]
    settings.ACCOUNT_LOGIN_BY_CODE_ENABLED = True
    settings.ROOT_URLCONF = "tests.portal.urls_login_code"
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": "coach@example.test"})
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert _logged_in_user_id(client) is None
    assert "niet met een code" in response.content.decode()


def test_employer_cannot_take_a_young_persons_invitation(
    world, client_for, django_capture_on_commit_callbacks
):
    """The same claim against a participant's own invitation: had it worked, the werkgever
    would read the young person's route and give consent "as the participant"."""
    participant = world.participant
    participant.email = "daan.jong@example.test"
    participant.save(update_fields=["email"])
    attacker = world.users["employer"]
    employer = client_for("employer")
    employer.post(reverse("account_email"), {"action_add": "", "email": participant.email})
    employer.post(reverse("account_email"), {"action_primary": "", "email": participant.email})
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coach").post(reverse("portal:participant_invite", args=[participant.pk]))
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line)
    token = link.rstrip("/").rsplit("/", 1)[-1]

    # The werkgever, logged in, opens the link: it is not his to accept.
    page = employer.get(_url(token)).content.decode()
    assert 'name="password1"' in page  # a new account's form, not "accept as employer"
    employer.post(
        _url(token), {"full_name": "Daan", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    participant.refresh_from_db()
    assert participant.user is not None
    assert participant.user != attacker
    assert participant.user.email == "daan.jong@example.test"
    assert not Membership.objects.filter(user=attacker, role=Role.DEELNEMER).exists()
    assert _logged_in_user_id(employer) is None  # and he was logged out, not in as Daan
