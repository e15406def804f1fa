"""A Celery worker killed (SIGKILL, the whole process group) in the middle of an export: the
run does not stay "running" for ever, the person reads why in Dutch, and no file, whole or
half, is served or left behind."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.urls import reverse

from reporting import registry, services
from reporting.models import ReportRun, RunStatus

from .processes import celery_worker, sending_tasks_to, wait_until
from .slow_export import SLOW_EXPORT, SLOW_KIND


def _progress(run: ReportRun) -> int:
    run.refresh_from_db()
    return run.progress


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_export_fails_the_run_and_serves_no_half_file(
    world, client_for, settings, media_root, redis_server, monkeypatch, tmp_path
):
    monkeypatch.setitem(registry._KINDS, SLOW_KIND, SLOW_EXPORT)
    log = tmp_path / "worker.log"
    client = client_for("projectleider")
    with (
        sending_tasks_to(settings, redis_server.url),
        celery_worker(
            broker=redis_server.url,
            media_root=media_root,
            log=log,
            include=("tests.faults.slow_export_worker",),
        ) as worker,
    ):
        run = services.report_run_request(
            kind=SLOW_KIND, parameters={}, by=world.users["projectleider"]
        )
        wait_until(lambda: _progress(run) > 0, timeout=45, what="the export's progress", log=log)
        half_file = services.report_run_temp_path(run)
        assert half_file.exists()
        # While it runs, the download only leads back to the status page.
        download = client.get(reverse("reporting:run_download", args=[run.pk]))
        assert download.status_code == 302
        assert download.url == reverse("reporting:run_detail", args=[run.pk])

        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # nobody is left to finish or fail it
    assert 0 < run.progress < 100

    # The hourly tidy-up (beat: reporting.tasks.report_runs_expire), once the time limit
    # has passed since the start.
    later = run.started + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    assert services.report_runs_expire(now=later) == {"failed": 1, "expired": 0}

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.file == ""
    assert run.message_text == "De export is onderbroken; probeer het opnieuw."
    page = client.get(reverse("reporting:run_detail", args=[run.pk])).content.decode()
    assert "Mislukt" in page
    assert "De export is onderbroken; probeer het opnieuw." in page
    assert 'id="run-download"' not in page

    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 410
    assert "De export is onderbroken; probeer het opnieuw." in download.content.decode()
    assert not hasattr(download, "streaming_content")
    assert list((media_root / "reports").iterdir()) == []

    # The broker still holds the unacknowledged task and gives it to a worker again after
    # its visibility timeout: that late delivery finds the run failed and does nothing.
    services.report_run_execute(run_id=str(run.pk))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert list((media_root / "reports").iterdir()) == []
