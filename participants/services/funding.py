"""Co-funding: which funding streams pay for a route, each with its share. A route without
shares is paid 100 % by its participant's funding stream (Participant.funding_stream)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..models import FundingStream, Route, RouteFunding
from ._common import refuse

WHOLE = 100


def route_shares(route: Route) -> dict[str, int]:
    """The route's shares per stream: its RouteFunding rows, or else 100 % for the
    participant's own stream."""
    rows = {f.stream: f.share_percent for f in route.fundings.all()}
    return rows or {route.participant.funding_stream: WHOLE}


def route_funding_set(*, route: Route, shares: dict[str, int | None], by: User) -> Route:
    """Replace the funding shares of a route with ``shares`` (stream -> percent; empty and 0
    are left out). No share at all clears them: the participant's stream pays all.

    Refuses (ValidationError beside the first share filled in) shares that do not add up to
    100 or a stream that is not one of FundingStream.
    Side effects: deletes and creates the RouteFunding rows; one UPDATE audit event naming
    the participant, with the shares (streams and percents: no personal data)."""
    given = {stream: int(share) for stream, share in shares.items() if share}
    unknown = set(given) - set(FundingStream.values)
    if unknown:
        raise refuse(None, _("Unknown funding stream."))
    total = sum(given.values())
    if given and total != WHOLE:
        raise refuse(
            f"share_{next(iter(given))}",
            _("The shares add up to %(total)d %%; together they must make 100 %%.")
            % {"total": total},
        )
    with transaction.atomic():
        route = Route.objects.select_for_update().select_related("participant").get(pk=route.pk)
        RouteFunding.objects.filter(route=route).delete()
        RouteFunding.objects.bulk_create(
            RouteFunding(route=route, stream=stream, share_percent=share)
            for stream, share in given.items()
        )
        audit_log(
            actor=by,
            action=Action.UPDATE,
            obj=route,
            participant=route.participant,
            detail={"what": "route_funding", "shares": given},
        )
    return route
