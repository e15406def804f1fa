"""Real defects the bad-input tests found, one explicit case each, marked
xfail(strict=True): when the product is fixed the case passes, strict makes that an error, and
the mark is removed. The fuzz and sweep tests leave exactly these inputs out (the ``avoid``
predicates in endpoints.py and test_queries.py).

Each case asserts what should happen (a form error, a 404, a finished export). A 500 is also
logged at ERROR; the case clears the log before asserting, so the xfail reports the answer,
not the strict-log fixture.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from employers.models import Commitment, Employer, Placement, Vacancy
from reporting.models import ReportRun
from tests.factories import PASSWORD, AnalysisFactory, ArrangementFactory, PlanFactory

from .hostile import changed_tables, db_fingerprint

pytestmark = pytest.mark.django_db


def _answer(response, caplog) -> int:
    caplog.clear()  # the 500 was logged; the assertion on the answer is the report
    return response.status_code


# --- numbers past a database column ---------------------------------------------------------


def test_commitment_places_past_smallint_is_a_form_error(world, client_as, caplog):
    client = client_as("coach")
    before = db_fingerprint()
    response = client.post(
        reverse("employers:commitment_add", args=[world.employer_org.pk]),
        {"programme": world.programme.pk, "way": "plaatsen", "job_commitment": "geen",
         "places": "32768", "since": "2025-10-01", "notes": ""},
    )  # fmt: skip
    assert _answer(response, caplog) == 200
    assert 'class="invalid-feedback' in response.content.decode()
    assert not changed_tables(before, db_fingerprint())
    assert not Commitment.objects.exists()


def test_vacancy_places_past_smallint_is_a_form_error(world, client_as, caplog):
    response = client_as("coach").post(
        reverse("employers:vacancy_add", args=[world.employer_org.pk]),
        {"programme": world.programme.pk, "function": "Straatmaker", "level": "2",
         "starts_on": "2026-09-01", "places": "32768", "description": ""},
    )  # fmt: skip
    assert _answer(response, caplog) == 200
    assert 'class="invalid-feedback' in response.content.decode()
    assert not Vacancy.objects.exists()


# --- dates at the end of the calendar ------------------------------------------------------


def test_a_trial_placement_starting_in_year_9999_is_a_form_error(world, client_as, caplog):
    response = client_as("coach").post(
        reverse("employers:placement_create"),
        {"participant": world.participant.pk, "employer": world.employer_org.pk,
         "kind": "proefplaatsing", "start_date": "9999-12-31", "end_date": "",
         "hours_per_week": "", "trial_ends_on": ""},
    )  # fmt: skip
    assert _answer(response, caplog) == 200
    assert Placement.objects.filter(start_date__year=9999).count() == 0


# --- digits that str.isdigit() accepts and int() does not ----------------------------------


@pytest.mark.parametrize("page", ["analysis", "arrangement", "plan"])
def test_a_superscript_version_number_is_no_version(page, world, client_as, caplog):
    route = world.participant.current_route
    AnalysisFactory(route=route)
    ArrangementFactory(route=route)
    PlanFactory(route=route)
    response = client_as("coach").get(
        reverse(f"leerroutes:{page}", args=[world.participant.pk]), {"version": "\u00b2"}
    )
    assert _answer(response, caplog) in {200, 404}


@pytest.mark.parametrize("view", ["planner", "planner_table"])
def test_a_superscript_planner_row_key_is_replaced(view, world, client_as, caplog):
    response = client_as("projectleider").post(
        reverse(f"reporting:{view}"),
        {"programme": world.programme.pk, "first": "2025-01", "last": "2026-12",
         "months": "2,9", "key": ["\u00b2"], "group": ["Groep A"], "start": ["2025-09"],
         "size": ["10"], "duration": ["4"]},
    )  # fmt: skip
    assert _answer(response, caplog) == 200


def test_a_superscript_employer_in_the_placement_link_is_a_404(world, client_as, caplog):
    response = client_as("coach").get(reverse("employers:placement_create"), {"employer": "\u00b2"})
    assert _answer(response, caplog) in {200, 404}


# --- raw query values stored in the audit trail ---------------------------------------------


@pytest.mark.parametrize("param", ["coach", "status", "programme"])
def test_a_nul_in_an_export_filter_is_ignored_like_any_bad_filter(param, world, client_as, caplog):
    response = client_as("regisseur").get(
        reverse("participants:participant_export"), {param: "\x00"}
    )
    assert _answer(response, caplog) == 200


# --- control characters: accepted by the forms, fatal to every Excel export -----------------

CONTROL = "Da\x01an"  # \x00-\x08, \x0b, \x0c and \x0e-\x1f cannot be stored in a workbook


def _name_typed_into_the_form(world, client_as):
    """The regisseur types a control character into the participant's first name: saved."""
    page = reverse("participants:participant_edit", args=[world.participant.pk])
    response = client_as("regisseur").post(
        page,
        {"first_name": CONTROL, "last_name": "Zichtbaar", "date_of_birth": "2006-05-17",
         "phone": "", "email": "", "street": "", "postcode": "", "city": "",
         "prior_education": "vso", "funding_stream": "none", "bsn": "",
         "coach": world.users["coach"].pk},
    )  # fmt: skip
    assert response.status_code == 302
    world.participant.refresh_from_db()
    assert world.participant.first_name == CONTROL


