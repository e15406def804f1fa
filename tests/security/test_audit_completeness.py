"""Audit completeness (issue 8, item 2): every view of one participant's data and every export
writes EXACTLY ONE audit event, with the right actor, acting role, participant and action.

The routes come from the URLconf (every pattern with a participant's uuid, the placement routes,
the young person's own portal pages) and the personas from the ACCESS table of
tests/test_url_access.py; the ids are the package world's (tests/security). Views that show
participant data without a participant id (lists, dashboards) are pinned to what they write
now, in NO_PARTICIPANT_ID, so a change is a decision; those that show names and write no event
are marked there and were reported to the lead.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maatwerq.audit.models import Action, AuditEvent, AuditEventParticipant
from participants.models import Route
from tests.factories import reauthenticated
from tests.test_url_access import ACCESS, ASKS_PASSWORD

from .crawler import our_routes
from .world import LAST_NAMES

PLACEMENT_ROUTES = (
    "employers:placement_detail",
    "employers:placement_end",
    "employers:placement_trial_pass",
    "employers:arrangement_add",
)
# The young person's own pages: the participant is the login (portal.views._page).
PORTAL_PAGES = (
    "portal:home",
    "portal:goals",
    "portal:evaluations",
    "portal:results",
    "portal:privacy",
    "portal:dossier",
)
# Downloads of one participant's data: an EXPORT. The certificate evidence is shown inline
# (a look at a file, not an export of the record), and writes a READ naming the certificate.
EXPORTS = {"participants:participant_data_export"}


def _missing_event(name: str, url: str, shows: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(
        strict=True,
        reason=f"Defect: GET {url} ({name}) shows {shows} and writes no audit event.",
    )


# Views that show participant data and write no event; none left (each was fixed and its
# xfail removed). A view added here must be a reported defect, marked with _missing_event.
MISSING_EVENTS: dict[str, pytest.MarkDecorator] = {}


# A candidate's public id names one participant: its pages write one READ naming them
# (tests/employers/test_candidates.py, test_candidate_pages_write_one_read_naming_them).
CANDIDATE_ROUTES = {
    "employers:candidate_trial_start",
    "employers:workplace_candidate_invite",
    "employers:workplace_candidate_decide",
}
# A run's uuid is not a participant's: its page, status and download are pinned in
# test_every_download_writes_one_export_event.
RUN_ROUTES = {
    "reporting:run_detail",
    "reporting:run_status",
    "reporting:run_download",
    "portal:dossier_status",
}


def participant_routes() -> list[str]:
    """Every route that takes a participant's uuid (pk), the placement routes and the portal
    pages: one participant's data each."""
    with_uuid = [
        r.name for r in our_routes() if ("pk", "uuid") in r.params and r.name not in RUN_ROUTES
    ]
    return sorted({*with_uuid, *PLACEMENT_ROUTES, *PORTAL_PAGES})


def _events_since(last_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk"))


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _role(user) -> str:
    return user.memberships.get().role


def _describe(events) -> list[tuple]:
    return [(e.action, e.acting_role, e.actor_id, e.participant_id, e.object_type) for e in events]


def _url(security, name: str) -> str:
    """The route for Daan (the coach's, placed at the employer), with the other parameters
    taken from URLs the crawl saw under Daan's uuid (a contact, a goal, a plan's number)."""
    daan = security.sw.participants["DAAN"]
    if name in PLACEMENT_ROUTES:
        return reverse(name, args=[daan.placements.get().public_id])
    route = next(r for r in security.routes if r.name == name)
    if not route.params:
        return reverse(name)
    his = {}
    for view in sorted(security.harvest.seen):
        for args in sorted(security.harvest.seen[view], key=str):
            if dict(args).get("pk") == daan.pk:
                his = {**dict(args), **his}
    return reverse(name, kwargs={param: his[param] for param, _conv in route.params})


def _personas(name: str) -> list[str]:
    if name in PORTAL_PAGES:
        return ["deelnemer"]
    return sorted(ACCESS[name][1])


def _cases():
    for name in participant_routes():
        marks = [MISSING_EVENTS[name]] if name in MISSING_EVENTS else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(_cases()))
