"""Privacy rights (AVG/GDPR): an inspection request and anonymisation after the retention period.

Both are for the regisseur (rules: participants.export_participant_data and
participants.anonymise_participant) and both leave an audit event.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq.audit.models import Action, AuditEvent
from maatwerq.audit.services import audit_log

from .hooks import inspection_sections
from .models import (
    CareNote,
    Consent,
    FollowUp,
    Handover,
    NetworkContact,
    Participant,
    Route,
    StatusChange,
)

# How long a participant's file is kept after their last route ended. Two years covers the
# follow-up checks at 6 and 12 months and the funders' accounting over the last project year;
# after that the person may be anonymised. A constant, not a setting: changing it is a policy
# decision for code review, not something one installation quietly turns.
RETENTION_YEARS = 2

ANONYMISED_NAME = "Geanonimiseerd"


# --- inspection request --------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _choice(obj, field: str) -> str:
    value = getattr(obj, field)
    return str(getattr(obj, f"get_{field}_display")()) if value else ""


def _person(p: Participant) -> dict[str, Any]:
    return {
        "id": str(p.pk),
        "first_name": p.first_name,
        "last_name": p.last_name,
        "date_of_birth": _day(p.date_of_birth),
        "email": p.email,
        "phone": p.phone,
        "street": p.street,
        "postcode": p.postcode,
        "city": p.city,
        "bsn": p.bsn,
        "prior_education": _choice(p, "prior_education"),
        "funding_stream": _choice(p, "funding_stream"),
        "lead_organisation": _choice(p, "lead_organisation"),
        "lead_organisation_name": p.lead_organisation_name,
        "coach": str(p.coach) if p.coach else "",
        "academy": str(p.academy),
        "registered_on": _day(timezone.localdate(p.created_at)),
        "anonymised_at": p.anonymised_at.isoformat() if p.anonymised_at else None,
    }


def _route(t: Route) -> dict[str, Any]:
    return {
        "programme": t.programme.name,
        "cohort": t.cohort.name if t.cohort else "",
        "route_type": _choice(t, "route_type"),
        "school": t.school,
        "status": _choice(t, "status"),
        "referral_date": _day(t.referral_date),
        "referral_source": _choice(t, "referral_source"),
        "referring_organisation": t.referring_organisation,
        "referrer_contact": t.referrer_contact,
        "intake_date": _day(t.intake_date),
        "intake_outcome": _choice(t, "intake_outcome"),
        "intake_outcome_reason": t.intake_outcome_reason,
        "start_date": _day(t.start_date),
        "trial_start_date": _day(t.trial_start_date),
        "contract_date": _day(t.contract_date),
        "end_date": _day(t.end_date),
        "dropout_reason": _choice(t, "dropout_reason"),
        "dropout_phase": _choice(t, "dropout_phase"),
        "destination": _choice(t, "destination"),
        "contract_type": _choice(t, "contract_type"),
        "contract_hours": t.contract_hours,
        "still_on_benefit": t.still_on_benefit,
        "outcome": _choice(t, "outcome_category"),
        "outcome_reason": _choice(t, "outcome_reason"),
        "outflow_notes": t.outflow_notes,
        "status_history": [
            {
                "date": _day(c.on_date),
                "from": _choice(c, "from_status"),
                "to": _choice(c, "to_status"),
                "undo": c.is_undo,
                "reason": c.reason,
                "by": str(c.by) if c.by else "",
            }
            for c in sorted(t.status_changes.all(), key=lambda c: (c.created_at, c.pk))
        ],
        "follow_ups": [
            {
                "months_after": f.months_after,
                "due_on": _day(f.due_on),
                "done_on": _day(f.done_on),
                "situation": _choice(f, "situation"),
                "notes": f.notes,
            }
            for f in t.follow_ups.all()
        ],
        "funding_shares": [
            {"stream": _choice(f, "stream"), "share_percent": f.share_percent}
            for f in t.fundings.all()
        ],
    }


def participant_data(participant: Participant) -> dict[str, Any]:
    """Everything recorded about one person, readable: person, routes with their status
    history and follow-ups, handovers, network, consents, care notes, placements, and who
    looked at or changed the record (role and moment; staff are not named)."""
    p = (
        Participant.objects.select_related("coach", "academy")
        .prefetch_related(
            "routes__programme",
            "routes__cohort",
            "routes__status_changes__by",
            "routes__follow_ups",
            "routes__fundings",
            "handovers",
            "network",
            "consents",
            "care_notes__author",
            "placements__employer",
        )
        .get(pk=participant.pk)
    )
    access = AuditEvent.objects.filter(participant=p).order_by("at")
    return {
        "participant": _person(p),
        "routes": [_route(t) for t in sorted(p.routes.all(), key=lambda t: t.referral_date)],
        "handovers": [
            {
                "date": _day(h.on_date),
                "from": _choice(h, "from_organisation"),
                "from_name": h.from_name,
                "to": _choice(h, "to_organisation"),
                "to_name": h.to_name,
                "notes": h.notes,
            }
            for h in p.handovers.all()
        ],
        "network": [
            {
                "role": _choice(n, "role"),
                "name": n.name,
                "organisation": n.organisation,
                "phone": n.phone,
                "email": n.email,
                "involved_in_goals": n.involved_in_goals,
            }
            for n in p.network.all()
        ],
        "consents": [
            {
                "for": _choice(c, "scope"),
                "organisation": c.organisation,
                "given_on": _day(c.given_on),
                "given_by": _choice(c, "given_by"),
                "given_by_name": c.given_by_name,
                "withdrawn_on": _day(c.withdrawn_on),
            }
            for c in p.consents.all()
        ],
        "care_notes": [
            {"date": _day(n.written_on), "author": str(n.author or ""), "text": n.text}
            for n in p.care_notes.all()
        ],
        "placements": [
            {
                "employer": str(pl.employer),
                "start_date": _day(pl.start_date),
                "end_date": _day(pl.end_date),
            }
            for pl in p.placements.all()
        ],
        "access_log": [
            {
                "at": e.at.isoformat(),
                "action": _choice(e, "action"),
                "role": e.acting_role,
            }
            for e in access
        ],
        # Data other apps keep about the person (participants.hooks), e.g. the ESF+ record.
        **inspection_sections(p),
    }


def participant_data_export(*, participant: Participant, by, request=None) -> bytes:
    """An inspection request (inzageverzoek): all data of one participant as JSON.

    Side effects: one audit event (action export, detail what=inspection_request).
    """
    data = participant_data(participant)
    audit_log(
        actor=by,
        action=Action.EXPORT,
        obj=participant,
        request=request,
        detail={"what": "inspection_request"},
    )
    data["exported_at"] = timezone.now().isoformat()
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


# --- anonymisation -------------------------------------------------------------------------


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def last_route_ended_on(participant: Participant) -> date | None:
    """When the person's last route ended; None while a route still runs.

    A route without an end date (a referral that was not admitted, say) counts from its
    last status change, or else its referral date; a person without routes from registration.
    """
    routes = list(
        participant.routes.annotate(last_change=Max("status_changes__on_date")).only(
            "status", "end_date", "referral_date"
        )
    )
    if not routes:
        return timezone.localdate(participant.created_at)
    if any(not route.is_ended for route in routes):
        return None
    return max(route.end_date or route.last_change or route.referral_date for route in routes)


def anonymisable_from(participant: Participant) -> date | None:
    """The first day this person may be anonymised; None while a route runs."""
    ended = last_route_ended_on(participant)
    return _add_years(ended, RETENTION_YEARS) if ended else None


def anonymisation_blocker(participant: Participant, *, today: date | None = None) -> str:
    """Why this person cannot be anonymised (yet), or "" when they can."""
    today = today or timezone.localdate()
    if participant.anonymised_at is not None:
        return _("This person has already been anonymised.")
    allowed_from = anonymisable_from(participant)
    if allowed_from is None:
        return _("This person has a running route. A file is kept until two years after it ends.")
    if today < allowed_from:
        return _(
            "The last route ended less than two years ago. This person can be anonymised from "
            "%(date)s."
        ) % {"date": date_format(allowed_from)}
    return ""


@transaction.atomic
def participant_anonymise(*, participant: Participant, by, request=None, today=None) -> Participant:
    """Remove the person from the record, keeping the rows that reports count.

    Only once the last route ended more than RETENTION_YEARS ago (ValidationError otherwise).
    Side effects: names become "Geanonimiseerd", the date of birth 1 January of the birth year;
    contact details, address, BSN and the lead organisation's name are cleared; care notes keep
    their date but lose their text; network contacts are deleted; consents stay without the
    name of who gave them; free text on routes, status changes, handovers and follow-ups is
    cleared; anonymised_at is set; one audit event (action delete, detail what=anonymise).
    Routes, statuses, outcomes, placements and follow-up results stay for the counts.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    blocker = anonymisation_blocker(participant, today=today)
    if blocker:
        raise ValidationError(blocker)
    participant.first_name = ANONYMISED_NAME
    participant.last_name = ""
    participant.date_of_birth = participant.date_of_birth.replace(month=1, day=1)
    for name in ("email", "phone", "street", "postcode", "city", "bsn", "lead_organisation_name"):
        setattr(participant, name, "")
    participant.anonymised_at = timezone.now()
    participant.save()
    routes = Route.objects.filter(participant=participant)
    CareNote.objects.filter(participant=participant).update(text="")
    NetworkContact.objects.filter(participant=participant).delete()
    Consent.objects.filter(participant=participant).update(given_by_name="")
    Handover.objects.filter(participant=participant).update(from_name="", to_name="", notes="")
    routes.update(
        referrer_contact="", intake_outcome_reason="", outflow_notes="", referring_organisation=""
    )
    StatusChange.objects.filter(route__in=routes).update(reason="")
    FollowUp.objects.filter(route__in=routes).update(notes="")
    audit_log(
        actor=by,
        action=Action.DELETE,
        obj=participant,
        request=request,
        detail={"what": "anonymise"},
    )
    return participant
