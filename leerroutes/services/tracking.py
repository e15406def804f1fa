"""Services of following the route: the progress log, evaluations, results, certificates,
hours and the handelingswijzer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.figures import cohort_figures_refresh, route_unit
from participants.models import Participant, Route

from ..models import (
    MAX_WEEK_HOURS,
    Certificate,
    CertificateKind,
    Evaluation,
    Goal,
    Handelingswijzer,
    HoursWeek,
    LeermeesterAssessment,
    Phase,
    ProgressEntry,
    RocResult,
    RocResultKind,
    RouteSummary,
    SelfReportedWellbeing,
    Wellbeing,
)
from ..selectors import current_phase
from ._common import check_not_future, current_route, lock_route, refuse, sent_detail, today

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# What an evidence file must start with; the uploaded name and the browser's type count for
# nothing.
EVIDENCE_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
MAX_DAY_HOURS = 24


# --- 5. progress log -------------------------------------------------------------------------


def progress_entry_add(
    *,
    participant: Participant,
    on: date,
    text: str,
    wellbeing: int,
    goals: Sequence[Goal] = (),
    hours_present: Decimal | None = None,
    shareable: bool = False,
    client_uuid: UUID | None = None,
    made_at: datetime | None = None,
    by: User,
) -> ProgressEntry:
    """Add an entry to the progress log (see progress_entry_receive for ``client_uuid``).
    Side effects: creates the ProgressEntry and its goal links; one CREATE audit event."""
    entry, _created = progress_entry_receive(
        participant=participant,
        on=on,
        text=text,
        wellbeing=wellbeing,
        goals=goals,
        hours_present=hours_present,
        shareable=shareable,
        client_uuid=client_uuid,
        made_at=made_at,
        by=by,
    )
    return entry


def _entry_already_sent(client_uuid: UUID | None, route: Route, by: User) -> ProgressEntry | None:
    """The entry received earlier under this phone-made id, if any (only the same author's on
    the same route: an id is no key to someone else's entry)."""
    if client_uuid is None:
        return None
    entry = ProgressEntry.objects.filter(client_uuid=client_uuid).first()
    if entry is not None and (entry.route_id != route.pk or entry.author_id != by.pk):
        raise refuse(None, _("This entry was already sent for another route or account."))
    return entry


def progress_entry_receive(
    *,
    participant: Participant,
    on: date,
    text: str,
    wellbeing: int,
    goals: Sequence[Goal] = (),
    hours_present: Decimal | None = None,
    shareable: bool = False,
    client_uuid: UUID | None = None,
    made_at: datetime | None = None,
    by: User,
) -> tuple[ProgressEntry, bool]:
    """Add an entry to the progress log, made online or on a phone without signal. An entry
    from the phone's queue carries the id the phone gave it (``client_uuid``) and when it was
    made there (``made_at``, the phone's clock): the first arrival makes the entry, a resend
    of the same id returns that entry untouched (False), so a queue sent twice never makes a
    second one. Entries are only ever added, so two coaches' entries never conflict.
    Side effects: creates the ProgressEntry and its goal links and refreshes the route's
    summary; one CREATE audit event (for a phone's entry naming when it was made and when it
    arrived). A resend writes nothing."""
    route = current_route(participant)
    existing = _entry_already_sent(client_uuid, route, by)
    if existing is not None:
        return existing, False
    text = text.strip()
    if not text:
        raise refuse("text", _("Write what happened."))
    if wellbeing not in Wellbeing.values:
        raise refuse("wellbeing", _("Choose a face from 1 to 5."))
    check_not_future("on", on)
    if hours_present is not None and not Decimal(0) <= hours_present <= MAX_DAY_HOURS:
        raise refuse("hours_present", _("Hours present are between 0 and 24."))
    if any(goal.route_id != route.pk for goal in goals):
        raise refuse("goals", _("A goal of another route was given."))
    with transaction.atomic():
        lock_route(route)  # one writer at a time keeps the route's summary right
        existing = _entry_already_sent(client_uuid, route, by)  # sent twice at once
        if existing is not None:
            return existing, False
        entry = ProgressEntry.objects.create(
            route=route,
            on=on,
            text=text,
            wellbeing=wellbeing,
            hours_present=hours_present,
            shareable=shareable,
            author=by,
            client_uuid=client_uuid,
            made_at=made_at if client_uuid is not None else None,
        )
        entry.goals.set(goals)
        route_summaries_refresh([route.pk])
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=entry,
            participant=participant,
            detail=sent_detail(client_uuid, made_at),
        )
    return entry, True


SUMMARY_BATCH = 2_000