def test_participant_page_writes_exactly_one_event(name, security, db):
    """Each persona that may open the page (ACCESS): exactly one event, by them, in their
    acting role, naming the participant, READ (EXPORT for a download). A route no one may GET
    (POST only) is covered by the writes below."""
    daan = security.sw.participants["DAAN"]
    url = _url(security, name)
    expected = Action.EXPORT if name in EXPORTS else Action.READ
    personas = _personas(name)
    if not personas:
        assert security.clients["regisseur"].get(url).status_code == 405, url
        return
    for persona in personas:
        user = security.sw.users[persona]
        client = security.clients[persona]
        if name in ASKS_PASSWORD:  # a fresh session that just gave the password again
            client = Client()
            client.force_login(user)
            reauthenticated(client)
        last = _last_event_id()
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        events = [event[:4] for event in _describe(_events_since(last))]
        assert events == [(expected, _role(user), user.pk, daan.pk)], (persona, url)


# --- views with participant data but no participant id ---------------------------------------

# name -> (audit events one GET writes now, participant data it shows). Pinned as they are;
# FLAG marks a view that shows names but writes no event (reported to the lead).
FLAG = "FLAG: shows names, writes no event"
NO_PARTICIPANT_ID = {
    # The start pages of the coach, regisseur and werkgever list people: one READ naming them.
    "home": (
        {
            "coach": 1,
            "other_coach": 1,
            "regisseur": 1,
            "foreign_regisseur": 1,
            "employer": 1,
            "other_employer": 1,
        },
        "the people on the start page: one READ",
    ),
    # The week's agenda names the people of its events: one READ, none for an empty week (as
    # every week of this world is; tests/home/test_agenda.py reads a week with events).
    "home:agenda": (0, "the people in the week: one READ"),
    "home:day_settings": (0, "one's own calendar address and email choice"),
    "accounts:member_list": (0, "accounts only"),
    "accounts:membership_change": (0, "a form about an account"),
    "account_email": (0, "one's own login address"),
    "audit:event_list": (0, f"{FLAG} (the participant of each event)"),
    "participants:participant_list": (1, "names: one READ naming everyone shown"),
    "participants:participant_export": (1, "the list as a workbook: one EXPORT"),
    "participants:participant_import": (0, "a form"),
    "participants:participant_import_template": (0, "an empty workbook"),
    "participants:participant_create": (0, "a form"),
    "participants:follow_ups_due": (1, "names: one READ"),
    "leerroutes:caseload": (1, "names: one READ"),
    "employers:employer_list": (0, "employers only"),
    "employers:employer_create": (0, "a form"),
    "employers:employer_detail": (1, "names of its trainees: one READ of the employer"),
    "employers:employer_edit": (0, "a form"),
    "employers:location_add": (0, "a form"),
    "employers:contact_add": (0, "a form"),
    "employers:commitment_add": (0, "a form"),
    "employers:vacancy_add": (0, "a form"),
    "employers:vacancy_candidates": (1, "candidates' names: one READ of the vacancy"),
    "employers:placement_list": (1, "names: one READ"),
    "employers:placement_create": (0, f"{FLAG} (the participant choice lists the caseload)"),
    "employers:watchlist": (1, "names: one READ"),
    "employers:sroi": (0, "counts"),
    "employers:sroi_export": (1, "counts: one EXPORT"),
    "employers:workplace_home": (1, "the employer's trainees: one READ"),
    "employers:workplace_vacancies": (0, "the employer's own vacancies and counts"),
    "employers:workplace_vacancy": (1, "candidates' first names: one READ of the vacancy"),
    "employers:workplace_sroi": (0, "counts"),
    "employers:workplace_sroi_export": (1, "counts: one EXPORT"),
    "reporting:index": (0, "counts"),
    "reporting:forecast": (0, "counts"),
    "reporting:planner": (0, "counts"),
    "reporting:forecast_staff": (0, "a programme's staff available: no person"),
    "reporting:run_list": (0, "one's own exports"),
    "reporting:dashboard": (0, "counts"),
    "reporting:dashboard_names": (1, "the names behind a number: one READ naming them"),
    "reporting:funder_list": (0, "counts"),
    "reporting:national": (0, "counts across academies"),
    "reporting:cohort_dossiers": (0, "cohorts and counts"),
    # Results for funders and academies (issue 18): counts, shares and means, never a name.
    "reporting:results": (0, "counts and shares"),
    "reporting:result_lines": (0, "means per group, none of fewer than 5"),
    "reporting:esf_report": (0, "ESF+ counts, the sensitive ones rounded"),
    "reporting:comparison": (0, "rates of the academy and the national median"),
    "reporting:national_comparison": (0, "rates across academies, rounded"),
    "reporting:funder_reports": (0, "a kind's fields and how many routes it covers"),
}
EXPECTED_ACTION = {
    "participants:participant_export": Action.EXPORT,
    "employers:sroi_export": Action.EXPORT,
    "employers:workplace_sroi_export": Action.EXPORT,
}


