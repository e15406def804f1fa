"""Access, black box (issue 8, item 1): every persona, every link and every route of the
URLconf with real ids, and nothing outside the persona's scope in any page or file.

How: tests/security/conftest.py builds one world (tests/security/world.py plants distinctive
data per participant) and crawls it as every persona, following what each is shown and
harvesting every id in every URL (links, form actions, hx targets, redirects). Here each persona
then tries every route with parameters with the ids the others were shown (of the converter's
type: uuid, int, slug), and every page, workbook, PDF and zip member either way is searched for
the planted data. What each persona may see comes from the roles table
(docs/architecture.md) and the rules.py predicates; FORBIDDEN below says it per persona.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from django.urls import reverse

from .crawler import Page, Route, try_harvested_ids
from .world import CATEGORIES, PERSONAS, scan

ALL = frozenset(CATEGORIES)
NOTHING = frozenset()
NAME_AND_STATUS_ONLY = ALL - {"name"}
OWN_COACH = frozenset({"bsn"})  # participants.view_bsn and export_bsn: the regisseur only
# The young person: their own route, never the staff's care notes, analysis, BSN or the log
# entries not marked shareable. Their own dossier copy carries the evaluation summaries
# (reporting.dossier.content.PARTICIPANT_SPEC), so those are theirs; their network is
# their own data.
SELF = frozenset({"care", "analysis", "bsn", "log_private"})

# persona -> {participant tag: categories that must never reach them}; a participant not
# named here must not show at all (ALL, the name included).
FORBIDDEN: dict[str, dict[str, frozenset]] = {
    "regisseur": {"DAAN": NOTHING, "NOOR": NOTHING},
    "foreign_regisseur": {"FINN": NOTHING},
    "coach": {"DAAN": OWN_COACH},
    "other_coach": {"NOOR": OWN_COACH},
    "projectleider": {"DAAN": NAME_AND_STATUS_ONLY, "NOOR": NAME_AND_STATUS_ONLY},
    "employer": {"DAAN": NAME_AND_STATUS_ONLY},
    "other_employer": {"NOOR": NAME_AND_STATUS_ONLY},
    "deelnemer": {"DAAN": SELF},
    "beheerder": {},
    "landelijk": {},
    "anonymous": {},
}

# What the crawl must find, so a test that finds no leak has looked where the data is.
MUST_SEE: dict[str, set] = {
    "regisseur": {(tag, c) for tag in ("DAAN", "NOOR") for c in CATEGORIES},
    "foreign_regisseur": {("FINN", c) for c in CATEGORIES},
    "coach": {("DAAN", c) for c in CATEGORIES if c != "bsn"},
    "other_coach": {("NOOR", c) for c in CATEGORIES if c != "bsn"},
    "projectleider": {("DAAN", "name"), ("NOOR", "name")},
    "employer": {("DAAN", "name")},
    "other_employer": {("NOOR", "name")},
    "deelnemer": {("DAAN", "name")},
}

# Leaks found and reported to the lead: (persona, view) -> the (tag, category) it shows. They
# are left out of the persona tests and asserted on their own, as xfail(strict=True), below.
KNOWN_LEAKS = {
    ("beheerder", "audit:event_list"): {("DAAN", "name"), ("NOOR", "name")},
}


def leaks(persona: str, pages: list[Page], *, known: bool = False) -> list[str]:
    rules = FORBIDDEN[persona]
    found = []
    for page in pages:
        for tag, category, kind in sorted(page.found):
            if category not in rules.get(tag, ALL):
                continue
            is_known = (tag, category) in KNOWN_LEAKS.get((persona, page.view), set())
            if is_known == known:
                found.append(
                    f"{page.url} ({page.view}, {page.status}): {category} of {tag} in {kind}"
                )
    return found


# --- every persona, everything it is shown, and every route with the others' ids --------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_sees_nothing_outside_its_scope(persona, security, db):
    crawled = security.crawls[persona]
    tried = try_harvested_ids(
        security.clients[persona],
        security.routes,
        security.harvest,
        scan,
        skip=security.crawled(persona),
    )
    assert not security.errors, f"errors logged while building or crawling: {security.errors}"
    pages = crawled + tried
    assert not leaks(persona, pages), f"{persona} was shown data outside its scope"
    assert not [p.url for p in pages if p.status >= 500]
    seen = {(tag, category) for page in pages for tag, category, _kind in page.found}
    missing = MUST_SEE.get(persona, set()) - seen
    assert not missing, f"the crawl as {persona} never reached {sorted(missing)}"


def test_beheerder_audit_log_names_no_participant(security):
    assert not leaks("beheerder", security.crawls["beheerder"], known=True)


def test_every_route_with_parameters_is_tried_with_real_ids(security):
    """The harvest gives every parameter of every route real ids to try. An invitation token
    is only ever mailed, and a calendar feed's token is shown once, when it is made, so no page
    shows either."""
    no_ids = {
        route.name: name
        for route in security.routes
        for name, conv in route.params
        if not security.harvest.candidates(route, name, conv)
    }
    assert no_ids == {"accounts:invitation_accept": "token", "home:calendar_feed": "token"}


def test_downloads_were_opened_and_read(security):
    """The searches above read inside the files: a workbook's cells, a PDF's text, a zip's
    PDFs, JSON. Proven here by finding what the regisseur may have in each."""
    seen = {
        (tag, category, kind)
        for page in security.crawls["regisseur"]
        for tag, category, kind in page.found
    }
    for expected in [
        ("DAAN", "bsn", "xlsx"),  # the funder list
        ("DAAN", "care", "json"),  # the inspection export
        ("DAAN", "analysis", "pdf"),  # the internal dossier
        ("NOOR", "analysis", "zip/pdf"),  # the cohort's dossiers
        ("NOOR", "name", "zip-name"),
    ]:
        assert expected in seen
    runs = security.sw.runs.items()
    assert {name for name, (_who, run) in runs if run is None or run.status != "done"} == set()


# --- ids in URLs -------------------------------------------------------------------------------

# The rule for ids in URLs: participant data is addressed by the participant's uuid (or a run's
# uuid), never by a number someone can count up. An int is acceptable only when
#  - it is not participant data (an employer, a vacancy, a cohort), NOT_PARTICIPANT_DATA; or
#  - it sits under a participant's uuid that the view checks first, and the view fetches it
#    only through that participant (test_int_ids_are_fetched_through_their_participant); a
#    plan's version number counts the same way; or
#  - it is on the young person's own portal, where the participant is the login itself and the
#    view fetches it only through that record (same test).
NOT_PARTICIPANT_DATA = {
    ("accounts:invitation_accept", "token"),
    ("home:calendar_feed", "token"),  # a secret address: tests/home/test_agenda.py
    ("reporting:dossier_request", "variant"),
    ("reporting:cohort_participants_export", "pk"),  # a cohort
    ("reporting:cohort_dossiers_request", "pk"),  # a cohort
    ("reporting:forecast_staff", "pk"),  # a programme
    ("employers:vacancy_candidates", "pk"),  # a vacancy; the candidates shown are scoped
    ("employers:candidate_propose", "pk"),  # a vacancy; the participant by uuid after it
    ("employers:workplace_vacancy", "pk"),  # the werkgever's own vacancy; candidates scoped
    # The beheerder's pages: a membership, a user, an invitation of their academy (accounts).
    ("accounts:membership_change", "pk"),
    ("accounts:membership_remove", "pk"),
    ("accounts:user_deactivate", "pk"),
    ("accounts:user_reactivate", "pk"),
    ("accounts:invitation_resend", "pk"),
    ("accounts:invitation_revoke", "pk"),
    *(
        (f"employers:{name}", "pk")  # an employer (an organisation)
        for name in (
            "employer_detail",
            "employer_edit",
            "location_add",
            "contact_add",
            "commitment_add",
            "vacancy_add",
            "sroi",
            "sroi_export",
        )
    ),
}


def nested(route: Route) -> bool:
    return ("pk", "uuid") in route.params or route.namespace == "portal"


def int_id_violations(routes: list[Route]) -> set[tuple[str, str]]:
    return {
        (route.name, name)
        for route in routes
        for name, conv in route.params
        if conv != "uuid" and (route.name, name) not in NOT_PARTICIPANT_DATA and not nested(route)
    }


def test_participant_data_is_addressed_by_uuid(security):
    assert int_id_violations(security.routes) == set()


PLACEMENT_ROUTES = (
    "employers:placement_detail",
    "employers:placement_end",
    "employers:placement_trial_pass",
    "employers:arrangement_add",
)


def test_placements_are_addressed_by_uuid(security, db):
    """A placement (who works where, since when, with which subsidy arrangement) is
    participant data: its routes take its public uuid, not a counting id. A random uuid is a
    404, and so is the placement's primary key in the uuid's place, even for the regisseur
    (who may see the placement)."""
    routes = {route.name: route for route in security.routes}
    params = {name: routes[name].params for name in PLACEMENT_ROUTES}
    assert params == dict.fromkeys(PLACEMENT_ROUTES, (("public_id", "uuid"),))
    placement = security.sw.participants["DAAN"].placements.get()
    client = security.clients["regisseur"]
    for name in PLACEMENT_ROUTES:
        real = reverse(name, args=[placement.public_id])
        assert client.get(real).status_code == 200, real
        assert _get_or_post(client, reverse(name, args=[uuid.uuid4()])).status_code == 404
        by_pk = real.replace(str(placement.public_id), str(placement.pk))
        assert client.get(by_pk).status_code == 404, by_pk


def _get_or_post(client, url: str):
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def test_int_ids_under_a_participant_are_fetched_through_it(security, db):
    """Every int id a page showed under one participant's uuid, given under the other
    participant's uuid instead, is a 404 for the regisseur (who may see both), GET or POST."""
    daan, noor = (security.sw.participants[tag].pk for tag in ("DAAN", "NOOR"))
    swap = {daan: noor, noor: daan}
    answers = defaultdict(set)
    for route in security.routes:
        ints = [name for name, conv in route.params if conv == "int" and name != "number"]
        if not ints or ("pk", "uuid") not in route.params:
            continue
        for args in security.harvest.seen[route.name]:
            kwargs = dict(args)
            if kwargs["pk"] in swap:
                kwargs["pk"] = swap[kwargs["pk"]]
                url = reverse(route.name, kwargs=kwargs)
                answers[route.name].add(
                    _get_or_post(security.clients["regisseur"], url).status_code
                )
    assert set(answers) >= {
        "participants:network_contact_edit",
        "participants:network_contact_remove",
        "participants:consent_withdraw",
        "participants:follow_up_record",
        "leerroutes:goal_status",
        "leerroutes:certificate_evidence",
        "portal:guardian_access_revoke",
    }
    assert {name: codes for name, codes in answers.items() if codes != {404}} == {}


