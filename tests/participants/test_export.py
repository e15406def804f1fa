"""The list's Excel export: the role's columns, the filters, formula injection, the audit."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maatwerq.audit.models import Action, AuditEvent
from participants.exports import XLSX_CONTENT_TYPE, neutralise
from participants.models import Status
from tests.xlsx_checks import assert_headers_frozen

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_export")
BASIC = ["First name", "Last name", "Programme", "Group", "Status"]
FULL = [
    "First name",
    "Last name",
    "Date of birth",
    "Email address",
    "Phone",
    "Programme",
    "Group",
    "Status",
    "Route type",
    "Referred by",
    "Funding stream",
    "Referral date",
    "Start date",
    "End date",
]


@pytest.fixture
def client_for(client_for):
    def make(persona: str):
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def all_text(rows) -> str:
    return " ".join(str(cell) for row in rows for cell in row if cell is not None)


@pytest.fixture
def bsn_world(world):
    world.participant.bsn = "111222333"
    world.participant.save()
    return world


@pytest.mark.parametrize(
    ("persona", "headers"),
    [
        ("projectleider", BASIC),
        ("coach", FULL),
        ("regisseur", [*FULL, "BSN"]),
    ],
)
def test_export_has_only_the_roles_columns(persona, headers, bsn_world, client_for):
    response = client_for(persona).get(URL)
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0] == headers
    assert_headers_frozen(load_workbook(BytesIO(response.content)))
    text = all_text(rows)
    assert ("111222333" in text) is (persona == "regisseur")
    if persona == "projectleider":
        assert "2006-05-17" not in text  # no date of birth
        assert "Zichtbaar" in text


@pytest.mark.parametrize("persona", ["coach", "other_coach", "regisseur", "projectleider"])
def test_export_never_holds_care_notes_or_people_outside_scope(persona, world, client_for):
    text = all_text(sheet_rows(client_for(persona).get(URL)))
    assert "ZORG-GEHEIM" not in text
    assert "Buitenaf" not in text
    if persona == "coach":
        assert "Zichtbaar" in text
        assert "Anderman" not in text


def test_export_follows_the_filters_on_screen(world, client_for):
    world.participant.current_route.status = Status.CONTRACT
    world.participant.current_route.save()
    rows = sheet_rows(client_for("regisseur").get(URL, {"status": Status.CONTRACT}))
    assert [row[1] for row in rows[1:]] == ["Zichtbaar"]
    rows = sheet_rows(client_for("regisseur").get(URL, {"q": "noor", "page": 3}))
    assert [row[1] for row in rows[1:]] == ["Anderman"]  # every page, not just one


def test_export_writes_dates_as_dates(world, client_for):
    rows = sheet_rows(client_for("coach").get(URL))
    birth = rows[1][FULL.index("Date of birth")]
    assert birth.date() == date(2006, 5, 17)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Daan", "Daan"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_neutralises_formulas_in_cells(world, client_for):
    world.participant.first_name = '=HYPERLINK("http://evil.test","klik")'
    world.participant.phone = "+31612345678"
    world.participant.save()
    response = client_for("coach").get(URL)
    workbook = load_workbook(BytesIO(response.content))
    row = list(workbook.active[2])
    assert row[0].value == '\'=HYPERLINK("http://evil.test","klik")'
    assert row[0].data_type == "s"  # text, not a formula
    assert row[FULL.index("Phone")].value == "'+31612345678"


def test_export_is_a_named_xlsx_download(world, client_for):
    response = client_for("coach").get(URL)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".xlsx" in disposition
    assert response["Cache-Control"] == "no-store"


def test_export_writes_one_audit_event_without_the_search(world, client_for):
    client_for("regisseur").get(URL, {"q": "Zichtbaar", "status": Status.PROEFPERIODE})
    events = AuditEvent.objects.filter(action=Action.EXPORT)
    assert events.count() == 1
    event = events.get()
    assert event.detail["count"] == 1
    assert event.detail["filters"] == {"status": Status.PROEFPERIODE}
    assert "bsn" in event.detail["columns"]
    assert event.actor == world.users["regisseur"]
    assert event.academy == world.academy
    assert "Zichtbaar" not in event.path
    assert event.path == URL


@pytest.mark.parametrize("persona", ["employer", "beheerder", "landelijk"])
def test_export_refused_roles_get_nothing_and_leave_no_export_event(persona, world, client_for):
    response = client_for(persona).get(URL)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
