"""Formula injection: text that starts with = + - @ (or a tab or CR) typed into a form or
imported from a list must reach every Excel export as text, never as a formula. Every string
cell of every sheet of every export is checked: none may start with one of those characters.
Each export is also checked to hold the planted text, so the test fails if the data never got
there."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from employers.models import Employer
from participants.models import Participant
from reporting.models import ReportRun
from tests.factories import PASSWORD, PlacementFactory

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TYPED_FIRST, TYPED_LAST = "=cmd|' /C calc'!A0", "+1+1"  # typed into the referral form
IMPORTED = ["@SUM(1)", "-2+3", '=HYPERLINK("http://example.test","klik")']
EMPLOYER = '=HYPERLINK("http://example.test/x","werkgever")'  # typed into the employer form
COHORT, PROGRAMME = "=1+1 groep", "@BinQ"  # no form sets these: the admin could
LEADING_TAB, LEADING_CR = "\t=1+1", "\r=2+2"  # no form keeps these: forms and import strip


def formula_cells(content: bytes) -> list[tuple[str, str, str]]:
    """(sheet, cell, value) of every text cell a spreadsheet would run as a formula."""
    workbook = load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS)
    ] + [(title, "", title) for title in workbook.sheetnames if title.startswith(TRIGGERS)]


def text_cells(content: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


@pytest.fixture
def planted(world, client_as):
    """Formula text in names, entered the ways a user can: the referral form, the import, the
    employer form; and directly where no form reaches (group and programme names, a leading
    tab or CR)."""
    regisseur, coach = client_as("regisseur"), client_as("coach")
    referral = regisseur.post(
        reverse("participants:participant_create"),
        {
            "first_name": TYPED_FIRST, "last_name": TYPED_LAST, "date_of_birth": "2006-05-17",
            "email": "", "phone": "", "street": "", "postcode": "", "city": "",
            "prior_education": "vso", "funding_stream": "none", "bsn": "",
            "coach": world.users["coach"].pk, "programme": world.programme.pk,
            "route_type": "2", "school": "", "referral_date": "2025-06-01",
            "referral_source": "vso", "referring_organisation": "", "referrer_contact": "",
        },
    )  # fmt: skip
    assert referral.status_code == 302
    lines = ["voornaam;achternaam;geboortedatum;programma;groep;routetype;verwijzer;aanmelddatum"]
    lines += [f"{name};Import{i};2005-03-14;BinQ;Groep 27;2;uwv;2025-06-01"
              for i, name in enumerate(IMPORTED)]  # fmt: skip
    imported = regisseur.post(
        reverse("participants:participant_import"),
        {"file": SimpleUploadedFile("lijst.csv", "\r\n".join(lines).encode())},
    )
    assert imported.status_code == 302
    created = coach.post(
        reverse("employers:employer_create"),
        {"name": EMPLOYER, "kvk_number": "12345678", "sector": "+31 bouw", "sbb_number": "@1"},
    )
    assert created.status_code == 302
    employer = Employer.objects.get(name=EMPLOYER)
    for person in Participant.objects.filter(first_name__in=[TYPED_FIRST, *IMPORTED]):
        person.current_route.cohort = world.cohort
        person.current_route.start_date = date(2025, 9, 1)
        person.current_route.save()
        PlacementFactory(participant=person, employer=employer, start_date=date(2025, 9, 1))
    world.cohort.name, world.programme.name = COHORT, PROGRAMME
    world.cohort.save()
    world.programme.save()
    world.employer_org.name = EMPLOYER + " 2"
    world.employer_org.save()
    Participant.objects.filter(pk=world.participant.pk).update(last_name=LEADING_TAB)
    Participant.objects.filter(pk=world.other_participant.pk).update(first_name=LEADING_CR)
    return employer


def _download(client, response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _background(client, capture, url, data=None) -> bytes:
    """Queue a background export, run it, and download its file."""
    with capture(execute=True):
        response = client.post(url, data or {})
        if response.status_code == 302 and "reauthenticate" in response["Location"]:
            response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302, response.status_code
    run = ReportRun.objects.latest("created")
    assert run.status == "done", (run.kind, run.status, run.message)
    return _download(client, client.get(reverse("reporting:run_download", args=[run.pk])))


@dataclass(frozen=True)
class Export:
    name: str
    persona: str
    fetch: Callable  # (client, world, employer, capture) -> xlsx bytes
    holds: tuple[str, ...]  # planted text the file must hold (neutralised)


def _get(name, *args) -> Callable:
    return lambda c, w, e, cap: _download(c, c.get(reverse(name, args=[a(w, e) for a in args])))


EXPORTS = [
    Export("participants:participant_export", "regisseur",
           _get("participants:participant_export"),
           (TYPED_FIRST, TYPED_LAST, *IMPORTED, LEADING_TAB, LEADING_CR, COHORT, PROGRAMME)),
    Export("participants:participant_export", "coach", _get("participants:participant_export"),
           (TYPED_FIRST, LEADING_TAB)),
    Export("participants:participant_export", "projectleider",
           _get("participants:participant_export"), (TYPED_FIRST, *IMPORTED, LEADING_CR)),
    Export("participants:participant_import_template", "regisseur",
           _get("participants:participant_import_template"), ()),
    Export("employers:sroi_export", "regisseur",
           lambda c, w, e, cap: _download(c, c.get(
               reverse("employers:sroi_export", args=[e.pk]),
               {"start": "2025-01-01", "end": "2025-12-31"})), (EMPLOYER,)),
    Export("employers:workplace_sroi_export", "employer",
           _get("employers:workplace_sroi_export"), (EMPLOYER + " 2",)),
    Export("reporting:forecast_export", "projectleider",
           lambda c, w, e, cap: _background(c, cap, reverse("reporting:forecast_export"), {
               "programme": w.programme.pk, "first": "2025-01", "last": "2026-12"}), (COHORT,)),
    Export("reporting:dashboard_export", "projectleider",
           lambda c, w, e, cap: _background(c, cap, reverse("reporting:dashboard_export")),
           (COHORT,)),
    Export("reporting:dashboard_export", "landelijk",
           lambda c, w, e, cap: _background(c, cap, reverse("reporting:dashboard_export")), ()),
    Export("reporting:cohort_participants_export", "projectleider",
           lambda c, w, e, cap: _background(c, cap, reverse(
               "reporting:cohort_participants_export", args=[w.cohort.pk])),
           (TYPED_FIRST, *IMPORTED, LEADING_TAB, LEADING_CR)),
    Export("reporting:funder_export", "regisseur",
           lambda c, w, e, cap: _background(c, cap, reverse("reporting:funder_export"), {
               "programme": w.programme.pk, "start_from": "2025-01-01",
               "start_to": "2025-12-31"}), (TYPED_FIRST, *IMPORTED, LEADING_TAB)),
]  # fmt: skip


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: f"{e.name}-{e.persona}")
def test_formula_text_is_neutralised_in_every_cell_of_every_export(
    export, world, planted, client_as, django_capture_on_commit_callbacks, logged_errors
):
    client = client_as(export.persona)
    content = export.fetch(client, world, planted, django_capture_on_commit_callbacks)
    assert formula_cells(content) == []
    present = text_cells(content)
    for text in export.holds:  # a workbook stores CR as LF
        assert any(text.replace("\r", "\n") in cell for cell in present), f"{text!r} is missing"
    assert not logged_errors()
