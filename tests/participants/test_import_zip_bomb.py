"""A zip bomb dressed as an .xlsx (66 KB that unpacks to 60 MB) is refused at the field
before openpyxl opens it; an ordinary workbook is not."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from maatwerq.uploads import UnpackTooLargeError, zip_unpacked_check
from participants.models import Participant

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_import")


def workbook_bytes(rows=()) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb(unpacked_mb: int = 60) -> bytes:
    """A valid workbook whose sheet carries a comment of ``unpacked_mb`` MB of spaces."""
    source = zipfile.ZipFile(BytesIO(workbook_bytes([["voornaam", "achternaam"]])))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                padding = b" " * (unpacked_mb * 1024 * 1024)
                data = data.replace(b"</worksheet>", b"<!--" + padding + b"--></worksheet>")
            archive.writestr(member.filename, data)
    return out.getvalue()


def test_the_bomb_is_small_and_unpacks_to_60_mb():
    bomb = zip_bomb()
    assert len(bomb) < 100 * 1024
    unpacked = sum(m.file_size for m in zipfile.ZipFile(BytesIO(bomb)).infolist())
    assert unpacked > 60 * 1024 * 1024


def test_the_import_refuses_a_zip_bomb_at_the_field_before_openpyxl(world, client_for, monkeypatch):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    before = Participant.objects.count()
    response = client_for("regisseur").post(
        URL, {"file": SimpleUploadedFile("lijst.xlsx", zip_bomb())}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in body  # beside the field
    assert "pakt uit tot veel meer dan het weegt (60 MB)" in body
    assert Participant.objects.count() == before


def test_a_high_ratio_is_refused_even_under_the_total(settings):
    settings.MAATWERQ_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
    with pytest.raises(UnpackTooLargeError):
        zip_unpacked_check(zip_bomb(unpacked_mb=20))


@pytest.mark.parametrize("rows", [0, 2001])
def test_an_ordinary_workbook_passes_the_check(rows):
    row = ["Fatma", "Yilmaz", "02-11-2006", "binq", "1b", "gemeente", "15-05-2025"]
    zip_unpacked_check(workbook_bytes([row] * rows))  # raises nothing


def test_a_file_that_is_no_zip_is_left_to_the_reader():
    zip_unpacked_check(b"PK\x03\x04 not really a zip")  # the import says "not an Excel file"
