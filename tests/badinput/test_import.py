"""The participant import (regisseur) under hostile files: files that are not what their name
says, text in other encodings, oversized and empty files, and lists whose cells are hostile.
Never a 500; when the file or any row is refused, nothing is imported; the per-row report shows
hostile values escaped."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from participants.imports import MAX_BYTES, MAX_ROWS
from participants.models import Participant

from .conftest import FUZZ
from .hostile import (
    FORMULAS,
    XSS,
    changed_tables,
    db_fingerprint,
    hostile_text,
    raw_markup_in,
    rolled_back,
)

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_import")
HEADER = ["voornaam", "achternaam", "geboortedatum", "e-mail", "telefoon", "programma", "groep",
          "routetype", "verwijzer", "aanmelddatum", "financiering", "bsn", "coach"]  # fmt: skip
GOOD = ["Jan", "de Vries", "2005-03-14", "jan@example.nl", "0612345678", "BinQ", "Groep 27", "2",
        "uwv", "2025-06-01", "wajong", "", "coach@example.test"]  # fmt: skip


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "lijst.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def regisseur(client_as):
    return client_as("regisseur")


# --- files that are not a participant list -------------------------------------------------

NOT_A_LIST = {
    "random bytes named .xlsx": (bytes(range(256)) * 40, "lijst.xlsx"),
    "zip magic, then garbage": (b"PK\x03\x04" + bytes(range(256)) * 40, "lijst.xlsx"),
    "a PDF named .xlsx": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "lijst.xlsx"),
    "a zip that is not a workbook": (zip_bytes({"readme.txt": b"hallo"}), "lijst.xlsx"),
    "an empty zip": (zip_bytes({}), "lijst.xlsx"),
    "an old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "lijst.xls"),
    "a PNG": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "lijst.csv"),
    "an HTML page": (b"<html><script>alert(1)</script></html>", "lijst.csv"),
    "an empty file": (b"", "lijst.csv"),
    "only white space": (b" \r\n\t \n", "lijst.csv"),
    "UTF-16 CSV with BOM": (csv_bytes([GOOD], encoding="utf-16"), "lijst.csv"),
    "control characters in CSV": (b"voornaam;achternaam\x01\r\nJan;\x02\r\n", "lijst.csv"),
    "header only": (csv_bytes([]), "lijst.csv"),
    "no known columns": (csv_bytes([["a", "b"]], header=["foo", "<script>alert(1)</script>"]),
                         "lijst.csv"),
    "a column twice": (csv_bytes([[*GOOD, "Piet"]], header=[*HEADER, "voornaam"]), "lijst.csv"),
    "larger than the limit": (b"voornaam;achternaam\r\n" + b"A" * (MAX_BYTES + 1), "lijst.csv"),
    "more rows than the limit": (csv_bytes([GOOD] * (MAX_ROWS + 1)), "lijst.csv"),
    "blank rows past the scan limit": (b";".join(h.encode() for h in HEADER) + b"\r\n"
                                       + b";\r\n" * (20 * MAX_ROWS + 2), "lijst.csv"),
}  # fmt: skip


@pytest.mark.parametrize("what", sorted(NOT_A_LIST))
def test_a_file_that_is_not_a_usable_list_is_refused_with_a_message(
    what, world, regisseur, logged_errors
):
    content, name = NOT_A_LIST[what]
    before = db_fingerprint()
    response = upload(regisseur, content, name)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="invalid-feedback' in body or "<tr><td>" in body  # a message, not silence
    assert not raw_markup_in(response)
    assert not changed_tables(before, db_fingerprint())
    assert not logged_errors()


@pytest.mark.parametrize(
    ("encoding", "first", "last"),
    [
        ("utf-8", "Zo\u00eb", "M\u00fcller"),
        ("utf-8-sig", "Zo\u00eb", "M\u00fcller"),  # the BOM Excel writes
        ("cp1252", "Jos\u00e9", "\u0160ahin"),  # Windows-1252, as Excel saves
        ("latin-1", "Fran\u00e7ois", "Ga\u00ebl"),
    ],
)
def test_csv_in_the_encodings_excel_writes_is_read_as_text(
    encoding, first, last, world, regisseur, logged_errors
):
    row = [first, last, *GOOD[2:]]
    response = upload(regisseur, csv_bytes([row], encoding=encoding), "lijst.csv")
    assert response.status_code == 302
    assert Participant.objects.filter(first_name=first, last_name=last).count() == 1
    assert not logged_errors()


def test_a_per_row_report_shows_hostile_values_escaped_and_imports_nothing(
    world, regisseur, logged_errors
):
    script = XSS[0]
    rows = [
        GOOD,
        [script, XSS[1], "<img src=x onerror=alert(1)>", script, "", script, "", "2", "uwv",
         "2025-06-01", "", "", ""],
        ["Piet", "Puk", "2005-03-14", "", "", "BinQ", script, script, XSS[2], script, script,
         script, f"{script}@example.test"],
    ]  # fmt: skip
    before = db_fingerprint()
    response = upload(regisseur, csv_bytes(rows), "lijst.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr><td>") >= 8  # every bad cell has its line in the report
    assert "&lt;script&gt;alert(1)" in body  # shown, escaped
    assert not raw_markup_in(response)
    assert not changed_tables(before, db_fingerprint())
    assert not logged_errors()


def test_formula_text_in_a_list_is_imported_as_text(world, regisseur, logged_errors):
    """A name that looks like a formula is a name: it is kept (the exports neutralise it)."""
    rows = [
        [formula, f"Formule{i}", *GOOD[2:]]
        for i, formula in enumerate(["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3"])
    ]
    response = upload(regisseur, csv_bytes(rows), "lijst.csv")
    assert response.status_code == 302
    names = set(
        Participant.objects.filter(last_name__startswith="Formule").values_list(
            "first_name", flat=True
        )
    )
    assert names == {"=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3"}
    assert not logged_errors()


# --- lists with hostile cells, drawn by hypothesis -----------------------------------------

VALID_CELLS = [
    ["Jan"], ["de Vries"], ["2005-03-14", "14-03-2005"], ["jan@example.nl", ""],
    ["06 12345678", ""], ["BinQ", "binq"], ["Groep 27", ""], ["1a", "1b", "2"],
    ["uwv", "vso", "re-integratie"], ["2025-06-01", "01-06-2025"], ["wajong", "geen", ""], [""],
    ["coach@example.test", ""],
]  # fmt: skip
cell_text = st.one_of(hostile_text, st.sampled_from(FORMULAS))


@st.composite
def participant_rows(draw):
    """1 to 3 rows; per row each cell valid or (now and then) hostile; names kept distinct so
    an all-valid list is importable."""
    rows = []
    for index in range(draw(st.integers(1, 3))):
        row = []
        for valid in VALID_CELLS:
            hostile = draw(st.sampled_from([False, False, False, False, False, True]))
            row.append(draw(cell_text) if hostile else draw(st.sampled_from(valid)))
        row[1] = f"{row[1]} {index}"  # distinct people, so an all-valid list imports
        rows.append(row)
    return rows


def _as_file(rows, form: str) -> tuple[bytes, str]:
    if form == "xlsx":  # a workbook cannot hold control characters: they become "?"
        clean = [[ILLEGAL_CHARACTERS_RE.sub("?", v) for v in row] for row in rows]
        return xlsx_bytes(clean), "lijst.xlsx"
    if form == "cp1252":
        return csv_bytes(rows).decode().encode("cp1252", errors="replace"), "lijst.csv"
    return csv_bytes(rows, encoding=form), "lijst.csv"


def test_a_list_with_hostile_cells_imports_all_or_nothing_and_stays_escaped(
    world, regisseur, logged_errors
):
    @settings(FUZZ, max_examples=40)
    @given(participant_rows(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "xlsx"]))
    def check(rows, form):
        content, name = _as_file(rows, form)
        errors_before = len(logged_errors())
        with rolled_back():
            before = db_fingerprint()
            count = Participant.objects.count()
            response = upload(regisseur, content, name)
            assert response.status_code in {200, 302}, response.status_code
            assert not raw_markup_in(response)
            if response.status_code == 302:  # all imported
                assert Participant.objects.count() == count + len(rows)
                shown = regisseur.get(reverse("participants:participant_list"))
                assert not raw_markup_in(shown)
            else:  # refused: nothing imported
                assert not changed_tables(before, db_fingerprint())
        assert len(logged_errors()) == errors_before, logged_errors()[errors_before:]

    check()


def test_an_xlsx_with_real_dates_and_odd_cell_types_is_judged_per_cell(
    world, regisseur, logged_errors
):
    """Dates as dates, numbers as floats, booleans and formulas without a cached value."""
    rows = [
        [True, 3.5, date(2005, 3, 14), 612345678, None, "BinQ", None, 2.0, "uwv", 45000, None,
         1.5e10, None],
        ["=1+1", "=A1", float("inf"), None, None, "BinQ", None, "2", "uwv", date(2099, 1, 1),
         None, None, None],
    ]  # fmt: skip
    before = db_fingerprint()
    response = upload(regisseur, xlsx_bytes(rows))
    assert response.status_code == 200
    assert "<tr><td>" in response.content.decode()
    assert not changed_tables(before, db_fingerprint())
    assert not logged_errors()
