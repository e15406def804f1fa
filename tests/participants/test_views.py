"""The participant page, its tabs and its form pages: who sees what, what a POST changes, and
what never leaks. Assertions are on content and database state."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerq.audit.models import Action, AuditEvent
from participants.models import (
    CareNote,
    Consent,
    FollowUp,
    IntakeOutcome,
    NetworkContact,
    Participant,
    Status,
    StatusChange,
)
from tests.factories import (
    CareNoteFactory,
    ConsentFactory,
    FollowUpFactory,
    HandoverFactory,
    NetworkContactFactory,
    StatusChangeFactory,
)

SECRET = "ZORG-GEHEIM-DAAN"
PERSONAS_WITHOUT_CARE = [
    "other_coach",
    "projectleider",
    "employer",
    "other_employer",
    "beheerder",
    "landelijk",
    "anonymous",
]


def url(name: str, participant, *args) -> str:
    return reverse(f"participants:{name}", args=[participant.pk, *args])


@pytest.fixture
def planted(world):
    """Everything around Daan that only his coach and the regisseur may see."""
    p = world.participant
    p.phone, p.email, p.bsn = "0611122233", "daan@example.test", "111222333"
    p.save()
    return {
        "contact": NetworkContactFactory(participant=p, name="NETWERK-OUDER-DAAN"),
        "consent": ConsentFactory(participant=p, organisation="TOESTEMMING-ORG-DAAN"),
        "handover": HandoverFactory(participant=p, notes="OVERDRACHT-NOTITIE-DAAN"),
        "follow_up": FollowUpFactory(route=p.current_route, notes="NAZORG-NOTITIE-DAAN"),
        "secrets": [
            SECRET,
            "NETWERK-OUDER-DAAN",
            "TOESTEMMING-ORG-DAAN",
            "OVERDRACHT-NOTITIE-DAAN",
            "0611122233",
            "daan@example.test",
            "111222333",
        ],
    }


def record_urls(world, planted) -> list[str]:
    """Every page of the participant record that a GET can reach."""
    p = world.participant
    names = [
        "participant_detail",
        "participant_history",
        "participant_network",
        "participant_consents",
        "participant_care_notes",
        "participant_edit",
        "care_note_add",
        "route_add",
        "route_intake",
        "route_start",
        "route_trial",
        "route_contract",
        "route_complete",
        "route_drop_out",
        "route_undo",
        "handover_add",
        "network_contact_add",
        "consent_add",
    ]
    return [
        *(url(name, p) for name in names),
        url("network_contact_edit", p, planted["contact"].pk),
        url("consent_withdraw", p, planted["consent"].pk),
        url("follow_up_record", p, planted["follow_up"].pk),
        reverse("participants:follow_ups_due"),
        reverse("participants:participant_create"),
    ]


# --- leaks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS_WITHOUT_CARE)
def test_care_note_never_appears_for_others(persona, world, planted, browse):
    client = browse(persona)
    for address in record_urls(world, planted):
        response = client.get(address)
        assert SECRET not in response.content.decode(), (persona, address)


@pytest.mark.parametrize("persona", ["projectleider", "employer"])
def test_projectleider_and_employer_see_name_and_status_but_nothing_personal(
    persona, world, planted, browse
):
    client = browse(persona)
    overview = client.get(url("participant_detail", world.participant)).content.decode()
    assert "Daan Zichtbaar" in overview
    assert "Trial period" in overview
    for address in record_urls(world, planted):
        body = client.get(address).content.decode()
        for secret in planted["secrets"]:
            assert secret not in body, (persona, address, secret)
    assert "17 May 2006" not in overview  # date of birth


def test_employer_sees_no_pipeline_projectleider_does(world, browse):
    pipeline = 'id="pipeline"'
    assert (
        pipeline
        not in browse("employer").get(url("participant_detail", world.participant)).content.decode()
    )
    body = (
        browse("projectleider").get(url("participant_detail", world.participant)).content.decode()
    )
    assert pipeline in body
    assert "Record contract" not in body  # no step buttons: changes nothing


def test_bsn_only_for_the_regisseur(world, planted, browse):
    detail = url("participant_detail", world.participant)
    regisseur_page = browse("regisseur").get(detail).content.decode()
    assert "*****2333" in regisseur_page  # shown masked, to the regisseur only
    assert "111222333" not in regisseur_page
    assert (
        "111222333"
        in browse("regisseur").get(url("participant_edit", world.participant)).content.decode()
    )  # the full number only where the regisseur edits it
    coach_page = browse("coach").get(detail).content.decode()
    assert "111222333" not in coach_page
    assert "*****2333" not in coach_page
    assert "0611122233" in coach_page  # the coach does see contact details
    edit = browse("coach").get(url("participant_edit", world.participant)).content.decode()
    assert 'name="bsn"' not in edit
    assert (
        'name="bsn"'
        in browse("regisseur").get(url("participant_edit", world.participant)).content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("projectleider", 403), ("employer", 403), ("other_coach", 404), ("beheerder", 404)],
)
def test_post_by_someone_not_allowed_changes_nothing(persona, status, world, browse):
    p = world.participant
    client = browse(persona)
    response = client.post(
        url("care_note_add", p), {"text": "ingebroken", "written_on": "2026-01-05"}
    )
    assert response.status_code == status
    response = client.post(url("route_contract", p), {"contract_date": "2025-12-01"})
    assert response.status_code == status
    assert not CareNote.objects.filter(text="ingebroken").exists()
    p.current_route.refresh_from_db()
    assert p.current_route.status == Status.PROEFPERIODE
    # Nothing written; each refused attempt is itself in the audit (issue 14).
    refused = AuditEvent.objects.filter(participant=p, action=Action.REFUSED)
    assert [e.detail["status"] for e in refused] == [status, status]
    assert (
        not AuditEvent.objects.filter(participant=p)
        .exclude(action__in=[Action.READ, Action.REFUSED])
        .exists()
    )


def test_beheerder_audit_page_never_shows_care_note_text(world, browse):
    response = browse("coach").post(
        url("care_note_add", world.participant),
        {"text": "AUDIT-GEHEIM", "written_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert CareNote.objects.filter(text="AUDIT-GEHEIM").exists()
    audit_page = browse("beheerder").get(reverse("audit:event_list")).content.decode()
    assert "AUDIT-GEHEIM" not in audit_page


# --- the tabs ------------------------------------------------------------------------------


def test_coach_sees_every_tab_of_own_participant(world, planted, browse):
    client = browse("coach")
    p = world.participant
    overview = client.get(url("participant_detail", p)).content.decode()
    for tab in (
        "participant_history",
        "participant_network",
        "participant_consents",
        "participant_care_notes",
    ):
        assert url(tab, p) in overview
    assert SECRET in client.get(url("participant_care_notes", p)).content.decode()
    assert "NETWERK-OUDER-DAAN" in client.get(url("participant_network", p)).content.decode()
    assert "TOESTEMMING-ORG-DAAN" in client.get(url("participant_consents", p)).content.decode()
    history = client.get(url("participant_history", p)).content.decode()
    assert "OVERDRACHT-NOTITIE-DAAN" in history
    assert url("follow_up_record", p, planted["follow_up"].pk) in history


def test_projectleider_gets_403_on_the_detail_tabs(world, browse):
    client = browse("projectleider")
    p = world.participant
    overview = client.get(url("participant_detail", p)).content.decode()
    assert url("participant_care_notes", p) not in overview
    for tab in (
        "participant_history",
        "participant_network",
        "participant_consents",
        "participant_care_notes",
    ):
        assert client.get(url(tab, p)).status_code == 403


def test_overview_shows_pipeline_and_the_next_step(world, browse):
    body = browse("coach").get(url("participant_detail", world.participant)).content.decode()
    assert "Record contract" in body
    assert url("route_contract", world.participant) in body
    assert "Record drop-out" in body
    assert "Undo last step" not in body  # regisseur only
    assert (
        "Undo last step"
        in browse("regisseur").get(url("participant_detail", world.participant)).content.decode()
    )


def test_history_shows_earlier_routes_and_undo_with_reason(world, browse):
    from tests.factories import RouteFactory

    p = world.participant
    earlier = RouteFactory(
        participant=p,
        programme=world.programme,
        status=Status.UITGEVALLEN,
        referral_date=date(2023, 1, 5),
        start_date=date(2023, 2, 1),
        end_date=date(2023, 6, 1),
        dropout_reason="verhuisd",
        dropout_phase=Status.GESTART,
    )
    StatusChangeFactory(
        route=p.current_route,
        from_status=Status.PROEFPERIODE,
        to_status=Status.GESTART,
        is_undo=True,
        reason="VERKEERDE-DATUM",
    )
    body = browse("coach").get(url("participant_history", p)).content.decode()
    assert f'id="route-{earlier.pk}"' in body
    assert "Moved" in body
    assert "VERKEERDE-DATUM" in body
    assert "undone" in body


# --- audit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "participant_detail",
        "participant_history",
        "participant_network",
        "participant_consents",
        "participant_care_notes",
        "route_contract",
    ],
)
def test_each_page_view_is_exactly_one_audit_read(name, world, browse):
    response = browse("coach").get(url(name, world.participant))
    assert "Daan Zichtbaar" in response.content.decode()
    events = AuditEvent.objects.filter(participant=world.participant)
    assert [(e.action, e.actor, e.detail["page"]) for e in events] == [
        (Action.READ, world.users["coach"], name)
    ]


def test_successful_post_writes_one_change_event_and_no_read(world, browse):
    response = browse("coach").post(
        url("route_contract", world.participant), {"contract_date": "2025-12-01"}
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(participant=world.participant).order_by("id")
    # Issue 15: the contract step also passes the trial of the running placement, so the
    # placement's change has its own event beside the route's; still no READ.
    assert [(e.action, e.object_type) for e in events] == [
        (Action.UPDATE, "employers.Placement"),
        (Action.UPDATE, "participants.Route"),
    ]


# --- queries -------------------------------------------------------------------------------


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["participant_detail", "participant_history", "participant_care_notes"]
)
def test_page_queries_do_not_grow_with_notes_and_status_changes(name, world, browse):
    p = world.participant
    client = browse("coach")
    address = url(name, p)

    def grow(n):
        for _ in range(n):
            CareNoteFactory(participant=p, author=world.users["coach"])
            StatusChangeFactory(route=p.current_route, by=world.users["regisseur"])

    grow(2)
    client.get(address)  # warm the session and caches
    small = _queries(client, address)
    grow(18)
    large = _queries(client, address)
    assert small == large
    assert large <= 16


# --- the pipeline through the forms --------------------------------------------------------


def test_coach_records_intake_through_the_form(world, browse, referred_via_view):
    client = browse("coach")
    p = referred_via_view
    page = client.get(url("participant_detail", p)).content.decode()
    assert url("route_intake", p) in page
    response = client.post(
        url("route_intake", p),
        {"intake_date": "2025-06-16", "intake_outcome": IntakeOutcome.ADMITTED},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("participant_detail", p)
    body = response.content.decode()
    assert "Intake recorded." in body
    assert "Record start" in body
    p.current_route.refresh_from_db()
    assert (p.current_route.status, p.current_route.intake_date) == (
        Status.INTAKE,
        date(2025, 6, 16),
    )


@pytest.fixture
def referred_via_view(world, browse):
    response = browse("coach").post(
        reverse("participants:participant_create"),
        {
            "first_name": "Sem",
            "last_name": "Verwijsd",
            "date_of_birth": "2005-03-04",
            "funding_stream": "none",
            "programme": world.programme.pk,
            "route_type": "2",
            "referral_date": "2025-06-02",
            "referral_source": "vso",
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get(last_name="Verwijsd")
    assert response["Location"] == url("participant_detail", participant)
    return participant


def test_referral_by_coach_lands_in_own_caseload(referred_via_view, world):
    p = referred_via_view
    assert p.coach == world.users["coach"]
    assert p.current_route.status == Status.AANGEMELD
    assert p.academy == world.academy


def test_refused_step_rerenders_with_input_kept_and_message_at_the_field(world, browse):
    p = world.participant
    before = StatusChange.objects.count()
    response = browse("coach").post(url("route_contract", p), {"contract_date": "2025-08-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="2025-08-01"' in body
    assert 'id="id_contract_date_error"' in body
    error_at = body.index('id="id_contract_date_error"')
    assert "before the previous step" in body[error_at : error_at + 300]
    p.current_route.refresh_from_db()
    assert p.current_route.status == Status.PROEFPERIODE
    assert StatusChange.objects.count() == before


def test_out_of_order_step_is_refused_at_the_field(world, browse):
    p = world.participant
    body = (
        browse("coach")
        .post(url("route_intake", p), {"intake_date": "2025-06-10", "intake_outcome": "toegelaten"})
        .content.decode()
    )
    error_at = body.index('id="id_intake_date_error"')
    assert "already been recorded" in body[error_at : error_at + 300]
    p.current_route.refresh_from_db()
    assert p.current_route.intake_date is None


def test_age_warning_needs_a_tick_then_saves(world, browse):
    # Issue 15: the group route's range is the programme's own; this programme's is 18-24.
    world.programme.min_age, world.programme.max_age = 18, 24
    world.programme.save(update_fields=["min_age", "max_age"])
    data = {
        "first_name": "Ouder",
        "last_name": "Danverwacht",
        "date_of_birth": "2000-01-10",  # 25: outside the programme's 18-24
        "funding_stream": "none",
        "programme": world.programme.pk,
        "route_type": "2",
        "referral_date": "2025-06-02",
        "referral_source": "uwv",
    }
    client = browse("coach")
    first = client.post(reverse("participants:participant_create"), data)
    body = first.content.decode()
    assert first.status_code == 200
    assert 'type="checkbox" name="accept_age_warning"' in body
    assert "outside the usual 18-24" in body
    assert 'value="Danverwacht"' in body
    assert not Participant.objects.filter(last_name="Danverwacht").exists()
    second = client.post(
        reverse("participants:participant_create"), {**data, "accept_age_warning": "on"}
    )
    assert second.status_code == 302
    assert Participant.objects.filter(last_name="Danverwacht").exists()


def test_group_route_age_follows_the_programmes_range_16_to_27(world, browse):
    data = {
        "first_name": "Ouder",
        "last_name": "Welkom",
        "date_of_birth": "2000-01-10",  # 25: inside BinQ's 16-27, no warning
        "funding_stream": "none",
        "programme": world.programme.pk,
        "route_type": "2",
        "referral_date": "2025-06-02",
        "referral_source": "uwv",
    }
    response = browse("coach").post(reverse("participants:participant_create"), data)
    assert response.status_code == 302
    route = Participant.objects.get(last_name="Welkom").current_route
    assert route.get_route_type_display() == "2 Group route"


def test_regisseur_invalid_bsn_is_shown_beside_the_field(world, browse):
    body = (
        browse("regisseur")
        .post(
            reverse("participants:participant_create"),
            {
                "first_name": "Bas",
                "last_name": "Fout",
                "date_of_birth": "2005-03-04",
                "funding_stream": "none",
                "bsn": "123456789",
                "programme": world.programme.pk,
                "route_type": "2",
                "referral_date": "2025-06-02",
                "referral_source": "vso",
            },
        )
        .content.decode()
    )
    error_at = body.index('id="id_bsn_error"')
    assert "11-test" in body[error_at : error_at + 300]
    assert 'value="123456789"' in body
    assert not Participant.objects.filter(last_name="Fout").exists()


def test_undo_page_is_for_the_regisseur(world, browse):
    p = world.participant
    assert browse("coach").post(url("route_undo", p), {"reason": "x"}).status_code == 403
    p.current_route.refresh_from_db()
    assert p.current_route.status == Status.PROEFPERIODE
    response = browse("regisseur").post(url("route_undo", p), {"reason": "Te vroeg"}, follow=True)
    assert "The last step was undone." in response.content.decode()
    p.current_route.refresh_from_db()
    assert p.current_route.status == Status.GESTART
    assert p.current_route.status_changes.get(is_undo=True).reason == "Te vroeg"


def test_network_contact_remove_is_post_only(world, planted, browse):
    client = browse("coach")
    address = url("network_contact_remove", world.participant, planted["contact"].pk)
    assert client.get(address).status_code == 405
    assert NetworkContact.objects.filter(pk=planted["contact"].pk).exists()
    response = client.post(address, follow=True)
    assert "Contact removed." in response.content.decode()
    assert not NetworkContact.objects.filter(pk=planted["contact"].pk).exists()


def test_other_coach_cannot_touch_a_contact_of_someone_else(world, planted, browse):
    address = url("network_contact_remove", world.participant, planted["contact"].pk)
    assert browse("other_coach").post(address).status_code == 404
    assert NetworkContact.objects.filter(pk=planted["contact"].pk).exists()


def test_consent_withdraw_through_the_form(world, planted, browse):
    consent = planted["consent"]
    client = browse("coach")
    address = url("consent_withdraw", world.participant, consent.pk)
    body = client.post(address, {"withdrawn_on": "2025-08-01"}).content.decode()
    assert "be withdrawn earlier" in body
    response = client.post(address, {"withdrawn_on": "2026-01-10"}, follow=True)
    assert "Consent withdrawn." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 1, 10)
    again = client.post(address, {"withdrawn_on": "2026-01-11"}).content.decode()
    assert "already withdrawn" in again
    assert Consent.objects.get(pk=consent.pk).withdrawn_on == date(2026, 1, 10)


def test_follow_ups_due_page_lists_the_coachs_listed_checks(world, planted, browse):
    follow_up = planted["follow_up"]
    FollowUp.objects.filter(pk=follow_up.pk).update(listed_for_coach_on=date(2026, 3, 2))
    body = browse("coach").get(reverse("participants:follow_ups_due")).content.decode()
    assert "Daan Zichtbaar" in body
    assert url("follow_up_record", world.participant, follow_up.pk) in body
    other = browse("other_coach").get(reverse("participants:follow_ups_due")).content.decode()
    assert "Daan Zichtbaar" not in other
    assert "No checks due." in other


def test_care_note_form_on_the_tab_saves_and_redirects(world, browse):
    response = browse("coach").post(
        url("care_note_add", world.participant),
        {"text": "Gesprek over budget", "written_on": "2026-01-05"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("participant_care_notes", world.participant)
    body = response.content.decode()
    assert "Note saved." in body
    assert "Gesprek over budget" in body
    note = CareNote.objects.get(text="Gesprek over budget")
    assert note.author == world.users["coach"]
