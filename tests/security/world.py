"""The security tests' world: the personas of tests/conftest.py, a deelnemer (tests/portal) and
a regisseur of the second academy, and three participants, each with the same set of planted,
distinctive data, so a leak names whose data it was and what kind.

- Daan Qadriwerf: the coach's caseload, placed at the employer, with his own portal login;
- Noor Xandersloot: the other coach's, placed at the other employer;
- Finn Buitenafqa: in the second academy (Twente), seen only by its own regisseur.

Per participant (TAG = DAAN, NOOR, FINN): a care note ZORG-GEHEIM-TAG, an analysis
ANALYSE-GEHEIM-TAG with talents ANALYSE-TALENT-TAG, a BSN that passes the 11-test, a network
contact NETWERK-GEHEIM-TAG, a log entry not shareable LOG-NIET-DELEN-TAG, an evaluation summary
GESPREK-GEHEIM-TAG; and a plan with a goal, hours, a certificate with evidence, a
handelingswijzer, consents, a consent question not yet answered, a follow-up check, a guardian's
access and background exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from leerroutes import services as route_services
from maatwerq.accounts.models import Role
from participants import services as participant_services
from participants.models import ConsentScope, GuardianAccess
from reporting.dossier import services as dossier_services
from reporting.funder import funder_parameters
from reporting.models import ReportRun
from reporting.services import report_run_request
from tests.conftest import World
from tests.factories import (
    AcademyFactory,
    CohortFactory,
    EmployerFactory,
    FollowUpFactory,
    MembershipFactory,
    PlacementFactory,
    ProgrammeFactory,
    UserFactory,
    VacancyFactory,
    certificate_with_evidence,
    participant_in,
)
from tests.portal.conftest import make_deelnemer, plan_with_goal

# Every persona the crawl logs in as: tests/conftest.py's, the young person, and the regisseur
# of the other academy (whose pages give the other academy's ids to everyone else).
PERSONAS = [
    "coach",
    "other_coach",
    "regisseur",
    "projectleider",
    "employer",
    "other_employer",
    "beheerder",
    "landelijk",
    "anonymous",
    "deelnemer",
    "foreign_regisseur",
]

TAGS = ("DAAN", "NOOR", "FINN")
FIRST_NAMES = {"DAAN": "Daan", "NOOR": "Noor", "FINN": "Finn"}
# Made-up surnames: no Dutch word or UI text contains them, in any case.
LAST_NAMES = {"DAAN": "Qadriwerf", "NOOR": "Xandersloot", "FINN": "Buitenafqa"}
BSNS = {"DAAN": "111222333", "NOOR": "123456782", "FINN": "736402913"}  # all pass the 11-test
CATEGORIES = ("name", "care", "analysis", "bsn", "network", "log_private", "eval_summary")


def needles(tag: str) -> dict[str, tuple[str, ...]]:
    return {
        "name": (LAST_NAMES[tag],),
        "care": (f"ZORG-GEHEIM-{tag}",),
        "analysis": (f"ANALYSE-GEHEIM-{tag}", f"ANALYSE-TALENT-{tag}"),
        "bsn": (BSNS[tag],),
        "network": (f"NETWERK-GEHEIM-{tag}",),
        "log_private": (f"LOG-NIET-DELEN-{tag}",),
        "eval_summary": (f"GESPREK-GEHEIM-{tag}",),
    }


_SPACE = re.compile(r"\s+")
# A BSN is searched with spaces, dots and dashes taken out: 111222333, 111 222 333,
# 111.222.333 and 1112 22 333 all match.
_BSN_SEPARATORS = re.compile(r"[\s.\-]")
_NEEDLES = [
    (tag, category, _SPACE.sub("", needle).lower())
    for tag in TAGS
    for category, found in needles(tag).items()
    for needle in found
]


def scan(text: str) -> Iterator[tuple[str, str]]:
    """(tag, category) of every planted marker in a text: case and white space (a PDF's line
    breaks) do not matter."""
    flat = _SPACE.sub("", text).lower()
    digits = _BSN_SEPARATORS.sub("", text)
    for tag, category, needle in _NEEDLES:
        if needle in (digits if category == "bsn" else flat):
            yield tag, category


@dataclass
class SecurityWorld:
    world: World  # the shape of tests/conftest.py's world, for its helpers
    users: dict  # persona -> user (no anonymous)
    participants: dict  # tag -> participant
    runs: dict  # a name -> (the persona who asked, the ReportRun made) (see plant_exports)


def build() -> SecurityWorld:
    academy = AcademyFactory(name="Academie Salland")
    other_academy = AcademyFactory(name="Academie Twente")
    programme = ProgrammeFactory(academy=academy, name="BinQ")
    cohort = CohortFactory(programme=programme, name="Groep 27")
    foreign_cohort = CohortFactory(
        programme=ProgrammeFactory(academy=other_academy, name="BinQ Twente"), name="Groep T1"
    )
    employer_org = EmployerFactory(academy=academy, name="Nijland Infra")
    other_employer_org = EmployerFactory(academy=academy, name="Van der Wal Transport")
    foreign_employer = EmployerFactory(academy=other_academy, name="Twentse Bouw")
    users = {}
    for name, role, where, employer in [
        ("coach", Role.COACH, academy, None),
        ("other_coach", Role.COACH, academy, None),
        ("regisseur", Role.REGISSEUR, academy, None),
        ("projectleider", Role.PROJECTLEIDER, academy, None),
        ("employer", Role.WERKGEVER, academy, employer_org),
        ("other_employer", Role.WERKGEVER, academy, other_employer_org),
        ("beheerder", Role.BEHEERDER, academy, None),
        ("landelijk", Role.LANDELIJK, academy, None),
        ("foreign_regisseur", Role.REGISSEUR, other_academy, None),
        ("foreign_coach", Role.COACH, other_academy, None),
    ]:
        user = UserFactory(email=f"{name}@example.test", full_name=name.replace("_", " "))
        MembershipFactory(user=user, academy=where, role=role, employer=employer)
        users[name] = user
    people = {}
    for tag, group, coach, placed_at in [
        ("DAAN", cohort, "coach", employer_org),
        ("NOOR", cohort, "other_coach", other_employer_org),
        ("FINN", foreign_cohort, "foreign_coach", foreign_employer),
    ]:
        people[tag] = participant_in(
            group,
            coach=users[coach],
            first_name=FIRST_NAMES[tag],
            last_name=LAST_NAMES[tag],
            bsn=BSNS[tag],
        )
        PlacementFactory(participant=people[tag], employer=placed_at)
    VacancyFactory(employer=employer_org, programme=programme)
    VacancyFactory(employer=foreign_employer, programme=foreign_cohort.programme)
    world = World(
        academy,
        other_academy,
        programme,
        cohort,
        employer_org,
        other_employer_org,
        users,
        people["DAAN"],
        people["NOOR"],
        people["FINN"],
        None,
        None,
    )
    users["deelnemer"] = make_deelnemer(world)
    regisseurs = {"DAAN": "regisseur", "NOOR": "regisseur", "FINN": "foreign_regisseur"}
    for tag, participant in people.items():
        plant(participant, tag=tag, coach=participant.coach, regisseur=users[regisseurs[tag]])
    return SecurityWorld(world, users, people, {})


def plant(participant, *, tag: str, coach, regisseur) -> None:
    """The same route data for every participant, through the services (as in use)."""
    today = timezone.localdate()
    domains = route_services.life_domains_ensure(academy=participant.academy)
    phases = route_services.phases_ensure(programme=participant.current_route.programme)
    participant_services.care_note_add(
        participant=participant, text=f"ZORG-GEHEIM-{tag} schulden", by=coach
    )
    route_services.analysis_create(
        participant=participant,
        made_on=date(2025, 8, 1),
        summary=f"ANALYSE-GEHEIM-{tag} slaapt slecht",
        domains=[route_services.DomainAnalysis(domain=domains[0], talents=f"ANALYSE-TALENT-{tag}")],
        by=regisseur,
    )
    plan_with_goal(participant, domains, regisseur, f"Doel {tag}: om 7 uur op de werf")
    for text, shareable in ((f"LOG-NIET-DELEN-{tag} ruzie thuis", False), ("Goed gedaan", True)):
        route_services.progress_entry_add(
            participant=participant,
            on=date(2025, 10, 1),
            text=text,
            wellbeing=3,
            shareable=shareable,
            by=coach,
        )
    route_services.evaluation_record(
        participant=participant,
        held_on=date(2025, 12, 1),
        summary=f"GESPREK-GEHEIM-{tag} verslag",
        phase_decision=phases[1],
        next_on=today + timedelta(days=30),
        by=coach,
    )
    route_services.hours_record(
        participant=participant,
        week_start=date(2025, 10, 6),
        practice_hours=24,
        theory_hours=8,
        by=coach,
    )
    certificate_with_evidence(participant.current_route)
    route_services.handelingswijzer_save(
        participant=participant, written_on=date(2025, 10, 1), about_me=f"Over {tag}", by=coach
    )
    for scope in (ConsentScope.EMPLOYER_WORK_STATUS, ConsentScope.HANDELINGSWIJZER, "foto"):
        participant_services.consent_give(
            participant=participant,
            scope=scope,
            given_on=date(2025, 9, 1),
            given_by="deelnemer",
            by=coach,
        )
    # A question asked in the app, not answered yet (its withdraw button is a route too).
    participant.consent_requests.create(scope="kandidaatprofiel", asked_by=regisseur)
    participant_services.network_contact_add(
        participant=participant, role="ouder", name=f"NETWERK-GEHEIM-{tag}", by=coach
    )
    FollowUpFactory(route=participant.current_route, listed_for_coach_on=today)
    GuardianAccess.objects.create(
        participant=participant,
        guardian_name=f"Ouder {FIRST_NAMES[tag]}",
        agreed_by_participant_on=date(2025, 9, 1),
        agreed_by_regisseur=regisseur,
        agreed_by_regisseur_on=date(2025, 9, 1),
    )


def client_for(sw: SecurityWorld, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(sw.users[persona])
    return client


def _run(response) -> ReportRun | None:
    """The run a request made: the view redirects to the run's page."""
    location = response.get("Location", "")
    return ReportRun.objects.filter(pk=location.rstrip("/").rpartition("/")[2]).first()