def route_summaries_refresh(routes: Iterable[Route | UUID]) -> int:
    """Recompute the caseload summary (RouteSummary) of these routes, given as ids or routes,
    from their progress entries, evaluations and the participant's own check-ins: the latest
    check-in, the latest entry by date and then by
    recording, the latest evaluation likewise, and the phase of the latest one that decided
    a phase. Idempotent. Called inside the writes that change entries or evaluations, and
    after bulk loads (the demo, the bench). Returns the number of rows written."""
    ids: list[UUID] = list(dict.fromkeys(t.pk if isinstance(t, Route) else t for t in routes))
    latest_entry = ProgressEntry.objects.filter(route=OuterRef("pk")).order_by("-on", "-created_at")
    latest_evaluation = Evaluation.objects.filter(route=OuterRef("pk")).order_by(
        "-held_on", "-created_at"
    )
    latest_decision = latest_evaluation.filter(phase_decision__isnull=False)
    latest_check_in = SelfReportedWellbeing.objects.filter(route=OuterRef("pk")).order_by(
        "-week_start"
    )
    written = 0
    for start in range(0, len(ids), SUMMARY_BATCH):
        rows = (
            Route.objects.filter(pk__in=ids[start : start + SUMMARY_BATCH])
            .order_by()
            .annotate(
                last_entry_on=Subquery(latest_entry.values("on")[:1]),
                last_wellbeing=Subquery(latest_entry.values("wellbeing")[:1]),
                last_evaluation_on=Subquery(latest_evaluation.values("held_on")[:1]),
                next_evaluation_on=Subquery(latest_evaluation.values("next_on")[:1]),
                phase_id=Subquery(latest_decision.values("phase_decision")[:1]),
                last_self_week=Subquery(latest_check_in.values("week_start")[:1]),
                last_self_score=Subquery(latest_check_in.values("score")[:1]),
            )
            .values_list(
                "pk",
                "last_entry_on",
                "last_wellbeing",
                "last_evaluation_on",
                "next_evaluation_on",
                "phase_id",
                "last_self_week",
                "last_self_score",
            )
        )
        summaries = [
            RouteSummary(
                route_id=pk,
                last_entry_on=entry_on,
                last_wellbeing=wellbeing,
                last_evaluation_on=evaluation_on,
                next_evaluation_on=next_on,
                phase_id=phase_id,
                last_self_week=self_week,
                last_self_score=self_score,
            )
            for (
                pk,
                entry_on,
                wellbeing,
                evaluation_on,
                next_on,
                phase_id,
                self_week,
                self_score,
            ) in rows
        ]
        RouteSummary.objects.bulk_create(
            summaries,
            update_conflicts=True,
            unique_fields=["route"],
            update_fields=[
                "last_entry_on",
                "last_wellbeing",
                "last_evaluation_on",
                "next_evaluation_on",
                "phase",
                "last_self_week",
                "last_self_score",
            ],
        )
        written += len(summaries)
    return written


# --- 6. evaluations and results --------------------------------------------------------------


def evaluation_record(
    *,
    participant: Participant,
    held_on: date,
    summary: str,
    participant_attended: bool = True,
    attendees: str = "",
    goals_reviewed: Sequence[Goal] = (),
    phase_decision: Phase | None = None,
    next_on: date | None = None,
    by: User,
) -> Evaluation:
    """Record an evaluation meeting and its phase decision. This is the only way a route's
    phase changes (the current phase is the latest decision); the calendar never moves it.
    Side effects: creates the Evaluation; one CREATE audit event noting a phase move."""
    route = current_route(participant)
    summary = summary.strip()
    if not summary:
        raise refuse("summary", _("Write what was discussed and decided."))
    check_not_future("held_on", held_on)
    if next_on is not None and next_on <= held_on:
        raise refuse("next_on", _("The next evaluation comes after this one."))
    if phase_decision is not None and phase_decision.programme_id != route.programme_id:
        raise refuse("phase_decision", _("Choose a phase of this programme."))
    if any(goal.route_id != route.pk for goal in goals_reviewed):
        raise refuse("goals_reviewed", _("A goal of another route was given."))
    with transaction.atomic():
        lock_route(route)
        before = current_phase(route)
        evaluation = Evaluation.objects.create(
            route=route,
            held_on=held_on,
            participant_attended=participant_attended,
            attendees=attendees.strip(),
            summary=summary,
            phase_before=before,
            phase_decision=phase_decision or before,
            next_on=next_on,
            recorded_by=by,
        )
        evaluation.goals_reviewed.set(goals_reviewed)
        route_summaries_refresh([route.pk])
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=evaluation,
            participant=participant,
            detail={"phase_moved": evaluation.moved_phase},
        )
    return evaluation


