from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from rules.contrib.views import permission_required

from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from .selectors import care_notes_visible_to, participant_get_for_user, participants_visible_to


@login_required
@permission_required("participants.list_participants", raise_exception=True)
def participant_list(request):
    visible = participants_visible_to(request.user).select_related(
        "coach", "current_traject__programme", "current_traject__cohort"
    )
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(request, "participants/participant_list.html", {"page_obj": page})


@login_required
def participant_detail(request, pk):
    """One participant's page, within scope (404 outside), logged as a read."""
    participant = participant_get_for_user(request.user, pk)
    care_notes = care_notes_visible_to(request.user, participant)
    audit_log(actor=request.user, action=Action.READ, obj=participant, request=request)
    return render(
        request,
        "participants/participant_detail.html",
        {
            "participant": participant,
            "care_notes": care_notes,
        },
    )
