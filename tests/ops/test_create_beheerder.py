"""manage.py create_beheerder: the first beheerder of a new installation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from maatwerq.accounts.models import Academy, Membership, Role, User
from maatwerq.audit.models import AuditEvent
from tests.factories import PASSWORD, AcademyFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lange-zin-voor-de-beheerder-7"


def create_beheerder(*args: str, stdin: str = "") -> str:
    out = StringIO()
    call_command("create_beheerder", *args, stdin=StringIO(stdin), stdout=out)
    return out.getvalue()


def test_create_beheerder_makes_academy_user_and_membership_and_the_login_works(client):
    out = create_beheerder(
        "--email", "Fatima@Academie.nl", "--academy", "Academie Salland", "--name", "Fatima",
        stdin=NEW_PASSWORD + "\n",
    )  # fmt: skip

    user = User.objects.get(email="fatima@academie.nl")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.academy.name, membership.is_active) == (
        Role.BEHEERDER, "Academie Salland", True,
    )  # fmt: skip
    assert user.full_name == "Fatima"
    assert "Academy created: Academie Salland" in out
    assert NEW_PASSWORD not in out
    event = AuditEvent.objects.get(object_type="accounts.Membership")
    assert (event.action, event.actor, event.academy) == ("create", None, membership.academy)
    response = client.post(
        reverse("account_login"), {"login": "fatima@academie.nl", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_create_beheerder_reuses_the_academy_and_leaves_an_existing_password_alone():
    academy = AcademyFactory(name="Academie Twente")
    user = UserFactory(email="pieter@academie.nl")

    out = create_beheerder("--email", "pieter@academie.nl", "--academy", "Academie Twente")

    assert Academy.objects.filter(name="Academie Twente").count() == 1
    assert Membership.objects.get(user=user).academy == academy
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert "Existing user, password unchanged" in out
    # A second run changes nothing.
    create_beheerder("--email", "pieter@academie.nl", "--academy", "Academie Twente")
    assert Membership.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(object_type="accounts.Membership").count() == 1


@pytest.mark.parametrize("password", ["", "kort", "password123"])
def test_create_beheerder_refuses_a_weak_password_and_creates_nothing(password):
    with pytest.raises(CommandError, match="Password refused"):
        create_beheerder(
            "--email", "nieuw@academie.nl", "--academy", "Academie Nieuw", stdin=password + "\n"
        )
    assert not User.objects.filter(email="nieuw@academie.nl").exists()
    assert not Academy.objects.filter(name="Academie Nieuw").exists()


def test_create_beheerder_refuses_a_bad_email():
    with pytest.raises(CommandError, match="Not an email address"):
        create_beheerder("--email", "geen-adres", "--academy", "Academie Salland")
    assert not Academy.objects.exists()


def test_create_beheerder_makes_an_inactive_beheerder_active_again():
    user = UserFactory(email="oud@academie.nl")
    academy = AcademyFactory(name="Academie Salland")
    Membership.objects.create(user=user, academy=academy, role=Role.BEHEERDER, is_active=False)

    create_beheerder("--email", "oud@academie.nl", "--academy", "Academie Salland")

    assert Membership.objects.get(user=user).is_active
    event = AuditEvent.objects.get(object_type="accounts.Membership")
    assert event.action == "update"
