"""Issue 14 items 4 and 6: a superuser's reads of participant data in Django's admin are in the
audit log like the app's own (the change page shows the BSN): one READ for a change page,
one for a change list naming everyone on it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maatwerq.audit.models import Action, AuditEvent, AuditEventParticipant
from tests.factories import UserFactory


@pytest.fixture
def superuser_client(world) -> tuple:
    user = UserFactory(email="super@example.test", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return user, client


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_admin_change_page_of_a_participant_writes_one_read(world, superuser_client):
    user, client = superuser_client
    daan = world.participant
    daan.bsn = "111222333"
    daan.save(update_fields=["bsn"])
    before = _last()
    url = reverse("admin:participants_participant_change", args=[daan.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "111222333" in response.content.decode()  # what makes this read matter
    (event,) = _new_events(before)
    assert (event.action, event.actor, event.participant, event.detail) == (
        Action.READ,
        user,
        daan,
        {"via": "admin"},
    )


def test_admin_change_list_writes_one_read_naming_everyone_on_it(world, superuser_client):
    user, client = superuser_client
    before = _last()
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 200
    (event,) = _new_events(before)
    everyone = {world.participant.pk, world.other_participant.pk, world.foreign_participant.pk}
    listed = set(
        AuditEventParticipant.objects.filter(event=event).values_list("participant_id", flat=True)
    )
    assert (event.action, event.actor, event.participant) == (Action.READ, user, None)
    assert listed == everyone
    assert set(event.detail["participant_ids"]) == {str(pk) for pk in everyone}


def test_admin_change_list_search_is_not_in_the_log(world, superuser_client):
    """A name typed in the admin's search never lands in the append-only log."""
    _user, client = superuser_client
    url = reverse("admin:participants_participant_changelist")
    assert client.get(url, {"q": "Zichtbaar"}).status_code == 200
    event = AuditEvent.objects.latest("pk")
    assert event.path == url
    assert "Zichtbaar" not in str(event.detail)
    assert event.detail["participant_ids"] == [str(world.participant.pk)]


def test_admin_placement_page_names_its_participant(world, superuser_client):
    _user, client = superuser_client
    placement = world.participant.placements.get()
    before = _last()
    response = client.get(reverse("admin:employers_placement_change", args=[placement.pk]))
    assert response.status_code == 200
    (event,) = _new_events(before)
    assert (event.action, event.participant, event.object_type) == (
        Action.READ,
        world.participant,
        "employers.Placement",
    )
