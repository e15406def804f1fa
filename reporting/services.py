"""Every state change of a ReportRun: request, execute, fail when stale, expire.

Messages are stored as English msgids (marked with gettext_noop) and translated when shown.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import os
import re
import shutil
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kombu.exceptions
import redis.exceptions
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from maatwerq.accounts.access import active_membership
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.selectors import consent_is_active

from .models import ACTIVE_STATUSES, REPORT_FILE_LIFETIME, ReportRun, RunStatus
from .registry import ProgressCallback, ReportUnavailable, report_kind_get

if TYPE_CHECKING:
    from maatwerq.accounts.models import Programme, User
    from participants.models import Participant

    from .models import ForecastSettings

logger = logging.getLogger(__name__)

# Faults that pass: the task retries them with exponential backoff (reporting.tasks).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

# Handing a run to the broker (Redis) failed: it stays queued and is handed over again.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)

MSG_QUEUED = gettext_noop("Waiting for a free worker.")
MSG_RUNNING = gettext_noop("Working on it.")
MSG_RETRYING = gettext_noop("A temporary problem; trying again shortly.")
MSG_DONE = gettext_noop("Your file is ready.")
MSG_FAILED = gettext_noop("The export failed. Please try again later.")
MSG_TOO_LONG = gettext_noop("The export took too long and was stopped. Try a shorter period.")
# Dutch: "De export is afgebroken; probeer het opnieuw".
MSG_INTERRUPTED = gettext_noop("The export was interrupted; please try again.")
MSG_EXPIRED = gettext_noop("This file has expired and was removed. Request it again.")
MSG_UNKNOWN_KIND = gettext_noop("This kind of export no longer exists.")
MSG_CONSENT_WITHDRAWN = gettext_noop(
    "This file was made with a consent the participant has since withdrawn, so it may no "
    "longer be shared. It was removed; make a new copy, which leaves out what the consent "
    "covered."
)

# A queued run nobody picked up in this time lost its message (say, a broker restart).
QUEUED_STALE_AFTER = timedelta(hours=1)
_SAFE_PARAMETER = re.compile(r"^[0-9A-Za-z_\-:.]{0,40}$")


# The key under which a run's parameters name the young people its file lists (ids only).
LISTED = "listed"


def report_run_record_listed(
    *, run: ReportRun, participant_ids: Iterable[object], **extra: object
) -> None:
    """Record on the run which young people its file lists, by id (a generator calls it once
    it knows), with any ``extra`` figures (e.g. the number of rows).

    Side effects: the run's parameters are updated (ids only, never personal data); its
    download's one audit event then names each of them (reporting.views.run_download)."""
    listed = [str(pk) for pk in dict.fromkeys(participant_ids)]
    run.parameters = {**run.parameters, **extra, LISTED: listed}
    ReportRun.objects.filter(pk=run.pk).update(parameters=run.parameters)


def reports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def report_run_temp_path(run: ReportRun) -> Path:
    """Where a run's file is written before it is complete. Never served."""
    return reports_root() / f"{run.pk}.part"


def report_run_path(run: ReportRun) -> Path | None:
    return Path(settings.MEDIA_ROOT) / run.file if run.file else None


def report_object_storage() -> Storage | None:
    """The object store (S3 API) the finished files go to when MAATWERQ_FILE_STORAGE chooses
    one, so that every web and worker host reads them; None: they stay on the local disk
    under MEDIA_ROOT (one host, or a volume all hosts share). A file is made on the worker's
    disk first (a temporary name, then a rename) and put in the store once complete: the
    store never holds half a file."""
    if settings.FILE_STORAGE == "filesystem":
        return None
    return storages["reports"]


def _object_remove(name: str) -> None:
    store = report_object_storage()
    if store is not None and name:
        store.delete(name)


# --- request -------------------------------------------------------------------------------


def _check_parameters(parameters: dict[str, Any]) -> None:
    """Ids, months and codes only: short tokens, no free text that could carry a name."""

    def safe(value: Any) -> bool:
        if value is None or isinstance(value, bool | int):
            return True
        return isinstance(value, str) and bool(_SAFE_PARAMETER.match(value))

    if not isinstance(parameters, dict) or len(parameters) > 20:
        raise ValidationError("Report parameters must be a small dict.")
    for key, value in parameters.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(key, str) or len(values) > 100 or not all(map(safe, values)):
            raise ValidationError(f"Report parameter {key!r} is not an id, date or code.")


