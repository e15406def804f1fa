"""The ReportRun kinds of the dossier: one per variant, and a cohort's internal dossiers as
one ZIP. Loaded by ReportingConfig.ready().

A generator works as the requester did when asking: the same academy and role (the run's),
and it checks again what the request checked (scope, permission, consent), since a consent
may be withdrawn or a participant change coach in between. Before an employer's or a
participant's copy is released, the guard reads the PDF's text (reporting.dossier.guard); a
hit fails the run, keeps no file and records one audit event. The consents a copy relied on
are kept with the run (ReportRun.consents_used): the download checks them again.

The employer's copy is for one employer: the werkgever's own, or, when the academy's staff
make it to hand over, the employer of the participant's main placement running today. It
shows placements at that employer only.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy, gettext_noop

from employers.models import MINI_STAGE_KINDS, Employer, Placement
from maatwerq.accounts.access import set_active_membership
from maatwerq.accounts.models import Membership, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import ConsentScope, Participant, Route
from participants.selectors import cohorts_visible_to, consent_is_active

from ..models import ReportRun
from ..registry import ProgressCallback, ReportUnavailable, report_kind_register
from ..services import report_run_record_listed
from .content import (
    EMPLOYER_SPEC,
    INTERNAL_SPEC,
    PARTICIPANT_SPEC,
    VariantSpec,
    consents_depended_on,
    dossier_build,
)
from .guard import MSG_BLOCKED, release_check
from .render import dossier_pdf
from .services import COHORT_KIND, MSG_NO_CONSENT, MSG_NO_ROUTE

logger = logging.getLogger(__name__)

MSG_NOT_ALLOWED = gettext_noop(
    "You may no longer have this dossier: the participant is no longer in your care."
)
MSG_NO_COHORT = gettext_noop("This group no longer exists or is not of your academy.")
MSG_EMPTY_COHORT = gettext_noop("This group has no participants with a route.")
MSG_COLLECTING = gettext_noop("Collecting the route.")
MSG_RENDERING = gettext_noop("Making the PDF.")
MSG_CHECKING = gettext_noop("Checking that nothing is shared that may not be.")
MSG_NO_EMPLOYER = gettext_noop(
    "The participant has no placement at an employer now, so there is no employer's copy to make."
)


def _language(run: ReportRun) -> str:
    code = run.parameters.get("language")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _requester(run: ReportRun) -> User:
    """The requester, acting in the run's academy and role (not whatever they act as now)."""
    membership = (
        Membership.objects.filter(
            user_id=run.requested_by_id,
            academy_id=run.academy_id,
            role=run.role,
            is_active=True,
        )
        .select_related("academy", "employer")
        .first()
    )
    if membership is None:
        raise ReportUnavailable(MSG_NOT_ALLOWED)
    user = run.requested_by
    set_active_membership(user, membership)
    return user


def _participant(run: ReportRun, user: User, spec: VariantSpec) -> Participant:
    """The run's participant, if the variant's permission still holds on them. The
    permission carries the scope (academy, own coach, the werkgever's placement, consent), so
    a rule added to it later (the participant for their own copy) needs nothing here."""
    try:
        pk = uuid.UUID(str(run.parameters.get("participant")))
    except ValueError:
        raise ReportUnavailable(MSG_NOT_ALLOWED) from None
    participant = (
        Participant.objects.select_related(
            "academy", "coach", "current_route__programme", "current_route__cohort"
        )
        .filter(pk=pk, academy_id=run.academy_id)
        .first()
    )
    if participant is None:
        raise ReportUnavailable(MSG_NOT_ALLOWED)
    if not user.has_perm(spec.permission, participant):
        if spec.needs_work_status_consent and not consent_is_active(
            participant, ConsentScope.EMPLOYER_WORK_STATUS
        ):
            raise ReportUnavailable(MSG_NO_CONSENT)
        raise ReportUnavailable(MSG_NOT_ALLOWED)
    if participant.current_route is None:
        raise ReportUnavailable(MSG_NO_ROUTE)
    return participant


def _release_check(
    run: ReportRun, user: User, participant: Participant, spec: VariantSpec, pdf: bytes
) -> None:
    """Stop the release when the PDF holds a secret of the participant: one audit event
    (kind of data found, never the text), a warning in the log, and the run fails."""
    found = release_check(participant=participant, pdf=pdf, checks=spec.guard)
    if not found:
        return
    audit_log(
        actor=user,
        action=Action.EXPORT,
        obj=run,
        participant=participant,
        detail={"blocked": True, "variant": spec.name, "kind": run.kind, "found": found},
    )
    logger.warning(
        "Dossier release stopped: run %s, variant %s, found %s", run.pk, spec.name, found
    )
    raise ReportUnavailable(MSG_BLOCKED)


def dossier_make(
    run: ReportRun, user: User, participant: Participant, route: Route, spec: VariantSpec
) -> bytes:
    """One checked PDF (raises ReportUnavailable when the guard stops it)."""
    dossier = dossier_build(
        participant=participant, route=route, spec=spec, today=timezone.localdate()
    )
    pdf = dossier_pdf(dossier)
    _release_check(run, user, participant, spec, pdf)
    return pdf


def person_slug(participant: Participant) -> str:
    """A file-name-safe name: ASCII letters, digits and dashes only (no path characters)."""
    return slugify(f"{participant.last_name} {participant.first_name}") or participant.pk.hex[:8]