def assessment_record(
    *,
    participant: Participant,
    assessed_on: date,
    leermeester_name: str,
    work_attitude: int,
    professional_skills: int,
    cooperation: int,
    safety: int,
    remarks: str = "",
    employer: Any = None,  # an employers.Employer: employers sits above leerroutes
    by: User,
) -> LeermeesterAssessment:
    """Record a leermeester's periodic assessment (entered by academy staff for now).
    Side effects: creates the assessment; one CREATE audit event."""
    route = current_route(participant)
    check_not_future("assessed_on", assessed_on)
    if not leermeester_name.strip():
        raise refuse("leermeester_name", _("Give the leermeester's name."))
    scores = {
        "work_attitude": work_attitude,
        "professional_skills": professional_skills,
        "cooperation": cooperation,
        "safety": safety,
    }
    for field, score in scores.items():
        if score not in (1, 2, 3, 4):
            raise refuse(field, _("Choose a score from 1 to 4."))
    if employer is not None and employer.academy_id != participant.academy_id:
        raise refuse("employer", _("Choose an employer of this academy."))
    with transaction.atomic():
        assessment = LeermeesterAssessment.objects.create(
            route=route,
            assessed_on=assessed_on,
            leermeester_name=leermeester_name.strip(),
            employer=employer,
            remarks=remarks.strip(),
            recorded_by=by,
            **scores,
        )
        audit_log(actor=by, action=Action.CREATE, obj=assessment, participant=participant)
    return assessment


def roc_result_record(
    *,
    participant: Participant,
    kind: str,
    title: str,
    on: date,
    grade: str = "",
    passed: bool | None = None,
    progress_percent: int | None = None,
    by: User,
) -> RocResult:
    """Record a result at the ROC (the learning-gain line).
    Side effects: creates the RocResult; one CREATE audit event."""
    route = current_route(participant)
    if kind not in RocResultKind.values:
        raise refuse("kind", _("Choose a kind from the list."))
    if not title.strip():
        raise refuse("title", _("Say which test, module or diploma this is."))
    check_not_future("on", on)
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        raise refuse("progress_percent", _("Progress is a percentage from 0 to 100."))
    with transaction.atomic():
        result = RocResult.objects.create(
            route=route,
            kind=kind,
            title=title.strip(),
            on=on,
            grade=grade.strip(),
            passed=passed,
            progress_percent=progress_percent,
            recorded_by=by,
        )
        audit_log(actor=by, action=Action.CREATE, obj=result, participant=participant)
    return result


# --- 7. certificates -------------------------------------------------------------------------


