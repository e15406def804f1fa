"""Redis (the Celery broker and the cache) stopped: pages still work, logging in still works
and is still rate limited, an export request does not fail but says it is waiting, and when
Redis is back the same run is handed over again and finished.
The broker here is a private redis-server on a free port (see processes.py), stopped and
started by the test; the shared Redis on 6379 is never touched."""

from __future__ import annotations

import logging

import pytest
import redis
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.models import ReportRun, RunStatus
from tests.factories import PASSWORD

from .processes import celery_worker, sending_tasks_to, wait_until

PERIOD = {"first": "2025-09", "last": "2026-09"}
WAITING = "Een tijdelijk probleem; we proberen het zo opnieuw."


def _status(run: ReportRun) -> str:
    run.refresh_from_db()
    return run.status in {RunStatus.DONE, RunStatus.FAILED} and run.status


def _request_export(client, world):
    return client.post(
        reverse("reporting:forecast_export"),
        {"programme": world.programme.pk, **PERIOD},
        follow=True,
    )


def _assert_pages_work(world, client_for) -> None:
    coach = client_for("coach")
    for name in ("home", "participants:participant_list", "leerroutes:caseload"):
        response = coach.get(reverse(name))
        assert response.status_code == 200, name
        assert "Zichtbaar" in response.content.decode(), name
    forecast = client_for("projectleider").get(reverse("reporting:forecast"))
    assert "Groep 27" in forecast.content.decode()


def _take_broker_warnings(caplog) -> list[str]:
    """The warnings of reporting.services about the broker; cleared once read."""
    found = [
        r.getMessage()
        for r in caplog.records
        if r.name == "reporting.services" and "broker unavailable" in r.getMessage()
    ]
    caplog.clear()
    return found


@pytest.fixture
def redis_cache(settings, redis_server):
    """The cache on the same Redis, as in production (settings.CACHES in production mode)."""
    settings.CACHES = {"default": {**settings.MAATWERQ_REDIS_CACHE, "LOCATION": redis_server.url}}


def _log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_redis_down_logging_in_still_works_and_is_still_rate_limited(
    world, redis_server, redis_cache, caplog
):
    caplog.set_level(logging.WARNING, logger="maatwerq.cache")
    redis_server.stop()
    coach = Client()
    assert _log_in(coach, world.users["coach"].email).status_code == 302
    assert coach.session["_auth_user_id"] == str(world.users["coach"].pk)
    assert "Mijn caseload" in coach.get(reverse("home")).content.decode()
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)

    # The limits are counted in this process meanwhile: five wrong passwords still lock out.
    regisseur = Client()
    for _ in range(5):
        _log_in(regisseur, world.users["regisseur"].email, "fout-fout-fout")
    refused = _log_in(regisseur, world.users["regisseur"].email)
    assert "Te veel inlogpogingen" in refused.content.decode()
    assert "_auth_user_id" not in regisseur.session

    # Redis back: the counts are shared through Redis again, without a restart.
    redis_server.start()
    _log_in(Client(), world.users["projectleider"].email, "fout-fout-fout")
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0


@pytest.mark.django_db(transaction=True)
def test_redis_down_pages_work_and_an_export_waits_then_finishes_on_a_new_request(
    world, client_for, settings, media_root, redis_server, redis_cache, tmp_path, caplog
):
    caplog.set_level(logging.WARNING, logger="reporting.services")
    projectleider = client_for("projectleider")
    log = tmp_path / "worker.log"
    with sending_tasks_to(settings, redis_server.url):
        redis_server.stop()
        _assert_pages_work(world, client_for)

        response = _request_export(projectleider, world)
        page = response.content.decode()
        assert response.status_code == 200
        assert "In de wachtrij" in page
        assert WAITING in page
        run = ReportRun.objects.get()
        assert (run.status, run.started) == (RunStatus.QUEUED, None)
        assert len(_take_broker_warnings(caplog)) == 1
        # Asking again while Redis is down: the same run, still waiting, no second row.
        assert WAITING in _request_export(projectleider, world).content.decode()
        assert ReportRun.objects.count() == 1
        assert len(_take_broker_warnings(caplog)) == 1

        redis_server.start()
        with celery_worker(broker=redis_server.url, media_root=media_root, log=log):
            again = _request_export(projectleider, world)
            assert again.redirect_chain[-1][0] == reverse("reporting:run_detail", args=[run.pk])
            wait_until(lambda: _status(run), timeout=45, what="the export to finish", log=log)

    assert run.status == RunStatus.DONE, run.message
    assert ReportRun.objects.count() == 1
    assert _take_broker_warnings(caplog) == []
    download = projectleider.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 200
    workbook = load_workbook(media_root / run.file)
    assert workbook.worksheets[0]["A2"].value == "Groep 27"


@pytest.mark.django_db(transaction=True)
def test_redis_down_export_is_handed_over_again_by_the_hourly_tidy_up(
    world, client_for, settings, media_root, redis_server, tmp_path, caplog
):
    caplog.set_level(logging.WARNING, logger="reporting.services")
    log = tmp_path / "worker.log"
    with sending_tasks_to(settings, redis_server.url):
        redis_server.stop()
        _request_export(client_for("projectleider"), world)
        run = ReportRun.objects.get()
        assert run.message_text == WAITING
        assert len(_take_broker_warnings(caplog)) == 1
        # The tidy-up while Redis is still down changes nothing and loses nothing.
        assert services.report_runs_enqueue_again() == 0
        assert len(_take_broker_warnings(caplog)) == 1
        run.refresh_from_db()
        assert (run.status, run.message_text) == (RunStatus.QUEUED, WAITING)

        redis_server.start()
        with celery_worker(broker=redis_server.url, media_root=media_root, log=log):
            assert services.report_runs_expire() == {"failed": 0, "expired": 0}
            wait_until(lambda: _status(run), timeout=45, what="the export to finish", log=log)

    assert run.status == RunStatus.DONE, run.message
    assert ReportRun.objects.count() == 1
