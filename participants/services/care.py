"""Care around the person: care notes, and the handover of the lead over their support."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..models import CareNote, Handover, LeadOrganisation, Participant
from ._common import check_not_future, format_day, refuse, today


@transaction.atomic
def handover_record(
    *,
    participant: Participant,
    on_date: date,
    to_organisation: str,
    to_name: str = "",
    notes: str = "",
    by: User,
) -> Handover:
    """Record that the lead over the young person's support moves ("overdragen").

    Side effects: creates a Handover (from = the lead until now), moves
    participant.lead_organisation and lead_organisation_name; one CREATE audit event.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    to_name = to_name.strip()
    if to_organisation not in LeadOrganisation.values:
        raise refuse("to_organisation", _("Choose who takes over the lead."))
    if (to_organisation, to_name) == (
        participant.lead_organisation,
        participant.lead_organisation_name,
    ):
        raise refuse("to_organisation", _("The lead is already there."))
    check_not_future("on_date", on_date)
    last = participant.handovers.order_by("-on_date").first()
    if last is not None and on_date < last.on_date:
        raise refuse(
            "on_date",
            _("The previous handover was on %(date)s; this one can't be earlier.")
            % {"date": format_day(last.on_date)},
        )
    handover = Handover.objects.create(
        participant=participant,
        on_date=on_date,
        from_organisation=participant.lead_organisation,
        from_name=participant.lead_organisation_name,
        to_organisation=to_organisation,
        to_name=to_name,
        notes=notes.strip(),
        by=by,
    )
    participant.lead_organisation = to_organisation
    participant.lead_organisation_name = to_name
    participant.save(update_fields=["lead_organisation", "lead_organisation_name"])
    audit_log(actor=by, action=Action.CREATE, obj=handover)
    return handover


@transaction.atomic
def care_note_add(
    *, participant: Participant, text: str, written_on: date | None = None, by: User
) -> CareNote:
    """Add a care note. Side effects: creates the CareNote; one CREATE audit event (which
    never holds the note's text)."""
    text = text.strip()
    if not text:
        raise refuse("text", _("Write the note."))
    written_on = written_on or today()
    check_not_future("written_on", written_on)
    note = CareNote.objects.create(
        participant=participant, author=by, written_on=written_on, text=text
    )
    audit_log(actor=by, action=Action.CREATE, obj=note)
    return note