def _fingerprint(
    *, kind: str, parameters: dict[str, Any], user_id: int, academy_id: int, role: str
) -> str:
    canonical = json.dumps(
        {"kind": kind, "parameters": parameters, "user": user_id, "academy": academy_id,
         "role": role},
        sort_keys=True,
        separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def _is_stale(run: ReportRun, now: datetime) -> bool:
    if run.status == RunStatus.RUNNING:
        limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        return run.started is not None and run.started < now - limit
    return run.status == RunStatus.QUEUED and run.created < now - QUEUED_STALE_AFTER


def report_run_request(*, kind: str, parameters: dict[str, Any], by: User) -> ReportRun:
    """Ask for a report in the background, in the requester's acting academy and role.

    Side effects: creates a queued ReportRun and, on commit, enqueues
    reporting.tasks.report_run_execute with its id (see _enqueue: with the broker down the
    run stays queued with a message). While an identical request (same kind, parameters, user,
    academy and role) is queued or running, returns that run instead and enqueues nothing,
    unless that run never reached the broker: then it is enqueued again. A stale identical
    run is marked failed first.
    Raises PermissionDenied without an acting membership or the kind's permission,
    ValidationError for an unknown kind or parameters that are not ids, dates or codes.
    """
    report_kind = report_kind_get(kind)
    if report_kind is None:
        raise ValidationError(f"Unknown report kind {kind!r}.")
    _check_parameters(parameters)
    membership = active_membership(by)
    if membership is None or not by.has_perm(report_kind.permission):
        raise PermissionDenied
    fingerprint = _fingerprint(
        kind=kind,
        parameters=parameters,
        user_id=by.pk,
        academy_id=membership.academy_id,
        role=membership.role,
    )
    now = timezone.now()
    with transaction.atomic():
        existing = (
            ReportRun.objects.select_for_update()
            .filter(fingerprint=fingerprint, status__in=ACTIVE_STATUSES)
            .first()
        )
        if existing is not None and not _is_stale(existing, now):
            if _never_enqueued(existing):
                transaction.on_commit(partial(_enqueue_again, str(existing.pk)))
            return existing
        if existing is not None:
            _fail_stale(existing, now)
        try:
            with transaction.atomic():
                run = ReportRun.objects.create(
                    kind=kind,
                    parameters=parameters,
                    requested_by=by,
                    academy_id=membership.academy_id,
                    role=membership.role,
                    fingerprint=fingerprint,
                    message=MSG_QUEUED,
                )
        except IntegrityError:
            # A simultaneous identical request won the race: share its run.
            return ReportRun.objects.get(fingerprint=fingerprint, status__in=ACTIVE_STATUSES)
        transaction.on_commit(partial(_enqueue, str(run.pk)))
    return run


def _never_enqueued(run: ReportRun) -> bool:
    """Queued, never started and marked by _enqueue: the broker never got this run. (A run
    waiting for a task retry has the same message but was started.)"""
    return run.status == RunStatus.QUEUED and run.started is None and run.message == MSG_RETRYING


def _enqueue(run_id: str) -> bool:
    """Hand a run to the broker. When the broker (Redis) is down the person's request must
    not fail: the run stays queued with "A temporary problem; trying again shortly." and is
    handed over again by a later identical request or the hourly tidy-up. Returns whether
    the broker took it."""
    from .tasks import report_run_execute

    try:
        report_run_execute.delay(run_id)
    except BROKER_ERRORS as error:
        logger.warning("Report run %s could not be queued, broker unavailable: %s", run_id, error)
        ReportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED, started__isnull=True).update(
            message=MSG_RETRYING
        )
        return False
    return True


def _enqueue_again(run_id: str) -> bool:
    """Enqueue a run that never reached the broker. The conditional update lets exactly one
    of two simultaneous callers (a request and the tidy-up) send it, so it runs once."""
    claimed = ReportRun.objects.filter(
        pk=run_id, status=RunStatus.QUEUED, started__isnull=True, message=MSG_RETRYING
    ).update(message=MSG_QUEUED)
    return bool(claimed) and _enqueue(run_id)


# --- execute -------------------------------------------------------------------------------


def _progress_callback(run: ReportRun) -> ProgressCallback:
    def progress(percent: int, message: str | None = None) -> None:
        fields: dict[str, Any] = {"progress": max(0, min(99, int(percent)))}
        if message is not None:
            fields["message"] = message[:200]
        ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(**fields)

    return progress


