"""Report files in an object store (issue 19 item 5): with MAATWERQ_FILE_STORAGE set to an
S3-API store, a finished file goes to the store (never half: made on the worker's disk
first), nothing stays on the worker's disk, the download reads it back from the store after
the access check, and expiry deletes it there. Django's InMemoryStorage stands in for the
bucket (the S3 backend, django-storages, speaks the same Storage API)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ReportRun, RunStatus
from reporting.services import report_object_storage, report_runs_expire

from .test_report_runs import forecast_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(settings, media_root):
    settings.FILE_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    store = storages["reports"]
    assert isinstance(store, InMemoryStorage)
    yield store
    storages._storages.pop("reports", None)  # the next test gets the settings' own storage


def test_the_default_keeps_files_on_the_local_disk(settings):
    assert settings.FILE_STORAGE == "filesystem"
    assert report_object_storage() is None


def test_a_finished_report_goes_to_the_store_and_is_downloaded_from_it(
    world, bucket, media_root, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = forecast_request(world)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert bucket.exists(run.file)
    assert run.file.startswith("reports/")
    # Nothing left on the worker's disk: no file, no temporary part.
    reports = Path(media_root) / "reports"
    leftovers = [p.name for p in reports.glob("*")] if reports.exists() else []
    assert leftovers == []

    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:3] == ["Planned", "Projected", "Actual"]
    # Someone else still gets nothing.
    other = client_for("coach").get(reverse("reporting:run_download", args=[run.pk]))
    assert other.status_code in (403, 404)


def test_expiry_deletes_the_file_in_the_store(world, bucket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = forecast_request(world)
    run.refresh_from_db()
    stored = run.file
    assert bucket.exists(stored)
    ReportRun.objects.filter(pk=run.pk).update(expires=run.expires.replace(year=2000))
    assert report_runs_expire()["expired"] == 1
    assert not bucket.exists(stored)
    run.refresh_from_db()
    assert run.status == RunStatus.EXPIRED
