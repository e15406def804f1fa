"""Certificate evidence (leerroutes:certificate_new): files that are not what their name says.
Only a PDF, PNG or JPEG, judged by its first bytes, is kept; anything else is refused with a
message, saves no row and leaves no file behind; a kept file is served only as its own type."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerroutes.models import Certificate

from .hostile import changed_tables, db_fingerprint, raw_markup_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32

REFUSED = {
    "HTML named .pdf": (b"<html><script>alert(1)</script></html>", "bewijs.pdf"),
    "SVG with a script named .png": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "bewijs.png",
    ),
    "an executable named .jpg": (b"MZ\x90\x00" + b"\x00" * 64, "bewijs.jpg"),
    "a zip named .pdf": (b"PK\x03\x04" + b"\x00" * 64, "bewijs.pdf"),
    "an empty file": (b"", "bewijs.pdf"),
    "larger than 5 MB": (PDF + b"0" * (5 * 1024 * 1024), "bewijs.pdf"),
}
KEPT = {
    "a PDF with HTML after its header": (PDF + b"<script>alert(1)</script>", "bewijs.html"),
    "a PDF named with a path": (PDF, "../../../../etc/passwd.pdf"),
    "a PNG with a very long name": (PNG, "x" * 300 + ".png"),
    "a JPEG named <script>": (JPEG, "<script>alert(1)</script>.jpg"),
}


def _form(content: bytes, name: str) -> dict:
    return {
        "kind": "branche",
        "title": "VCA Basis",
        "issued_on": "2025-11-01",
        "issuer": "SSVV",
        "evidence": SimpleUploadedFile(name, content),
    }


def _files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_a_file_that_is_no_pdf_or_image_is_refused_and_leaves_nothing(
    what, world, client_as, logged_errors
):
    client = client_as("coach")
    url = reverse("leerroutes:certificate_new", args=[world.participant.pk])
    before, files = db_fingerprint(), _files()
    response = client.post(url, _form(*REFUSED[what]))
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.content.decode()
    assert not raw_markup_in(response)
    assert not changed_tables(before, db_fingerprint())
    assert _files() == files
    assert not logged_errors()


@pytest.mark.parametrize("what", sorted(KEPT))
def test_a_real_pdf_or_image_is_kept_under_its_own_type_only(what, world, client_as, logged_errors):
    client = client_as("coach")
    content, name = KEPT[what]
    url = reverse("leerroutes:certificate_new", args=[world.participant.pk])
    response = client.post(url, _form(content, name))
    assert response.status_code == 302
    certificate = Certificate.objects.get(route=world.participant.current_route)
    assert certificate.evidence_content_type in {"application/pdf", "image/png", "image/jpeg"}
    stored = Path(settings.MEDIA_ROOT, certificate.evidence.name).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() in stored.parents  # no path from the name
    download = client.get(
        reverse("leerroutes:certificate_evidence", args=[world.participant.pk, certificate.pk])
    )
    assert download["Content-Type"] == certificate.evidence_content_type
    assert b"".join(download.streaming_content) == content
    listing = client.get(reverse("leerroutes:certificates", args=[world.participant.pk]))
    assert not raw_markup_in(listing)
    assert not logged_errors()