def test_portal_ids_of_another_participant_are_404(security, db):
    """On the young person's own portal the participant is the login; an int id of another
    participant's goal, talk, consent or guardian access is a 404."""
    noor = security.sw.participants["NOOR"]
    others = {
        "portal:goal_reflect": ("goal_pk", noor.current_route.goals.all()),
        "portal:evaluation_reflect": ("evaluation_pk", noor.current_route.evaluations.all()),
        "portal:consent_withdraw": ("consent_pk", noor.consents.all()),
        "portal:guardian_stop": ("access_pk", noor.guardian_accesses.all()),
    }
    client = security.clients["deelnemer"]
    answers = {}
    for name, (param, objects) in others.items():
        assert objects, name
        for obj in objects:
            url = reverse(name, kwargs={param: obj.pk})
            answers[url] = client.post(url, {"text": "Niet van mij"}).status_code
    assert set(answers.values()) == {404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_random_uuid_is_404_on_every_route(persona, security, db):
    """A uuid nobody has, on every route that takes one: 404 for every logged-in persona (GET,
    or POST where the route is POST only); the anonymous visitor goes to the login page first
    and learns nothing either."""
    client = security.clients[persona]
    wrong = []
    for route in security.routes:
        if not any(conv == "uuid" for _n, conv in route.params):
            continue
        kwargs = {
            name: uuid.uuid4()
            if conv == "uuid"
            else security.harvest.candidates(route, name, conv)[0]
            for name, conv in route.params
        }
        url = reverse(route.name, kwargs=kwargs)
        response = _get_or_post(client, url)
        if persona == "anonymous":
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("account_login")
            )
        else:
            ok = response.status_code == 404
        if not ok:
            wrong.append((route.name, url, response.status_code))
    assert wrong == []
