"""Every URL of ours, every persona: who gets the page and who gets nothing.

The table ACCESS names each URL and the personas allowed; everyone else must get nothing
(anonymous: a redirect to the login page; others: 403 or 404). test_every_url_has_an_access_rule
walks the URLconf and fails when a URL of ours is missing from the table.

The ~1,000 cases share one world (tests/conftest.py `module_world`); each case runs in its own
savepoint, so what one writes (its audit events, its session, the object its URL needs) is
gone before the next, and every case meets the same rows a fresh world would have.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from .conftest import PERSONAS
from .factories import GoalFactory, PlanFactory, certificate_with_evidence, reauthenticated

# Third-party URLs, tested by their own projects; ours only wrap them (login, MFA, admin).
EXEMPT_MODULE_PREFIXES = ("allauth.", "django.views.i18n")
# Django's admin is for superusers only; test_admin_is_closed_to_every_persona covers it.
EXEMPT_NAMESPACES = ("admin:",)

OUR_APPS = (
    "maatwerq.",
    "home.",
    "participants.",
    "leerroutes.",
    "employers.",
    "reporting.",
    "portal.",
)


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), entry


def our_url_names() -> set[str]:
    names = set()
    for name, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith(EXEMPT_MODULE_PREFIXES) or name.startswith(EXEMPT_NAMESPACES):
            continue
        assert module.startswith(OUR_APPS), f"unexpected view module {module} for {name}"
        assert name, f"URL pattern {pattern.pattern} of {module} has no name"
        names.add(name)
    return names


LOGGED_IN = {p for p in PERSONAS if p != "anonymous"}


@pytest.fixture
def world(module_world, db):
    """The module's one world; `db` puts each case in a savepoint rolled back after it."""
    return module_world


