"""Every view of ours that takes a POST, with a persona allowed to use it (see ACCESS in
tests/test_url_access.py), where its form is shown, and how to submit to it in one example.

The fields are read black-box from the page (its POST form's <input>, <select> and
<textarea> names, options and values); a POST-only endpoint without a page gets the fields
listed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from leerroutes import services as route_services
from maatwerq.accounts import services as account_services
from maatwerq.accounts.models import Role
from portal import services as portal_services
from tests.factories import PlanFactory

from .hostile import (
    Field,
    changed_tables,
    db_fingerprint,
    form_fields,
    raw_markup_in,
    rolled_back,
    short,
)

JUNK = {"junk": Field("junk", "text")}  # a POST-only action has no fields: send stray ones


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL name
    persona: str  # one who may use it (tests/test_url_access.py ACCESS)
    url: Callable  # world -> the URL to POST to (may create what the URL needs)
    page: Callable | None = None  # world, url -> the page that shows the form (default: url)
    action: Callable | None = None  # world -> the path the page's form posts to (default: url)
    fields: Callable | None = None  # world -> {name: Field}, for a POST without a page
    headers: dict = field(default_factory=dict)
    examples: int = 15
    # response -> whether the submit was taken (default: it redirects)
    saved: Callable = lambda response: response.status_code in {301, 302, 303}
    good: dict = field(default_factory=dict)  # valid values where the page offers none
    # field -> predicate: values that hit a known defect, left out here (test_defects.py)
    avoid: dict = field(default_factory=dict)


def _pk(name: str, *extra: Callable) -> Callable:
    """A URL of the world's participant (plus arguments made from the world)."""
    return lambda w: reverse(name, args=[w.participant.pk, *(make(w) for make in extra)])


def _contact(w):
    return w.participant.network.create(role="ouder", name="Ouder").pk


def _consent(w):
    return w.participant.consents.create(
        scope="foto", given_on=date(2025, 9, 1), given_by="deelnemer"
    ).pk


def _follow_up(w):
    return w.participant.current_route.follow_ups.create(months_after=6, due_on=date(2026, 3, 1)).pk


def _plan_number(w):
    return PlanFactory(route=w.participant.current_route).number


def _planned_goal(w):
    """A goal saved the way the plan editor saves it (the portal shows it to Daan)."""
    domains = route_services.life_domains_ensure(academy=w.academy)
    route_services.plan_save(
        participant=w.participant,
        based_on=0,
        plan_date=date(2025, 9, 1),
        perspective="Vaste baan als straatmaker",
        support_plan="Coach twee keer per week",
        goals=[
            route_services.GoalData(
                description="Elke dag op tijd", target_date=date(2026, 3, 1), domain=domains[0]
            )
        ],
        by=w.users["regisseur"],
    )
    return w.participant.current_route.goals.get()


def _evaluation(w):
    route_services.phases_ensure(programme=w.programme)
    return route_services.evaluation_record(
        participant=w.participant,
        held_on=date(2025, 12, 1),
        summary="Goed gesprek",
        by=w.users["coach"],
    )


def _placement(w):
    return w.participant.placements.get().public_id


def _minor_with_guardian(w):
    """Daan made 15, with one guardian's access (the guardian pages need both)."""
    w.participant.date_of_birth = date(2010, 6, 1)
    w.participant.save(update_fields=["date_of_birth"])
    return portal_services.guardian_invite(
        participant=w.participant,
        guardian_name="Moeder",
        email="moeder@example.test",
        agreed_by_participant_on=date(2025, 9, 1),
        by=w.users["regisseur"],
        base_url="http://testserver/",
    ).pk


def _invitation_url(w):
    """An open invitation whose token is known (the service keeps only its hash)."""
    invitation = account_services.invitation_create(
        email="nieuw@example.test",
        academy=w.academy,
        role=Role.COACH,
        employer=None,
        by=w.users["beheerder"],
        base_url="http://testserver/",
    )
    token = "een-bekende-uitnodiging"
    invitation.token_hash = account_services._hash(token)
    invitation.save(update_fields=["token_hash"])
    return reverse("accounts:invitation_accept", args=[token])


# --- known defects, each an xfail in test_defects.py; the sweeps leave these values out --------


def beyond_smallint(value: str) -> bool:
    """A whole number past PostgreSQL's smallint (test_defects: places out of range)."""
    try:
        return int(re.sub(r"\.0*\s*$", "", value)) > 32767
    except ValueError:
        return False


def overflows_trial_end(value: str) -> bool:
    """A start date whose trial end (three months on) lies past 9999-12-31."""
    return value.strip().startswith(("9999-10", "9999-11", "9999-12"))