def _recipient(run: ReportRun, participant: Participant, spec: VariantSpec) -> Employer | None:
    """The employer an employer's copy is for: the werkgever's own employer, or for the
    academy's staff the employer of the participant's main placement running today (the
    oldest, should there be two). None for the other variants."""
    if not spec.own_employer_placements_only:
        return None
    if run.role == Role.WERKGEVER:
        membership = Membership.objects.filter(
            user_id=run.requested_by_id, academy_id=run.academy_id, role=run.role
        ).first()
        employer_id = membership.employer_id if membership else None
    else:
        today = timezone.localdate()
        employer_id = (
            Placement.objects.filter(participant=participant, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exclude(kind__in=MINI_STAGE_KINDS)
            .order_by("start_date", "pk")
            .values_list("employer_id", flat=True)
            .first()
        )
    employer = Employer.objects.filter(pk=employer_id, academy_id=run.academy_id).first()
    if employer is None:
        raise ReportUnavailable(MSG_NO_EMPLOYER)
    return employer


def _generate(run: ReportRun, progress: ProgressCallback, spec: VariantSpec):
    user = _requester(run)
    participant = _participant(run, user, spec)
    employer = _recipient(run, participant, spec)
    with translation.override(_language(run)):
        progress(10, MSG_COLLECTING)
        dossier = dossier_build(
            participant=participant,
            route=participant.current_route,
            spec=spec,
            today=timezone.localdate(),
            employer=employer,
        )
        progress(30, MSG_RENDERING)
        pdf = dossier_pdf(dossier)
    progress(85, MSG_CHECKING)
    _release_check(run, user, participant, spec, pdf)
    # Kept before the file is: a download checks these consents again.
    ReportRun.objects.filter(pk=run.pk).update(consents_used=consents_depended_on(dossier, spec))
    filename = f"dossier-{person_slug(participant)}-{spec.slug}-{timezone.localdate():%Y-%m-%d}"
    return f"{filename}.pdf", pdf


@report_kind_register(
    INTERNAL_SPEC.kind,
    label=gettext_lazy("Progress dossier, internal (PDF)"),
    permission=INTERNAL_SPEC.permission,
)
def dossier_internal(run, progress):
    """The academy's own copy, for the regisseur."""
    return _generate(run, progress, INTERNAL_SPEC)


@report_kind_register(
    PARTICIPANT_SPEC.kind,
    label=gettext_lazy("Progress dossier, the participant's own copy (PDF)"),
    permission=PARTICIPANT_SPEC.permission,
)
def dossier_participant(run, progress):
    """The young person's own copy, in plain language. Requested by the regisseur or the own
    coach now; once the participant portal exists, a rule on reporting.dossier_participant
    can let the participant ask for their own (the generator needs no change)."""
    return _generate(run, progress, PARTICIPANT_SPEC)


@report_kind_register(
    EMPLOYER_SPEC.kind,
    label=gettext_lazy("Work status for the employer (PDF)"),
    permission=EMPLOYER_SPEC.permission,
)
def dossier_employer(run, progress):
    """Work status only, while the participant's consent holds."""
    return _generate(run, progress, EMPLOYER_SPEC)


# --- a cohort's internal dossiers as one ZIP -----------------------------------------------


def _cohort_routes(run: ReportRun, user: User) -> list[Route]:
    try:
        pk = int(run.parameters.get("cohort"))
    except (TypeError, ValueError):
        raise ReportUnavailable(MSG_NO_COHORT) from None
    cohort = cohorts_visible_to(user).filter(pk=pk).first()
    if cohort is None or not user.has_perm("reporting.cohort_dossiers", cohort):
        raise ReportUnavailable(MSG_NO_COHORT)
    routes = list(
        Route.objects.filter(
            cohort=cohort,
            participant__academy_id=run.academy_id,
            participant__anonymised_at__isnull=True,
        )
        .select_related(
            "participant__academy", "participant__coach", "programme", "cohort__programme"
        )
        .order_by("participant__last_name", "participant__first_name", "participant_id", "pk")
    )
    if not routes:
        raise ReportUnavailable(MSG_EMPTY_COHORT)
    return routes


def zip_member_names(participants: list[Participant]) -> list[str]:
    """One safe, unique file name per participant, in order: dossier-<last>-<first>.pdf, with
    -2, -3 for namesakes."""
    names, used = [], set()
    for participant in participants:
        base = f"dossier-{person_slug(participant)}"
        name, n = f"{base}.pdf", 1
        while name in used:
            n += 1
            name = f"{base}-{n}.pdf"
        used.add(name)
        names.append(name)
    return names


@report_kind_register(
    COHORT_KIND,
    label=gettext_lazy("Internal dossiers of a group (ZIP)"),
    permission="reporting.cohort_dossiers",
)
def cohort_dossiers_zip(run, progress):
    """Every participant of the cohort with a route in it (not anonymised): their internal
    dossier of that route, one PDF each. The bar moves after each dossier."""
    user = _requester(run)
    routes = _cohort_routes(run, user)
    names = zip_member_names([t.participant for t in routes])
    report_run_record_listed(run=run, participant_ids=[t.participant_id for t in routes])
    handle, temp_name = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    path = Path(temp_name)
    try:
        with (
            translation.override(_language(run)),
            zipfile.ZipFile(
                path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive,
        ):
            for i, (route, name) in enumerate(zip(routes, names, strict=True), start=1):
                pdf = dossier_make(run, user, route.participant, route, INTERNAL_SPEC)
                archive.writestr(name, pdf)
                progress(i / len(routes) * 100)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    cohort = routes[0].cohort
    group = slugify(f"{cohort.programme.name} {cohort.name}") or str(cohort.pk)
    return f"dossiers-{group}-{timezone.localdate():%Y-%m-%d}.zip", path