def test_every_route_is_classified(security, db):
    """A new route must say what it logs: a participant route above, a route without one in
    NO_PARTICIPANT_ID, a run's route, the mailed token, the app's script and manifest;
    anything else is POST only (its writes
    are logged by its service, tested in test_each_write_writes_exactly_one_event)."""
    classified = {*participant_routes(), *NO_PARTICIPANT_ID, *RUN_ROUTES, *CANDIDATE_ROUTES}
    classified.add("accounts:invitation_accept")
    # The calendar feed's secret address: its READ is tested in tests/home/test_agenda.py.
    classified.add("home:calendar_feed")
    # The installable app's script and manifest: the same for everyone, no personal data
    # (tests/leerroutes/test_offline.py).
    classified.update({"service_worker", "web_manifest"})
    answers = {}
    for route in security.routes:
        if route.name in classified:
            continue
        kwargs = {p: security.harvest.candidates(route, p, c)[0] for p, c in route.params}
        url = reverse(route.name, kwargs=kwargs)
        answers[route.name] = {
            security.clients[persona].get(url).status_code for persona in ("regisseur", "deelnemer")
        }
    assert {name: codes for name, codes in answers.items() if 405 not in codes} == {}


@pytest.mark.parametrize("name", sorted(NO_PARTICIPANT_ID))
def test_view_without_participant_id_writes_what_it_writes_now(name, security, db):
    count, _shows = NO_PARTICIPANT_ID[name]
    opened = {}
    for persona, pages in security.crawls.items():
        urls = [p.url for p in pages if p.view == name and p.status == 200]
        if urls:
            opened[persona] = urls[0]
    assert opened, f"no persona's crawl opened {name}"
    for persona, url in opened.items():
        user = security.sw.users[persona]
        last = _last_event_id()
        assert security.clients[persona].get(url).status_code == 200
        events = _events_since(last)
        expected = count.get(persona, 0) if isinstance(count, dict) else count
        assert len(events) == expected, (persona, url, _describe(events))
        for event in events:
            assert (event.action, event.actor_id, event.acting_role, event.participant_id) == (
                EXPECTED_ACTION.get(name, Action.READ),
                user.pk,
                _role(user),
                None,
            ), (persona, url)


# --- downloads of background files ----------------------------------------------------------


def test_every_download_writes_one_export_event(security, db):
    """Each planted run, downloaded by whoever asked for it: one EXPORT event naming the run,
    and the participant for a dossier (a list or a cohort's ZIP names none). Its page and its
    polled status write none; FLAG: a dossier's page shows its file name, which carries the
    participant's name (reporting:run_detail). The young person polls their own run on the
    portal (portal:dossier_status)."""
    for label, (persona, run) in security.sw.runs.items():
        user, client = security.sw.users[persona], security.clients[persona]
        last = _last_event_id()
        pages = ["reporting:run_detail", "reporting:run_status"]
        if persona == "deelnemer":
            pages.append("portal:dossier_status")
        for name in pages:
            assert client.get(reverse(name, args=[run.pk])).status_code == 200, (label, name)
        assert _events_since(last) == [], label
        response = client.get(reverse("reporting:run_download", args=[run.pk]))
        assert response.status_code == 200, label
        b"".join(response.streaming_content)
        participant = run.parameters.get("participant")
        assert _describe(_events_since(last)) == [
            (
                Action.EXPORT,
                _role(user),
                user.pk,
                participant and uuid.UUID(participant),
                "reporting.ReportRun",
            )
        ], label


# --- writes ----------------------------------------------------------------------------------


