"""Asking for dossiers: the buttons of the participant page (the partial
reporting/dossier/_buttons.html posts here) and the regisseur's page of cohort ZIPs.

Each request is a POST that answers with the run's status page (reporting:run_detail), where
the bar moves and the file is downloaded; the download checks access again and writes the
audit event (reporting.views.run_download).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext

from maatwerq import web
from participants.selectors import cohorts_visible_to
from participants.services import add_months
from participants.views import PARTICIPANT

from . import services
from .content import VARIANTS_BY_SLUG


def _language() -> str:
    code = get_language() or settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# The variant's permission is asked by the service (dossier_run_request), with the refusals
# the person can act on; the request itself shows nothing (the download writes the EXPORT).
@web.view(scope=PARTICIPANT, methods=["POST"], read=web.Read.NONE)
def dossier_request(request, participant, variant):
    """One participant's dossier of one variant: 404 outside the user's scope, 403 when the
    variant is not theirs to have; a refusal the person can act on (no consent for the
    employer's copy, no route yet) comes back as a message on the participant page."""
    spec = VARIANTS_BY_SLUG.get(variant)
    if spec is None:
        raise Http404
    try:
        run = services.dossier_run_request(
            participant=participant, spec=spec, by=request.user, language=_language()
        )
    except services.DossierRefused as refusal:
        messages.error(request, gettext(refusal.message))
        return redirect("participants:participant_detail", participant.pk)
    return redirect("reporting:run_detail", run.pk)


@web.view("reporting.cohort_dossiers")
def cohort_dossiers(request):
    """The academy's groups, each with a button for all its internal dossiers as one ZIP."""
    cohorts = cohorts_visible_to(request.user).annotate(
        members=Count("routes", filter=Q(routes__participant__anonymised_at__isnull=True))
    )
    return render(
        request,
        "reporting/dossier/cohort_dossiers.html",
        {"cohorts": cohorts_current_first(cohorts, timezone.localdate())},
    )


def cohorts_current_first(cohorts, today: date) -> list:
    """The groups running today first (the latest start first), then those still to start
    (the soonest first), then the ended ones (the latest first); each with ``phase``."""
    running, upcoming, ended = [], [], []
    for cohort in cohorts:
        end = add_months(cohort.start_date, 6 * cohort.duration_half_years)
        if cohort.start_date > today:
            cohort.phase = "upcoming"
            upcoming.append(cohort)
        elif end > today:
            cohort.phase = "running"
            running.append(cohort)
        else:
            cohort.phase = "ended"
            ended.append(cohort)
    running.sort(key=lambda c: c.start_date, reverse=True)
    upcoming.sort(key=lambda c: c.start_date)
    ended.sort(key=lambda c: c.start_date, reverse=True)
    return running + upcoming + ended


@web.view("reporting.cohort_dossiers", methods=["POST"], reauthenticate=True)
def cohort_dossiers_request(request, pk):
    """A bulk export: the password is asked again first (allauth's reauthentication, which
    replays this POST)."""
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    run = services.cohort_dossiers_request(cohort=cohort, by=request.user, language=_language())
    return redirect("reporting:run_detail", run.pk)
