"""Privacy rights: the inspection export of one person, and anonymisation after retention."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerq.audit.models import Action, AuditEvent
from participants import privacy
from participants.models import (
    CareNote,
    Consent,
    FollowUp,
    Handover,
    NetworkContact,
    Participant,
    Route,
    Status,
    StatusChange,
)
from tests.factories import PASSWORD, RouteFactory, reauthenticated

pytestmark = pytest.mark.django_db

NAME = "Zichtbaar"  # the world's participant Daan Zichtbaar


@pytest.fixture
def client_for(client_for):
    def make(persona: str):
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def export_url(participant) -> str:
    return reverse("participants:participant_data_export", args=[participant.pk])


def anonymise_url(participant) -> str:
    return reverse("participants:participant_anonymise", args=[participant.pk])


def end_route(participant, *, ended: date) -> Route:
    route = participant.current_route
    route.status = Status.AFGEROND
    route.start_date = ended - timedelta(days=700)
    route.end_date = ended
    route.destination = "werk_leerbedrijf"
    route.outcome_category = "succesvol"
    route.outflow_notes = f"{NAME} werkt nu bij Nijland."
    route.referrer_contact = "Mevr. Jansen"
    route.save()
    return route


@pytest.fixture
def full_record(world):
    """Daan with everything that can hold his name: network, consent, handover, history."""
    daan = world.participant
    daan.email, daan.phone, daan.bsn = "daan@example.nl", "0612345678", "111222333"
    daan.street, daan.postcode, daan.city = "Kerkstraat 1", "8102 AB", "Raalte"
    daan.save()
    route = daan.current_route
    StatusChange.objects.create(
        route=route, to_status=Status.AANGEMELD, on_date=route.referral_date, reason=NAME
    )
    NetworkContact.objects.create(participant=daan, role="ouder", name=f"Ingrid {NAME}")
    Consent.objects.create(
        participant=daan,
        scope="werkgever_werkstatus",
        given_on=date(2022, 9, 1),
        given_by="ouder",
        given_by_name=f"Ingrid {NAME}",
    )
    Handover.objects.create(
        participant=daan,
        on_date=date(2022, 9, 1),
        from_organisation="school",
        from_name="Mentor De Twijn",
        to_organisation="academy",
        notes=f"{NAME} is warm overgedragen.",
    )
    FollowUp.objects.create(route=route, months_after=6, due_on=date(2024, 3, 1), notes=NAME)
    return world


# --- inspection request --------------------------------------------------------------------


def test_data_export_asks_for_the_password_first(full_record, client_for):
    """Issue 14: the inspection export holds the BSN and care notes, so like anonymisation it
    asks for the password again; nothing leaves and no EXPORT is logged before it is given,
    and the download follows once it is."""
    client = client_for("regisseur")
    url = export_url(full_record.participant)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "111222333" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    back = client.post(response["Location"], {"password": PASSWORD})
    assert back["Location"] == url
    download = client.get(url)
    assert json.loads(download.content)["participant"]["bsn"] == "111222333"
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1


def test_data_export_holds_everything_about_the_person(full_record, client_for):
    world = full_record
    response = reauthenticated(client_for("regisseur")).get(export_url(world.participant))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["participant"]["last_name"] == NAME
    assert data["participant"]["bsn"] == "111222333"
    assert data["care_notes"][0]["text"] == "ZORG-GEHEIM-DAAN schulden"
    assert data["network"][0]["name"] == f"Ingrid {NAME}"
    assert data["consents"][0]["given_by_name"] == f"Ingrid {NAME}"
    assert data["handovers"][0]["notes"].startswith(NAME)
    (route,) = data["routes"]
    assert route["programme"] == "BinQ"
    assert route["status_history"][0]["reason"] == NAME
    assert route["follow_ups"][0]["months_after"] == 6
    assert data["placements"][0]["employer"] == "Nijland Infra"
    # Only this person: nothing of the other coach's participant.
    assert "ZORG-GEHEIM-NOOR" not in response.content.decode()
    assert "Anderman" not in response.content.decode()


def test_data_export_writes_one_audit_event(full_record, client_for):
    client = reauthenticated(client_for("regisseur"))
    client.get(export_url(full_record.participant))
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.participant == full_record.participant
    assert event.detail == {"what": "inspection_request"}
    # The next export shows that look in its access log.
    data = json.loads(client.get(export_url(full_record.participant)).content)
    assert {"action": "Exported", "role": "regisseur"}.items() <= data["access_log"][0].items()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coach", 403), ("projectleider", 403), ("employer", 403), ("other_coach", 404)],
)
def test_data_export_is_for_the_regisseur_only(persona, status, world, client_for):
    response = client_for(persona).get(export_url(world.participant))
    assert response.status_code == status
    assert "ZORG-GEHEIM" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_data_export_of_another_academy_is_not_found(world, client_for):
    response = client_for("regisseur").get(export_url(world.foreign_participant))
    assert response.status_code == 404


# --- anonymisation: when -------------------------------------------------------------------


def test_anonymise_is_refused_while_a_route_runs(world, client_for):
    client = client_for("regisseur")
    page = client.get(anonymise_url(world.participant)).content.decode()
    assert "has a running route" in page
    assert "Anonymise for good" not in page
    response = client.post(anonymise_url(world.participant))
    assert response.status_code == 200  # no password asked: there is nothing to confirm
    world.participant.refresh_from_db()
    assert world.participant.last_name == NAME


def test_anonymise_is_refused_within_the_retention_period(world, client_for):
    ended = timezone.localdate() - timedelta(days=365)
    end_route(world.participant, ended=ended)
    page = client_for("regisseur").get(anonymise_url(world.participant)).content.decode()
    assert "less than two years ago" in page
    assert privacy.anonymisable_from(world.participant) == ended.replace(year=ended.year + 2)


def test_retention_counts_from_the_last_of_several_routes(world):
    daan = world.participant
    end_route(daan, ended=date(2020, 6, 1))
    later = RouteFactory(
        participant=daan,
        programme=world.programme,
        status=Status.NIET_TOEGELATEN,
        referral_date=date(2025, 1, 10),
        start_date=None,
    )
    StatusChange.objects.create(
        route=later, from_status="", to_status=Status.NIET_TOEGELATEN, on_date=date(2025, 2, 3)
    )
    assert privacy.last_route_ended_on(daan) == date(2025, 2, 3)
    assert privacy.anonymisation_blocker(daan, today=date(2027, 2, 2))
    assert privacy.anonymisation_blocker(daan, today=date(2027, 2, 3)) == ""


def test_retention_years_is_two():
    assert privacy.RETENTION_YEARS == 2


# --- anonymisation: how --------------------------------------------------------------------


def anonymise_with_password(client, participant):
    """POST, get sent to allauth's password page, give the password: the POST is replayed."""
    response = client.post(anonymise_url(participant))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    participant.refresh_from_db()
    assert participant.anonymised_at is None  # nothing happens before the password
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    return client.post(response["Location"], {"password": PASSWORD})


