"""The beheerder's user lifecycle (issue 17 item 5): deactivate (sessions end at once),
change or remove a role, resend or revoke an invitation, last login; every change audited;
nobody deactivates or demotes themselves or the academy's last beheerder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerq.accounts import services
from maatwerq.accounts.models import Invitation, Membership, Role
from maatwerq.audit.models import AuditEvent

from ..factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = "/beheer/gebruikers/"


def _events(event: str):
    return AuditEvent.objects.filter(detail__event=event)


def _deactivate(client, user):
    return client.post(reverse("accounts:user_deactivate", args=[user.pk]))


def test_deactivation_ends_a_live_session_at_once(world, client_for):
    coach = world.users["coach"]
    coach_client = client_for("coach")
    assert coach_client.get("/").status_code == 200  # logged in, a live session
    other_client = client_for("other_coach")  # someone else's session stays
    response = _deactivate(client_for("beheerder"), coach)
    assert response.status_code == 302
    # The very next request meets the login page.
    next_request = coach_client.get("/")
    assert next_request.status_code == 302
    assert next_request["Location"].startswith(reverse("account_login"))
    assert other_client.get("/").status_code == 200
    coach.refresh_from_db()
    assert coach.is_active is False
    assert not Membership.objects.filter(user=coach, is_active=True).exists()
    # No session of the coach is left; the other coach's is.
    owners = {str(s.get_decoded().get(SESSION_KEY)) for s in Session.objects.all()}
    assert str(coach.pk) not in owners
    assert str(world.users["other_coach"].pk) in owners
    event = _events("user_deactivated").get()
    assert event.actor == world.users["beheerder"]
    assert event.object_id == str(coach.pk)
    assert event.detail["sessions_ended"] == 1
    assert event.detail["roles"] == [Role.COACH]


def test_a_deactivated_user_cannot_log_in(world, client_for):
    coach = world.users["coach"]
    _deactivate(client_for("beheerder"), coach)
    from django.test import Client

    client = Client()
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    assert client.get("/")["Location"].startswith(reverse("account_login"))


def test_a_user_with_a_role_elsewhere_keeps_the_account(world, client_for):
    coach = world.users["coach"]
    MembershipFactory(user=coach, academy=world.other_academy, role=Role.COACH)
    _deactivate(client_for("beheerder"), coach)
    coach.refresh_from_db()
    assert coach.is_active is True  # still works in the other academy
    assert set(
        Membership.objects.filter(user=coach, is_active=True).values_list("academy", flat=True)
    ) == {world.other_academy.pk}


def test_nobody_deactivates_themselves_or_the_last_beheerder(world, client_for):
    beheerder = world.users["beheerder"]
    client = client_for("beheerder")
    _deactivate(client, beheerder)
    beheerder.refresh_from_db()
    assert beheerder.is_active is True
    assert not _events("user_deactivated").exists()
    # A second beheerder cannot take away the first one while that one is the last... and
    # once there are two, one may go; the last one left may not.
    second = UserFactory(email="tweede-beheerder@example.test")
    MembershipFactory(user=second, academy=world.academy, role=Role.BEHEERDER)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=second, academy=world.academy, by=second)
    services.user_deactivate(user=beheerder, academy=world.academy, by=second)
    third = UserFactory(email="derde@example.test")
    with pytest.raises(ValidationError, match="laatste beheerder"):
        services.membership_remove(
            membership=Membership.objects.get(user=second, role=Role.BEHEERDER), by=third
        )


def test_role_change_among_the_ordinary_roles_is_audited(world, client_for):
    membership = world.users["coach"].memberships.get()
    url = reverse("accounts:membership_change", args=[membership.pk])
    response = client_for("beheerder").post(url, {"role": Role.PROJECTLEIDER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.PROJECTLEIDER
    event = _events("role_changed").get()
    assert (event.detail["from"], event.detail["to"]) == (Role.COACH, Role.PROJECTLEIDER)


def test_a_sensitive_role_is_given_by_invitation_only(world, client_for):
    membership = world.users["coach"].memberships.get()
    url = reverse("accounts:membership_change", args=[membership.pk])
    response = client_for("beheerder").post(url, {"role": Role.REGISSEUR})
    assert response.status_code == 200  # the role field does not even offer it
    assert 'id="id_role_error"' in response.content.decode()
    with pytest.raises(ValidationError):
        services.membership_role_change(
            membership=membership, role=Role.REGISSEUR, by=world.users["beheerder"]
        )
    membership.refresh_from_db()
    assert membership.role == Role.COACH


def test_nobody_changes_or_removes_their_own_role(world, client_for):
    own = world.users["beheerder"].memberships.get()
    client = client_for("beheerder")
    client.post(reverse("accounts:membership_change", args=[own.pk]), {"role": Role.COACH})
    client.post(reverse("accounts:membership_remove", args=[own.pk]))
    own.refresh_from_db()
    assert own.role == Role.BEHEERDER
    assert not _events("role_changed").exists()
    assert not _events("role_removed").exists()


def test_removing_a_role_ends_it_on_the_next_request(world, client_for):
    coach_client = client_for("projectleider")
    membership = world.users["projectleider"].memberships.get()
    client_for("beheerder").post(reverse("accounts:membership_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert _events("role_removed").get().detail["role"] == Role.PROJECTLEIDER
    # No membership left: the reporting pages refuse.
    assert coach_client.get(reverse("employers:placement_list")).status_code == 403


def _invitation(world) -> tuple[Invitation, str]:
    invitation = services.invitation_create(
        email="nieuw@example.test",
        academy=world.academy,
        role=Role.COACH,
        by=world.users["beheerder"],
        base_url="http://testserver/",
    )
    return invitation, invitation.token_hash


def test_resend_gives_a_new_link_and_the_old_one_stops(
    world, client_for, django_capture_on_commit_callbacks
):
    invitation, old_hash = _invitation(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("beheerder").post(
            reverse("accounts:invitation_resend", args=[invitation.pk])
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert [m.to for m in mail.outbox] == [["nieuw@example.test"]]
    link = next(w for w in mail.outbox[0].body.split() if "/uitnodiging/" in w)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.invitation_for_token(token) == invitation
    assert _events("invitation_resent").get().object_id == str(invitation.pk)


def test_a_revoked_invitation_link_no_longer_works(world, client_for):
    invitation = Invitation.objects.create(
        email="nieuw@example.test",
        academy=world.academy,
        role=Role.COACH,
        token_hash=services._hash("geheim-token"),
        invited_by=world.users["beheerder"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    client = client_for("beheerder")
    assert f'id="invitation-{invitation.pk}"' in client.get(MEMBERS).content.decode()
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    from django.test import Client

    link = Client().get(reverse("accounts:invitation_accept", args=["geheim-token"]))
    assert link.status_code == 410
    assert "ingetrokken" in link.content.decode()
    assert f'id="invitation-{invitation.pk}"' not in client.get(MEMBERS).content.decode()
    assert _events("invitation_revoked").count() == 1
    # Revoked once: a second revoke or a resend is refused.
    with pytest.raises(ValidationError):
        services.invitation_resend(
            invitation=invitation, by=world.users["beheerder"], base_url="http://testserver/"
        )


def test_member_list_shows_last_login_and_not_other_academies(world, client_for):
    coach = world.users["coach"]
    coach.last_login = timezone.now() - timedelta(days=3)
    coach.save(update_fields=["last_login"])
    outsider = UserFactory(email="buiten@example.test", full_name="Buiten Academie")
    MembershipFactory(user=outsider, academy=world.other_academy, role=Role.COACH)
    client = client_for("beheerder")
    body = client.get(MEMBERS).content.decode()
    assert "Laatst ingelogd" in body
    assert "Nog nooit ingelogd" in body  # the personas but the coach never logged in
    assert "Buiten Academie" not in body
    # Another academy's user is outside the beheerder's reach.
    assert _deactivate(client, outsider).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active is True


def test_reactivation_lets_the_person_log_in_again_and_is_audited(world, client_for):
    from django.test import Client

    coach = world.users["coach"]
    coach_client = client_for("coach")
    beheerder = client_for("beheerder")
    _deactivate(beheerder, coach)
    body = beheerder.get(MEMBERS).content.decode()
    assert f'id="reactivate-{coach.pk}"' in body
    assert "Heractiveren" in body
    # Only the beheerder of the academy: the coach's own or another persona's POST changes nothing.
    for persona in ("regisseur", "projectleider", "other_coach", "employer"):
        response = client_for(persona).post(reverse("accounts:user_reactivate", args=[coach.pk]))
        assert response.status_code in (403, 404)
    coach.refresh_from_db()
    assert coach.is_active is False
    response = beheerder.post(reverse("accounts:user_reactivate", args=[coach.pk]), follow=True)
    assert "is weer actief en kan inloggen" in response.content.decode()
    coach.refresh_from_db()
    assert coach.is_active is True
    assert Membership.objects.get(user=coach).is_active is True
    event = _events("user_reactivated").get()
    assert event.actor == world.users["beheerder"]
    assert event.object_id == str(coach.pk)
    assert event.detail["roles"] == [Role.COACH]
    # The session ended by the deactivation stays ended; a fresh login works.
    assert coach_client.get("/")["Location"].startswith(reverse("account_login"))
    client = Client()
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    # Someone active is not reactivated twice; nobody reactivates themselves.
    with pytest.raises(ValidationError):
        services.user_reactivate(user=coach, academy=world.academy, by=world.users["beheerder"])
    with pytest.raises(ValidationError):
        services.user_reactivate(
            user=world.users["beheerder"], academy=world.academy, by=world.users["beheerder"]
        )
    assert _events("user_reactivated").count() == 1


def test_nobody_reactivates_a_user_of_another_academy(world, client_for):
    outsider = UserFactory(email="buiten2@example.test")
    MembershipFactory(user=outsider, academy=world.other_academy, role=Role.COACH, is_active=False)
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    response = client_for("beheerder").post(reverse("accounts:user_reactivate", args=[outsider.pk]))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active is False
    assert not _events("user_reactivated").exists()


def test_an_account_locked_another_way_is_not_reopened_by_a_beheerder(world, client_for):
    """A superuser locked the coach's account in the admin (after a takeover, say): the roles
    here were never ended, so the beheerder has nothing to reactivate, and the lock holds.
    And when the academy ended the roles but the account was locked elsewhere first, the
    roles come back and the account stays locked."""
    coach, beheerder = world.users["coach"], world.users["beheerder"]
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        services.user_reactivate(user=coach, academy=world.academy, by=beheerder)
    coach.refresh_from_db()
    assert coach.is_active is False
    Membership.objects.filter(user=coach, academy=world.academy).update(is_active=False)
    response = client_for("beheerder").post(
        reverse("accounts:user_reactivate", args=[coach.pk]), follow=True
    )
    assert "het account zelf blijft vergrendeld" in response.content.decode()
    coach.refresh_from_db()
    assert coach.is_active is False  # no deactivation here closed it
    assert Membership.objects.get(user=coach, academy=world.academy).is_active is True
