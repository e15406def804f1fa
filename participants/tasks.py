"""Celery tasks of the participants app. Tasks take ids or nothing, never personal data."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def follow_ups_mark_due() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): put follow-up checks that fell due on their
    coach's list. Idempotent; returns how many were listed by this run."""
    return services.follow_ups_mark_due()
