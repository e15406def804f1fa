from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role

from .models import Action, AuditEvent

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


def audit_events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    """Events of the acting academy, for a beheerder or regisseur; nothing for anyone else."""
    membership = active_membership(user)
    if membership is None or membership.role not in {Role.BEHEERDER, Role.REGISSEUR}:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(academy=membership.academy).select_related(
        "participant", "actor"
    )


def audit_events_about(participant: Model) -> QuerySet[AuditEvent]:
    """Who opened, changed or exported a participant's data, newest first: for the
    participant's own "who saw my data" list (portal). Unscoped by design: the caller passes
    the participant from a scoped selector. Only who, in what role, what kind and when; the
    ``detail`` is not for showing there. A refused attempt (403/404) is not a look at the
    data: it is in the academy's log, not here."""
    return (
        AuditEvent.objects.filter(participant_id=participant.pk, actor__isnull=False)
        .exclude(action=Action.REFUSED)
        .select_related("actor")
        .only("at", "action", "acting_role", "actor_id", "actor__full_name", "actor__email")
        .order_by("-at", "-id")
    )


def audit_listings_about(participant: Model) -> QuerySet[AuditEvent]:
    """The lists and exports that showed the participant among others (one event each, found
    through its listed rows: AuditEventParticipant), newest first, for the same page: who, in
    what role, a list (READ) or an export, and when. One query, through the listed rows'
    (participant, event) index."""
    return (
        AuditEvent.objects.filter(listed__participant_id=participant.pk, actor__isnull=False)
        .select_related("actor")
        .only("at", "action", "acting_role", "actor_id", "actor__full_name", "actor__email")
        .order_by("-at", "-id")
    )
