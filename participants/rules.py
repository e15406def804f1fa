"""Who may do what with participants. Views declare these; templates ask them too."""

from __future__ import annotations

import rules

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from maatwerq.accounts.rules import is_coach, is_projectleider, is_regisseur, is_werkgever


@rules.predicate
def in_acting_academy(user, participant) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.academy_id == participant.academy_id


@rules.predicate
def is_own_coach(user, participant) -> bool:
    membership = active_membership(user)
    return (
        membership is not None and membership.role == Role.COACH and participant.coach_id == user.pk
    )


rules.add_perm("participants.list_participants", is_coach | is_regisseur | is_projectleider)
# Seeing a participant's page at all is decided by participants_visible_to (404 outside it);
# the permissions below decide which parts of it.
rules.add_perm("participants.view_care_notes", in_acting_academy & (is_regisseur | is_own_coach))
rules.add_perm("participants.add_care_note", in_acting_academy & (is_regisseur | is_own_coach))
rules.add_perm(
    "participants.view_personal_details",
    in_acting_academy & (is_regisseur | is_own_coach),
)
rules.add_perm(
    "participants.view_work_status", is_werkgever | is_coach | is_regisseur | is_projectleider
)
