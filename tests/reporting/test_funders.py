"""Funder reports over one dataset (issue 18 item 5, reporting.funders), by hand.

FundQ, a programme of the world's academy; funding period 2025; hours of the weeks in it.

    who    stream           shares                   start     end       practice theory
    anna   participatiewet  participatiewet 60/uwv 40 25-02-01  -          10       5
    ben    participatiewet  (none: 100 %)            25-03-01  25-09-30   20       0
    cor    wajong           (none: 100 %)            25-04-01  -           8       0
    dina   esf              (none)                   25-05-01  -           4       0

  Participatiewet overview: anna (share 60), ben (100): participants 1.6; practice
  10 x .6 + 20 = 26.0, theory 5 x .6 = 3.0, total 15 x .6 + 20 = 29.0.
  UWV overview (UWV and Wajong): anna (40), cor (100): participants 1.4; practice
  10 x .4 + 8 = 12.0, theory 2.0, total 14.0. cor's placement: a contract from
  2025-05-01, 32 h/week. ben left successful into a job elsewhere, off the benefit, in
  work six months later. anna holds ESF+ answers (disability yes, foreign background
  "rather not say"): they are in no report.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leerroutes.models import HoursWeek
from maatwerq.audit.models import Action, AuditEvent
from participants.models import RouteFunding
from reporting.funders import REGISTRY
from reporting.funders.shares import funder_rows, weighted_participants
from reporting.models import EsfRecord, ReportRun, RunStatus
from tests.factories import (
    PASSWORD,
    FollowUpFactory,
    ParticipantFactory,
    PlacementFactory,
    ProgrammeFactory,
    RouteFactory,
)
from tests.xlsx_checks import assert_headers_frozen, percent_cells

pytestmark = pytest.mark.django_db

PAGE = reverse("reporting:funder_reports")
YEAR_2025 = {"start_from": "2025-01-01", "start_to": "2025-12-31"}
SENSITIVE = ("I'd rather not say", "Wil ik niet zeggen", "disabilit", "handicap", "background")


def _route(world, programme, name, stream, start, practice, theory=0, **route):
    person = ParticipantFactory(
        academy=world.academy, last_name=name, funding_stream=stream, bsn=""
    )
    made = RouteFactory(participant=person, programme=programme, start_date=start, **route)
    HoursWeek.objects.create(
        route=made, week_start=date(2025, 6, 2), practice_hours=practice, theory_hours=theory
    )
    return made


@pytest.fixture
def fund_world(world):
    programme = ProgrammeFactory(academy=world.academy, name="FundQ")
    anna = _route(world, programme, "Anna", "participatiewet", date(2025, 2, 1), 10, 5)
    RouteFunding.objects.create(route=anna, stream="participatiewet", share_percent=60)
    RouteFunding.objects.create(route=anna, stream="uwv", share_percent=40)
    ben = _route(
        world,
        programme,
        "Ben",
        "participatiewet",
        date(2025, 3, 1),
        20,
        end_date=date(2025, 9, 30),
        status="afgerond",
        outcome_category="succesvol",
        outcome_reason="werk",
        destination="werk_elders",
        still_on_benefit=False,
    )
    FollowUpFactory(route=ben, months_after=6, situation="werk", done_on=date(2026, 3, 31))
    cor = _route(world, programme, "Cor", "wajong", date(2025, 4, 1), 8)
    PlacementFactory(
        participant=cor.participant,
        employer=world.employer_org,
        kind="arbeidscontract",
        start_date=date(2025, 5, 1),
        hours_per_week=32,
    )
    _route(world, programme, "Dina", "esf", date(2025, 5, 1), 4)
    EsfRecord.objects.create(route=anna, disability="ja", foreign_background="wil_niet_zeggen")
    return world, programme


def _rows(fund_world, key):
    world, programme = fund_world
    return funder_rows(
        REGISTRY[key],
        academy_id=world.academy.pk,
        programme=programme,
        start_from=date(2025, 1, 1),
        start_to=date(2025, 12, 31),
    )


def test_a_shared_route_counts_in_both_reports_with_its_share(fund_world):
    municipality = _rows(fund_world, "participatiewet")
    uwv = _rows(fund_world, "uwv")
    assert {r.route.participant.last_name: r.share for r in municipality} == {
        "Anna": 60,
        "Ben": 100,
    }
    assert {r.route.participant.last_name: r.share for r in uwv} == {"Anna": 40, "Cor": 100}
    assert weighted_participants(municipality) == Decimal("1.60")
    assert weighted_participants(uwv) == Decimal("1.40")


def _run(client, data, capture):
    """POST to the door the page shows, give the password again (unless just given: allauth
    asks once in a while), follow to the file."""
    before = ReportRun.objects.count()
    with capture(execute=True):
        response = client.post(
            reverse("reporting:funder_report_request_personal"),
            data,
            headers={"accept-language": "en"},
        )
    if response["Location"].startswith(reverse("account_reauthenticate")):
        assert ReportRun.objects.count() == before  # nothing before the password
        with capture(execute=True):
            response = client.post(
                response["Location"], {"password": PASSWORD}, headers={"accept-language": "en"}
            )
    run = ReportRun.objects.latest("created")
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    return run


def _sheet(client, run, *, shares=False):
    """The sheet's values, after checking the file's form: the header row bold and frozen;
    with ``shares``, the routes' shares as percentage cells."""
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert_headers_frozen(workbook)
    if shares:
        assert [cell.value for cell in percent_cells(workbook)] == shares
    return list(workbook.worksheets[0].values)


