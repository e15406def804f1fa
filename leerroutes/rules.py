"""Who may do what with a route. The object is always the participant (from a scoped selector).

- the participant's own coach: the whole route of their caseload; reads analysis, arrangement
  and plan, keeps the plan, the log, goal status, evaluations, results, certificates, hours and
  the handelingswijzer;
- the regisseur: all of that in the academy, and the analysis, arrangement and plan sign-off;
- the projectleider: the phase and the goal status counts only (no analysis, goal or log text,
  and none of the young person's own reflections or check-ins: like the log, they can carry
  care-like matters, so they follow the log's rule);
- employers, beheerder, landelijk: nothing here (the selectors answer 404).
"""

from __future__ import annotations

import rules

from maatwerq.accounts.rules import is_coach, is_projectleider, is_regisseur
from participants.rules import in_acting_academy, is_own_coach

works_with = in_acting_academy & (is_own_coach | is_regisseur)
directs = in_acting_academy & is_regisseur

rules.add_perm("leerroutes.view_caseload", is_coach | is_regisseur)
# What a phone may keep for working without signal (static/js/offline.js): the coach's own
# caseload and the progress logs of their own trainees, never anyone else's, never care notes.
rules.add_perm("leerroutes.keep_caseload_offline", is_coach)
rules.add_perm("leerroutes.keep_log_offline", in_acting_academy & is_own_coach)
# The overview: phase and goal status counts.
rules.add_perm(
    "leerroutes.view_route", in_acting_academy & (is_own_coach | is_regisseur | is_projectleider)
)
# Texts of the route: analysis, arrangement, plan, goal descriptions.
rules.add_perm("leerroutes.view_route_details", works_with)
rules.add_perm("leerroutes.change_analysis", directs)
rules.add_perm("leerroutes.change_arrangement", directs)
rules.add_perm("leerroutes.change_plan", works_with)
rules.add_perm("leerroutes.sign_off_plan", directs)
rules.add_perm("leerroutes.record_agreement", works_with)
rules.add_perm("leerroutes.change_goal_status", works_with)
rules.add_perm("leerroutes.view_progress_log", works_with)
# What the young person wrote and how they said they felt (portal): the coach and the regisseur.
rules.add_perm("leerroutes.view_participant_voice", works_with)
rules.add_perm("leerroutes.add_progress_entry", works_with)
rules.add_perm("leerroutes.view_evaluations", works_with)
rules.add_perm("leerroutes.record_evaluation", works_with)
rules.add_perm("leerroutes.view_results", works_with)
rules.add_perm("leerroutes.record_results", works_with)
rules.add_perm("leerroutes.view_certificates", works_with)
rules.add_perm("leerroutes.add_certificate", works_with)
rules.add_perm("leerroutes.view_hours", works_with)
rules.add_perm("leerroutes.record_hours", works_with)
rules.add_perm("leerroutes.view_handelingswijzer", works_with)
rules.add_perm("leerroutes.edit_handelingswijzer", works_with)