def test_anonymise_asks_for_the_password_and_removes_the_person(full_record, client_for):
    world = full_record
    daan = world.participant
    end_route(daan, ended=date(2023, 6, 30))
    routes_before = Route.objects.filter(participant=daan).count()
    changes_before = StatusChange.objects.filter(route__participant=daan).count()
    client = client_for("regisseur")
    page = client.get(anonymise_url(daan)).content.decode()
    assert "This cannot be undone" in page
    assert "Anonymise for good" in page

    response = anonymise_with_password(client, daan)

    assert response.status_code == 302
    assert response["Location"] == reverse("participants:participant_list")
    daan = Participant.objects.get(pk=daan.pk)
    assert daan.anonymised_at is not None
    assert daan.first_name == privacy.ANONYMISED_NAME
    assert daan.last_name == ""
    assert daan.date_of_birth == date(2006, 1, 1)
    for name in ("email", "phone", "bsn", "street", "postcode", "city"):
        assert getattr(daan, name) == "", name
    care_note = CareNote.objects.get(participant=daan)
    assert care_note.text == ""
    assert not NetworkContact.objects.filter(participant=daan).exists()
    consent = Consent.objects.get(participant=daan)
    assert consent.given_by_name == ""
    assert consent.scope == "werkgever_werkstatus"
    # The rows stay, so cohort counts and outcomes are what they were.
    assert Route.objects.filter(participant=daan).count() == routes_before
    assert StatusChange.objects.filter(route__participant=daan).count() == changes_before
    route = daan.current_route
    assert (route.status, route.outcome_category, route.cohort) == (
        Status.AFGEROND,
        "succesvol",
        world.cohort,
    )
    assert Route.objects.filter(cohort=world.cohort).count() == 2
    event = AuditEvent.objects.get(action=Action.DELETE, participant=daan)
    assert event.detail == {"what": "anonymise"}
    assert event.actor == world.users["regisseur"]