def contains_nul(value: str) -> bool:
    """A NUL character, which PostgreSQL cannot store (test_defects: the export's audit)."""
    return "\x00" in value


def digit_not_int(value: str) -> bool:
    """Text str.isdigit() accepts but int() does not, such as "²" (test_defects)."""
    return value.isdigit() and not value.isdecimal()


def _fixed(**fields: list[str]) -> Callable:
    """Fields with these valid values (hostile ones are mixed in by the strategy)."""
    return lambda w: {name: Field(name, "text", list(values)) for name, values in fields.items()}


def _dashboard_fields(w):
    return _fixed(
        start_from=["2025-01-01"],
        start_to=["2025-12-31"],
        programme=[str(w.programme.pk), ""],
        cohort=[str(w.cohort.pk), ""],
        route_type=["1a", "1b", "2", ""],
    )(w)


def _funder_fields(w):
    return _fixed(
        programme=[str(w.programme.pk)], start_from=["2025-01-01"], start_to=["2025-12-31"]
    )(w)


PERSON = {
    "first_name": ["Sem"],
    "last_name": ["Nieuwkomer"],
    "date_of_birth": ["2006-05-17"],
    "email": ["sem@example.test", ""],
    "phone": ["0612345678", ""],
    "street": ["Kerkstraat 1", ""],
    "postcode": ["8102 AB", ""],
    "city": ["Raalte", ""],
    "bsn": ["", "111222333"],
    "referral_date": ["2025-06-01"],
}

