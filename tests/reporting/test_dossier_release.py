"""The employer's copy after issue 14 (items 9 and 10) and issue 15 (item 3):

- the release guard catches a short care note as a whole word, a five-word fragment of any
  note or analysis text, a BSN in any notation, a support goal's text and the young person's
  own words, without flagging an ordinary work goal;
- the employer's copy carries work goals only and placements at its own employer only;
- a download checks again every consent the file relied on: after a withdrawal the file is
  refused (and removed) with a way to make a new copy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from leerroutes.models import GoalKind, Reflection
from maatwerq.audit.models import AuditEvent
from participants.models import Consent, ConsentScope
from reporting.dossier import content, guard
from reporting.dossier.content import EMPLOYER_SPEC, GUARD_SUPPORT_GOALS, GUARD_VOICE
from reporting.models import RunStatus
from reporting.services import MSG_CONSENT_WITHDRAWN
from tests.conftest import module_data
from tests.factories import CareNoteFactory, GoalFactory, PlacementFactory

from .conftest_dossier import (
    HANDELINGSWIJZER,
    build_daan,
    consent,
    pdf_text,
    request_dossier,
    run_file,
)
from .test_dossier_guard import assert_blocked

pytestmark = pytest.mark.django_db


# Daan's full route, built once for the module (tests/conftest.py, module_data): each test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_daan)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def daan(_shared, db):
    """Read afresh for each test: a test may change the object (its coach, say)."""
    return type(_shared[1]).objects.get(pk=_shared[1].pk)


SUPPORT_GOAL = "STEUNDOEL-SCHULDEN in beeld en een afbetalingsregeling met de bank"
REFLECTION = "REFLECTIE-DAAN ik vind het zwaar thuis en slaap slecht"
LONG_NOTE = (
    "Daan vertelde vandaag dat zijn moeder opnieuw is opgenomen en dat hij voorlopig bij "
    "zijn oom in Deventer slaapt; de reistijd naar de werf wordt daardoor langer."
)


# --- the matching (item 10) ------------------------------------------------------------------


def test_a_short_care_note_is_found_as_a_whole_word():
    index = guard.TextIndex("Opmerking: ze is Zwanger, verlof volgt.")
    assert index.contains("Zwanger")
    # Part of a longer word is not the note.
    assert not guard.TextIndex("Zwangerschapsverlof geregeld.").contains("Zwanger")


def test_a_five_word_fragment_of_a_long_note_is_found():
    page = "Werkdoel: op tijd komen. Hij voorlopig bij zijn oom in de bus."
    assert guard.TextIndex(page).contains(LONG_NOTE)
    # Four words of it are not enough.
    assert not guard.TextIndex("Hij slaapt bij zijn oom.").contains(LONG_NOTE)


def test_a_run_of_common_words_only_is_no_hit():
    note = "Het gaat niet goed en hij is er nog niet aan toe om dat te zeggen."
    page = "Werkdoel: hij is er nog niet klaar voor, maar oefent elke week met de shovel."
    assert not guard.TextIndex(page).contains(note)


def test_an_ordinary_work_goal_passes_against_real_notes():
    page = (
        "Werkdoel 1: zelfstandig een bestrating leggen van tien meter. "
        "Werkdoel 2: elke dag op tijd (7.00 uur) op de bouwplaats. In progress."
    )
    index = guard.TextIndex(page)
    for secret in (LONG_NOTE, "Zwanger", "Schulden bij de zorgverzekeraar", SUPPORT_GOAL):
        assert not index.contains(secret), secret


@pytest.mark.parametrize(
    "written", ["908/687/230", "908 / 687 / 230", "908_687_230", "9 0 8 6 8 7 2 3 0", "908.68.7230"]
)
def test_a_bsn_in_any_separator_or_spacing_is_found(written):
    assert guard.bsn_pattern("908687230").search(f"Nummer {written}.")


def test_release_check_finds_a_short_note_a_fragment_and_a_slashed_bsn(world, daan):
    CareNoteFactory(participant=daan, text="Zwanger")
    daan.bsn = "908687230"
    daan.save(update_fields=["bsn"])
    checks = (content.GUARD_CARE_NOTES, content.GUARD_BSN)
    for page, found in (
        ("<p>Opmerking: zwanger.</p>", ["care_notes"]),
        ("<p>Nummer 908/687/230</p>", ["bsn"]),
        ("<p>Werkdoel: zelfstandig een bestrating leggen.</p>", []),
    ):
        pdf = HTML(string=page).write_pdf()
        assert guard.release_check(participant=daan, pdf=pdf, checks=checks) == found, page


def test_release_check_finds_a_fragment_of_an_analysis_text(world, daan):
    from .conftest_dossier import SECRET_QUESTIONS

    fragment = " ".join(SECRET_QUESTIONS.split()[2:7])  # five words from the middle
    pdf = HTML(string=f"<p>Let op: {fragment}.</p>").write_pdf()
    found = guard.release_check(participant=daan, pdf=pdf, checks=(content.GUARD_ANALYSIS,))
    assert found == ["analysis"]


def test_a_one_word_reflection_does_not_stop_every_employer_copy(world, daan):
    """A reflection of one ordinary word ("Goed") is no secret a work goal could leak; only a
    care note is looked for as a single word."""
    route = daan.current_route
    goal = GoalFactory(created_in=route.plans.order_by("-number").first(), kind=GoalKind.WORK)
    Reflection.objects.create(route=route, goal=goal, text="Goed")
    pdf = HTML(string="<p>Werkdoel: goed communiceren met de leermeester.</p>").write_pdf()
    checks = (content.GUARD_VOICE, content.GUARD_SUPPORT_GOALS, content.GUARD_ANALYSIS)
    assert guard.release_check(participant=daan, pdf=pdf, checks=checks) == []


# --- support goals and the young person's words never leave (issue 15 items 3 and 4) ----------


def plant_support_goal_and_reflection(participant):
    route = participant.current_route
    plan = route.plans.order_by("-number").first()
    goal = GoalFactory(created_in=plan, description=SUPPORT_GOAL, kind=GoalKind.SUPPORT)
    Reflection.objects.create(route=route, goal=goal, text=REFLECTION)
    return goal


def test_employer_copy_has_work_goals_only_even_with_every_consent(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    plant_support_goal_and_reflection(daan)
    consent(daan)
    consent(daan, ConsentScope.HANDELINGSWIJZER)
    for who in ("employer", "coach"):
        run = request_dossier(
            world.users[who], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
        )
        assert run.status == RunStatus.DONE, run.message
        text = pdf_text(run_file(run), tmp_path)
        assert "Werkdoel 1" in text
        assert "STEUNDOEL" not in text
        assert "REFLECTIE" not in text
        assert HANDELINGSWIJZER in text


def test_employer_copy_carrying_a_support_goal_is_stopped(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    plant_support_goal_and_reflection(daan)
    consent(daan)
    monkeypatch.setattr(
        "reporting.dossier.kinds.EMPLOYER_SPEC",
        replace(EMPLOYER_SPEC, goal_kinds=content.ALL_GOAL_KINDS),
    )
    run = request_dossier(
        world.users["employer"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "employer")
    assert AuditEvent.objects.get().detail["found"] == [GUARD_SUPPORT_GOALS]


def test_employer_copy_carrying_a_reflection_is_stopped(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    plant_support_goal_and_reflection(daan)
    consent(daan)
    monkeypatch.setitem(
        content.SECTIONS,
        "personal",
        lambda source, spec: [{"label": "Zelf gezegd", "value": REFLECTION}],
    )
    run = request_dossier(
        world.users["employer"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "employer")
    assert AuditEvent.objects.get().detail["found"] == [GUARD_VOICE]


# --- own employer only (item 9) --------------------------------------------------------------


@pytest.mark.parametrize("who", ["employer", "coach", "regisseur"])
def test_employer_copy_lists_its_own_employers_placements_only(
    world, daan, tmp_path, django_capture_on_commit_callbacks, who
):
    consent(daan)
    PlacementFactory(
        participant=daan,
        employer=world.other_employer_org,
        kind="snuffelstage",
        start_date=timezone.localdate() - timedelta(days=3),
    )
    run = request_dossier(world.users[who], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.message
    text = pdf_text(run_file(run), tmp_path)
    assert "Nijland Infra" in text
    assert "Van der Wal Transport" not in text


def test_staff_get_no_employer_copy_without_a_running_placement(
    world, daan, django_capture_on_commit_callbacks
):
    consent(daan)
    daan.placements.update(end_date=timezone.localdate() - timedelta(days=1))
    run = request_dossier(
        world.users["coach"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert run.status == RunStatus.FAILED
    assert run.file == ""
    assert "no placement at an employer" in run.message


# --- the download re-checks the consents (item 9) --------------------------------------------


def employer_run_with_handelingswijzer(world, daan, capture):
    consent(daan)
    consent(daan, ConsentScope.HANDELINGSWIJZER)
    run = request_dossier(world.users["employer"], daan, EMPLOYER_SPEC, capture)
    assert run.status == RunStatus.DONE, run.message
    assert sorted(run.consents_used) == sorted(
        [ConsentScope.EMPLOYER_WORK_STATUS, ConsentScope.HANDELINGSWIJZER]
    )
    return run


def test_download_after_the_handelingswijzer_consent_is_withdrawn_is_refused(
    world, daan, media_root, client_for, django_capture_on_commit_callbacks
):
    run = employer_run_with_handelingswijzer(world, daan, django_capture_on_commit_callbacks)
    stored = media_root / run.file
    assert stored.exists()
    Consent.objects.filter(participant=daan, scope=ConsentScope.HANDELINGSWIJZER).update(
        withdrawn_on=timezone.localdate()
    )
    response = client_for("employer").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "application/pdf" not in response.get("Content-Type", "")
    assert HANDELINGSWIJZER not in body
    assert "toestemming" in body  # the Dutch message
    remake = reverse("reporting:dossier_request", args=[daan.pk, EMPLOYER_SPEC.slug])
    assert f'action="{remake}"' in body
    run.refresh_from_db()
    assert run.status == RunStatus.EXPIRED
    assert run.message == MSG_CONSENT_WITHDRAWN
    assert run.file == ""
    assert not stored.exists()
    event = AuditEvent.objects.filter(participant=daan, detail__revoked=True).get()
    assert event.detail["consents_lapsed"] == [ConsentScope.HANDELINGSWIJZER]
    assert not AuditEvent.objects.filter(participant=daan, action="export").exists()
    # Asked again: still refused, never the old file.
    again = client_for("employer").get(reverse("reporting:run_download", args=[run.pk]))
    assert again.status_code == 410


def test_a_new_copy_after_the_withdrawal_leaves_the_handelingswijzer_out(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    employer_run_with_handelingswijzer(world, daan, django_capture_on_commit_callbacks)
    Consent.objects.filter(participant=daan, scope=ConsentScope.HANDELINGSWIJZER).update(
        withdrawn_on=timezone.localdate()
    )
    run = request_dossier(
        world.users["employer"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert run.status == RunStatus.DONE, run.message
    assert run.consents_used == [ConsentScope.EMPLOYER_WORK_STATUS]
    assert HANDELINGSWIJZER not in pdf_text(run_file(run), tmp_path)


def test_download_while_the_consents_hold_still_works(
    world, daan, client_for, django_capture_on_commit_callbacks
):
    run = employer_run_with_handelingswijzer(world, daan, django_capture_on_commit_callbacks)
    response = client_for("employer").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_download_after_the_work_status_consent_is_withdrawn_removes_the_file(
    world, daan, media_root, client_for, django_capture_on_commit_callbacks
):
    run = employer_run_with_handelingswijzer(world, daan, django_capture_on_commit_callbacks)
    stored = media_root / run.file
    Consent.objects.filter(participant=daan, scope=ConsentScope.EMPLOYER_WORK_STATUS).update(
        withdrawn_on=timezone.localdate()
    )
    # The werkgever may no longer have this participant's copy at all: 404, as before, and
    # the file is gone too (not left until it expires).
    response = client_for("employer").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 404
    assert "Zichtbaar" not in response.content.decode()
    assert not stored.exists()
    run.refresh_from_db()
    assert (run.status, run.file) == (RunStatus.EXPIRED, "")
    event = AuditEvent.objects.filter(participant=daan, detail__revoked=True).get()
    assert ConsentScope.EMPLOYER_WORK_STATUS in event.detail["consents_lapsed"]
    assert not AuditEvent.objects.filter(participant=daan, action="export").exists()
