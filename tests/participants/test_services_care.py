"""The care services (participants.services.care, .network, .consent): handover, care
notes, network contacts and consents, each with its single audit event."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from maatwerq.audit.models import Action, AuditEvent
from participants import services
from participants.models import (
    ConsentScope,
    LeadOrganisation,
)
from participants.selectors import consent_is_active
from tests.factories import (
    ConsentFactory,
)

from .conftest import (
    INTAKE,
    REFERRAL,
    START,
    error_fields,
)

# --- handover, care notes, network, consent ------------------------------------------------


def test_handover_moves_the_lead_and_records_from_and_to(referred, coach):
    handover = services.handover_record(
        participant=referred,
        on_date=INTAKE,
        to_organisation=LeadOrganisation.UWV,
        to_name="UWV Deventer",
        notes="Werkfit-route",
        by=coach,
    )
    referred.refresh_from_db()
    assert (referred.lead_organisation, referred.lead_organisation_name) == (
        LeadOrganisation.UWV,
        "UWV Deventer",
    )
    assert (handover.from_organisation, handover.to_organisation) == (
        LeadOrganisation.ACADEMY,
        LeadOrganisation.UWV,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.handover_record(
            participant=referred,
            on_date=START,
            to_organisation=LeadOrganisation.UWV,
            to_name="UWV Deventer",
            by=coach,
        )
    assert error_fields(excinfo) == {"to_organisation"}
    with pytest.raises(ValidationError) as excinfo:
        services.handover_record(
            participant=referred,
            on_date=REFERRAL,
            to_organisation=LeadOrganisation.ACADEMY,
            by=coach,
        )
    assert error_fields(excinfo) == {"on_date"}
    assert referred.handovers.count() == 1


def test_care_note_audit_event_never_holds_the_text(referred, coach):
    note = services.care_note_add(participant=referred, text="GEHEIM-schulden", by=coach)
    assert (note.author, note.written_on) == (coach, timezone.localdate())
    event = AuditEvent.objects.get(object_type="participants.CareNote")
    assert event.participant == referred
    assert "GEHEIM" not in str(model_to_dict(event))
    with pytest.raises(ValidationError) as excinfo:
        services.care_note_add(participant=referred, text="   ", by=coach)
    assert error_fields(excinfo) == {"text"}


def test_network_contact_add_update_remove(referred, coach):
    contact = services.network_contact_add(
        participant=referred, role="ouder", name="Els Verwijsd", phone="0570123456", by=coach
    )
    services.network_contact_update(
        contact=contact,
        role="ouder",
        name="Els Verwijsd",
        phone="0570654321",
        involved_in_goals=True,
        by=coach,
    )
    contact.refresh_from_db()
    assert (contact.phone, contact.involved_in_goals) == ("0570654321", True)
    with pytest.raises(ValidationError) as excinfo:
        services.network_contact_update(
            contact=contact, role="ouder", name="Els", email="geen-adres", by=coach
        )
    assert error_fields(excinfo) == {"email"}
    services.network_contact_remove(contact=contact, by=coach)
    assert not referred.network.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="participants.NetworkContact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [Action.CREATE, Action.UPDATE, Action.DELETE]


def test_consent_give_and_withdraw(referred, coach):
    consent = services.consent_give(
        participant=referred,
        scope=ConsentScope.EMPLOYER_WORK_STATUS,
        given_on=date(2025, 9, 1),
        given_by="deelnemer",
        by=coach,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.consent_give(
            participant=referred,
            scope=ConsentScope.EMPLOYER_WORK_STATUS,
            given_on=date(2025, 9, 2),
            given_by="deelnemer",
            by=coach,
        )
    assert error_fields(excinfo) == {"scope"}
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(consent=consent, withdrawn_on=date(2025, 8, 1), by=coach)
    assert error_fields(excinfo) == {"withdrawn_on"}

    services.consent_withdraw(consent=consent, withdrawn_on=date(2026, 2, 1), by=coach)
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 2, 1)
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="al ingetrokken") as excinfo:
        services.consent_withdraw(consent=consent, withdrawn_on=date(2026, 3, 1), by=coach)
    assert error_fields(excinfo) == {"withdrawn_on"}
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 2, 1)
    assert AuditEvent.objects.count() == events_before


def test_consent_for_information_needs_the_organisation(referred, coach):
    with pytest.raises(ValidationError) as excinfo:
        services.consent_give(
            participant=referred,
            scope=ConsentScope.REQUEST_INFORMATION,
            given_on=date(2025, 9, 1),
            given_by="ouder",
            by=coach,
        )
    assert error_fields(excinfo) == {"organisation"}


def test_consent_is_active_on_the_day_of_sharing(world):
    participant = world.participant
    scope = ConsentScope.EMPLOYER_WORK_STATUS
    ConsentFactory(
        participant=participant,
        scope=scope,
        given_on=date(2025, 9, 1),
        withdrawn_on=date(2026, 2, 1),
    )
    ConsentFactory(
        participant=participant,
        scope=ConsentScope.REQUEST_INFORMATION,
        organisation="Jeugdzorg Salland",
        given_on=date(2025, 9, 1),
    )
    assert not consent_is_active(participant, scope, date(2025, 8, 31))
    assert consent_is_active(participant, scope, date(2025, 9, 1))
    assert consent_is_active(participant, scope, date(2026, 1, 31))
    assert not consent_is_active(participant, scope, date(2026, 2, 1))
    assert not consent_is_active(participant, scope)  # today: withdrawn
    assert not consent_is_active(world.other_participant, scope, date(2025, 10, 1))
    info = ConsentScope.REQUEST_INFORMATION
    assert consent_is_active(participant, info, organisation="jeugdzorg salland")
    assert not consent_is_active(participant, info, organisation="UWV")
