"""Who may see reports and the intake forecast. Views declare these; templates ask them too.

The forecast shows counts only, never a name, but it is the academy's planning: projectleider
and regisseur. Background files ("My exports") follow the permission of their kind, checked
again on download (reporting.selectors.report_run_get_for_user).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.rules import is_projectleider, is_regisseur

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser
    from participants.models import Cohort, Participant


@rules.predicate
def has_acting_membership(user: AnyUser) -> bool:
    return active_membership(user) is not None


is_planner = is_projectleider | is_regisseur

rules.add_perm("reporting.view_reports", is_planner)
rules.add_perm("reporting.view_forecast", is_planner)
rules.add_perm("reporting.export_forecast", is_planner)
rules.add_perm("reporting.change_forecast_settings", is_planner)
# Anyone acting in an academy may have background exports of the kinds they may request.
rules.add_perm("reporting.list_runs", has_acting_membership)

# --- the cohort dashboard, its exports, the funder list, the national view (issue 7 part B,
# reporting.dashboard.views). Counts for the planners; the names behind a count: names and
# status for both, behind a sensitive count (outcome, destination, referrer) the regisseur
# only; BSN and hours for funders: the regisseur only; across academies: the national role,
# counts only.
from maatwerq.accounts.rules import is_landelijk  # noqa: E402 - kept with the lines it serves
from participants.rules import sees_sensitive_route_details  # noqa: E402 - the same rule per person

rules.add_perm("reporting.view_dashboard", is_planner)
rules.add_perm("reporting.view_dashboard_names", is_planner)
rules.add_perm(
    "reporting.view_dashboard_sensitive_names", is_planner & sees_sensitive_route_details
)
rules.add_perm("reporting.export_dashboard", is_planner | is_landelijk)
rules.add_perm("reporting.export_cohort_participants", is_planner)
rules.add_perm("reporting.export_funder_list", is_regisseur)
rules.add_perm("reporting.view_national", is_landelijk)

# --- the progress dossier (issue 7 part C, reporting.dossier). The object is a participant
# from a scoped selector (a cohort for the ZIP). Asked without an object (a report kind's
# permission, reporting.services.report_run_request) only the role counts; with one, the
# relation too: the regisseur of the academy, the participant's own coach, the werkgever
# where the participant works now. The employer's copy also needs the participant's consent
# to share their work status, checked at the moment of asking (and again when the file is
# made and downloaded). These permissions carry the scope: the generator and the download
# ask them with the participant (reporting.dossier.kinds, reporting.views.run_download), so
# the participant portal admits the young person to their own copy (dossier_self below).
from maatwerq.accounts.models import Role  # noqa: E402 - kept with the lines it serves
from maatwerq.accounts.rules import is_coach, is_werkgever  # noqa: E402
from participants.models import ConsentScope  # noqa: E402
from participants.rules import in_acting_academy, is_own_coach  # noqa: E402
from participants.selectors import consent_is_active, participants_visible_to  # noqa: E402


@rules.predicate
def no_object(user: AnyUser, obj: object = None) -> bool:
    return obj is None


@rules.predicate
def works_at_participants_placement(user: AnyUser, participant: Participant) -> bool:
    """A werkgever whose employer has a placement of the participant running today."""
    membership = active_membership(user)
    return (
        membership is not None
        and membership.role == Role.WERKGEVER
        and participants_visible_to(user).filter(pk=participant.pk).exists()
    )


@rules.predicate
def shares_work_status(user: AnyUser, participant: Participant) -> bool:
    return consent_is_active(participant, ConsentScope.EMPLOYER_WORK_STATUS)


@rules.predicate
def cohort_in_acting_academy(user: AnyUser, cohort: Cohort) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.academy_id == cohort.programme.academy_id


dossier_regisseur = is_regisseur & (no_object | in_acting_academy)
dossier_own_coach = is_coach & (no_object | (in_acting_academy & is_own_coach))
dossier_werkgever = is_werkgever & (no_object | works_at_participants_placement)

rules.add_perm("reporting.dossier_internal", dossier_regisseur)


@rules.predicate
def is_own_record(user: AnyUser, participant: Participant | None) -> bool:
    return participant is not None and participant.user_id == user.pk


@rules.predicate
def is_the_participant(user: AnyUser) -> bool:
    """The young person acting for themselves in the portal (guardians excluded): the portal's
    own permission, asked by name because the portal sits above reporting (it requests and
    lists these dossiers), so reporting imports nothing of it."""
    return rules.has_perm("portal.request_own_dossier", user)


# The young person themselves, for their own record (through the portal; guardians excluded).
dossier_self = is_the_participant & (no_object | is_own_record)
rules.add_perm(
    "reporting.dossier_participant", dossier_regisseur | dossier_own_coach | dossier_self
)
# Those who prepare the employer's copy to hand it over (consent aside, so they can be told).
rules.add_perm("reporting.hand_over_dossier", dossier_regisseur | dossier_own_coach)
rules.add_perm(
    "reporting.dossier_employer",
    (dossier_regisseur | dossier_own_coach | dossier_werkgever) & (no_object | shares_work_status),
)
rules.add_perm("reporting.cohort_dossiers", is_regisseur & (no_object | cohort_in_acting_academy))

# --- results for funders and academies (issue 18, reporting.results). Counts and shares for
# the planners; per person, the ESF+ data (sex, labour-market status, education level and the
# self-declared sensitive categories) for the regisseur of the academy only; the comparison
# across academies for the national role (its own page) and, as its own row against the
# national median, for the planners.
rules.add_perm("reporting.view_results", is_planner)
rules.add_perm("reporting.export_esf", is_planner)
rules.add_perm("reporting.view_comparison", is_planner)
rules.add_perm("reporting.view_esf_record", is_regisseur & in_acting_academy)
rules.add_perm("reporting.change_esf_record", is_regisseur & in_acting_academy)
