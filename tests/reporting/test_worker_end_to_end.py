"""One end-to-end run with a real Celery worker on Redis: the request is committed, the task
goes through the broker, a worker thread makes the workbook, the row says done."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from openpyxl import load_workbook

from reporting import services
from reporting.exports import forecast_parameters
from reporting.forecast import parse_month
from reporting.models import RunStatus

from .conftest import celery_conf

# A real worker thread on a fixed broker database: alone, after the parallel part.
pytestmark = [pytest.mark.serial, pytest.mark.slow]

BROKER = "redis://127.0.0.1:6379/15"
CONF = {
    "task_always_eager": False,
    "broker_url": BROKER,
    "worker_hijack_root_logger": False,
    "broker_connection_retry_on_startup": True,
}


def _close_worker_connections(**kwargs):
    """The worker thread's database connections must not outlive the test database."""
    connections.close_all()


@pytest.fixture
def real_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER
    with celery_conf(**CONF) as app:
        app._pool = None  # connections are made from the broker URL in use now
        app.amqp._producer_pool = None
        app.control.purge()  # nothing left over from an earlier, interrupted run
        task_postrun.connect(_close_worker_connections, weak=False)
        try:
            with start_worker(app, perform_ping_check=False, loglevel="WARNING") as worker:
                yield worker
        finally:
            task_postrun.disconnect(_close_worker_connections)
            app._pool = None
            app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_forecast_export_runs_on_a_real_worker(world, real_worker, media_root):
    run = services.report_run_request(
        kind="forecast_xlsx",
        parameters=forecast_parameters(
            programme=world.programme,
            first=parse_month("2025-09"),
            last=parse_month("2026-09"),
            language="en",
        ),
        by=world.users["projectleider"],
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in {RunStatus.DONE, RunStatus.FAILED}:
            break
        time.sleep(0.1)
    assert run.status == RunStatus.DONE, (run.status, run.message)
    assert run.progress == 100
    workbook = load_workbook(Path(media_root) / run.file)
    assert workbook["Planned"]["A2"].value == "Groep 27"
    assert [c.value for c in workbook["Planned"][3]] == ["Total", 12, 12, 12]
