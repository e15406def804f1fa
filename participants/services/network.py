"""The network around the participant: parent, school mentor, trajectbegeleider, youth care."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..models import NetworkContact, Participant


def _contact_fill(contact: NetworkContact, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(contact, name) != value]
    for name, value in values.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.full_clean(exclude=["participant"])
    return changed


@transaction.atomic
def network_contact_add(
    *,
    participant: Participant,
    role: str,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    involved_in_goals: bool = False,
    by: User,
) -> NetworkContact:
    """Add someone around the participant. Side effects: creates the NetworkContact; one
    CREATE audit event."""
    contact = NetworkContact(participant=participant)
    _contact_fill(
        contact,
        {
            "role": role,
            "name": name,
            "organisation": organisation,
            "phone": phone,
            "email": email,
            "involved_in_goals": involved_in_goals,
        },
    )
    contact.save()
    audit_log(actor=by, action=Action.CREATE, obj=contact, detail={"role": contact.role})
    return contact


@transaction.atomic
def network_contact_update(
    *,
    contact: NetworkContact,
    role: str,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    involved_in_goals: bool = False,
    by: User,
) -> NetworkContact:
    """Change a network contact. Side effects: saves it; one UPDATE audit event naming the
    changed fields."""
    contact = NetworkContact.objects.select_for_update().get(pk=contact.pk)
    changed = _contact_fill(
        contact,
        {
            "role": role,
            "name": name,
            "organisation": organisation,
            "phone": phone,
            "email": email,
            "involved_in_goals": involved_in_goals,
        },
    )
    contact.save()
    audit_log(actor=by, action=Action.UPDATE, obj=contact, detail={"fields": changed})
    return contact


@transaction.atomic
def network_contact_remove(*, contact: NetworkContact, by: User) -> None:
    """Remove a network contact. Side effects: deletes it; one DELETE audit event (written
    first, while the row still has its id)."""
    audit_log(actor=by, action=Action.DELETE, obj=contact, detail={"role": contact.role})
    contact.delete()
