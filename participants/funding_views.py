"""The regisseur's co-funding form of one route: which funding streams pay it, each with its
share (participants.services.route_funding_set)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from maatwerq import web

from . import forms, services
from .views import PARTICIPANT, _form_page


@web.view("participants.change_route_funding", scope=PARTICIPANT)
def route_funding(request, participant, route):
    """The shares of one of the participant's routes (404 for a route of someone else)."""
    found = participant.routes.filter(pk=route).prefetch_related("fundings").first()
    if found is None:
        raise Http404
    form = forms.RouteFundingForm(web.form_data(request), route=found)
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.route_funding_set(route=found, shares=form.shares(), by=request.user),
        message=_("Funding shares saved."),
        title=_("Funding of the route"),
        submit=_("Save shares"),
        intro=_(
            "When several funders pay for this route together, give each its share; together "
            "they make 100 %%. Leave all empty when %(stream)s pays the whole route."
        )
        % {"stream": participant.get_funding_stream_display()},
    )
