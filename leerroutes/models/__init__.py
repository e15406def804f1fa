"""The Q-fit route of one participant: analysis -> arrangement -> plan (goals), then the
coach's progress log, evaluations (which move the phase), results, certificates and hours.

Everything hangs on the participant's route (participants.Route): a person who comes back
gets a new route and starts a new record. Split along one seam: ``qfit`` (the design of the
route, by the regisseur) and ``tracking`` (following it, by the coach).
"""

from .qfit import (
    ACTIVE_GOAL_STATUSES,
    Analysis,
    AnalysisDomain,
    Arrangement,
    ArrangementDomain,
    Goal,
    GoalKind,
    GoalStatus,
    GoalStatusChange,
    Intensity,
    LifeDomain,
    Phase,
    Plan,
    Supporter,
    SupportNeed,
)
from .tracking import (
    MAX_WEEK_HOURS,
    AssessmentScore,
    Certificate,
    CertificateKind,
    Evaluation,
    Handelingswijzer,
    HoursWeek,
    LeermeesterAssessment,
    ProgressEntry,
    RocResult,
    RocResultKind,
    RouteSummary,
    Wellbeing,
    evidence_path,
)
from .voice import MAX_REFLECTION_LENGTH, Reflection, SelfReportedWellbeing

__all__ = [
    "ACTIVE_GOAL_STATUSES",
    "MAX_REFLECTION_LENGTH",
    "MAX_WEEK_HOURS",
    "Analysis",
    "AnalysisDomain",
    "Arrangement",
    "ArrangementDomain",
    "AssessmentScore",
    "Certificate",
    "CertificateKind",
    "Evaluation",
    "Goal",
    "GoalKind",
    "GoalStatus",
    "GoalStatusChange",
    "Handelingswijzer",
    "HoursWeek",
    "Intensity",
    "LeermeesterAssessment",
    "LifeDomain",
    "Phase",
    "Plan",
    "ProgressEntry",
    "Reflection",
    "RocResult",
    "RocResultKind",
    "RouteSummary",
    "SelfReportedWellbeing",
    "SupportNeed",
    "Supporter",
    "Wellbeing",
    "evidence_path",
]
