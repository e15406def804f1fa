"""How an ended route is counted in evaluations (domain.md, "Outcome categories").

Kept pure (no database, no dates) so that the one table every report relies on is tested on
its own and cannot drift between the completion and the drop-out services.
"""

from __future__ import annotations

from .models import Destination, DropoutReason, OutcomeCategory, OutcomeReason

_NEGATIVE_REASONS: dict[str, str] = {
    DropoutReason.DISMISSED: OutcomeReason.DISMISSED,
    DropoutReason.MOTIVATION: OutcomeReason.MOTIVATION,
    DropoutReason.PROBLEMS: OutcomeReason.PROBLEMS,
}
_OTHER_REASONS: dict[str, str] = {
    DropoutReason.MOVED: OutcomeReason.MOVED,
    DropoutReason.PREGNANCY: OutcomeReason.PREGNANCY,
}


def outcome_derive(
    *, destination: str, dropout_reason: str = "", wajong_granted: bool = False
) -> tuple[str, str]:
    """The (outcome_category, outcome_reason) of an ended route.

    In order: a job or education is successful, whatever the route's end looked like (someone
    dismissed by the host who found work elsewhere still has a job), and so is leaving for
    other work; then a drop-out for
    dismissal, too little motivation or worse problems is negative; everything else is
    "other", with the most telling reason (Wajong granted, moved, pregnancy, day activities),
    and "unknown" only when nothing is known. Every ended route gets exactly one category.
    """
    if destination in {Destination.JOB_HOST, Destination.JOB_ELSEWHERE}:
        return OutcomeCategory.SUCCESSFUL, OutcomeReason.JOB
    if destination == Destination.EDUCATION:
        return OutcomeCategory.SUCCESSFUL, OutcomeReason.EDUCATION
    if dropout_reason == DropoutReason.OTHER_JOB:
        return OutcomeCategory.SUCCESSFUL, OutcomeReason.JOB
    if dropout_reason in _NEGATIVE_REASONS:
        return OutcomeCategory.NEGATIVE, _NEGATIVE_REASONS[dropout_reason]
    if wajong_granted:
        return OutcomeCategory.OTHER, OutcomeReason.WAJONG
    if dropout_reason in _OTHER_REASONS:
        return OutcomeCategory.OTHER, _OTHER_REASONS[dropout_reason]
    if destination == Destination.DAY_ACTIVITIES:
        return OutcomeCategory.OTHER, OutcomeReason.DAY_ACTIVITIES
    if destination == Destination.UNKNOWN and not dropout_reason:
        return OutcomeCategory.OTHER, OutcomeReason.UNKNOWN
    return OutcomeCategory.OTHER, OutcomeReason.OTHER
