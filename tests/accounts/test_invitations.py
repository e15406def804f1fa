from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maatwerq.accounts import services
from maatwerq.accounts.models import Invitation, Membership, Role, User
from maatwerq.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _invite(world, client_for, email="nieuw@example.test", role=Role.COACH, employer=""):
    client = client_for("beheerder")
    return client.post(
        reverse("accounts:member_list"),
        {"email": email, "role": role, "employer": employer},
    )


def _token_from_mail() -> str:
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/uitnodiging/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_beheerder_invites_and_invitee_accepts(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(world, client_for)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nieuw@example.test"]
    assert "Academie Salland" in mail.outbox[-1].body
    invitation = Invitation.objects.get(email="nieuw@example.test")
    token = _token_from_mail()
    assert invitation.token_hash != token  # only the hash is stored

    client = client_for("anonymous")
    page = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert "nieuw@example.test" in page.content.decode()
    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {
            "full_name": "Nieuwe Coach",
            "password1": "Lang-wachtwoord-42",
            "password2": "Lang-wachtwoord-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.test")
    assert Membership.objects.filter(user=user, academy=world.academy, role=Role.COACH).exists()
    assert user.check_password("Lang-wachtwoord-42")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # The link logs nobody in (issue "Trust first"): the new coach logs in with the password.
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    client.post(
        reverse("account_login"), {"login": "nieuw@example.test", "password": "Lang-wachtwoord-42"}
    )
    home = client.get(reverse("home"))
    assert "Mijn caseload" in home.content.decode()


def test_reused_invitation_is_refused_and_creates_nothing(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, client_for)
    token = _token_from_mail()
    data = {"full_name": "X", "password1": "Lang-wachtwoord-42", "password2": "Lang-wachtwoord-42"}
    client_for("anonymous").post(reverse("accounts:invitation_accept", args=[token]), data)
    users_before = User.objects.count()
    memberships_before = Membership.objects.count()

    response = client_for("anonymous").post(
        reverse("accounts:invitation_accept", args=[token]), data
    )
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()
    assert User.objects.count() == users_before
    assert Membership.objects.count() == memberships_before


def test_expired_invitation_is_refused_and_creates_nothing(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, client_for)
    token = _token_from_mail()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    users_before = User.objects.count()

    response = client_for("anonymous").post(
        reverse("accounts:invitation_accept", args=[token]),
        {"full_name": "X", "password1": "Lang-wachtwoord-42", "password2": "Lang-wachtwoord-42"},
    )
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert User.objects.count() == users_before


def test_unknown_token_gets_a_dutch_message(client_for, world):
    response = client_for("anonymous").get(reverse("accounts:invitation_accept", args=["abc"]))
    assert response.status_code == 410
    assert "ongeldig" in response.content.decode()


def test_mismatched_passwords_keep_input_and_create_nothing(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, client_for)
    token = _token_from_mail()
    response = client_for("anonymous").post(
        reverse("accounts:invitation_accept", args=[token]),
        {
            "full_name": "Kees Kortmans",
            "password1": "Lang-wachtwoord-42",
            "password2": "anders-42-xx",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "niet hetzelfde" in body
    assert 'value="Kees Kortmans"' in body
    assert not User.objects.filter(email="nieuw@example.test").exists()


def test_werkgever_invitation_needs_an_employer(world, client_for):
    response = _invite(world, client_for, role=Role.WERKGEVER)
    assert response.status_code == 200
    assert "Kies de werkgever" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_create_writes_an_audit_event(world):
    before = AuditEvent.objects.count()
    services.invitation_create(
        email="a@example.test",
        academy=world.academy,
        role=Role.REGISSEUR,
        by=world.users["beheerder"],
        base_url="http://testserver/",
    )
    assert AuditEvent.objects.count() == before + 1
