"""The regisseur's privacy actions on one participant: inspection export and anonymisation."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from . import privacy
from .selectors import participant_get_for_user


def _participant_for(request, pk, perm: str):
    """404 outside the user's scope; 403 when visible but the action is not theirs."""
    participant = participant_get_for_user(request.user, pk)
    if not request.user.has_perm(perm, participant):
        raise PermissionDenied
    return participant


@login_required
def participant_data_export(request, pk):
    """Download everything recorded about one participant (an inspection request), as JSON:
    BSN and care notes included, so the password is asked again first (allauth's
    reauthentication, as anonymisation does; the download follows once it is given). The
    scope and the permission are checked before that: a refused request sees no password
    page."""
    participant = _participant_for(request, pk, "participants.export_participant_data")
    return _data_export(request, participant=participant)


@reauthentication_required
def _data_export(request, *, participant):
    content = privacy.participant_data_export(
        participant=participant, by=request.user, request=request
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"{_('inspection')}-{participant.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def participant_anonymise(request, pk):
    """A confirmation page with a clear warning; the POST asks for the password again first
    (allauth's reauthentication, which replays the POST once the password is given)."""
    participant = _participant_for(request, pk, "participants.anonymise_participant")
    blocker = privacy.anonymisation_blocker(participant)
    if request.method == "POST" and not blocker:
        return _anonymise(request, participant=participant)
    if request.method == "POST":
        messages.error(request, blocker)
    else:
        audit_log(actor=request.user, action=Action.READ, obj=participant, request=request)
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
    try:
        privacy.participant_anonymise(participant=participant, by=request.user, request=request)
    except ValidationError as error:  # the route changed since the page was shown
        messages.error(request, " ".join(error.messages))
        return redirect("participants:participant_anonymise", pk=participant.pk)
    messages.success(
        request, _("The participant has been anonymised. Their routes still count in reports.")
    )
    return redirect("participants:participant_list")
