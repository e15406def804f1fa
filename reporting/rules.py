"""Who may see reports and the intake forecast. Views declare these; templates ask them too.

The forecast shows counts only, never a name, but it is the academy's planning: projectleider
and regisseur. Background files ("My exports") follow the permission of their kind, checked
again on download (reporting.selectors.report_run_get_for_user).
"""

from __future__ import annotations

import rules

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.rules import is_projectleider, is_regisseur


@rules.predicate
def has_acting_membership(user) -> bool:
    return active_membership(user) is not None


is_planner = is_projectleider | is_regisseur

rules.add_perm("reporting.view_reports", is_planner)
rules.add_perm("reporting.view_forecast", is_planner)
rules.add_perm("reporting.export_forecast", is_planner)
# Anyone acting in an academy may have background exports of the kinds they may request.
rules.add_perm("reporting.list_runs", has_acting_membership)
