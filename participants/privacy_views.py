"""The regisseur's privacy actions on one participant: inspection export and anonymisation."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from maatwerq import web

from . import privacy
from .views import PARTICIPANT


@web.view(
    "participants.export_participant_data",
    scope=PARTICIPANT,
    read=web.Read.NONE,  # the export writes its own EXPORT event
    reauthenticate=True,
)
def participant_data_export(request, participant):
    """Download everything recorded about one participant (an inspection request), as JSON:
    BSN and care notes included, so the password is asked again first (allauth's
    reauthentication, as anonymisation does; the download follows once it is given). The
    scope and the permission are checked before that: a refused request sees no password
    page."""
    content = privacy.participant_data_export(
        participant=participant, by=request.user, request=request
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"{_('inspection')}-{participant.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@web.view("participants.anonymise_participant", scope=PARTICIPANT, read=web.Read.GET)
def participant_anonymise(request, participant):
    """A confirmation page with a clear warning; the POST asks for the password again first
    (allauth's reauthentication, which replays the POST once the password is given)."""
    web.audit_page(request)  # the page's READ names the participant, without a page name
    blocker = privacy.anonymisation_blocker(participant)
    if request.method == "POST" and not blocker:
        return _anonymise(request, participant=participant)
    if request.method == "POST":
        messages.error(request, blocker)
    return render(
        request,
        "participants/participant_anonymise.html",
        {
            "participant": participant,
            "blocker": blocker,
            "retention_years": privacy.RETENTION_YEARS,
        },
    )


@reauthentication_required
def _anonymise(request, *, participant):
    return web.act(
        request,
        lambda: privacy.participant_anonymise(
            participant=participant, by=request.user, request=request
        ),
        done=reverse("participants:participant_list"),
        message=_("The participant has been anonymised. Their routes still count in reports."),
        # the route changed since the page was shown
        refused_to=reverse("participants:participant_anonymise", args=[participant.pk]),
    )
