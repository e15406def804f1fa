"""Importing an existing participant list: all or nothing, with a report per row."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from maatwerq.audit.models import Action, AuditEvent
from participants.imports import COLUMNS, MAX_ROWS
from participants.models import Participant, Route, Status, StatusChange
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_import")
HEADER = [
    "voornaam",
    "achternaam",
    "geboortedatum",
    "e-mail",
    "telefoon",
    "programma",
    "groep",
    "routetype",
    "verwijzer",
    "aanmelddatum",
    "financiering",
    "bsn",
    "coach",
]
GOOD = [
    ["Jan", "de Vries", "2005-03-14", "jan@example.nl", "0612345678", "BinQ", "Groep 27", "2",
     "uwv", "2025-06-01", "wajong", "111222333", "coach@example.test"],
    ["Fatma", "Yilmaz", "02-11-2006", "", "", "binq", "", "1b", "gemeente", "15-05-2025", "", "",
     ""],
    ["Kees", "Bakker", "2007-07-07", "", "", "BinQ", "groep 27", "1a", "vso", "2025-05-20",
     "werkschool", "", ""],
]  # fmt: skip


@pytest.fixture
def client_for(client_for):
    def make(persona: str):
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def csv_file(rows, header=HEADER, delimiter=";", name="lijst.csv", encoding="utf-8"):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding))


def xlsx_file(rows, header=HEADER, name="lijst.xlsx"):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, file):
    return client.post(URL, {"file": file})


def report(response) -> list[tuple[str, str, str]]:
    """(row, column, message) from the report table."""
    body = response.content.decode()
    cells = re.findall(
        r"<tr><td>(\d+)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>", body
    )
    return [(row, column, message) for row, column, message in cells]


def test_import_creates_people_routes_history_and_audit(world, client_for):
    before = Participant.objects.count()
    response = upload(client_for("regisseur"), csv_file(GOOD))
    assert response.status_code == 302, report(response)
    assert Participant.objects.count() == before + 3
    jan = Participant.objects.get(first_name="Jan", last_name="de Vries")
    route = jan.current_route
    assert route is not None
    assert route.status == Status.AANGEMELD
    assert route.cohort == world.cohort
    assert route.programme == world.programme
    assert route.referral_source == "uwv"
    assert str(route.referral_date) == "2025-06-01"
    assert jan.bsn == "111222333"
    assert jan.funding_stream == "wajong"
    assert jan.coach == world.users["coach"]
    assert jan.academy == world.academy
    fatma = Participant.objects.get(last_name="Yilmaz")
    assert str(fatma.date_of_birth) == "2006-11-02"  # DD-MM-YYYY
    assert fatma.current_route.cohort is None
    assert fatma.funding_stream == "none"
    assert StatusChange.objects.filter(route__participant=jan, to_status="aangemeld").count() == 1
    events = AuditEvent.objects.filter(action=Action.CREATE, actor=world.users["regisseur"])
    assert events.count() == 3
    assert {e.participant_id for e in events} == set(
        Participant.objects.filter(last_name__in=["de Vries", "Yilmaz", "Bakker"]).values_list(
            "pk", flat=True
        )
    )


def test_import_reads_excel_with_real_dates_and_numbers(world, client_for):
    from datetime import date

    rows = [
        ["Jan", "de Vries", date(2005, 3, 14), None, 612345678, "BinQ", "Groep 27", 2, "UWV",
         date(2025, 6, 1), None, 12345672, None],
    ]  # fmt: skip
    response = upload(client_for("regisseur"), xlsx_file(rows))
    assert response.status_code == 302, report(response)
    jan = Participant.objects.get(last_name="de Vries")
    assert jan.bsn == "012345672"  # the leading zero a spreadsheet dropped is back
    assert jan.current_route.route_type == "2"


def test_import_one_bad_row_imports_nothing_and_reports_every_bad_row(world, client_for):
    other = ProgrammeFactory(academy=world.other_academy, name="No RisQ")
    rows = [
        GOOD[0],
        ["", "Leeg", "2005-01-01", "", "", "BinQ", "", "2", "uwv", "2025-06-01", "", "", ""],
        GOOD[1],
        ["Oud", "Genoeg", "1990-01-01", "geen-mail", "", other.name, "", "3", "buurman",
         "2025-06-01", "", "123456789", ""],
        ["Toekomst", "Datum", "2005-13-01", "", "", "BinQ", "Groep 99", "2", "uwv", "2099-01-01",
         "lotto", "", "nobody@example.test"],
        GOOD[2],
    ]  # fmt: skip
    before = (Participant.objects.count(), Route.objects.count(), AuditEvent.objects.count())
    response = upload(client_for("regisseur"), csv_file(rows))
    assert response.status_code == 200
    after = (Participant.objects.count(), Route.objects.count(), AuditEvent.objects.count())
    assert after == before
    problems = report(response)
    by_row: dict[str, set[str]] = {}
    for row, column, _message in problems:
        by_row.setdefault(row, set()).add(column)
    assert set(by_row) == {"3", "5", "6"}  # spreadsheet rows: the header is row 1
    assert by_row["3"] == {"voornaam"}
    assert {"geboortedatum", "e-mail", "programma", "routetype", "verwijzer", "bsn"} <= by_row["5"]
    assert by_row["6"] == {"geboortedatum", "groep", "aanmelddatum", "financiering", "coach"}
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "There is no programme “No RisQ” in your academy" in body
    assert "11-test" in body
    assert "ZORG-GEHEIM" not in body


@pytest.mark.parametrize(
    ("born", "referred", "ok"),
    [
        ("2009-06-01", "2025-06-01", True),  # 16 on the day
        ("2009-06-02", "2025-06-01", False),  # one day short of 16
        ("1997-06-02", "2025-06-01", True),  # 27
        ("1997-06-01", "2025-06-01", False),  # 28 on the day
    ],
)
def test_import_age_must_be_16_to_27_on_the_referral_date(born, referred, ok, world, client_for):
    row = ["Lisa", "Leeftijd", born, "", "", "BinQ", "", "1b", "zelf", referred, "", "", ""]
    response = upload(client_for("regisseur"), csv_file([row]))
    assert (response.status_code == 302) is ok, report(response)
    if not ok:
        assert report(response)[0][1] == "geboortedatum"


def test_import_refuses_duplicates_in_the_file_and_in_the_academy(world, client_for):
    daan = world.participant
    existing = ["Daan", "Zichtbaar", str(daan.date_of_birth), "", "", "BinQ", "", "2", "vso",
                "2025-06-01", "", "", ""]  # fmt: skip
    response = upload(client_for("regisseur"), csv_file([GOOD[0], GOOD[0], existing]))
    problems = report(response)
    assert [(row, column) for row, column, _ in problems] == [
        ("3", "bsn"),
        ("3", "achternaam"),
        ("4", "achternaam"),
    ]
    assert "ZORG-GEHEIM" not in response.content.decode()
    assert not Participant.objects.filter(last_name="de Vries").exists()


def test_import_accepts_comma_csv_in_windows_encoding(world, client_for):
    rows = [["Zoë", "Öztürk", "2005-03-14", "", "", "BinQ", "", "2", "uwv", "2025-06-01", "", "",
             ""]]  # fmt: skip
    file = csv_file(rows, delimiter=",", encoding="cp1252")
    response = upload(client_for("regisseur"), file)
    assert response.status_code == 302, report(response)
    assert Participant.objects.filter(first_name="Zoë", last_name="Öztürk").exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lijst.xlsx", PNG, "This is not an Excel (.xlsx) or CSV file."),
        ("lijst.csv", PNG, "This is not an Excel (.xlsx) or CSV file."),
        ("lijst.xlsx", b"PK\x03\x04 not really a zip", "This is not an Excel (.xlsx) or CSV file."),
        ("lijst.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old Excel file (.xls)"),
        ("lijst.csv", b"", "The submitted file is empty."),
        ("lijst.csv", b"\n\n  \n", "The file is empty."),
        ("lijst.csv", ";".join(HEADER).encode(), "The file has column names but no participants."),
        ("lijst.csv", b"naam;adres\nJan;Dorp\n", "The first row holds no known column names."),
        ("lijst.csv", b"voornaam;achternaam\nJan;Dorp\n", "Required columns are missing"),
        ("lijst.csv", b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_import_unreadable_files_get_a_clear_message(name, content, message, world, client_for):
    before = Participant.objects.count()
    response = upload(client_for("regisseur"), SimpleUploadedFile(name, content))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'id="id_file_error"' in body  # beside the field
    assert Participant.objects.count() == before


def test_import_a_zip_that_is_not_a_workbook_is_refused(world, client_for):
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(client_for("regisseur"), SimpleUploadedFile("brief.xlsx", buffer.getvalue()))
    assert "This is not an Excel (.xlsx) or CSV file." in response.content.decode()


def test_import_more_than_the_row_limit_is_refused(world, client_for):
    row = ";".join(GOOD[1])
    content = (";".join(HEADER) + "\n" + (row + "\n") * (MAX_ROWS + 1)).encode()
    response = upload(client_for("regisseur"), SimpleUploadedFile("groot.csv", content))
    assert f"more than {MAX_ROWS} rows" in response.content.decode()
    assert not Participant.objects.filter(last_name="Yilmaz").exists()


def test_import_page_documents_every_column(world, client_for):
    body = client_for("regisseur").get(URL).content.decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in body
    assert reverse("participants:participant_import_template") in body
    assert 'enctype="multipart/form-data"' in body


def test_import_template_is_an_xlsx_with_the_columns(world, client_for):
    response = client_for("regisseur").get(reverse("participants:participant_import_template"))
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(BytesIO(response.content))
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(header) == [c.name for c in COLUMNS]
    assert workbook.worksheets[0].max_row == 1  # no example rows that could be imported
    assert workbook.worksheets[1].max_row == len(COLUMNS) + 1


def test_import_the_template_back_unchanged_is_a_clear_no(world, client_for):
    template = client_for("regisseur").get(reverse("participants:participant_import_template"))
    response = upload(client_for("regisseur"), SimpleUploadedFile("t.xlsx", template.content))
    assert "The file has column names but no participants." in response.content.decode()


@pytest.mark.parametrize("persona", ["coach", "projectleider", "employer", "beheerder"])
def test_import_is_for_the_regisseur_only(persona, world, client_for):
    before = Participant.objects.count()
    response = upload(client_for(persona), csv_file(GOOD))
    assert response.status_code == 403
    assert Participant.objects.count() == before
