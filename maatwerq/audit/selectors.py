from __future__ import annotations

from django.db.models import QuerySet

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role

from .models import AuditEvent


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Events of the acting academy, for a beheerder or regisseur; nothing for anyone else."""
    membership = active_membership(user)
    if membership is None or membership.role not in {Role.BEHEERDER, Role.REGISSEUR}:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(academy=membership.academy).select_related(
        "participant", "actor"
    )


def audit_events_about(participant) -> QuerySet[AuditEvent]:
    """Who opened, changed or exported a participant's data, newest first: for the
    participant's own "who saw my data" list (portal). Unscoped by design: the caller passes
    the participant from a scoped selector. Only who, in what role, what kind and when; the
    ``detail`` is not for showing there."""
    return (
        AuditEvent.objects.filter(participant=participant, actor__isnull=False)
        .select_related("actor")
        .only("at", "action", "acting_role", "actor_id", "actor__full_name", "actor__email")
        .order_by("-at", "-id")
    )