def _by_name(rows):
    header = rows[1]
    people = {row[1]: dict(zip(header, row, strict=True)) for row in rows[2:] if row[1]}
    total = next(
        dict(zip(header, row, strict=True)) for row in rows if row[0] and "Total" in str(row[0])
    )
    return people, total


def test_the_excel_files_read_back_as_the_hand_count(
    fund_world, client_for, django_capture_on_commit_callbacks
):
    world, programme = fund_world
    client = client_for("regisseur")
    data = {"programme": programme.pk, **YEAR_2025}
    run = _run(client, {"report": "participatiewet", **data}, django_capture_on_commit_callbacks)
    assert run.kind == "funder_participatiewet_xlsx"
    rows = _sheet(client, run, shares=[0.6, 1])
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert event.detail["kind"] == "funder_participatiewet_xlsx"
    assert event.detail["parameters"]["rows"] == 2
    people, total = _by_name(rows)
    assert set(people) == {"Anna", "Ben"}
    assert people["Anna"]["Share"] == 0.6
    assert people["Anna"]["Total hours"] == 15
    ben = people["Ben"]
    assert (ben["Share"], ben["Result"], ben["Result reason"]) == (
        1,
        "Successful",
        "Has a job",
    )
    assert ben["Still on a benefit at exit"] == "no"
    assert ben["Destination"] == "Job elsewhere"
    assert ben["In work or school 6 months after leaving"] == "In work"
    assert ben["End date"].date() == date(2025, 9, 30)
    assert (total["Share"], total["Practice hours"], total["Theory hours"]) == (1.6, 26, 3)
    assert total["Total hours"] == 29

    run = _run(client, {"report": "uwv", **data}, django_capture_on_commit_callbacks)
    people, total = _by_name(_sheet(client, run, shares=[0.4, 1]))
    assert set(people) == {"Anna", "Cor"}
    assert people["Anna"]["Share"] == 0.4
    cor = people["Cor"]
    assert cor["Target group (funding stream)"] == "Wajong"
    assert cor["Placement (employer)"] == world.employer_org.name
    assert cor["Placement type"] == "Employment contract"
    assert cor["Placement start"].date() == date(2025, 5, 1)
    assert cor["Placement hours per week"] == 32
    assert (total["Share"], total["Total hours"], total["Practice hours"]) == (1.4, 14, 12)
    text = " ".join(str(v) for row in rows for v in row if v) + str(people)
    for word in SENSITIVE:
        assert word.lower() not in text.lower()
    assert "Dina" not in text


