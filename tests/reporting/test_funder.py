"""The funder's participant list: the regisseur's, with BSN, hours and result; the password is
asked again; the download writes one audit event with the number of rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerroutes.models import HoursWeek
from maatwerq.accounts.models import Role
from maatwerq.audit.models import Action, AuditEvent
from reporting.models import ReportRun, RunStatus
from tests.conftest import module_data
from tests.factories import PASSWORD, ProgrammeFactory
from tests.xlsx_checks import assert_headers_frozen, sheet_frozen_below

from .conftest_dashboard import build_dashboard_world, person_with_role

pytestmark = pytest.mark.django_db

FUNDER = reverse("reporting:funder_list")
EXPORT = reverse("reporting:funder_export")
YEAR_2025 = {"start_from": "2025-01-01", "start_to": "2025-12-31"}
BSN = "111222333"


@pytest.fixture
def foreign_regisseur(world):
    return person_with_role(world.other_academy, Role.REGISSEUR, "regisseur-twente@example.test")


def build_funder_world(world):
    built = build_dashboard_world(world)
    bram = built.routes["bram"]
    bram.participant.bsn = BSN
    bram.participant.funding_stream = "esf"
    bram.participant.save()
    for week, practice, theory in [
        (date(2025, 9, 1), "24", "8"),
        (date(2025, 9, 8), "20", "8"),
        (date(2026, 1, 5), "32", "0"),  # outside 2025
    ]:
        HoursWeek.objects.create(
            route=bram, week_start=week, practice_hours=practice, theory_hours=theory
        )
    return built


# Built once for the module (tests/conftest.py, module_data): every test reads it, or writes
# what its savepoint undoes.
_shared = module_data(build_funder_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def funder_world(_shared, db):
    return _shared[1]


def export(client, data, capture):
    """POST, give the password again (allauth replays the POST), and follow to the file."""
    response = client.post(EXPORT, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ReportRun.objects.exists()  # nothing before the password
    with capture(execute=True):
        response = client.post(
            response["Location"], {"password": PASSWORD}, headers={"accept-language": "en"}
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    return run


def test_regisseur_sees_how_many_routes_the_list_will_hold(funder_world, client_for):
    programme = funder_world.world.programme.pk
    body = (
        client_for("regisseur").get(FUNDER, {"programme": programme, **YEAR_2025}).content.decode()
    )
    # 2025: daan noor anna bram chris dewi julia (from September) and hamza (Feb-June).
    assert re.search(r'id="funder-count">8 ', body)
    assert 'id="funder-export"' in body
    later = client_for("regisseur").get(
        FUNDER, {"programme": programme, "start_from": "2026-04-01", "start_to": "2026-12-31"}
    )
    assert re.search(r'id="funder-count">4 ', later.content.decode())  # daan noor anna ivo


def test_funder_list_has_bsn_hours_and_result_and_one_audit_event_with_the_count(
    funder_world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("regisseur")
    run = export(
        client,
        {"programme": funder_world.world.programme.pk, **YEAR_2025},
        django_capture_on_commit_callbacks,
    )
    run.refresh_from_db()
    assert run.kind == "funder_xlsx"
    assert run.status == RunStatus.DONE
    assert run.parameters["rows"] == 8
    assert BSN not in str(run.parameters)
    before = AuditEvent.objects.filter(action=Action.EXPORT).count()
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 200
    events = AuditEvent.objects.filter(action=Action.EXPORT).order_by("-id")
    assert events.count() == before + 1
    assert events[0].detail["kind"] == "funder_xlsx"
    assert events[0].detail["parameters"]["rows"] == 8
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert_headers_frozen(workbook)
    assert sheet_frozen_below(workbook.worksheets[0]) == 2  # the title, then the header
    sheet = workbook.worksheets[0]
    rows = list(sheet.values)
    assert rows[0][0].startswith("BinQ")
    header = rows[1]
    assert header[:4] == ("First name", "Last name", "Date of birth", "BSN")
    people = {row[1]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert len(people) == 8
    assert set(people) >= {"Zichtbaar", "Anderman", "Afgerond", "Zondergroep", "Elderswerk"}
    assert "Gestart" not in people  # ivo started in 2026
    bram = people["Afgerond"]
    assert bram["BSN"] == BSN
    assert bram["Date of birth"].date() == date(2006, 5, 17)
    assert bram["Start date"].date() == date(2025, 9, 1)
    assert bram["End date"].date() == date(2026, 3, 31)
    assert bram["Target group (funding stream)"] == "ESF project"
    assert bram["Route type"].startswith("1b")
    assert (bram["Practice hours"], bram["Theory hours"], bram["Total hours"]) == (44, 16, 60)
    assert bram["Activities"] == "practice at the workplace, theory"
    assert (bram["Result"], bram["Result reason"]) == ("Successful", "Has a job")
    assert people["Zichtbaar"]["Result"] == "Running"
    assert people["Zichtbaar"]["Total hours"] == 0
    text = " ".join(str(v) for row in rows for v in row if v)
    assert "ZORG-GEHEIM" not in text
    assert "Buitenaf" not in text


def test_hours_are_the_weeks_inside_the_period(funder_world):
    from reporting.funder import funder_routes

    routes = funder_routes(
        academy_id=funder_world.world.academy.pk,
        programme=funder_world.world.programme,
        start_from=date(2026, 1, 1),
        start_to=date(2026, 12, 31),
    )
    bram = routes.get(pk=funder_world.routes["bram"].pk)
    assert (bram.practice, bram.theory) == (Decimal("32.0"), Decimal("0.0"))


@pytest.mark.parametrize(
    "persona", ["projectleider", "coach", "employer", "beheerder", "landelijk"]
)
def test_funder_list_is_for_the_regisseur_only(funder_world, client_for, persona):
    client = client_for(persona)
    data = {"programme": funder_world.world.programme.pk, **YEAR_2025}
    response = client.get(FUNDER, data)
    assert response.status_code == 403
    assert BSN not in response.content.decode()
    assert client.post(EXPORT, data).status_code == 403
    assert not ReportRun.objects.exists()


def test_anonymous_is_sent_to_login(funder_world, client_for):
    response = client_for("anonymous").post(EXPORT, YEAR_2025)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_programme_of_another_academy_is_404(funder_world, client_for):
    tanq = funder_world.foreign_route.programme
    client = client_for("regisseur")
    assert client.get(FUNDER, {"programme": tanq.pk, **YEAR_2025}).status_code == 404
    other = ProgrammeFactory(academy=funder_world.world.other_academy, name="BlinQ")
    assert client.get(FUNDER, {"programme": other.pk, **YEAR_2025}).status_code == 404


def test_another_academys_regisseur_cannot_download_the_list(
    funder_world, client_for, foreign_regisseur, django_capture_on_commit_callbacks
):
    run = export(
        client_for("regisseur"),
        {"programme": funder_world.world.programme.pk, **YEAR_2025},
        django_capture_on_commit_callbacks,
    )
    from django.test import Client

    other = Client()
    other.force_login(foreign_regisseur)
    assert other.get(reverse("reporting:run_download", args=[run.pk])).status_code == 404
    projectleider = client_for("projectleider")
    assert projectleider.get(reverse("reporting:run_download", args=[run.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_bad_period_gets_a_message_not_a_file(funder_world, client_for):
    client = client_for("regisseur")
    body = client.get(
        FUNDER,
        {
            "programme": funder_world.world.programme.pk,
            "start_from": "2025-12-31",
            "start_to": "2025-01-01",
        },
    ).content.decode()
    assert "invalid-feedback" in body
    assert 'id="funder-export"' not in body


def test_dashboard_links_the_funder_list_for_the_regisseur_only(funder_world, client_for):
    dashboard = reverse("reporting:dashboard")
    assert f'href="{FUNDER}"' in client_for("regisseur").get(dashboard).content.decode()
    assert f'href="{FUNDER}"' not in client_for("projectleider").get(dashboard).content.decode()
