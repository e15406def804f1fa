"""The request body cap: a body over the cap is refused with 413 and a Dutch page before a byte
of it is read; a normal upload still goes through."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Participant

pytestmark = pytest.mark.django_db

IMPORT = reverse("participants:participant_import")
FORTY_MB = 40 * 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads from it."""

    def __init__(self):
        self.read_calls = 0

    def read(self, *args):
        self.read_calls += 1
        raise AssertionError("the body was read")

    readline = read


def test_a_40_mb_upload_is_refused_before_it_is_read(world, client_for, settings):
    body = UnreadableBody()
    before = Participant.objects.count()
    response = client_for("regisseur").generic(
        "POST",
        IMPORT,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(FORTY_MB),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "groter dan 10 MB" in text  # Dutch, the default language, with the cap in it
    assert 'id="body-cap-message"' in text
    assert body.read_calls == 0
    assert Participant.objects.count() == before


def test_the_cap_is_a_setting_and_speaks_the_visitors_language(world, client_for, settings):
    settings.MAATWERQ_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    response = client_for("regisseur").generic(
        "POST",
        IMPORT,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
        headers={"accept-language": "en"},
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in response.content.decode()


def test_an_upload_under_the_cap_still_works(world, client_for):
    header = "voornaam;achternaam;geboortedatum;programma;routetype;verwijzer;aanmelddatum"
    row = "Kees;Bakker;2007-07-07;BinQ;1a;vso;2025-05-20"
    upload = SimpleUploadedFile("lijst.csv", f"{header}\n{row}\n".encode())
    response = client_for("regisseur").post(IMPORT, {"file": upload})
    assert response.status_code == 302
    assert Participant.objects.filter(first_name="Kees", last_name="Bakker").exists()