def plant_exports(sw: SecurityWorld, clients: dict) -> dict[str, tuple[str, ReportRun | None]]:
    """Background files of every kind, asked for as their users do (the views, POST) where
    no password is asked again; through the service where it is (cohort ZIP, funder list).
    Each runs at once (Celery is eager in test mode), so its file is there to download."""
    people, w = sw.participants, sw.world

    def post(persona, name, *args, data=None):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = clients[persona].post(reverse(name, args=args), data or {})
        return persona, _run(response)

    def service(persona, make):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return persona, make()

    def dossier(persona, tag, variant):
        return post(persona, "reporting:dossier_request", people[tag].pk, variant)

    regisseur = sw.users["regisseur"]
    runs = {
        "internal DAAN": dossier("regisseur", "DAAN", "intern"),
        "internal NOOR": dossier("regisseur", "NOOR", "intern"),
        "internal FINN": dossier("foreign_regisseur", "FINN", "intern"),
        "participant copy DAAN by coach": dossier("coach", "DAAN", "deelnemer"),
        "employer copy DAAN by coach": dossier("coach", "DAAN", "werkgever"),
        "employer copy DAAN": dossier("employer", "DAAN", "werkgever"),
        "employer copy NOOR": dossier("other_employer", "NOOR", "werkgever"),
        "dashboard": post("projectleider", "reporting:dashboard_export"),
        "national dashboard": post("landelijk", "reporting:dashboard_export"),
        "cohort list": post("projectleider", "reporting:cohort_participants_export", w.cohort.pk),
        "forecast": post(
            "projectleider",
            "reporting:forecast_export",
            data={"programme": w.programme.pk, "first": "2025-09", "last": "2026-12"},
        ),
        "cohort zip": service(
            "regisseur",
            lambda: dossier_services.cohort_dossiers_request(
                cohort=w.cohort, by=regisseur, language="nl"
            ),
        ),
        "funder list": service(
            "regisseur",
            lambda: report_run_request(
                kind="funder_xlsx",
                parameters=funder_parameters(
                    programme=w.programme,
                    start_from=date(2025, 1, 1),
                    start_to=timezone.localdate(),
                    language="nl",
                ),
                by=regisseur,
            ),
        ),
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        clients["deelnemer"].post(reverse("portal:dossier"))
    own = ReportRun.objects.filter(requested_by=sw.users["deelnemer"]).first()
    runs["own dossier DAAN"] = ("deelnemer", own)
    for _persona, run in runs.values():
        if run is not None:
            run.refresh_from_db()
    return runs
