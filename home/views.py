from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from maatwerq.accounts.models import Role
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log_list

from .selectors import home_context

HOME_TEMPLATES = {
    Role.COACH: "home/coach.html",
    Role.REGISSEUR: "home/regisseur.html",
    Role.PROJECTLEIDER: "home/projectleider.html",
    Role.WERKGEVER: "home/werkgever.html",
    Role.BEHEERDER: "home/beheerder.html",
    Role.LANDELIJK: "home/landelijk.html",
}


@login_required
def home(request):
    """The start page of the acting role; a clear message for a user without a role."""
    membership = request.membership
    if membership is not None and membership.role == Role.DEELNEMER:
        return redirect("portal:home")  # the participant's own view
    if membership is None or membership.role not in HOME_TEMPLATES:
        return render(request, "home/no_role.html", status=403)
    context = home_context(request.user, membership)
    if context.get("participants"):
        # The start page lists people by name: one event naming those shown.
        audit_log_list(
            actor=request.user,
            action=Action.READ,
            participant_ids=[p.pk for p in context["participants"]],
            request=request,
            detail={"page": "home"},
        )
    return render(request, HOME_TEMPLATES[membership.role], context)