def test_every_kind_keeps_the_sensitive_answers_out(
    fund_world, client_for, django_capture_on_commit_callbacks
):
    """The ESF+ sheet (counts), the participant list and both overviews: none holds a
    self-declared answer per person (the inspection export is the one that does)."""
    _world, programme = fund_world
    client = client_for("regisseur")
    data = {"programme": programme.pk, **YEAR_2025}
    for key, report in REGISTRY.items():
        if report.reauthenticate:
            run = _run(client, {"report": key, **data}, django_capture_on_commit_callbacks)
        else:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    reverse("reporting:funder_report_request"),
                    {"report": key, **data},
                    headers={"accept-language": "en"},
                )
            run = ReportRun.objects.get(pk=response["Location"].split("/")[-2])
        rows = _sheet(client, run)
        cells = [str(v) for row in rows for v in row if v is not None]
        assert not any("I'd rather not say" in cell for cell in cells), key
        if report.streams is None and not report.reauthenticate:  # ESF+: counts only
            assert not any("Anna" in cell for cell in cells)
            (disability,) = [row for row in rows if row[0] == "Participants with disabilities"]
            assert disability[1:] == ("<5", "<5", "<5")
        else:  # per person: no sensitive category among the fields
            for word in SENSITIVE:
                assert not any(word.lower() in str(v).lower() for v in rows[1]), (key, word)
            assert any("Anna" in cell for cell in cells)


def test_the_page_offers_each_role_its_kinds(fund_world, client_for):
    _world, programme = fund_world
    page = client_for("projectleider").get(PAGE).content.decode()
    assert '<option value="esf"' in page
    assert "participatiewet" not in page  # BSNs: the regisseur's
    shown = client_for("regisseur").get(
        PAGE, {"report": "participatiewet", "programme": programme.pk, **YEAR_2025}
    )
    body = shown.content.decode()
    assert 'id="funder-report-count">2 trajecten, 1,60 deelnemers' in body
    assert reverse("reporting:funder_report_request_personal") in body
    assert "Anna" not in body  # counts on the page, names in the file
    refused = client_for("projectleider").post(
        reverse("reporting:funder_report_request_personal"),
        {"report": "participatiewet", "programme": programme.pk, **YEAR_2025},
    )
    assert refused.status_code == 403
    # A kind the projectleider may not have is no choice of theirs: refused beside the field.
    not_theirs = client_for("projectleider").post(
        reverse("reporting:funder_report_request"),
        {"report": "uwv", "programme": programme.pk, **YEAR_2025},
    )
    assert not_theirs.status_code == 400
    assert "Selecteer een geldige keuze" in not_theirs.content.decode()
    # A kind through the wrong door: the counts' door does not make a file with BSNs.
    wrong = client_for("regisseur").post(
        reverse("reporting:funder_report_request"),
        {"report": "uwv", "programme": programme.pk, **YEAR_2025},
    )
    assert wrong.status_code == 400
    assert "Maak deze rapportage met de eigen knop op de pagina." in wrong.content.decode()
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("persona", ["coach", "employer", "landelijk", "beheerder"])
def test_other_roles_get_no_funder_report(fund_world, client_for, persona):
    _world, programme = fund_world
    client = client_for(persona)
    assert client.get(PAGE, {"report": "esf", "programme": programme.pk}).status_code == 403
    for name in ("funder_report_request", "funder_report_request_personal"):
        response = client.post(reverse(f"reporting:{name}"), {"report": "esf", **YEAR_2025})
        assert response.status_code == 403
    assert not ReportRun.objects.exists()


def test_a_programme_of_another_academy_is_a_404(fund_world, client_for):
    world, _programme = fund_world
    other = ProgrammeFactory(academy=world.other_academy, name="Elders")
    data = {"report": "esf", "programme": other.pk, **YEAR_2025}
    assert client_for("projectleider").get(PAGE, data).status_code == 404
    response = client_for("projectleider").post(reverse("reporting:funder_report_request"), data)
    assert response.status_code == 404
    assert not ReportRun.objects.exists()


def test_the_rows_take_the_same_queries_for_more_routes(fund_world, django_assert_num_queries):
    """Routes, shares, follow-ups, placements: four queries, whatever the number of routes."""
    world, programme = fund_world
    with django_assert_num_queries(4):
        assert len(_rows(fund_world, "uwv")) == 2
    for index in range(5):
        more = _route(world, programme, f"Extra{index}", "uwv", date(2025, 6, 1), 4)
        RouteFunding.objects.create(route=more, stream="uwv", share_percent=50)
        RouteFunding.objects.create(route=more, stream="esf", share_percent=50)
        PlacementFactory(participant=more.participant, employer=world.employer_org)
    with django_assert_num_queries(4):
        assert len(_rows(fund_world, "uwv")) == 7
