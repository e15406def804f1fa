"""State changes of a route: one function per change.

Every function validates first, writes inside one transaction and records exactly one audit
event. Bad input raises ValidationError keyed to the form field that holds it and leaves the
database as it was. Who may call which function is decided in rules.py; views check it.
The participant passed in always comes from a scoped selector. Split along the same seam as
the models: ``qfit`` (the route's design) and ``tracking`` (following it).
"""

from .qfit import (
    DomainAnalysis,
    DomainSupport,
    GoalData,
    GoalVersionMovedError,
    analysis_create,
    arrangement_create,
    goal_snapshot,
    goal_status_change,
    goal_status_receive,
    life_domains_ensure,
    phases_ensure,
    plan_agreement_record,
    plan_save,
    plan_sign_off,
)
from .tracking import (
    HANDELINGSWIJZER_FIELDS,
    MAX_EVIDENCE_BYTES,
    assessment_record,
    certificate_add,
    evaluation_record,
    evidence_check,
    handelingswijzer_save,
    hours_confirm,
    hours_record,
    monday_of,
    progress_entry_add,
    progress_entry_receive,
    roc_result_record,
    route_summaries_refresh,
)

__all__ = [
    "HANDELINGSWIJZER_FIELDS",
    "MAX_EVIDENCE_BYTES",
    "DomainAnalysis",
    "DomainSupport",
    "GoalData",
    "GoalVersionMovedError",
    "analysis_create",
    "arrangement_create",
    "assessment_record",
    "certificate_add",
    "evaluation_record",
    "evidence_check",
    "goal_snapshot",
    "goal_status_change",
    "goal_status_receive",
    "handelingswijzer_save",
    "hours_confirm",
    "hours_record",
    "life_domains_ensure",
    "monday_of",
    "phases_ensure",
    "plan_agreement_record",
    "plan_save",
    "plan_sign_off",
    "progress_entry_add",
    "progress_entry_receive",
    "roc_result_record",
    "route_summaries_refresh",
]
