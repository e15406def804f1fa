"""The outcome table of domain.md: successful = job or education; negative = dismissed, too
little motivation, problems got worse; other = moved, pregnancy, Wajong, day activities..."""

from __future__ import annotations

import pytest

from participants.models import Destination, DropoutReason, OutcomeCategory, OutcomeReason
from participants.outcomes import outcome_derive

# Short names keep the table readable (W: "why", the outcome reason).
D, R, C, W = Destination, DropoutReason, OutcomeCategory, OutcomeReason


@pytest.mark.parametrize(
    ("destination", "dropout_reason", "wajong", "expected"),
    [
        # Completed routes: the destination decides.
        (D.JOB_HOST, "", False, (C.SUCCESSFUL, W.JOB)),
        (D.JOB_ELSEWHERE, "", False, (C.SUCCESSFUL, W.JOB)),
        (D.EDUCATION, "", False, (C.SUCCESSFUL, W.EDUCATION)),
        (D.DAY_ACTIVITIES, "", False, (C.OTHER, W.DAY_ACTIVITIES)),
        (D.BENEFIT, "", False, (C.OTHER, W.OTHER)),
        (D.BENEFIT, "", True, (C.OTHER, W.WAJONG)),
        (D.UNKNOWN, "", False, (C.OTHER, W.UNKNOWN)),
        # Drop-outs: a job or school still counts as successful.
        (D.JOB_ELSEWHERE, R.DISMISSED, False, (C.SUCCESSFUL, W.JOB)),
        (D.EDUCATION, R.MOTIVATION, False, (C.SUCCESSFUL, W.EDUCATION)),
        (D.UNKNOWN, R.OTHER_JOB, False, (C.SUCCESSFUL, W.JOB)),
        # The negative reasons.
        (D.UNKNOWN, R.DISMISSED, False, (C.NEGATIVE, W.DISMISSED)),
        (D.BENEFIT, R.MOTIVATION, False, (C.NEGATIVE, W.MOTIVATION)),
        (D.UNKNOWN, R.PROBLEMS, True, (C.NEGATIVE, W.PROBLEMS)),
        # Other, with the telling reason.
        (D.UNKNOWN, R.MOVED, False, (C.OTHER, W.MOVED)),
        (D.BENEFIT, R.PREGNANCY, False, (C.OTHER, W.PREGNANCY)),
        (D.BENEFIT, R.HEALTH, True, (C.OTHER, W.WAJONG)),
        (D.DAY_ACTIVITIES, R.HEALTH, False, (C.OTHER, W.DAY_ACTIVITIES)),
        (D.UNKNOWN, R.HEALTH, False, (C.OTHER, W.OTHER)),
        (D.UNKNOWN, R.DETENTION, False, (C.OTHER, W.OTHER)),
        (D.UNKNOWN, R.OTHER, False, (C.OTHER, W.OTHER)),
    ],
)
def test_outcome_derive_table(destination, dropout_reason, wajong, expected):
    assert (
        outcome_derive(
            destination=destination, dropout_reason=dropout_reason, wajong_granted=wajong
        )
        == expected
    )


@pytest.mark.parametrize("destination", D.values)
@pytest.mark.parametrize("dropout_reason", ["", *R.values])
@pytest.mark.parametrize("wajong", [False, True])
def test_outcome_derive_every_combination_gets_exactly_one_known_category(
    destination, dropout_reason, wajong
):
    category, reason = outcome_derive(
        destination=destination, dropout_reason=dropout_reason, wajong_granted=wajong
    )
    assert category in C.values
    assert reason in W.values
