"""The background-job machinery: ReportRun through its services, with on-commit callbacks run
eagerly; reuse, failure, stale runs, expiry."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils import timezone
from openpyxl import load_workbook

from reporting import services
from reporting.exports import forecast_parameters
from reporting.models import ReportRun, RunStatus
from reporting.tasks import report_runs_expire
from tests.factories import ReportRunFactory
from tests.xlsx_checks import assert_headers_frozen, percent_cells

from .conftest import celery_conf

pytestmark = pytest.mark.django_db


def forecast_request(world, user=None, **overrides):
    from reporting.forecast import parse_month

    parameters = forecast_parameters(
        programme=world.programme,
        first=parse_month(overrides.pop("first", "2024-09")),
        last=parse_month(overrides.pop("last", "2026-02")),
        language="en",
    )
    return services.report_run_request(
        kind="forecast_xlsx", parameters=parameters, by=user or world.users["projectleider"]
    )


def test_request_queues_the_task_on_commit_and_the_task_makes_the_workbook(
    world, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = forecast_request(world)
    assert run.status == RunStatus.QUEUED
    assert len(callbacks) == 1
    assert run.message_text == "Wachten tot er plek vrij is."
    assert run.parameters == {
        "programme": world.programme.pk,
        "from": "2024-09",
        "to": "2026-02",
        "language": "en",
    }
    callbacks[0]()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert run.message_text == "Je bestand is klaar."
    assert run.started <= run.finished
    assert run.expires > timezone.now() + timedelta(hours=23)
    assert run.filename == "prognose-binq-2024-09-2026-02.xlsx"
    assert run.content_type.endswith("spreadsheetml.sheet")
    path = Path(media_root) / run.file
    assert path.parent == Path(media_root) / "reports"
    assert not list(path.parent.glob("*.part"))
    workbook = load_workbook(BytesIO(path.read_bytes()))
    assert workbook.sheetnames[:3] == ["Planned", "Projected", "Actual"]
    planned = [[c.value for c in row] for row in workbook["Planned"].iter_rows()]
    assert planned[0] == ["Group", "2024-09", "2025-02", "2025-09", "2026-02"]
    assert planned[1] == ["Groep 27", 0, 0, 12, 12]
    assert planned[2] == ["Total", 0, 0, 12, 12]
    assert planned[3] == ["Staff per half-day", 0, 0, 4, 2]
    actual = [[c.value for c in row] for row in workbook["Actual"].iter_rows()]
    assert actual[1] == ["Groep 27", 0, 0, 2, 2]
    assert_headers_frozen(workbook)
    # Retention: Groep 27's two starters both present at the end of its first month, 100%
    # of n = 2 (later half-years depend on today); every share a percentage cell.
    retention = list(workbook["Retention"].iter_rows(max_row=5))
    header = ["Half-year of the course", "Observed", "Starters (n)", "Used"]
    assert [c.value for c in retention[0]] == header
    assert [c.value for c in retention[1]] == [1, 1, 2, 1]
    shares = {c for row in retention[1:] for c in (row[1], row[3]) if c.value is not None}
    assert set(percent_cells(workbook)) == shares
    assert {c.number_format for c in shares} == {"0%"}
    # Counts only: no participant's name anywhere in the file.
    text = str([[c.value for c in row] for ws in workbook for row in ws.iter_rows()])
    assert "Zichtbaar" not in text
    assert "Anderman" not in text


def test_identical_request_while_queued_reuses_the_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = forecast_request(world)
        again = forecast_request(world)
        other_period = forecast_request(world, last="2026-09")
        other_user = forecast_request(world, user=world.users["regisseur"])
    assert again.pk == first.pk
    assert len({first.pk, other_period.pk, other_user.pk}) == 3
    assert len(callbacks) == 3
    assert ReportRun.objects.count() == 3


def test_identical_request_while_running_reuses_it_and_after_done_makes_a_new_one(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = forecast_request(world)
    ReportRun.objects.filter(pk=first.pk).update(status=RunStatus.RUNNING, started=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert forecast_request(world).pk == first.pk
    assert callbacks == []
    ReportRun.objects.filter(pk=first.pk).update(status=RunStatus.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = forecast_request(world)
    assert fresh.pk != first.pk
    fresh.refresh_from_db()
    assert fresh.status == RunStatus.DONE


def test_a_stale_identical_run_is_failed_and_replaced(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = forecast_request(world)
    ReportRun.objects.filter(pk=first.pk).update(
        status=RunStatus.RUNNING, started=timezone.now() - timedelta(minutes=16)
    )
    with django_capture_on_commit_callbacks(execute=False):
        second = forecast_request(world)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == RunStatus.FAILED


def test_request_refuses_unknown_kinds_personal_data_and_roles_without_permission(world):
    with pytest.raises(ValidationError):
        services.report_run_request(kind="nope", parameters={}, by=world.users["projectleider"])
    with pytest.raises(ValidationError):
        services.report_run_request(
            kind="forecast_xlsx",
            parameters={"name": "Daan Zichtbaar"},
            by=world.users["projectleider"],
        )
    with pytest.raises(PermissionDenied):
        forecast_request(world, user=world.users["coach"])
    assert not ReportRun.objects.exists()


def test_generator_fault_fails_the_run_with_a_message_and_logs_it_once(
    world, register_kind, caplog, django_capture_on_commit_callbacks
):
    def broken(run, progress):
        progress(40)
        raise RuntimeError("boom")

    register_kind("broken", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind="broken", parameters={"x": 1}, by=world.users["projectleider"]
        )
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.message_text == "De export is mislukt. Probeer het later opnieuw."
    assert run.file == ""
    assert run.finished is not None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "failed" in errors[0].getMessage()
    caplog.clear()  # the failure was provoked and checked; no other error may be logged


def test_programme_outside_the_academy_fails_with_a_message_and_no_error(
    world, other_academy_programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind="forecast_xlsx",
            parameters={
                "programme": other_academy_programme.pk,
                "from": "2025-09",
                "to": "2026-09",
            },
            by=world.users["projectleider"],
        )
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.message_text == "Het programma van deze prognose bestaat niet meer."


@pytest.fixture
def eager_retries():
    """Eager Celery re-raises a retry when eager exceptions propagate (the test setting);
    let it re-apply the task instead, as a worker would after the backoff."""
    with celery_conf(task_eager_propagates=False):
        yield


@pytest.mark.usefixtures("eager_retries")
def test_passing_faults_are_retried_and_then_succeed(
    world, register_kind, django_capture_on_commit_callbacks
):
    attempts = []

    def flaky(run, progress):
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return "flaky.csv", b"a,b\n"

    register_kind("flaky", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind="flaky", parameters={}, by=world.users["projectleider"]
        )
    run.refresh_from_db()
    assert len(attempts) == 3
    assert run.status == RunStatus.DONE
    assert run.content_type == "text/csv"


@pytest.mark.usefixtures("eager_retries")
def test_passing_faults_fail_the_run_after_three_retries(
    world, register_kind, caplog, django_capture_on_commit_callbacks
):
    attempts = []

    def down(run, progress):
        attempts.append(1)
        raise ConnectionError("redis is away")

    register_kind("down", down)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind="down", parameters={}, by=world.users["projectleider"]
        )
    run.refresh_from_db()
    assert len(attempts) == 4  # the first try and three retries
    assert run.status == RunStatus.FAILED
    assert run.message_text == "De export is mislukt. Probeer het later opnieuw."
    assert [r.levelno for r in caplog.records if r.levelno >= logging.ERROR] == [logging.ERROR]
    caplog.clear()


def test_execute_returns_quietly_for_a_run_that_is_gone_or_finished(world):
    services.report_run_execute(run_id="00000000-0000-0000-0000-000000000000")
    done = ReportRunFactory(
        requested_by=world.users["projectleider"], academy=world.academy, done=True
    )
    services.report_run_execute(run_id=str(done.pk))
    done.refresh_from_db()
    assert done.status == RunStatus.DONE


def _running(world, minutes_ago: int) -> ReportRun:
    return ReportRunFactory(
        requested_by=world.users["projectleider"],
        academy=world.academy,
        status=RunStatus.RUNNING,
        started=timezone.now() - timedelta(minutes=minutes_ago),
        progress=40,
    )


def test_runs_running_longer_than_the_time_limit_are_failed_and_their_temp_files_removed(
    world, settings
):
    assert settings.CELERY_TASK_TIME_LIMIT == 15 * 60
    stale, fresh = _running(world, 16), _running(world, 5)
    for run in (stale, fresh):
        path = services.report_run_temp_path(run)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")

    assert services.report_runs_fail_stale() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == RunStatus.FAILED
    assert stale.message_text == "De export is onderbroken; probeer het opnieuw."
    assert not services.report_run_temp_path(stale).exists()
    assert fresh.status == RunStatus.RUNNING
    assert services.report_run_temp_path(fresh).exists()


def test_expiry_removes_the_file_and_marks_the_run_expired(world, media_root):
    def done_run(expires):
        run = ReportRunFactory(
            requested_by=world.users["projectleider"],
            academy=world.academy,
            status=RunStatus.DONE,
            progress=100,
            filename="x.xlsx",
            expires=expires,
        )
        path = services.reports_root() / f"{run.pk}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
        run.file = str(path.relative_to(media_root))
        run.save()
        return run, path

    old, old_path = done_run(timezone.now() - timedelta(minutes=1))
    new, new_path = done_run(timezone.now() + timedelta(hours=3))
    stale = _running(world, 20)

    assert report_runs_expire.delay().get() == {"failed": 1, "expired": 1}

    old.refresh_from_db()
    new.refresh_from_db()
    stale.refresh_from_db()
    assert old.status == RunStatus.EXPIRED
    assert old.file == ""
    assert not old_path.exists()
    assert new.status == RunStatus.DONE
    assert new_path.exists()
    assert stale.status == RunStatus.FAILED


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Groep 3", "Groep 3"),
        (-4, -4),
    ],
)
def test_neutralise_defuses_text_a_spreadsheet_would_run(value, expected):
    from reporting.exports import neutralise

    assert neutralise(value) == expected


def test_workbook_neutralises_group_names_and_uses_the_programmes_staff_ratio(
    world, media_root, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from reporting.models import ForecastSettings

    world.cohort.name = "=cmd|' /C calc'!A0"
    world.cohort.save()
    ForecastSettings.objects.create(
        programme=world.programme, staff_per_ten_after_trial=Decimal("5")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = forecast_request(world, first="2025-09", last="2026-02")
    run.refresh_from_db()
    sheet = load_workbook(Path(media_root) / run.file)["Planned"]
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"
    # 12 trainees: the trial month 3.6 -> 4; after it 5 per ten: 6.
    assert [c.value for c in sheet[4]] == ["Staff per half-day", 4, 6]