def _safe_filename(filename: str) -> str:
    name = Path(filename).name.strip() or "export"
    name = re.sub(r"[^\w.\- ]", "_", name)
    return name[:120]


def _store(run: ReportRun, filename: str, content: bytes | Path) -> str:
    """Write the file to a temp name, then rename it atomically: no half file is ever
    served. Returns the path under MEDIA_ROOT."""
    root = reports_root()
    root.mkdir(parents=True, exist_ok=True)
    temp = report_run_temp_path(run)
    if isinstance(content, bytes | bytearray):
        with temp.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    else:
        shutil.move(str(content), temp)
    suffix = re.sub(r"[^a-z0-9.]", "", Path(filename).suffix.lower())[:10]
    final = root / f"{run.pk}{suffix}"
    temp.replace(final)
    name = str(final.relative_to(Path(settings.MEDIA_ROOT)))
    store = report_object_storage()
    if store is not None:
        with final.open("rb") as handle:
            name = store.save(name, File(handle))
        final.unlink(missing_ok=True)
    return name


def _remove_files(run: ReportRun) -> None:
    report_run_temp_path(run).unlink(missing_ok=True)
    path = report_run_path(run)
    if path is not None:
        path.unlink(missing_ok=True)
    _object_remove(run.file)


def _fail(run: ReportRun, message: str) -> None:
    report_run_temp_path(run).unlink(missing_ok=True)
    ReportRun.objects.filter(pk=run.pk, status__in=ACTIVE_STATUSES).update(
        status=RunStatus.FAILED, message=message, finished=timezone.now()
    )


def report_run_execute(*, run_id: str, last_attempt: bool = True) -> None:
    """Make the file of one queued (or, after a lost worker, running) run.

    Side effects: marks the run running, then done with its file stored under
    MEDIA_ROOT/reports/ (progress 100, expiry reset to 24 h from now), or failed with a
    message for the person; logs an error for an unexpected fault. A passing fault (database,
    connection, redis) puts the run back in the queue and is raised again so the task
    retries it, unless ``last_attempt``: then the run fails. Returns quietly when the run is
    gone or finished.
    """
    run = ReportRun.objects.filter(pk=run_id, status__in=ACTIVE_STATUSES).first()
    if run is None:
        return
    kind = report_kind_get(run.kind)
    if kind is None:
        _fail(run, MSG_UNKNOWN_KIND)
        return
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started=timezone.now(), progress=0, message=MSG_RUNNING
    )
    try:
        filename, content = kind.generate(run, _progress_callback(run))
        stored = _store(run, filename, content)
    except ReportUnavailable as error:
        _fail(run, error.message)
        return
    except SoftTimeLimitExceeded:
        logger.warning("Report run %s (%s) hit the soft time limit", run.pk, run.kind)
        _fail(run, MSG_TOO_LONG)
        return
    except TRANSIENT_ERRORS:
        report_run_temp_path(run).unlink(missing_ok=True)
        if last_attempt:
            logger.exception("Report run %s (%s) failed after retries", run.pk, run.kind)
            _fail(run, MSG_FAILED)
            return
        _requeue_for_retry(run)
        raise
    except Exception:
        logger.exception("Report run %s (%s) failed", run.pk, run.kind)
        _fail(run, MSG_FAILED)
        return
    _finish(run, stored, filename)


def _requeue_for_retry(run: ReportRun) -> None:
    """Best effort: the database may be the thing that is down."""
    try:
        ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.QUEUED, message=MSG_RETRYING
        )
    except TRANSIENT_ERRORS:
        logger.warning("Could not mark report run %s for a retry", run.pk)


def _finish(run: ReportRun, stored: str, filename: str) -> None:
    now = timezone.now()
    download_name = _safe_filename(filename)
    updated = ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.DONE,
        progress=100,
        message=MSG_DONE,
        file=stored,
        filename=download_name,
        content_type=mimetypes.guess_type(download_name)[0] or "application/octet-stream",
        finished=now,
        expires=now + REPORT_FILE_LIFETIME,
    )
    if not updated:
        # Failed as stale meanwhile: nobody will ask for this file.
        (Path(settings.MEDIA_ROOT) / stored).unlink(missing_ok=True)
        _object_remove(stored)


def report_run_consents_lapsed(
    *, run: ReportRun, participant: Participant, on: date | None = None
) -> list[str]:
    """The consent scopes the run's file relied on (ReportRun.consents_used) that no longer
    hold for ``participant`` on ``on`` (today). Empty when the file may still be handed out."""
    return [
        scope for scope in run.consents_used or [] if not consent_is_active(participant, scope, on)
    ]


