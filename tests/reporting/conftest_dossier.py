"""Fixtures and helpers of the dossier tests (imported explicitly by tests/reporting/
test_dossier*.py; the benchmark bench/dossier.py uses build_route too).

The world's Daan gets a full route with data that must never leave in the wrong copy: his care
note (ZORG-GEHEIM-DAAN, from tests/conftest.py), analysis texts (ANALYSE-GEHEIM-...), a BSN
that passes the 11-test, a log entry not marked shareable and a Q-certificate (SOVA).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from leerroutes import services as route_services
from participants.models import ConsentScope
from reporting.dossier import services
from reporting.dossier.content import VariantSpec
from reporting.models import ReportRun
from tests.factories import (
    AnalysisDomainFactory,
    AnalysisFactory,
    ArrangementDomainFactory,
    ArrangementFactory,
    CertificateFactory,
    ConsentFactory,
    EvaluationFactory,
    GoalFactory,
    GoalStatusChangeFactory,
    HandelingswijzerFactory,
    HoursWeekFactory,
    LeermeesterAssessmentFactory,
    PlanFactory,
    ProgressEntryFactory,
    RocResultFactory,
)

BSN = "111222333"  # passes the 11-test
BSN_FORMS = ("111222333", "111 222 333", "111.222.333", "1112 22 333")
SECRET_CARE = "ZORG-GEHEIM-DAAN"
SECRET_ANALYSIS_SUMMARY = "ANALYSE-GEHEIM-SAMENVATTING Daan heeft schulden en slaapt slecht"
SECRET_TALENTS = "ANALYSE-GEHEIM-TALENT kan goed met de shovel overweg"
SECRET_QUESTIONS = "ANALYSE-GEHEIM-VRAAG hulp bij geldzaken en de huisarts"
SECRET_ANALYSIS = "ANALYSE-GEHEIM"
SHARED_LOG = "GEDEELD-LOG"
INTERNAL_LOG = "INTERN-LOG-NIET-GEDEELD"
Q_CERTIFICATE = "SOVA-Q-CERTIFICAAT"
WORK_CERTIFICATE = "VCA Basis"
HANDELINGSWIJZER = "HW-OVER-MIJ ik werk graag buiten"
SUPPORT_PLAN = "ONDERSTEUNINGSPLAN coach twee keer per week"
PERSPECTIVE = "PERSPECTIEF vaste baan als straatmaker"

FILLER = (
    "Daan werkte deze periode aan het straatwerk op de nieuwe woonwijk en leerde de "
    "leermeester beter kennen; hij was op tijd, hielp een nieuwe collega en vroeg zelf om "
    "uitleg bij het uitzetten van de banden. "
)
ANALYSIS_FILLER = (
    "Uit de beeldvorming blijkt dat structuur in de ochtend helpt; thuis is er weinig rust "
    "en de reistijd naar de werf is lang, wat het begin van de dag zwaar maakt. "
)


def build_route(
    participant,
    *,
    goals: int = 3,
    entries: int = 6,
    evaluations: int = 2,
    assessments: int = 1,
    roc_results: int = 2,
    weeks: int = 8,
    long_texts: int = 0,
    start: date = date(2025, 9, 1),
):
    """A full route on the participant's current route: analysis and arrangement (on the
    academy's default life domains), a plan with goals and their history, log entries (every
    third shareable) over the months since ``start``, evaluations, assessments, ROC results,
    certificates, hours and a handelingswijzer. ``long_texts`` adds that many filler
    sentences to the texts (for the benchmark's ten-page dossier)."""
    route = participant.current_route
    domains = route_services.life_domains_ensure(academy=participant.academy)
    filler = FILLER * long_texts
    # The analysis has its own words: the guard stops a copy that repeats them.
    analysis = AnalysisFactory(
        route=route, summary="Analyse: motivatie is hoog. " + ANALYSIS_FILLER * long_texts
    )
    for domain in domains[:4]:
        AnalysisDomainFactory(analysis=analysis, domain=domain, support_need=1)
    arrangement = ArrangementFactory(route=route, is_24_hour=True, outside_work="Wonen")
    for domain in domains[:4]:
        ArrangementDomainFactory(arrangement=arrangement, domain=domain)
    plan = PlanFactory(route=route, perspective=PERSPECTIVE, support_plan=SUPPORT_PLAN)
    for n in range(goals):
        goal = GoalFactory(
            created_in=plan,
            description=f"Werkdoel {n + 1}: zelfstandig een bestrating leggen. {filler[:300]}",
            domain=domains[n % len(domains)],
            order=n,
            status="bezig" if n % 2 else "behaald",
        )
        GoalStatusChangeFactory(goal=goal, from_status="", to_status="open", on=start)
        GoalStatusChangeFactory(goal=goal, on=start + timedelta(days=30 + n))
        if goal.status == "behaald":
            GoalStatusChangeFactory(
                goal=goal, from_status="bezig", to_status="behaald", on=start + timedelta(days=90)
            )
    for n in range(entries):
        shareable = n % 3 == 0
        ProgressEntryFactory(
            route=route,
            on=start + timedelta(days=7 * n),
            text=f"{SHARED_LOG if shareable else INTERNAL_LOG} {n}: {filler[:400]}",
            wellbeing=2 + (n % 4),
            hours_present=8,
            shareable=shareable,
        )
    for n in range(evaluations):
        EvaluationFactory(
            route=route,
            held_on=start + timedelta(days=60 * (n + 1)),
            summary=f"Evaluatie {n + 1}: goed gesprek met de leermeester. {filler}",
            attendees="Leermeester, docent",
        )
    for n in range(assessments):
        LeermeesterAssessmentFactory(route=route, assessed_on=start + timedelta(days=45 * (n + 1)))
    for n in range(roc_results):
        RocResultFactory(route=route, title=f"Toets {n + 1}", on=start + timedelta(days=20 * n))
    CertificateFactory(route=route, kind="branche", title=WORK_CERTIFICATE)
    CertificateFactory(route=route, kind="q", title=Q_CERTIFICATE, issuer="Academie")
    for n in range(weeks):
        HoursWeekFactory(route=route, week_start=start + timedelta(days=7 * n))
    HandelingswijzerFactory(
        participant=participant,
        about_me=HANDELINGSWIJZER,
        what_helps="Duidelijke afspraken",
        instructions="Voordoen, dan zelf laten doen",
    )
    return route


@pytest.fixture(name="daan")
def daan_fixture(world):
    """The world's Daan (coach's, placed at Nijland Infra) with a full route and secrets."""
    return build_daan(world)


def build_daan(world):
    """What the `daan` fixture gives; a module that shares it builds it with
    `module_data(build_daan)` (tests/conftest.py)."""
    participant = world.participant
    participant.bsn = BSN
    participant.save(update_fields=["bsn"])
    route = build_route(participant)
    analysis = route.analyses.get()
    analysis.summary = SECRET_ANALYSIS_SUMMARY
    analysis.save(update_fields=["summary"])
    first = analysis.domains.order_by("pk").first()
    first.talents, first.support_questions = SECRET_TALENTS, SECRET_QUESTIONS
    first.save(update_fields=["talents", "support_questions"])
    return participant


def consent(participant, scope=ConsentScope.EMPLOYER_WORK_STATUS, **kwargs):
    return ConsentFactory(participant=participant, scope=scope, **kwargs)


def act_as(user):
    """Clear the cached acting membership (tests switch roles and relations)."""
    if hasattr(user, "_acting_membership"):
        del user._acting_membership
    return user


def request_dossier(
    user, participant, spec: VariantSpec, capture, *, language: str = "en"
) -> ReportRun:
    """Ask for a dossier through the service and run the worker's task at once."""
    with capture(execute=True):
        run = services.dossier_run_request(
            participant=participant, spec=spec, by=act_as(user), language=language
        )
    run.refresh_from_db()
    return run


def run_file(run: ReportRun) -> bytes:
    assert run.file, (run.status, run.message)
    return (Path(settings.MEDIA_ROOT) / run.file).read_bytes()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text by poppler's pdftotext: a missing tool fails the test (never a skip)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed by the dossier tests"
    path = tmp_path / "dossier-under-test.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    tool = shutil.which("pdfinfo")
    assert tool, "pdfinfo (poppler-utils) is needed by the dossier tests"
    path = tmp_path / "dossier-info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [tool, str(path)], capture_output=True, check=True
    ).stdout.decode()
    return {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition(":") for line in output.splitlines())
    }
