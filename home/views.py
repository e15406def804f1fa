"""The start page: what the acting role has to do today, across the domain apps."""

from __future__ import annotations

from django.shortcuts import redirect, render

from maatwerq import web
from maatwerq.accounts.models import Role

from .selectors import home_context

HOME_TEMPLATES = {
    Role.COACH: "home/coach.html",
    Role.REGISSEUR: "home/regisseur.html",
    Role.PROJECTLEIDER: "home/projectleider.html",
    Role.WERKGEVER: "home/werkgever.html",
    Role.BEHEERDER: "home/beheerder.html",
    Role.LANDELIJK: "home/landelijk.html",
}


@web.view()
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
        web.audit_list(request, [p.pk for p in context["participants"]], page="home")
    return render(request, HOME_TEMPLATES[membership.role], context)