@pytest.mark.parametrize("persona", ["regisseur", "projectleider"])
def test_a_control_character_in_a_name_does_not_break_the_participant_export(
    persona, world, client_as, caplog
):
    _name_typed_into_the_form(world, client_as)
    response = client_as(persona).get(reverse("participants:participant_export"))
    assert _answer(response, caplog) == 200


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("reporting:cohort_participants_export", {}),
        ("reporting:funder_export", {"start_from": "2025-01-01", "start_to": "2026-12-31"}),
    ],
)
def test_a_control_character_in_a_name_does_not_fail_the_background_exports(
    url_name, data, world, client_as, caplog, django_capture_on_commit_callbacks
):
    _name_typed_into_the_form(world, client_as)
    persona = "regisseur" if url_name == "reporting:funder_export" else "projectleider"
    client = client_as(persona)
    args = [world.cohort.pk] if url_name == "reporting:cohort_participants_export" else []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(url_name, args=args), {"programme": world.programme.pk, **data}
        )
        if "reauthenticate" in response.get("Location", ""):
            client.post(response["Location"], {"password": PASSWORD})
    run = ReportRun.objects.get()
    errors = [r.getMessage() for r in caplog.get_records("call") if r.levelname == "ERROR"]
    caplog.clear()
    assert (run.status, errors) == ("done", [])


@pytest.mark.parametrize("url_name", ["employers:sroi_export", "employers:workplace_sroi_export"])
def test_a_control_character_in_an_employer_name_does_not_break_the_sroi_export(
    url_name, world, client_as, caplog
):
    edit = reverse("employers:employer_edit", args=[world.employer_org.pk])
    saved = client_as("regisseur").post(
        edit, {"name": "Nijland\x01Infra", "kvk_number": "12345678", "sector": "",
               "sbb_number": "", "sbb_valid_until": ""}
    )  # fmt: skip
    assert saved.status_code == 302
    assert Employer.objects.get(pk=world.employer_org.pk).name == "Nijland\x01Infra"
    if url_name == "employers:sroi_export":
        response = client_as("regisseur").get(reverse(url_name, args=[world.employer_org.pk]))
    else:
        response = client_as("employer").get(reverse(url_name))
    assert _answer(response, caplog) == 200


# --- an import file whose XML is broken -----------------------------------------------------


def _workbook_with(part: str, content: bytes) -> bytes:
    """A real .xlsx (zip) with one of its XML parts replaced."""
    workbook = Workbook()
    workbook.active.append(["voornaam", "achternaam"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    "part",
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"],
)
def test_an_xlsx_with_broken_xml_is_refused_with_a_message(part, world, client_as, caplog):
    client = client_as("regisseur")
    before = db_fingerprint()
    response = client.post(
        reverse("participants:participant_import"),
        {"file": SimpleUploadedFile("lijst.xlsx", _workbook_with(part, b"<workbook"))},
    )
    assert _answer(response, caplog) == 200
    assert 'class="invalid-feedback' in response.content.decode()
    assert not changed_tables(before, db_fingerprint())
