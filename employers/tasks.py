"""Celery tasks of the employers app. Tasks take ids or nothing, never personal data."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def placement_trial_reminders() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE, entry added by the lead): put placements whose
    trial period ends within two weeks on their coach's list. Idempotent; returns how many
    were listed by this run."""
    return services.placement_trial_reminders_list()
