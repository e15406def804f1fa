"""Asking for a dossier: the checks a person gets a clear answer to, then a ReportRun.

The file itself is made by the kind's generator (reporting.dossier.kinds), which checks the
same things again when it runs: a consent may be withdrawn in between.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_noop

from maatwerq.accounts.models import User
from participants.models import Cohort, ConsentScope, Participant
from participants.selectors import consent_is_active

from ..models import ReportRun
from ..services import report_run_request
from .content import VariantSpec

MSG_NO_CONSENT = gettext_noop(
    "The employer's copy needs the participant's consent to share their work status with "
    "the employer. Record the consent first; without it no employer's copy is made."
)
MSG_NO_ROUTE = gettext_noop("This participant has no route yet, so there is no dossier to make.")
COHORT_KIND = "cohort_dossiers_zip"


class DossierRefused(Exception):  # noqa: N818 - reads as the answer, like PermissionDenied
    """The dossier cannot be asked for now. ``message`` is an English msgid for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def dossier_parameters(*, participant: Participant, language: str) -> dict[str, str]:
    """Ids and a language code only (the broker stores them)."""
    return {"participant": str(participant.pk), "language": language}


def dossier_run_request(
    *, participant: Participant, spec: VariantSpec, by: User, language: str
) -> ReportRun:
    """Ask for one participant's dossier of variant ``spec`` in the background.

    ``participant`` comes from a scoped selector. Raises DossierRefused when the employer's
    copy lacks the participant's consent (only told to those who prepare it: the regisseur
    and the own coach) or the participant has no route; PermissionDenied when ``by`` may not
    have this variant of this participant.
    Side effects: those of reporting.services.report_run_request (a queued run, its task
    enqueued on commit; an identical running request is reused).
    """
    if (
        spec.needs_work_status_consent
        and by.has_perm("reporting.hand_over_dossier", participant)
        and not consent_is_active(
            participant, ConsentScope.EMPLOYER_WORK_STATUS, timezone.localdate()
        )
    ):
        raise DossierRefused(MSG_NO_CONSENT)
    if not by.has_perm(spec.permission, participant):
        raise PermissionDenied
    if participant.current_route_id is None:
        raise DossierRefused(MSG_NO_ROUTE)
    return report_run_request(
        kind=spec.kind,
        parameters=dossier_parameters(participant=participant, language=language),
        by=by,
    )


def cohort_dossiers_request(*, cohort: Cohort, by: User, language: str) -> ReportRun:
    """Ask for the internal dossiers of a whole cohort as one ZIP (``cohort`` from a scoped
    selector). Raises PermissionDenied unless ``by`` may (the academy's regisseur).
    Side effects: those of reporting.services.report_run_request."""
    if not by.has_perm("reporting.cohort_dossiers", cohort):
        raise PermissionDenied
    return report_run_request(
        kind=COHORT_KIND, parameters={"cohort": cohort.pk, "language": language}, by=by
    )