ENDPOINTS = [
    # --- the participant record ---
    Endpoint("participants:participant_create", "regisseur", lambda w: reverse(
        "participants:participant_create"), examples=25, good=PERSON),
    Endpoint("participants:participant_create", "coach", lambda w: reverse(
        "participants:participant_create"), good=PERSON),
    Endpoint("participants:participant_edit", "regisseur", _pk("participants:participant_edit"),
             examples=25),
    Endpoint("participants:care_note_add", "coach", _pk("participants:care_note_add"),
             examples=25),
    Endpoint("participants:route_add", "coach", _pk("participants:route_add")),
    Endpoint("participants:route_intake", "coach", _pk("participants:route_intake")),
    Endpoint("participants:route_start", "coach", _pk("participants:route_start")),
    Endpoint("participants:route_trial", "coach", _pk("participants:route_trial")),
    Endpoint("participants:route_contract", "coach", _pk("participants:route_contract")),
    Endpoint("participants:route_complete", "coach", _pk("participants:route_complete"),
             examples=25),
    Endpoint("participants:route_drop_out", "coach", _pk("participants:route_drop_out"),
             examples=25),
    Endpoint("participants:route_undo", "regisseur", _pk("participants:route_undo")),
    Endpoint("participants:handover_add", "coach", _pk("participants:handover_add")),
    Endpoint("participants:network_contact_add", "coach",
             _pk("participants:network_contact_add"), examples=25),
    Endpoint("participants:network_contact_edit", "coach",
             _pk("participants:network_contact_edit", _contact)),
    Endpoint("participants:network_contact_remove", "coach",
             _pk("participants:network_contact_remove", _contact), fields=lambda w: JUNK,
             examples=5),
    Endpoint("participants:consent_add", "coach", _pk("participants:consent_add")),
    Endpoint("participants:consent_withdraw", "coach",
             _pk("participants:consent_withdraw", _consent)),
    Endpoint("participants:follow_up_record", "coach",
             _pk("participants:follow_up_record", _follow_up)),
    Endpoint("participants:participant_anonymise", "regisseur",
             _pk("participants:participant_anonymise"), fields=lambda w: JUNK, examples=5),
    Endpoint("participants:route_funding", "regisseur",
             _pk("participants:route_funding", lambda w: w.participant.current_route_id)),
    # --- the route ---
    Endpoint("leerroutes:analysis_new", "regisseur", _pk("leerroutes:analysis_new"),
             examples=25),
    Endpoint("leerroutes:arrangement_new", "regisseur", _pk("leerroutes:arrangement_new"),
             examples=25),
    Endpoint("leerroutes:plan_edit", "coach", _pk("leerroutes:plan_edit"), examples=25),
    Endpoint("leerroutes:plan_agree", "coach", _pk("leerroutes:plan_agree", _plan_number)),
    Endpoint("leerroutes:plan_sign_off", "regisseur", _pk("leerroutes:plan_sign_off",
             _plan_number), fields=lambda w: JUNK, examples=5),
    Endpoint("leerroutes:goal_status", "coach",
             _pk("leerroutes:goal_status", lambda w: _planned_goal(w).pk)),
    Endpoint("leerroutes:progress_log", "coach", _pk("leerroutes:progress_log"), examples=25),
    Endpoint("leerroutes:progress_log", "coach", _pk("leerroutes:progress_log"),
             headers={"HX-Request": "true"}, saved=lambda r: b'class="entry card' in r.content),
    Endpoint("leerroutes:evaluation_new", "coach", _pk("leerroutes:evaluation_new"),
             examples=25),
    Endpoint("leerroutes:assessment_new", "coach", _pk("leerroutes:assessment_new")),
    Endpoint("leerroutes:roc_result_new", "coach", _pk("leerroutes:roc_result_new")),
    Endpoint("leerroutes:certificate_new", "coach", _pk("leerroutes:certificate_new")),
    Endpoint("leerroutes:hours", "coach", _pk("leerroutes:hours"), examples=25),
    Endpoint("leerroutes:handelingswijzer", "coach", _pk("leerroutes:handelingswijzer"),
             examples=25),
    # --- employers: staff ---
    Endpoint("employers:employer_create", "coach", lambda w: reverse(
        "employers:employer_create"), examples=25),
    Endpoint("employers:employer_edit", "regisseur", lambda w: reverse(
        "employers:employer_edit", args=[w.employer_org.pk])),
    Endpoint("employers:location_add", "coach", lambda w: reverse(
        "employers:location_add", args=[w.employer_org.pk])),
    Endpoint("employers:contact_add", "coach", lambda w: reverse(
        "employers:contact_add", args=[w.employer_org.pk])),
    Endpoint("employers:commitment_add", "coach", lambda w: reverse(
        "employers:commitment_add", args=[w.employer_org.pk])),
    Endpoint("employers:vacancy_add", "coach", lambda w: reverse(
        "employers:vacancy_add", args=[w.employer_org.pk])),
    Endpoint("employers:placement_create", "coach", lambda w: reverse(
        "employers:placement_create"), examples=25),
    Endpoint("employers:placement_end", "coach", lambda w: reverse(
        "employers:placement_end", args=[_placement(w)])),
    Endpoint("employers:placement_trial_pass", "coach", lambda w: reverse(
        "employers:placement_trial_pass", args=[_placement(w)])),
    Endpoint("employers:arrangement_add", "coach", lambda w: reverse(
        "employers:arrangement_add", args=[_placement(w)])),
    # --- employers: the leermeester's portal ---
    Endpoint("employers:workplace_hours", "employer", lambda w: reverse(
        "employers:workplace_hours", args=[w.participant.pk])),
    Endpoint("employers:workplace_assessment", "employer", lambda w: reverse(
        "employers:workplace_assessment", args=[w.participant.pk])),
    # --- the participant portal, and the staff's invitations ---
    Endpoint("portal:goal_reflect", "deelnemer", lambda w: reverse(
        "portal:goal_reflect", args=[_planned_goal(w).pk]),
        page=lambda w, url: reverse("portal:goals"), examples=25),
    Endpoint("portal:evaluation_reflect", "deelnemer", lambda w: reverse(
        "portal:evaluation_reflect", args=[_evaluation(w).pk]),
        page=lambda w, url: reverse("portal:evaluations")),
    Endpoint("portal:wellbeing", "deelnemer", lambda w: reverse("portal:wellbeing"),
             page=lambda w, url: reverse("portal:home")),
    Endpoint("portal:consent_give", "deelnemer", lambda w: reverse("portal:consent_give"),
             page=lambda w, url: reverse("portal:privacy")),
    Endpoint("portal:consent_withdraw", "deelnemer", lambda w: reverse(
        "portal:consent_withdraw", args=[_consent(w)]), fields=lambda w: JUNK, examples=5),
    Endpoint("portal:guardian_stop", "deelnemer", lambda w: reverse(
        "portal:guardian_stop", args=[_minor_with_guardian(w)]), fields=lambda w: JUNK,
        examples=5),
    Endpoint("portal:dossier", "deelnemer", lambda w: reverse("portal:dossier"),
             fields=lambda w: JUNK, examples=5),
    Endpoint("portal:participant_invite", "coach", _pk("portal:participant_invite"),
             fields=lambda w: JUNK, examples=5),
    Endpoint("portal:guardian_access", "regisseur", lambda w: (
        _minor_with_guardian(w), reverse("portal:guardian_access", args=[w.participant.pk]))[1],
        examples=25),
    Endpoint("portal:guardian_access_revoke", "regisseur", lambda w: reverse(
        "portal:guardian_access_revoke", args=[w.participant.pk, _minor_with_guardian(w)]),
        fields=lambda w: JUNK, examples=5),
    # --- accounts ---
    Endpoint("accounts:member_list", "beheerder", lambda w: reverse("accounts:member_list"),
             examples=25),
    Endpoint("accounts:invitation_accept", "anonymous", _invitation_url, examples=25),
    Endpoint("accounts:membership_switch", "coach", lambda w: reverse(
        "accounts:membership_switch"), fields=lambda w: {"membership": Field(
            "membership", "select", [str(w.users["coach"].memberships.get().pk)])}),
    # --- reporting ---
    Endpoint("reporting:forecast_export", "projectleider", lambda w: reverse(
        "reporting:forecast_export"),
        page=lambda w, url: reverse("reporting:forecast") + f"?programme={w.programme.pk}"),
    Endpoint("reporting:planner", "projectleider", lambda w: reverse("reporting:planner"),
             examples=25),
    Endpoint("reporting:planner_table", "projectleider", lambda w: reverse(
        "reporting:planner_table"), page=lambda w, url: reverse("reporting:planner"),
        action=lambda w: reverse("reporting:planner")),
    Endpoint("reporting:dashboard_export", "projectleider", lambda w: reverse(
        "reporting:dashboard_export"), fields=_dashboard_fields),
    Endpoint("reporting:dashboard_export", "landelijk", lambda w: reverse(
        "reporting:dashboard_export"), fields=_fixed(
            period=["2025", "2025-Q3", ""], academy=[""], branch=[""],
            route_type=["2", ""])),
    Endpoint("reporting:cohort_participants_export", "projectleider", lambda w: reverse(
        "reporting:cohort_participants_export", args=[w.cohort.pk]), fields=lambda w: JUNK,
        examples=5),
    Endpoint("reporting:funder_export", "regisseur", lambda w: reverse(
        "reporting:funder_export"), fields=_funder_fields),
    Endpoint("reporting:funder_report_request", "projectleider", lambda w: reverse(
        "reporting:funder_report_request"), fields=lambda w: {
            **_funder_fields(w), **_fixed(report=["esf", "uwv"])(w)}),
    Endpoint("reporting:dossier_request", "regisseur", lambda w: reverse(
        "reporting:dossier_request", args=[w.participant.pk, "intern"]), fields=lambda w: JUNK,
        examples=5),
    Endpoint("reporting:cohort_dossiers_request", "regisseur", lambda w: reverse(
        "reporting:cohort_dossiers_request", args=[w.cohort.pk]), fields=lambda w: JUNK,
        examples=5),
]  # fmt: skip


