"""The progress dossier per variant, read back from the produced PDF's text (pdftotext): what
each copy holds and, above all, what it never holds. Also the layout basics (A4, page
numbers, the academy in the footer) and pages rendered to PNG for a look."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone, translation

from participants.models import ConsentScope
from reporting.dossier.content import (
    EMPLOYER_SPEC,
    INTERNAL_SPEC,
    PARTICIPANT_SPEC,
    VARIANTS,
    dossier_build,
)
from reporting.models import RunStatus
from tests.factories import EmployerFactory, PlacementFactory

from .conftest_dossier import (
    BSN_FORMS,
    HANDELINGSWIJZER,
    INTERNAL_LOG,
    PERSPECTIVE,
    Q_CERTIFICATE,
    SECRET_ANALYSIS,
    SECRET_ANALYSIS_SUMMARY,
    SECRET_CARE,
    SHARED_LOG,
    SUPPORT_PLAN,
    WORK_CERTIFICATE,
    build_route,
    consent,
    daan_fixture,  # noqa: F401 - the fixture `daan`
    pdf_info,
    pdf_text,
    request_dossier,
    run_file,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def dossier_text(user, participant, spec, capture, tmp_path) -> tuple[str, bytes]:
    run = request_dossier(user, participant, spec, capture)
    assert run.status == RunStatus.DONE, run.message
    pdf = run_file(run)
    return pdf_text(pdf, tmp_path), pdf


def assert_no_secrets(text: str) -> None:
    assert SECRET_CARE not in text
    assert SECRET_ANALYSIS not in text
    for form in BSN_FORMS:
        assert form not in text


# --- the three copies ----------------------------------------------------------------------


def test_internal_copy_has_the_analysis_and_support_plan_but_no_care_note_or_bsn(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    text, _pdf = dossier_text(
        world.users["regisseur"],
        daan,
        INTERNAL_SPEC,
        django_capture_on_commit_callbacks,
        tmp_path,
    )
    assert "Progress dossier (internal)" in text
    assert "Daan Zichtbaar" in text
    assert SECRET_ANALYSIS_SUMMARY.split()[0] in text  # the analysis summary
    assert SUPPORT_PLAN in text
    assert PERSPECTIVE in text
    assert "24-hour arrangement" in text
    assert INTERNAL_LOG in text  # the regisseur's copy has the whole log
    assert Q_CERTIFICATE in text
    assert WORK_CERTIFICATE in text
    assert "Gerrit Nijland" in text  # a leermeester assessment
    assert "Nijland Infra" in text  # the placement
    assert SECRET_CARE not in text
    for form in BSN_FORMS:
        assert form not in text
    # The analysis' talents and support questions stay on the analysis page.
    assert "ANALYSE-GEHEIM-TALENT" not in text
    assert "ANALYSE-GEHEIM-VRAAG" not in text


def test_participant_copy_holds_their_route_and_only_shared_log_entries(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    text, _pdf = dossier_text(
        world.users["coach"],
        daan,
        PARTICIPANT_SPEC,
        django_capture_on_commit_callbacks,
        tmp_path,
    )
    assert_no_secrets(text)
    assert "My dossier" in text
    assert "My goals" in text
    assert "Werkdoel 1" in text
    assert "Reached" in text  # goal status, with its history
    assert PERSPECTIVE in text
    assert SHARED_LOG in text
    assert INTERNAL_LOG not in text
    assert Q_CERTIFICATE in text
    assert WORK_CERTIFICATE in text
    assert HANDELINGSWIJZER in text
    assert "Evaluatie 1" in text
    assert "Practice 192 hours, theory 64 hours" in text  # eight weeks of 24 + 8
    # Never the academy's internal design of the route.
    assert SUPPORT_PLAN not in text
    assert "Gerrit Nijland" not in text


def test_employer_copy_is_work_status_only(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    consent(daan)
    ended_elsewhere = EmployerFactory(academy=world.academy, name="Oud Bedrijf Sloop")
    PlacementFactory(
        participant=daan,
        employer=ended_elsewhere,
        start_date=date(2024, 9, 1),
        end_date=date(2025, 6, 30),
        end_reason="ontslag",
    )
    text, _pdf = dossier_text(
        world.users["employer"],
        daan,
        EMPLOYER_SPEC,
        django_capture_on_commit_callbacks,
        tmp_path,
    )
    assert_no_secrets(text)
    assert "Work status" in text
    assert "Daan Zichtbaar" in text
    assert "BinQ" in text
    assert "Nijland Infra" in text
    assert "Oud Bedrijf Sloop" not in text  # only the placement that runs now
    assert WORK_CERTIFICATE in text
    assert Q_CERTIFICATE not in text  # a Q-certificate hints at support needs
    assert "Werkdoel 1" in text
    assert "In progress" in text
    for absent in (
        SHARED_LOG,
        INTERNAL_LOG,
        PERSPECTIVE,
        SUPPORT_PLAN,
        "Evaluatie 1",
        "17 May 2006",
    ):
        assert absent not in text
    # No consent to share the handelingswijzer: its text stays out.
    assert HANDELINGSWIJZER not in text
    assert "Shared only with the participant's consent" in text


def test_employer_copy_has_the_handelingswijzer_only_with_its_own_consent(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    consent(daan)
    consent(daan, ConsentScope.HANDELINGSWIJZER)
    text, _pdf = dossier_text(
        world.users["coach"],
        daan,
        EMPLOYER_SPEC,
        django_capture_on_commit_callbacks,
        tmp_path,
    )
    assert HANDELINGSWIJZER in text
    assert_no_secrets(text)


def test_a_withdrawn_handelingswijzer_consent_keeps_it_out(world, daan):
    consent(daan)
    consent(daan, ConsentScope.HANDELINGSWIJZER, withdrawn_on=timezone.localdate())
    with translation.override("en"):
        dossier = dossier_build(
            participant=daan,
            route=daan.current_route,
            spec=EMPLOYER_SPEC,
            today=timezone.localdate(),
        )
    assert dossier.sections["handelingswijzer"] == {"withheld": True}


# --- layout ----------------------------------------------------------------------------------


def test_dossier_is_a4_with_page_numbers_academy_and_date_in_the_footer(
    world, daan, tmp_path, django_capture_on_commit_callbacks
):
    text, pdf = dossier_text(
        world.users["regisseur"],
        daan,
        INTERNAL_SPEC,
        django_capture_on_commit_callbacks,
        tmp_path,
    )
    info = pdf_info(pdf, tmp_path)
    pages = int(info["Pages"])
    assert pages >= 3
    assert "(A4)" in info["Page size"]
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text
    issued = timezone.localdate()
    footer = f"Academie Salland · {issued.day} {issued:%B} {issued.year}"
    assert text.count(footer) == pages
    assert f"Issued on {issued.day} {issued:%B} {issued.year}" in text  # the cover


def test_each_variant_lists_only_known_sections_and_fields(world, daan):
    for spec in VARIANTS.values():
        with translation.override("en"):
            dossier = dossier_build(
                participant=daan,
                route=daan.current_route,
                spec=spec,
                today=timezone.localdate(),
            )
        assert list(dossier.sections) == list(spec.sections)
        for goal in dossier.sections.get("goals", []):
            assert set(goal) == {"status_code", *spec.goal_fields} - {"history_notes"}
    with pytest.raises(KeyError):
        dossier_build(
            participant=daan,
            route=daan.current_route,
            spec=replace(PARTICIPANT_SPEC, goal_fields=("care_notes",)),
            today=timezone.localdate(),
        )


def test_participant_copy_draws_counts_and_well_being_from_shared_entries_only(world, daan):
    with translation.override("en"):
        own = dossier_build(
            participant=daan,
            route=daan.current_route,
            spec=PARTICIPANT_SPEC,
            today=timezone.localdate(),
        )
        internal = dossier_build(
            participant=daan,
            route=daan.current_route,
            spec=INTERNAL_SPEC,
            today=timezone.localdate(),
        )
    assert own.sections["progress"]["total_entries"] == 2  # entries 0 and 3 of six
    assert all(e["shareable"] for e in own.sections["progress"]["recent"])
    assert internal.sections["progress"]["total_entries"] == 6
    assert not all(e["shareable"] for e in internal.sections["progress"]["recent"])


@pytest.mark.slow  # renders three long dossiers and rasterises every page, to look at
def test_pages_render_to_png_for_a_look(world, tmp_path, django_capture_on_commit_callbacks):
    """Writes test-artifacts/dossier-<variant>-<page>.png (60 dpi) of a long route, to look
    at the layout: overflow, page breaks, the chart."""
    participant = world.participant
    build_route(participant, goals=8, entries=40, evaluations=4, weeks=30, long_texts=1)
    consent(participant)
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm (poppler-utils) is needed"
    ARTIFACTS.mkdir(exist_ok=True)
    for spec in (INTERNAL_SPEC, PARTICIPANT_SPEC, EMPLOYER_SPEC):
        for old in ARTIFACTS.glob(f"dossier-{spec.name}-*.png"):
            old.unlink()
        run = request_dossier(
            world.users["regisseur"], participant, spec, django_capture_on_commit_callbacks
        )
        path = tmp_path / f"{spec.name}.pdf"
        path.write_bytes(run_file(run))
        subprocess.run(  # noqa: S603 - a fixed tool on our own file
            [tool, "-png", "-r", "60", str(path), str(ARTIFACTS / f"dossier-{spec.name}")],
            check=True,
        )
        assert list(ARTIFACTS.glob(f"dossier-{spec.name}-*.png"))