def report_run_revoke(
    *, run: ReportRun, participant: Participant, lapsed: list[str], by: User
) -> None:
    """Withdraw a finished file because a consent it relied on no longer holds.

    Side effects: removes the file; marks the run expired with MSG_CONSENT_WITHDRAWN (it is
    never handed out again); one UPDATE audit event on the participant naming the lapsed
    consent scopes."""
    _remove_files(run)
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.EXPIRED, message=MSG_CONSENT_WITHDRAWN, file=""
    )
    run.refresh_from_db()
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=run,
        participant=participant,
        detail={"kind": run.kind, "revoked": True, "consents_lapsed": lapsed},
    )


# --- housekeeping (hourly, reporting.tasks.report_runs_expire) -----------------------------


def _fail_stale(run: ReportRun, now: datetime) -> None:
    _remove_files(run)
    ReportRun.objects.filter(pk=run.pk, status=run.status).update(
        status=RunStatus.FAILED, message=MSG_INTERRUPTED, finished=now, file=""
    )


def report_runs_fail_stale(*, now: datetime | None = None) -> int:
    """Fail the runs a dead worker left behind: running for longer than
    CELERY_TASK_TIME_LIMIT, or queued for longer than QUEUED_STALE_AFTER.

    Side effects: those runs become failed ("The export was interrupted; please try again.")
    and their temp files are removed; orphaned temp files older than the time limit too.
    Returns how many runs were failed.
    """
    now = now or timezone.now()
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stale = ReportRun.objects.filter(
        status=RunStatus.RUNNING, started__lt=now - limit
    ) | ReportRun.objects.filter(status=RunStatus.QUEUED, created__lt=now - QUEUED_STALE_AFTER)
    count = 0
    for run in stale:
        _fail_stale(run, now)
        count += 1
    _remove_orphaned_temp_files(older_than=now - limit)
    return count


def _remove_orphaned_temp_files(*, older_than: datetime) -> None:
    root = reports_root()
    if not root.is_dir():
        return
    for temp in root.glob("*.part"):
        try:
            if temp.stat().st_mtime < older_than.timestamp():
                temp.unlink(missing_ok=True)
        except FileNotFoundError:
            continue


def report_runs_enqueue_again() -> int:
    """Hand the queued runs that never reached the broker (it was down when they were
    requested) to it again. Returns how many the broker took."""
    waiting = ReportRun.objects.filter(
        status=RunStatus.QUEUED, started__isnull=True, message=MSG_RETRYING
    ).values_list("pk", flat=True)
    return sum(_enqueue_again(str(pk)) for pk in waiting)


def report_runs_expire(*, now: datetime | None = None) -> dict[str, int]:
    """The hourly tidy-up: first report_runs_fail_stale, then report_runs_enqueue_again,
    then remove the files of done runs whose time is up.

    Side effects: expired runs lose their file (deleted from disk) and become expired; queued
    runs the broker never got are enqueued again. Returns {"failed": n, "expired": m}.
    """
    now = now or timezone.now()
    failed = report_runs_fail_stale(now=now)
    report_runs_enqueue_again()
    expired = 0
    for run in ReportRun.objects.filter(status=RunStatus.DONE, expires__lte=now):
        _remove_files(run)
        expired += ReportRun.objects.filter(pk=run.pk, status=RunStatus.DONE).update(
            status=RunStatus.EXPIRED, file="", message=MSG_EXPIRED
        )
    return {"failed": failed, "expired": expired}


# --- the forecast's settings ---------------------------------------------------------------


@transaction.atomic
def forecast_staff_available_set(
    *, programme: Programme, staff_available: int | None, by: User
) -> ForecastSettings:
    """Say how many staff per half-day a programme has (empty: not known). The projectleider's
    work queue shows the first month the forecast needs more.
    Side effects: creates or updates the programme's ForecastSettings; one UPDATE audit event
    (detail.event "staff_available_set", from and to)."""
    from .models import ForecastSettings

    settings_row, _created = ForecastSettings.objects.select_for_update().get_or_create(
        programme=programme
    )
    before = settings_row.staff_available
    settings_row.staff_available = staff_available
    settings_row.save(update_fields=["staff_available"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=settings_row,
        academy=programme.academy,
        detail={
            "event": "staff_available_set",
            "programme": programme.pk,
            "from": before,
            "to": staff_available,
        },
    )
    return settings_row
