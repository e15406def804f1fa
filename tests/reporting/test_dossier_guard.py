"""The release check: a dossier copy that would carry a care note, an analysis text or the BSN
is stopped. The leaks are forced (a variant listing a section it must not have, a section
that reads a care note): the run fails with the message, no file is kept, and one audit event
records the blocked release without the secret."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from maatwerq.audit.models import AuditEvent
from reporting.dossier import content, guard, kinds
from reporting.dossier.content import EMPLOYER_SPEC, PARTICIPANT_SPEC
from reporting.models import RunStatus
from reporting.services import MSG_FAILED

from .conftest_dossier import (
    BSN,
    SECRET_CARE,
    consent,
    daan_fixture,  # noqa: F401 - the fixture `daan`
    request_dossier,
)

pytestmark = pytest.mark.django_db


def assert_blocked(run, media_root, participant, variant: str) -> None:
    assert run.status == RunStatus.FAILED
    assert run.message == guard.MSG_BLOCKED
    assert run.message_text  # shown to the person, translated
    assert run.file == ""
    reports = Path(media_root) / "reports"
    assert not reports.exists() or not list(reports.iterdir())  # no file, no temp file
    events = list(AuditEvent.objects.filter(action="export"))
    assert len(events) == 1
    event = events[0]
    assert event.participant == participant
    assert event.detail["blocked"] is True
    assert event.detail["variant"] == variant
    stored = json.dumps(event.detail)
    assert "GEHEIM" not in stored
    assert BSN not in stored


def test_participant_copy_listing_the_analysis_is_stopped(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    leaky = replace(PARTICIPANT_SPEC, sections=(*PARTICIPANT_SPEC.sections, "analysis"))
    monkeypatch.setattr(kinds, "PARTICIPANT_SPEC", leaky)
    run = request_dossier(
        world.users["coach"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "participant")
    assert AuditEvent.objects.get().detail["found"] == ["analysis"]


def test_participant_copy_carrying_a_care_note_is_stopped(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    def perspective_with_a_care_note(source, spec):
        return source.participant.care_notes.first().text

    monkeypatch.setitem(content.SECTIONS, "perspective", perspective_with_a_care_note)
    run = request_dossier(
        world.users["regisseur"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "participant")
    assert AuditEvent.objects.get().detail["found"] == ["care_notes"]


@pytest.mark.parametrize("written", ["111.222.333", "111 222 333", "BSN:111222333"])
def test_employer_copy_with_the_bsn_in_any_notation_is_stopped(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks, written
):
    consent(daan)
    monkeypatch.setitem(
        content.SECTIONS, "personal", lambda source, spec: [{"label": "Nummer", "value": written}]
    )
    run = request_dossier(
        world.users["employer"], daan, EMPLOYER_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "employer")
    assert AuditEvent.objects.get().detail["found"] == ["bsn"]


def test_internal_copy_is_checked_for_care_notes_too(
    world, daan, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting.dossier.content import INTERNAL_SPEC

    monkeypatch.setitem(
        content.SECTIONS,
        "support_plan",
        lambda source, spec: {
            "number": 1,
            "plan_date": None,
            "signed_off_on": None,
            "text": "Zie zorgnotitie: " + source.participant.care_notes.first().text,
        },
    )
    run = request_dossier(
        world.users["regisseur"], daan, INTERNAL_SPEC, django_capture_on_commit_callbacks
    )
    assert_blocked(run, media_root, daan, "internal")


def test_without_pdftotext_nothing_is_released(
    world, daan, media_root, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(guard.shutil, "which", lambda name: None)
    run = request_dossier(
        world.users["coach"], daan, PARTICIPANT_SPEC, django_capture_on_commit_callbacks
    )
    assert run.status == RunStatus.FAILED
    assert run.message == MSG_FAILED
    assert run.file == ""
    assert "pdftotext" in caplog.text
    caplog.clear()  # the failure was provoked and checked; no other error may be logged


# --- the matching itself ---------------------------------------------------------------------


def test_text_index_finds_secrets_across_line_breaks_hyphens_and_case():
    index = guard.TextIndex("Notitie: zorg-geheim-\nDAAN schulden\nbij de bank en verder niets")
    assert index.contains("ZORG-GEHEIM-DAAN schulden")
    assert not index.contains("ZORG-GEHEIM-NOOR jeugdzorg")


def test_text_index_finds_one_sentence_of_a_long_secret():
    secret = (
        "Eerste zin over iets anders. Daan slaapt slecht sinds de verhuizing naar zijn tante "
        "en heeft schulden bij de zorgverzekeraar. Laatste zin."
    )
    page = "Werkdoel: op tijd komen. daan slaapt slecht sinds de verhuizing naar zijn tante."
    assert guard.TextIndex(page).contains(secret)
    assert not guard.TextIndex("Daan komt op tijd en werkt hard.").contains(secret)


def test_text_index_ignores_very_short_texts():
    assert not guard.TextIndex("ok, zie boven").contains("ok")


def test_bsn_pattern_matches_separated_digits_but_not_longer_numbers():
    pattern = guard.bsn_pattern(BSN)
    for text in ("111222333", "111 222 333", "111.222.333", "111-22-2333", "BSN 1112 22 333."):
        assert pattern.search(text), text
    for text in ("1111222333", "111222334", "0111222333"):
        assert not pattern.search(text), text


def test_release_check_reads_the_pdf_and_names_kinds_never_texts(world, daan):
    from weasyprint import HTML

    pdf = HTML(string=f"<p>{SECRET_CARE} schulden</p><p>1112 22 333</p>").write_pdf()
    checks = (content.GUARD_CARE_NOTES, content.GUARD_ANALYSIS, content.GUARD_BSN)
    assert guard.release_check(participant=daan, pdf=pdf, checks=checks) == ["care_notes", "bsn"]
    assert guard.release_check(participant=daan, pdf=pdf, checks=(content.GUARD_ANALYSIS,)) == []