def _writes(security):
    """(persona, route name, args, form data, action) of the writes cheap to make."""
    daan = security.sw.participants["DAAN"]
    today = timezone.localdate().isoformat()
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    contact = daan.network.get()
    photo = daan.consents.get(scope="foto")
    question = daan.consent_requests.get(answered_at__isnull=True)
    goal = daan.current_route.goals.get()
    plan = daan.current_route.plans.order_by("-number").first()
    asked = {"scope": "informatie_opvragen", "organisation": "GGD", "given_by": "deelnemer"}
    return [
        (
            "coach",
            "participants:care_note_add",
            [daan.pk],
            {"written_on": today, "text": "Nieuw"},
            Action.CREATE,
        ),
        (
            "coach",
            "participants:network_contact_add",
            [daan.pk],
            {"role": "ouder", "name": "Tante"},
            Action.CREATE,
        ),
        (
            "coach",
            "participants:network_contact_edit",
            [daan.pk, contact.pk],
            {"role": "ouder", "name": "Oom"},
            Action.UPDATE,
        ),
        (
            "coach",
            "participants:network_contact_remove",
            [daan.pk, contact.pk],
            {},
            Action.DELETE,
        ),
        (
            "regisseur",
            "participants:consent_add",
            [daan.pk],
            {**asked, "given_on": today},
            Action.CREATE,
        ),
        (
            "regisseur",
            "participants:consent_withdraw",
            [daan.pk, photo.pk],
            {"withdrawn_on": today},
            Action.UPDATE,
        ),
        (
            "regisseur",
            "participants:consent_request_withdraw",
            [daan.pk, question.pk],
            {},
            Action.UPDATE,
        ),
        (
            "coach",
            "leerroutes:progress_log",
            [daan.pk],
            {"on": today, "wellbeing": 4, "text": "Goed bezig"},
            Action.CREATE,
        ),
        (
            "coach",
            "leerroutes:hours",
            [daan.pk],
            {"week_start": last_week, "practice_hours": 20, "theory_hours": 4},
            Action.CREATE,
        ),
        (
            "coach",
            "leerroutes:goal_status",
            [daan.pk, goal.pk],
            {"to_status": "bezig", "on": today},
            Action.UPDATE,
        ),
        ("regisseur", "leerroutes:plan_sign_off", [daan.pk, plan.number], {}, Action.UPDATE),
        (
            "deelnemer",
            "portal:goal_reflect",
            [goal.pk],
            {f"goal-{goal.pk}-text": "Lukt goed"},
            Action.CREATE,
        ),
        ("deelnemer", "portal:wellbeing", [], {"score": 4}, Action.CREATE),
        ("deelnemer", "portal:consent_give", [], {"scope": "contact_ouders"}, Action.CREATE),
    ]


def test_each_write_writes_exactly_one_event(security, db):
    daan = security.sw.participants["DAAN"]
    wrong = {}
    for persona, name, args, data, action in _writes(security):
        user = security.sw.users[persona]
        last = _last_event_id()
        response = security.clients[persona].post(reverse(name, args=args), data)
        events = _describe(_events_since(last))
        assert response.status_code == 302, (name, response.status_code)
        if [e[:4] for e in events] != [(action, _role(user), user.pk, daan.pk)]:
            wrong[name] = events
    assert wrong == {}


def test_asking_for_a_dossier_writes_no_event_the_download_does(security, db):
    """A dossier request only queues a run (no data leaves); the download writes the EXPORT."""
    daan = security.sw.participants["DAAN"]
    last = _last_event_id()
    url = reverse("reporting:dossier_request", args=[daan.pk, "intern"])
    response = security.clients["regisseur"].post(url)
    assert response.status_code == 302
    assert _events_since(last) == []


# --- issue 14: lists name the people shown, refused attempts, list downloads -----------------


def _listed(event: AuditEvent) -> set[str]:
    rows = AuditEventParticipant.objects.filter(event=event).values_list(
        "participant_id", flat=True
    )
    return {str(pk) for pk in rows}


@pytest.mark.parametrize("name", ["participants:participant_list", "reporting:dashboard_names"])
def test_a_list_read_names_everyone_shown_in_one_event(name, security, db):
    """One READ per page, its ids the people on the page (in detail and in the listed rows,
    which each young person's "who opened my record" reads); nobody else."""
    opened = 0
    for persona, pages in security.crawls.items():
        for url in sorted({p.url for p in pages if p.view == name and p.status == 200})[:3]:
            last = _last_event_id()
            response = security.clients[persona].get(url)
            page = response.context["page_obj"]
            shown = {
                str(row["pk"] if isinstance(row, dict) else row.participant_id) for row in page
            }
            (event,) = _events_since(last)
            assert set(event.detail["participant_ids"]) == shown, (persona, url)
            assert _listed(event) == shown, (persona, url)
            opened += bool(shown)
    assert opened, f"no crawl opened {name} with names on it"


