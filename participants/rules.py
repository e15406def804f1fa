"""Who may do what with participants. Views declare these; templates ask them too."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from maatwerq.accounts.rules import is_coach, is_projectleider, is_regisseur, is_werkgever

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser

    from .models import Participant


@rules.predicate
def in_acting_academy(user: AnyUser, participant: Participant) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.academy_id == participant.academy_id


@rules.predicate
def is_own_coach(user: AnyUser, participant: Participant) -> bool:
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
# Per person, the sensitive side of a route: route type, intake result, outcome and drop-out
# reason, a placement's arrangements (no-risk policy, wage-cost subsidy...) and how it ended.
# Who sees these per person is ONE predicate: the dashboard's names behind a sensitive number
# (reporting.view_dashboard_sensitive_names) and the person pages (the permission below) both
# read it, so a projectleider sees these as counts only, never per name.
sees_sensitive_route_details = is_regisseur | is_coach
rules.add_perm(
    "participants.view_sensitive_route_details",
    in_acting_academy & sees_sensitive_route_details,
)

# The participant record (participants.views). Who keeps the record: the regisseur and the
# participant's own coach. A projectleider sees name, route and status, and changes nothing;
# an employer sees name and status only.
keeps_record = in_acting_academy & (is_regisseur | is_own_coach)
rules.add_perm("participants.refer_participant", is_coach | is_regisseur)
# On a new referral: only the regisseur enters a BSN and picks the coach (a coach refers into
# their own caseload).
rules.add_perm("participants.refer_with_bsn_and_coach", is_regisseur)
rules.add_perm("participants.edit_participant", keeps_record)
rules.add_perm("participants.assign_coach", in_acting_academy & is_regisseur)
# Co-funding: which funding streams pay a route, with their shares (the funders' reports).
rules.add_perm("participants.change_route_funding", in_acting_academy & is_regisseur)
rules.add_perm("participants.view_bsn", in_acting_academy & is_regisseur)
rules.add_perm(
    "participants.view_pipeline",
    in_acting_academy & (is_regisseur | is_own_coach | is_projectleider),
)
rules.add_perm("participants.view_route_history", keeps_record)
rules.add_perm("participants.record_step", keeps_record)
rules.add_perm("participants.undo_step", in_acting_academy & is_regisseur)
rules.add_perm("participants.record_handover", keeps_record)
rules.add_perm("participants.view_network", keeps_record)
rules.add_perm("participants.change_network", keeps_record)
rules.add_perm("participants.view_consents", keeps_record)
rules.add_perm("participants.change_consents", keeps_record)
rules.add_perm("participants.record_follow_up", keeps_record)
rules.add_perm("participants.list_follow_ups", is_coach | is_regisseur)

# Lists and data in/out (participants.list_views, imports, privacy).
# The list and its export show personal and route details (date of birth, contact, route type,
# referral source, funding stream) only to those who see participants fully; a projectleider
# gets names, programme, group and status.
rules.add_perm("participants.list_personal_details", is_coach | is_regisseur)
rules.add_perm("participants.export_participants", is_coach | is_regisseur | is_projectleider)
# The BSN goes into a list export for the regisseur only (funders ask for it per project).
rules.add_perm("participants.export_bsn", is_regisseur)
# Importing an existing list creates people in bulk: the regisseur, who leads intake.
rules.add_perm("participants.import_participants", is_regisseur)
# Privacy rights: an inspection request (all data of one person) and anonymisation.
rules.add_perm("participants.export_participant_data", in_acting_academy & is_regisseur)
rules.add_perm("participants.anonymise_participant", in_acting_academy & is_regisseur)