def evidence_check(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """(content type, extension) of an evidence file, judged by its first bytes; refuses
    anything that is not a PDF, PNG or JPEG, or is larger than 5 MB."""
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise refuse("evidence", _("The file is larger than 5 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type, extension in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    raise refuse("evidence", _("The file is not a PDF or an image (PNG or JPEG)."))


def certificate_add(
    *,
    participant: Participant,
    kind: str,
    title: str,
    issued_on: date,
    issuer: str,
    evidence: UploadedFile[bytes] | None = None,
    by: User,
) -> Certificate:
    """Record a certificate with an optional evidence file (stored outside the web root under
    a random name). Side effects: writes the file; creates the Certificate; refreshes the kept
    dashboard figures of the route's cohort; one CREATE audit
    event."""
    route = current_route(participant)
    if kind not in CertificateKind.values:
        raise refuse("kind", _("Choose a kind from the list."))
    if not title.strip():
        raise refuse("title", _("Give the certificate's title."))
    if not issuer.strip():
        raise refuse("issuer", _("Say who issued it."))
    check_not_future("issued_on", issued_on)
    content_type, stored_name = "", ""
    if evidence is not None:
        content_type, extension = evidence_check(evidence)
        evidence.name = stored_name = f"evidence.{extension}"
    with transaction.atomic():
        certificate = Certificate(
            route=route,
            kind=kind,
            title=title.strip(),
            issued_on=issued_on,
            issuer=issuer.strip(),
            evidence_content_type=content_type,
            recorded_by=by,
        )
        if evidence is not None:
            certificate.evidence.save(stored_name, evidence, save=False)
        try:
            certificate.save()
        except Exception:
            # No row, no file: an orphan evidence file would hold personal data nobody sees.
            if certificate.evidence:
                certificate.evidence.delete(save=False)
            raise
        cohort_figures_refresh([route_unit(route)])
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=certificate,
            participant=participant,
            detail={"kind": kind, "evidence": bool(content_type)},
        )
    return certificate


# --- 8. hours --------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hours_record(
    *,
    participant: Participant,
    week_start: date,
    practice_hours: Decimal,
    theory_hours: Decimal,
    by: User,
) -> HoursWeek:
    """Record (or correct) the practice and theory hours of one week (any day of it).
    Side effects: creates or updates the HoursWeek; one CREATE or UPDATE audit event."""
    route = current_route(participant)
    week_start = monday_of(week_start)
    if week_start > today():
        raise refuse("week_start", _("This week has not started yet."))
    for field, value in (("practice_hours", practice_hours), ("theory_hours", theory_hours)):
        if value < 0:
            raise refuse(field, _("Hours cannot be negative."))
    if practice_hours + theory_hours > MAX_WEEK_HOURS:
        raise refuse(
            "practice_hours",
            _("Practice and theory together are more than %(max)s hours a week.")
            % {"max": MAX_WEEK_HOURS},
        )
    with transaction.atomic():
        defaults = {
            "practice_hours": practice_hours,
            "theory_hours": theory_hours,
            "recorded_by": by,
        }
        practice_before = (
            HoursWeek.objects.filter(route=route, week_start=week_start)
            .values_list("practice_hours", flat=True)
            .first()
        )
        if practice_before is not None and practice_before != practice_hours:
            # The leermeester confirmed other practice hours: that confirmation no longer holds.
            defaults.update(confirmed_by=None, confirmed_at=None)
        week, created = HoursWeek.objects.update_or_create(
            route=route, week_start=week_start, defaults=defaults
        )
        audit_log(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            obj=week,
            participant=participant,
            detail={"week": week_start.isoformat()},
        )
    return week


def hours_confirm(
    *,
    participant: Participant,
    week_start: date,
    practice_hours: Decimal,
    by: User,
) -> HoursWeek:
    """The leermeester confirms (or corrects) the practice hours of one week (any day of it);
    the theory hours stay as the coach entered them. The employer relation is checked by the
    caller (employers.services.trainee_hours_confirm).
    Side effects: creates or updates the HoursWeek with confirmed_by and confirmed_at; one
    CREATE or UPDATE audit event."""
    route = current_route(participant)
    week_start = monday_of(week_start)
    if week_start > today():
        raise refuse("week_start", _("This week has not started yet."))
    if practice_hours < 0:
        raise refuse("practice_hours", _("Hours cannot be negative."))
    with transaction.atomic():
        week = (
            HoursWeek.objects.select_for_update().filter(route=route, week_start=week_start).first()
        )
        theory = week.theory_hours if week else Decimal(0)
        if practice_hours + theory > MAX_WEEK_HOURS:
            raise refuse(
                "practice_hours",
                _("Practice and theory together are more than %(max)s hours a week.")
                % {"max": MAX_WEEK_HOURS},
            )
        created = week is None
        if week is None:
            week = HoursWeek(route=route, week_start=week_start, recorded_by=by)
        week.practice_hours = practice_hours
        week.confirmed_by = by
        week.confirmed_at = timezone.now()
        week.save()
        audit_log(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            obj=week,
            participant=participant,
            detail={"week": week_start.isoformat(), "confirmed": True},
        )
    return week


# --- 9. handelingswijzer ---------------------------------------------------------------------

HANDELINGSWIJZER_FIELDS = (
    "about_me",
    "what_helps",
    "what_is_hard",
    "instructions",
    "when_it_goes_wrong",
)


def handelingswijzer_save(
    *,
    participant: Participant,
    written_on: date,
    about_me: str,
    what_helps: str = "",
    what_is_hard: str = "",
    instructions: str = "",
    when_it_goes_wrong: str = "",
    by: User,
) -> Handelingswijzer:
    """Write or rewrite the participant's handelingswijzer. Sharing it with an employer is
    decided when it is shown (selectors.handelingswijzer_for_employer), not here.
    Side effects: creates or updates the Handelingswijzer; one audit event."""
    if not about_me.strip():
        raise refuse("about_me", _("Write a few words about who the participant is."))
    check_not_future("written_on", written_on)
    values = {
        "about_me": about_me,
        "what_helps": what_helps,
        "what_is_hard": what_is_hard,
        "instructions": instructions,
        "when_it_goes_wrong": when_it_goes_wrong,
    }
    with transaction.atomic():
        note, created = Handelingswijzer.objects.update_or_create(
            participant=participant,
            defaults={
                **{k: v.strip() for k, v in values.items()},
                "written_on": written_on,
                "updated_by": by,
            },
        )
        audit_log(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            obj=note,
            participant=participant,
        )
    return note
