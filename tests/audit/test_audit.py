import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from maatwerq.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_reading_a_participant_page_writes_one_event(world, client_for):
    before = AuditEvent.objects.count()
    client_for("coach").get(
        reverse("participants:participant_detail", args=[world.participant.pk]),
        REMOTE_ADDR="10.1.2.3",
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("at")
    assert event.actor == world.users["coach"]
    assert event.acting_role == "leerroutecoach"
    assert event.academy == world.academy
    assert event.participant == world.participant
    assert event.action == Action.READ
    assert event.object_type == "participants.Participant"
    assert event.client_ip == "10.1.2.3"


def test_a_refused_read_writes_no_read_event(world, client_for):
    """No READ (nothing was shown); since issue 14 the attempt itself is one REFUSED event."""
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for("other_coach").get(
        reverse("participants:participant_detail", args=[world.participant.pk])
    )
    assert response.status_code == 404
    events = list(AuditEvent.objects.filter(pk__gt=before))
    assert [(e.action, e.actor, e.participant, e.detail["status"]) for e in events] == [
        (Action.REFUSED, world.users["other_coach"], world.participant, 404)
    ]


def test_events_cannot_be_changed_or_deleted_by_the_app(world, client_for):
    client_for("coach").get(reverse("participants:participant_detail", args=[world.participant.pk]))
    event = AuditEvent.objects.latest("at")
    event.action = Action.UPDATE
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(action=Action.DELETE)
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.READ


def test_database_refuses_update_and_delete(world, client_for):
    client_for("coach").get(reverse("participants:participant_detail", args=[world.participant.pk]))
    for sql in ("UPDATE audit_auditevent SET action = 'delete'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(action=Action.READ).exists()


@pytest.mark.parametrize("persona", ["beheerder", "regisseur"])
def test_audit_log_lists_and_filters_own_academy_events(persona, world, client_for):
    client_for("coach").get(reverse("participants:participant_detail", args=[world.participant.pk]))
    client_for("other_coach").get(
        reverse("participants:participant_detail", args=[world.other_participant.pk])
    )
    foreign = AuditEvent.objects.create(
        actor_email="ander@twente.test",
        academy=world.other_academy,
        action=Action.READ,
        participant=world.foreign_participant,
    )
    client = client_for(persona)
    body = client.get(reverse("audit:event_list")).content.decode()
    assert "coach@example.test" in body
    assert "other_coach@example.test" in body
    assert foreign.actor_email not in body

    filtered = client.get(reverse("audit:event_list"), {"actor": "other_coach"}).content.decode()
    assert "other_coach@example.test" in filtered
    assert ">coach@example.test<" not in filtered
    assert "1 regel" in filtered


def test_audit_log_bad_filter_input_is_shown_not_crashed(world, client_for):
    response = client_for("beheerder").get(reverse("audit:event_list"), {"since": "gisteren"})
    assert response.status_code == 200
    assert "Voer een geldige datum in." in response.content.decode()


def test_audit_log_filtered_on_a_participant_includes_lists_naming_them(world, client_for):
    """Issue 14: "who looked at Daan" in the academy's log also finds the lists he was on."""
    client_for("projectleider").get(reverse("participants:participant_list"))  # Daan and Noor
    client_for("other_coach").get(reverse("participants:participant_list"))  # Noor only
    client_for("coach").get(reverse("participants:participant_detail", args=[world.participant.pk]))
    page = client_for("regisseur").get(
        reverse("audit:event_list"), {"participant": str(world.participant.pk)}
    )
    events = list(page.context["object_list"])
    assert {(e.actor_email, e.participant_id) for e in events} == {
        ("projectleider@example.test", None),
        ("coach@example.test", world.participant.pk),
    }