def rows_mentioning(name: str) -> list[str]:
    """Every text field of the participant's data that still holds the name."""
    found = []
    for model in (Participant, Route, StatusChange, Handover, NetworkContact, Consent, FollowUp):
        text_fields = [
            f.name
            for f in model._meta.get_fields()
            if getattr(f, "get_internal_type", lambda: "")() in {"CharField", "TextField"}
        ]
        for row in model.objects.values(*text_fields):
            found += [f"{model.__name__}.{k}" for k, v in row.items() if v and name in v]
    found += ["CareNote.text" for t in CareNote.objects.values_list("text", flat=True) if name in t]
    return found


def test_an_anonymised_name_appears_nowhere(full_record, client_for):
    world = full_record
    daan = world.participant
    end_route(daan, ended=date(2023, 6, 30))
    assert rows_mentioning(NAME)  # planted everywhere first
    regisseur = client_for("regisseur")
    regisseur.get(reverse("participants:participant_detail", args=[daan.pk]))
    anonymise_with_password(regisseur, daan)

    assert rows_mentioning(NAME) == []
    pages = [
        regisseur.get(reverse("participants:participant_list")),
        regisseur.get(reverse("participants:participant_list"), {"q": "Geanonimiseerd"}),
        regisseur.get(reverse("participants:participant_detail", args=[daan.pk])),
        regisseur.get(reverse("audit:event_list")),
        client_for("coach").get(reverse("participants:participant_list")),
        client_for("projectleider").get(reverse("participants:participant_list")),
    ]
    for page in pages:
        assert page.status_code == 200
        assert NAME not in page.content.decode()
    assert "Geanonimiseerd" in pages[1].content.decode()
    export = regisseur.get(reverse("participants:participant_export"))
    assert NAME.encode() not in export.content
    data = regisseur.get(export_url(daan)).content.decode()
    assert NAME not in data
    assert "Daan" not in data
    assert "ZORG-GEHEIM" not in data


@pytest.mark.parametrize(("persona", "status"), [("coach", 403), ("other_coach", 404)])
def test_anonymise_is_for_the_regisseur_only(persona, status, world, client_for):
    end_route(world.participant, ended=date(2023, 6, 30))
    response = client_for(persona).post(anonymise_url(world.participant))
    assert response.status_code == status
    world.participant.refresh_from_db()
    assert world.participant.anonymised_at is None
    assert world.participant.last_name == NAME


def test_anonymise_with_a_wrong_password_changes_nothing(world, client_for):
    end_route(world.participant, ended=date(2023, 6, 30))
    client = client_for("regisseur")
    response = client.post(anonymise_url(world.participant))
    client.post(response["Location"], {"password": "not-the-password"})
    world.participant.refresh_from_db()
    assert world.participant.anonymised_at is None
    assert world.participant.last_name == NAME


def test_anonymise_twice_is_refused(world, client_for):
    end_route(world.participant, ended=date(2023, 6, 30))
    client = client_for("regisseur")
    anonymise_with_password(client, world.participant)
    page = client.get(anonymise_url(world.participant)).content.decode()
    assert "already been anonymised" in page
    assert AuditEvent.objects.filter(action=Action.DELETE).count() == 1