# name -> (how to build the URL from the world, personas that get the page)
ACCESS = {
    "home": (
        lambda w: reverse("home"),
        LOGGED_IN,
    ),
    "accounts:member_list": (lambda w: reverse("accounts:member_list"), {"beheerder"}),
    # The week's agenda and its settings (issue 17); the feed by its secret address only.
    "home:agenda": (
        lambda w: reverse("home:agenda"),
        {"coach", "other_coach", "regisseur", "projectleider", "employer", "other_employer"},
    ),
    "home:day_settings": (
        lambda w: reverse("home:day_settings"),
        {
            "coach",
            "other_coach",
            "regisseur",
            "projectleider",
            "employer",
            "other_employer",
            "beheerder",
        },
    ),
    "home:calendar_feed": (
        lambda w: reverse("home:calendar_feed", args=["not-a-token"]),
        set(),
    ),
    # allauth's email page, wrapped so an address becomes the login only from its mailbox.
    "account_email": (
        lambda w: reverse("account_email"),
        LOGGED_IN,
    ),
    "accounts:membership_switch": (lambda w: reverse("accounts:membership_switch"), set()),
    # The beheerder's user lifecycle (issue 17 item 5); the buttons are POST-only.
    "accounts:membership_change": (
        lambda w: reverse("accounts:membership_change", args=[_coach_membership(w).pk]),
        {"beheerder"},
    ),
    "accounts:membership_remove": (
        lambda w: reverse("accounts:membership_remove", args=[_coach_membership(w).pk]),
        set(),
    ),
    "accounts:user_deactivate": (
        lambda w: reverse("accounts:user_deactivate", args=[w.users["coach"].pk]),
        set(),
    ),
    "accounts:user_reactivate": (
        lambda w: reverse("accounts:user_reactivate", args=[w.users["coach"].pk]),
        set(),
    ),
    "accounts:invitation_resend": (
        lambda w: reverse("accounts:invitation_resend", args=[_invitation(w).pk]),
        set(),
    ),
    "accounts:invitation_revoke": (
        lambda w: reverse("accounts:invitation_revoke", args=[_invitation(w).pk]),
        set(),
    ),
    "accounts:invitation_accept": (
        lambda w: reverse("accounts:invitation_accept", args=["not-a-token"]),
        set(),
    ),
    "audit:event_list": (lambda w: reverse("audit:event_list"), {"beheerder", "regisseur"}),
    "participants:participant_list": (
        lambda w: reverse("participants:participant_list"),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "participants:participant_detail": (
        lambda w: reverse("participants:participant_detail", args=[w.participant.pk]),
        {"coach", "regisseur", "projectleider", "employer"},
    ),
    # The participant record: tabs and form pages for the own coach and the regisseur.
    "participants:participant_edit": (
        lambda w: reverse("participants:participant_edit", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:participant_history": (
        lambda w: reverse("participants:participant_history", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:participant_network": (
        lambda w: reverse("participants:participant_network", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:participant_consents": (
        lambda w: reverse("participants:participant_consents", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:participant_care_notes": (
        lambda w: reverse("participants:participant_care_notes", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:care_note_add": (
        lambda w: reverse("participants:care_note_add", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_add": (
        lambda w: reverse("participants:route_add", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_intake": (
        lambda w: reverse("participants:route_intake", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_start": (
        lambda w: reverse("participants:route_start", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_trial": (
        lambda w: reverse("participants:route_trial", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_contract": (
        lambda w: reverse("participants:route_contract", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_complete": (
        lambda w: reverse("participants:route_complete", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_drop_out": (
        lambda w: reverse("participants:route_drop_out", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:handover_add": (
        lambda w: reverse("participants:handover_add", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:network_contact_add": (
        lambda w: reverse("participants:network_contact_add", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:consent_add": (
        lambda w: reverse("participants:consent_add", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:consent_request_ask": (
        lambda w: reverse("participants:consent_request_ask", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "participants:route_undo": (
        lambda w: reverse("participants:route_undo", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "participants:network_contact_edit": (
        lambda w: reverse(
            "participants:network_contact_edit",
            args=[w.participant.pk, w.participant.network.create(role="ouder", name="Ouder").pk],
        ),
        {"coach", "regisseur"},
    ),
    # POST only: a GET gets nothing from anyone.
    "participants:network_contact_remove": (
        lambda w: reverse(
            "participants:network_contact_remove",
            args=[w.participant.pk, w.participant.network.create(role="ouder", name="Ouder").pk],
        ),
        set(),
    ),
    # POST only: a GET gets nothing from anyone.
    "participants:consent_request_withdraw": (
        lambda w: reverse(
            "participants:consent_request_withdraw",
            args=[w.participant.pk, w.participant.consent_requests.create(scope="foto").pk],
        ),
        set(),
    ),
    "participants:consent_withdraw": (
        lambda w: reverse(
            "participants:consent_withdraw",
            args=[
                w.participant.pk,
                w.participant.consents.create(
                    scope="foto", given_on="2025-09-01", given_by="deelnemer"
                ).pk,
            ],
        ),
        {"coach", "regisseur"},
    ),
    "participants:follow_up_record": (
        lambda w: reverse(
            "participants:follow_up_record",
            args=[
                w.participant.pk,
                w.participant.current_route.follow_ups.create(
                    months_after=6, due_on="2026-03-01"
                ).pk,
            ],
        ),
        {"coach", "regisseur"},
    ),
    "participants:participant_create": (
        lambda w: reverse("participants:participant_create"),
        {"coach", "other_coach", "regisseur"},
    ),
    "participants:follow_ups_due": (
        lambda w: reverse("participants:follow_ups_due"),
        {"coach", "other_coach", "regisseur"},
    ),
    # End of the participant record.
    # The list's data in and out, and the privacy rights (participants.list_views, privacy_views).
    "participants:participant_export": (
        lambda w: reverse("participants:participant_export"),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "participants:participant_import": (
        lambda w: reverse("participants:participant_import"),
        {"regisseur"},
    ),
    "participants:participant_import_template": (
        lambda w: reverse("participants:participant_import_template"),
        {"regisseur"},
    ),
    "participants:participant_data_export": (
        lambda w: reverse("participants:participant_data_export", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "participants:participant_anonymise": (
        lambda w: reverse("participants:participant_anonymise", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "participants:route_funding": (
        lambda w: reverse(
            "participants:route_funding", args=[w.participant.pk, w.participant.current_route_id]
        ),
        {"regisseur"},
    ),
    # End of the list's data in and out.
    # The route (leerroutes): academy staff only; employers, beheerder and landelijk get 404.
    "leerroutes:caseload": (
        lambda w: reverse("leerroutes:caseload"),
        {"coach", "other_coach", "regisseur"},
    ),
    "leerroutes:route_overview": (
        lambda w: reverse("leerroutes:route_overview", args=[w.participant.pk]),
        {"coach", "regisseur", "projectleider"},
    ),
    "leerroutes:analysis": (
        lambda w: reverse("leerroutes:analysis", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:arrangement": (
        lambda w: reverse("leerroutes:arrangement", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:plan": (
        lambda w: reverse("leerroutes:plan", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:plan_edit": (
        lambda w: reverse("leerroutes:plan_edit", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:progress_log": (
        lambda w: reverse("leerroutes:progress_log", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:evaluations": (
        lambda w: reverse("leerroutes:evaluations", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:evaluation_new": (
        lambda w: reverse("leerroutes:evaluation_new", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:results": (
        lambda w: reverse("leerroutes:results", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:assessment_new": (
        lambda w: reverse("leerroutes:assessment_new", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:roc_result_new": (
        lambda w: reverse("leerroutes:roc_result_new", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:certificates": (
        lambda w: reverse("leerroutes:certificates", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:certificate_new": (
        lambda w: reverse("leerroutes:certificate_new", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:hours": (
        lambda w: reverse("leerroutes:hours", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:handelingswijzer": (
        lambda w: reverse("leerroutes:handelingswijzer", args=[w.participant.pk]),
        {"coach", "regisseur"},
    ),
    "leerroutes:analysis_new": (
        lambda w: reverse("leerroutes:analysis_new", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "leerroutes:arrangement_new": (
        lambda w: reverse("leerroutes:arrangement_new", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "leerroutes:plan_changes": (
        lambda w: reverse(
            "leerroutes:plan_changes",
            args=[w.participant.pk, PlanFactory(route=w.participant.current_route).number],
        ),
        {"coach", "regisseur"},
    ),
    "leerroutes:plan_agree": (
        lambda w: reverse(
            "leerroutes:plan_agree",
            args=[w.participant.pk, PlanFactory(route=w.participant.current_route).number],
        ),
        {"coach", "regisseur"},
    ),
    # POST only: a GET gets nothing from anyone.
    "leerroutes:plan_sign_off": (
        lambda w: reverse(
            "leerroutes:plan_sign_off",
            args=[w.participant.pk, PlanFactory(route=w.participant.current_route).number],
        ),
        set(),
    ),
    "leerroutes:goal_status": (
        lambda w: reverse(
            "leerroutes:goal_status",
            args=[
                w.participant.pk,
                GoalFactory(created_in=PlanFactory(route=w.participant.current_route)).pk,
            ],
        ),
        {"coach", "regisseur"},
    ),
    # Sent from a phone's offline queue: POST only, a GET gets nothing from anyone.
    "leerroutes:progress_entry_send": (
        lambda w: reverse("leerroutes:progress_entry_send", args=[w.participant.pk]),
        set(),
    ),
    "leerroutes:goal_status_send": (
        lambda w: reverse(
            "leerroutes:goal_status_send",
            args=[
                w.participant.pk,
                GoalFactory(created_in=PlanFactory(route=w.participant.current_route)).pk,
            ],
        ),
        set(),
    ),
    # The installable app: the same script and manifest for everyone, no personal data.
    "service_worker": (lambda w: reverse("service_worker"), set(PERSONAS)),
    "web_manifest": (lambda w: reverse("web_manifest"), set(PERSONAS)),
    "leerroutes:certificate_evidence": (
        lambda w: reverse(
            "leerroutes:certificate_evidence",
            args=[w.participant.pk, certificate_with_evidence(w.participant.current_route).pk],
        ),
        {"coach", "regisseur"},
    ),
    # End of the route.
    "reporting:index": (lambda w: reverse("reporting:index"), {"projectleider", "regisseur"}),
    "reporting:forecast": (
        lambda w: reverse("reporting:forecast") + f"?programme={w.programme.pk}",
        {"projectleider", "regisseur"},
    ),
    "reporting:forecast_staff": (
        lambda w: reverse("reporting:forecast_staff", args=[w.programme.pk]),
        {"projectleider", "regisseur"},
    ),
    "reporting:forecast_export": (lambda w: reverse("reporting:forecast_export"), set()),
    "reporting:planner": (lambda w: reverse("reporting:planner"), {"projectleider", "regisseur"}),
    "reporting:planner_table": (lambda w: reverse("reporting:planner_table"), set()),
    "reporting:run_list": (
        lambda w: reverse("reporting:run_list"),
        LOGGED_IN,
    ),
    "reporting:run_detail": (
        lambda w: reverse("reporting:run_detail", args=[_report_run(w).pk]),
        {"projectleider"},
    ),
    "reporting:run_status": (
        lambda w: reverse("reporting:run_status", args=[_report_run(w).pk]),
        {"projectleider"},
    ),
    "reporting:run_download": (
        lambda w: reverse("reporting:run_download", args=[_report_run(w, done=True).pk]),
        {"projectleider"},
    ),
    # The cohort dashboard, its exports, the funder list and the national view.
    "reporting:dashboard": (
        lambda w: reverse("reporting:dashboard"),
        {"projectleider", "regisseur"},
    ),
    "reporting:dashboard_names": (
        lambda w: reverse("reporting:dashboard_names") + "?show=m:started",
        {"projectleider", "regisseur"},
    ),
    # POST only: a GET gets nothing from anyone.
    "reporting:dashboard_export": (lambda w: reverse("reporting:dashboard_export"), set()),
    "reporting:cohort_participants_export": (
        lambda w: reverse("reporting:cohort_participants_export", args=[w.cohort.pk]),
        set(),
    ),
    "reporting:funder_list": (lambda w: reverse("reporting:funder_list"), {"regisseur"}),
    "reporting:funder_export": (lambda w: reverse("reporting:funder_export"), set()),
    "reporting:national": (lambda w: reverse("reporting:national"), {"landelijk"}),
    # Results for funders and academies (issue 18).
    "reporting:results": (lambda w: reverse("reporting:results"), {"projectleider", "regisseur"}),
    "reporting:esf_report": (
        lambda w: reverse("reporting:esf_report"),
        {"projectleider", "regisseur"},
    ),
    "reporting:result_lines": (
        lambda w: reverse("reporting:result_lines"),
        {"projectleider", "regisseur"},
    ),
    "reporting:comparison": (
        lambda w: reverse("reporting:comparison"),
        {"projectleider", "regisseur"},
    ),
    "reporting:national_comparison": (
        lambda w: reverse("reporting:national_comparison"),
        {"landelijk"},
    ),
    "reporting:esf_record_edit": (
        lambda w: reverse(
            "reporting:esf_record_edit", args=[w.participant.pk, w.participant.current_route_id]
        ),
        {"regisseur"},
    ),
    # Reports for funders (reporting.funders); the requests are POST only.
    "reporting:funder_reports": (
        lambda w: reverse("reporting:funder_reports"),
        {"projectleider", "regisseur"},
    ),
    "reporting:funder_report_request": (
        lambda w: reverse("reporting:funder_report_request"),
        set(),
    ),
    "reporting:funder_report_request_personal": (
        lambda w: reverse("reporting:funder_report_request_personal"),
        set(),
    ),
    # End of the cohort dashboard.
    # Employers (employers): staff screens under /werkgevers/, the portal under /werkgever/.
    "employers:employer_list": (
        lambda w: reverse("employers:employer_list"),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "employers:employer_create": (
        lambda w: reverse("employers:employer_create"),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:employer_detail": (
        lambda w: reverse("employers:employer_detail", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "employers:employer_edit": (
        lambda w: reverse("employers:employer_edit", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:location_add": (
        lambda w: reverse("employers:location_add", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:contact_add": (
        lambda w: reverse("employers:contact_add", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:commitment_add": (
        lambda w: reverse("employers:commitment_add", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:vacancy_add": (
        lambda w: reverse("employers:vacancy_add", args=[w.employer_org.pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:vacancy_candidates": (
        lambda w: reverse("employers:vacancy_candidates", args=[_vacancy(w).pk]),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:candidate_propose": (
        lambda w: reverse("employers:candidate_propose", args=[_vacancy(w).pk, w.participant.pk]),
        set(),
    ),
    "employers:candidate_trial_start": (
        lambda w: reverse("employers:candidate_trial_start", args=[_candidate(w).public_id]),
        {"regisseur"},
    ),
    "employers:sroi": (
        lambda w: reverse("employers:sroi", args=[w.employer_org.pk]),
        {"regisseur", "projectleider"},
    ),
    "employers:sroi_export": (
        lambda w: reverse("employers:sroi_export", args=[w.employer_org.pk]),
        {"regisseur", "projectleider"},
    ),
    "employers:placement_list": (
        lambda w: reverse("employers:placement_list"),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "employers:placement_create": (
        lambda w: reverse("employers:placement_create"),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:placement_detail": (
        lambda w: reverse(
            "employers:placement_detail", args=[w.participant.placements.get().public_id]
        ),
        {"coach", "regisseur", "projectleider"},
    ),
    "employers:placement_end": (
        lambda w: reverse(
            "employers:placement_end", args=[w.participant.placements.get().public_id]
        ),
        {"coach", "regisseur"},
    ),
    "employers:placement_trial_pass": (
        lambda w: reverse(
            "employers:placement_trial_pass", args=[w.participant.placements.get().public_id]
        ),
        {"coach", "regisseur"},
    ),
    "employers:arrangement_add": (
        lambda w: reverse(
            "employers:arrangement_add", args=[w.participant.placements.get().public_id]
        ),
        {"coach", "regisseur"},
    ),
    "employers:participant_placements": (
        lambda w: reverse("employers:participant_placements", args=[w.participant.pk]),
        {"coach", "regisseur", "projectleider"},
    ),
    "employers:watchlist": (
        lambda w: reverse("employers:watchlist"),
        {"coach", "other_coach", "regisseur"},
    ),
    "employers:workplace_home": (
        lambda w: reverse("employers:workplace_home"),
        {"employer", "other_employer"},
    ),
    "employers:workplace_trainee": (
        lambda w: reverse("employers:workplace_trainee", args=[w.participant.pk]),
        {"employer"},
    ),
    "employers:workplace_hours": (
        lambda w: reverse("employers:workplace_hours", args=[w.participant.pk]),
        {"employer"},
    ),
    "employers:workplace_assessment": (
        lambda w: reverse("employers:workplace_assessment", args=[w.participant.pk]),
        {"employer"},
    ),
    "employers:workplace_vacancies": (
        lambda w: reverse("employers:workplace_vacancies"),
        {"employer", "other_employer"},
    ),
    "employers:workplace_vacancy": (
        lambda w: reverse("employers:workplace_vacancy", args=[_vacancy(w).pk]),
        {"employer"},
    ),
    "employers:workplace_candidate_invite": (
        lambda w: reverse("employers:workplace_candidate_invite", args=[_candidate(w).public_id]),
        {"employer"},
    ),
    "employers:workplace_candidate_decide": (
        lambda w: reverse("employers:workplace_candidate_decide", args=[_candidate(w).public_id]),
        {"employer"},
    ),
    "employers:workplace_sroi": (
        lambda w: reverse("employers:workplace_sroi"),
        {"employer", "other_employer"},
    ),
    "employers:workplace_sroi_export": (
        lambda w: reverse("employers:workplace_sroi_export"),
        {"employer", "other_employer"},
    ),
    # End of employers.
    # The participant portal (portal): a deelnemer's own pages give every persona here nothing
    # (404; POST-only ones 405). tests/portal walks this table with a deelnemer login.
    "portal:home": (lambda w: reverse("portal:home"), set()),
    "portal:goals": (lambda w: reverse("portal:goals"), set()),
    "portal:goal_reflect": (
        lambda w: reverse(
            "portal:goal_reflect",
            args=[GoalFactory(created_in=PlanFactory(route=w.participant.current_route)).pk],
        ),
        set(),
    ),
    "portal:evaluations": (lambda w: reverse("portal:evaluations"), set()),
    "portal:evaluation_reflect": (lambda w: reverse("portal:evaluation_reflect", args=[1]), set()),
    "portal:results": (lambda w: reverse("portal:results"), set()),
    "portal:wellbeing": (lambda w: reverse("portal:wellbeing"), set()),
    "portal:privacy": (lambda w: reverse("portal:privacy"), set()),
    "portal:consent_give": (lambda w: reverse("portal:consent_give"), set()),
    "portal:consent_request_answer": (
        lambda w: reverse(
            "portal:consent_request_answer",
            args=[w.participant.consent_requests.create(scope="foto").pk],
        ),
        set(),
    ),
    "portal:consent_withdraw": (
        lambda w: reverse(
            "portal:consent_withdraw",
            args=[
                w.participant.consents.create(
                    scope="foto", given_on="2025-09-01", given_by="deelnemer"
                ).pk
            ],
        ),
        set(),
    ),
    "portal:guardian_stop": (lambda w: reverse("portal:guardian_stop", args=[1]), set()),
    "portal:dossier": (lambda w: reverse("portal:dossier"), set()),
    "portal:dossier_status": (
        lambda w: reverse("portal:dossier_status", args=[_report_run(w).pk]),
        set(),
    ),
    # Staff: inviting the participant (POST only) and a guardian's access (the regisseur).
    "portal:participant_invite": (
        lambda w: reverse("portal:participant_invite", args=[w.participant.pk]),
        set(),
    ),
    "portal:guardian_access": (
        lambda w: reverse("portal:guardian_access", args=[w.participant.pk]),
        {"regisseur"},
    ),
    "portal:guardian_access_revoke": (
        lambda w: reverse("portal:guardian_access_revoke", args=[w.participant.pk, 1]),
        set(),
    ),
    # End of the participant portal.
    # The progress dossier (reporting.dossier). POST only: a GET gets nothing from anyone.
    "reporting:dossier_request": (
        lambda w: reverse("reporting:dossier_request", args=[w.participant.pk, "intern"]),
        set(),
    ),
    "reporting:cohort_dossiers": (lambda w: reverse("reporting:cohort_dossiers"), {"regisseur"}),
    "reporting:cohort_dossiers_request": (
        lambda w: reverse("reporting:cohort_dossiers_request", args=[w.cohort.pk]),
        set(),
    ),
    # End of the progress dossier.
}


def _vacancy(w):
    """A vacancy of the world's employer (the candidates URL needs one)."""
    from .factories import VacancyFactory

    return VacancyFactory(employer=w.employer_org, programme=w.programme)


def _candidate(w):
    """The world's participant proposed for a vacancy of the world's employer, with the
    consent "kandidaatprofiel" (the employer's candidate pages need one)."""
    from .factories import CandidateFactory, ConsentFactory

    ConsentFactory(participant=w.participant, scope="kandidaatprofiel")
    return CandidateFactory(vacancy=_vacancy(w), participant=w.participant)


def _coach_membership(w):
    return w.users["coach"].memberships.get(academy=w.academy)


def _invitation(w):
    from maatwerq.accounts.models import Invitation

    return Invitation.objects.create(
        email="nieuw@example.test",
        academy=w.academy,
        role="leerroutecoach",
        token_hash="x" * 64,
        invited_by=w.users["beheerder"],
        expires_at=timezone.now() + timedelta(days=7),
    )


def _report_run(w, **kwargs):
    """A background export of the world's projectleider (the reporting run URLs need one)."""
    from .factories import ReportRunFactory

    return ReportRunFactory(requested_by=w.users["projectleider"], academy=w.academy, **kwargs)


# Pages that ask the allowed personas for their password again first (allauth's
# reauthentication): the inspection export, with the BSN and care notes (issue 14).
ASKS_PASSWORD = {"participants:participant_data_export"}
# Pages anyone may open (web.public): a bad link gets nothing, logged in or not.
PUBLIC = {"accounts:invitation_accept", "home:calendar_feed"}


def test_every_url_has_an_access_rule():
    missing = our_url_names() - set(ACCESS)
    assert not missing, f"URLs without an access test: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(ACCESS))
def test_url_access(url_name, persona, world, client_for):
    build, allowed = ACCESS[url_name]
    url = build(world)
    client = client_for(persona)
    response = client.get(url)
    if persona in allowed and url_name in ASKS_PASSWORD:
        assert response["Location"].startswith(reverse("account_reauthenticate")), url
        response = reauthenticated(client).get(url)
    if persona in allowed:
        assert response.status_code == 200, (url, persona, response.status_code)
        return
    if persona == "anonymous" and url_name not in PUBLIC:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        # GET-only-by-POST views answer 405; a bad invitation link 410. Nothing is shown.
        assert response.status_code in {403, 404, 405, 410}, (url, persona, response.status_code)
    body = response.content.decode()
    for secret in ("ZORG-GEHEIM", w_name(world.participant), w_name(world.other_participant)):
        assert secret not in body


def w_name(participant) -> str:
    return participant.last_name


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_closed_to_every_persona(persona, world, client_for):
    response = client_for(persona).get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
