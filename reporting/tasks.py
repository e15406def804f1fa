"""Celery tasks of the reporting app. They take ids, never personal data, and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services

MAX_RETRIES = 3


@shared_task(
    bind=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    max_retries=MAX_RETRIES,
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
)
def report_run_execute(self, run_id: str) -> None:
    """Make the file of one ReportRun (queued by services.report_run_request). A passing fault
    is retried up to three times with exponential backoff; the last attempt fails the run."""
    services.report_run_execute(run_id=run_id, last_attempt=self.request.retries >= MAX_RETRIES)


@shared_task
def report_runs_expire() -> dict[str, int]:
    """Hourly (settings.CELERY_BEAT_SCHEDULE): fail runs a dead worker left behind and remove
    expired files."""
    return services.report_runs_expire()
