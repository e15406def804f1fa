"""State changes of a participant's record: one function per change.

Every function validates first, writes inside one transaction and records exactly one audit
event. Bad input raises ValidationError keyed to the form field that holds it, and leaves the
database as it was. Who may call which function is decided in rules.py; views check it.
Split by entity: ``person`` (the person and their routes), ``pipeline`` (a route's status
steps and their undo), ``care`` (care notes, handover), ``network``, ``consent``,
``follow_up`` (nazorg) and ``funding`` (co-funding shares). Callers import from here, never
from the modules.
"""

from ._common import MAX_AGE, MIN_AGE, add_months, age_on
from .care import care_note_add, handover_record
from .consent import (
    consent_give,
    consent_request_answer,
    consent_request_ask,
    consent_request_withdraw,
    consent_withdraw,
)
from .follow_up import FOLLOW_UP_MONTHS, follow_up_record, follow_ups_mark_due
from .funding import route_funding_set, route_shares
from .network import network_contact_add, network_contact_remove, network_contact_update
from .person import (
    PersonData,
    ReferralData,
    participant_create,
    participant_update,
    route_create,
    route_type_age_warning,
)
from .pipeline import (
    INDIVIDUAL_ROUTE_MAX_MONTHS,
    INDIVIDUAL_ROUTE_TYPES,
    OUTFLOW_FIELDS,
    PIPELINE,
    STARTED,
    STEP_DATE_FIELD,
    UNDO_CLEARS,
    individual_route_last_day,
    route_complete,
    route_contract_record,
    route_drop_out,
    route_intake_record,
    route_start,
    route_step_undo,
    route_trial_start,
)

__all__ = [
    "FOLLOW_UP_MONTHS",
    "INDIVIDUAL_ROUTE_MAX_MONTHS",
    "INDIVIDUAL_ROUTE_TYPES",
    "MAX_AGE",
    "MIN_AGE",
    "OUTFLOW_FIELDS",
    "PIPELINE",
    "STARTED",
    "STEP_DATE_FIELD",
    "UNDO_CLEARS",
    "PersonData",
    "ReferralData",
    "add_months",
    "age_on",
    "care_note_add",
    "consent_give",
    "consent_request_answer",
    "consent_request_ask",
    "consent_request_withdraw",
    "consent_withdraw",
    "follow_up_record",
    "follow_ups_mark_due",
    "handover_record",
    "individual_route_last_day",
    "network_contact_add",
    "network_contact_remove",
    "network_contact_update",
    "participant_create",
    "participant_update",
    "route_complete",
    "route_contract_record",
    "route_create",
    "route_drop_out",
    "route_funding_set",
    "route_intake_record",
    "route_shares",
    "route_start",
    "route_step_undo",
    "route_trial_start",
    "route_type_age_warning",
]