def endpoint_id(endpoint: Endpoint) -> str:
    extra = "-htmx" if endpoint.headers else ""
    return f"{endpoint.name}-{endpoint.persona}{extra}"


@dataclass
class Target:
    client: object
    url: str
    fields: dict[str, Field]
    headers: dict
    saved: Callable
    avoid: dict


def make_target(endpoint: Endpoint, world, client_as) -> Target:
    """The endpoint's URL, client and fields, made once per test (outside the examples)."""
    route_services.life_domains_ensure(academy=world.academy)  # what a first GET would make
    route_services.phases_ensure(programme=world.programme)
    client = client_as(endpoint.persona)
    url = endpoint.url(world)
    if endpoint.fields is not None:
        fields = endpoint.fields(world)
    else:
        page = endpoint.page(world, url) if endpoint.page else url
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        action = endpoint.action(world) if endpoint.action else url
        fields = form_fields(response.content.decode(), action)
        assert fields, f"no form posting to {url} on {page}"
    fields = {name: spec for name, spec in fields.items() if spec.kind != "file"}
    return Target(client, url, fields, endpoint.headers, endpoint.saved, endpoint.avoid)


def post_and_check(target: Target, data: dict, logged_errors, files: dict | None = None):
    """One hostile submit, in a savepoint that is rolled back afterwards."""
    errors_before = len(logged_errors())
    with rolled_back():
        before = db_fingerprint()
        response = target.client.post(target.url, {**data, **(files or {})}, headers=target.headers)
        assert response.status_code != 500, (target.url, short(data))
        assert not raw_markup_in(response), (target.url, raw_markup_in(response), short(data))
        if target.saved(response):
            if response.has_header("Location"):
                shown = target.client.get(response["Location"])
                assert shown.status_code != 500, (response["Location"], short(data))
                assert not raw_markup_in(shown), (response["Location"], raw_markup_in(shown))
        else:
            # The form came back (or nothing was allowed): nothing may have been saved.
            changed = changed_tables(before, db_fingerprint())
            assert not changed, (target.url, response.status_code, changed, short(data))
    assert len(logged_errors()) == errors_before, logged_errors()[errors_before:]
    return response
