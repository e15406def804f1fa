"""Celery tasks of the home app. Tasks take ids or nothing, never personal data."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def digests_send_task() -> int:
    """Daily at 06:30 (settings.CELERY_BEAT_SCHEDULE): one email per user of what falls due
    today, for those who did not turn it off. Returns how many emails went."""
    return services.digests_send()