def _refused(events) -> list[tuple]:
    return [(e.action, e.actor_id, e.participant_id, e.detail.get("status")) for e in events]


@pytest.mark.parametrize("name", [n for n in participant_routes() if n not in PORTAL_PAGES])
def test_a_refused_attempt_on_a_participant_url_writes_one_event(name, security, db):
    """Every persona that may not open the page: a 403 or 404 is one REFUSED event naming
    the participant tried and the answer; a method not allowed (405) is no attempt at data."""
    daan = security.sw.participants["DAAN"]
    url = _url(security, name)
    allowed = set(ACCESS[name][1])
    for persona in sorted(set(security.clients) - allowed - {"anonymous"}):
        user = security.sw.users[persona]
        last = _last_event_id()
        status = security.clients[persona].get(url).status_code
        events = _events_since(last)
        if status == 405:
            assert events == [], (persona, url)
            continue
        assert status in {403, 404}, (persona, url, status)
        assert _refused(events) == [(Action.REFUSED, user.pk, daan.pk, status)], (persona, url)


def test_a_made_up_participant_id_is_one_refused_event_naming_no_one(security, db):
    made_up = uuid.uuid4()
    for name in ("participants:participant_detail", "employers:placement_detail"):
        kwargs = {"public_id": made_up} if name.startswith("employers") else {"pk": made_up}
        last = _last_event_id()
        response = security.clients["regisseur"].get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404
        (event,) = _events_since(last)
        assert (event.action, event.participant_id, event.object_id) == (
            Action.REFUSED,
            None,
            str(made_up),
        )


@pytest.mark.parametrize("label", ["cohort list", "cohort zip", "funder list"])
def test_a_list_download_names_each_young_person_in_the_file(label, security, db):
    """The download of a file about several young people: one EXPORT naming each of them."""
    persona, run = security.sw.runs[label]
    in_cohort = Route.objects.filter(cohort=security.sw.world.cohort)
    expected = {str(pk) for pk in in_cohort.values_list("participant_id", flat=True)}
    last = _last_event_id()
    response = security.clients[persona].get(reverse("reporting:run_download", args=[run.pk]))
    b"".join(response.streaming_content)
    (event,) = _events_since(last)
    assert event.action == Action.EXPORT
    listed = _listed(event)
    assert listed == set(event.detail["participant_ids"])
    assert "listed" not in event.detail["parameters"]  # named once, not twice
    if label == "funder list":  # the programme's routes started in the period
        assert str(security.sw.participants["DAAN"].pk) in listed
    else:
        assert listed == expected


LIST_PAGES = [
    "home",
    "participants:participant_list",
    "participants:follow_ups_due",
    "reporting:dashboard_names",
    "leerroutes:caseload",
    "employers:placement_list",
    "employers:watchlist",
    "employers:employer_detail",
    "employers:vacancy_candidates",
    "employers:workplace_home",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_page_listing_people_names_exactly_those_it_shows(name, security, db):
    """Every page with several young people's names: its one event names exactly the planted
    people whose names the page shows (read from the page itself), so each of them finds the
    look on their "who opened my record"."""
    people = {str(p.pk): LAST_NAMES[tag] for tag, p in security.sw.participants.items()}
    if name == "employers:watchlist":  # Daan's trial period ends soon: he is on it
        today = timezone.localdate()
        security.sw.participants["DAAN"].placements.update(
            trial_ends_on=today + timedelta(days=7),
            trial_reminder_listed_on=today,
            trial_passed_on=None,
            end_date=None,
        )
    opened = 0
    for persona, pages in security.crawls.items():
        for url in sorted({p.url for p in pages if p.view == name and p.status == 200})[:2]:
            last = _last_event_id()
            body = security.clients[persona].get(url).content.decode()
            events = _events_since(last)
            shown = {pk for pk, last_name in people.items() if last_name in body}
            if not events:  # a start page with an empty queue shows nobody and logs nothing
                assert name == "home", (persona, url)
                assert not shown, (persona, url)
                continue
            (event,) = events
            assert _listed(event) & set(people) == shown, (persona, url)
            opened += bool(shown)
    assert opened, f"no crawl opened {name} with a planted name on it"
