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
