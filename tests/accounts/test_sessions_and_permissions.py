"""A session lives an hour after its last use and is written about once a minute, not on every
request; Django's model permissions cost nothing for people who cannot hold them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerq.accounts.middleware import SESSION_TOUCHED_KEY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)


def _row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_busy_session_is_not_written_on_every_request(world, client_for):
    client = client_for("coach")
    url = reverse("leerroutes:caseload")
    assert [_session_writes(client, url) for _ in range(3)] == [0, 0, 0]


def test_a_session_used_after_the_touch_interval_is_renewed_for_an_hour(world, client_for):
    client = client_for("coach")
    session = client.session
    session[SESSION_TOUCHED_KEY] -= settings.SESSION_TOUCH_SECONDS + 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert _session_writes(client, reverse("leerroutes:caseload")) == 1
    expires_in = _row(client).expire_date - timezone.now()
    assert timedelta(minutes=59) < expires_in <= timedelta(hours=1)
    assert _session_writes(client, reverse("leerroutes:caseload")) == 0


def test_a_session_idle_for_an_hour_has_ended(world, client_for):
    client = client_for("coach")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("leerroutes:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_logging_in_by_password_starts_a_touched_session(world, client):
    client.post(
        reverse("account_login"), {"login": world.users["coach"].email, "password": PASSWORD}
    )
    assert abs(client.session[SESSION_TOUCHED_KEY] - timezone.now().timestamp()) < 60
    assert _session_writes(client, reverse("leerroutes:caseload")) == 0


def test_app_users_cost_no_model_permission_queries(world):
    """A rule that says no (a coach may not import) falls through to the model backends,
    which then must not look up permissions a non-staff user cannot hold."""
    coach = world.users["coach"]
    with CaptureQueriesContext(connection) as captured:
        assert not coach.has_perm("participants.import_participants")
        assert not coach.has_perm("participants.change_participant")
    assert [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]] == []


def test_staff_keep_their_model_permissions_for_the_admin(world, client):
    staff = UserFactory(email="beheer-admin@example.test", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_academy", content_type__app_label="accounts")
    )
    assert staff.has_perm("accounts.view_academy")
    assert not staff.has_perm("accounts.change_academy")
    client.force_login(staff)
    assert client.get("/admin/accounts/academy/").status_code == 200
    assert client.get("/admin/accounts/academy/add/").status_code == 403
