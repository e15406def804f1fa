"""What every route service shares: refusals keyed to a field, the route lock, numbering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant, Route

if TYPE_CHECKING:
    from ..models import Analysis, Arrangement, LifeDomain


class OnDomain(Protocol):
    """A row given per life domain (qfit.DomainAnalysis, qfit.DomainSupport)."""

    @property
    def domain(self) -> LifeDomain: ...


def today() -> date:
    return timezone.localdate()


def refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def check_not_future(field: str, day: date) -> None:
    if day > today():
        raise refuse(field, _("This date is in the future."))


def current_route(participant: Participant) -> Route:
    route = participant.current_route
    if route is None:
        raise refuse(None, _("This participant has no route yet."))
    return route


def lock_route(route: Route) -> Route:
    """Serialise writes to one route (versions are numbered per route)."""
    return Route.objects.select_for_update().get(pk=route.pk)


def next_number(model: type[Analysis | Arrangement], route: Route) -> int:
    last = model.objects.filter(route=route).order_by("-number").values("number").first()
    return (last["number"] if last else 0) + 1


def check_domains(domains: Sequence[OnDomain], academy_id: int) -> None:
    seen: set[int] = set()
    for item in domains:
        if item.domain.academy_id != academy_id:
            raise refuse(None, _("A life domain of another academy was given."))
        if item.domain.pk in seen:
            raise refuse(None, _("A life domain was given twice."))
        seen.add(item.domain.pk)


def sent_detail(client_uuid: UUID | None, made_at: datetime | None) -> dict[str, str] | None:
    """The audit detail of a change sent from a phone's queue: its id, when it was made on the
    phone (the phone's clock) and when it arrived here."""
    if client_uuid is None:
        return None
    return {
        "client_uuid": str(client_uuid),
        "made_at": made_at.isoformat() if made_at is not None else "",
        "arrived_at": timezone.now().isoformat(),
    }
