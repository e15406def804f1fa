"""ESF+ participant data (issue 18, reporting.results.esf): the regisseur's form, the
indicators per project and funding period against a hand-counted fixture, the funder's Excel
read back, and the self-declared categories nowhere per person but the inspection export.

The hand count: BlinQ (a programme of the world's academy), funding period 2025.

    who   sex        start     end       age status at entry ISCED disab.   foreign
    aart  man        25-03-01  25-10-01  19  long-term unempl 0-2  yes      no
    bea   woman      25-03-01  -         17  in education     0-2  rather not yes
    cas   man        25-09-01  -         22  unemployed       3-4  yes      -
    dirk  no record  25-04-01  25-06-30  21  -                -    -        -
    ed    non-binary 24-06-01  25-02-01  -   -                -    -        -
    fem   woman      26-01-10  (after the period: nowhere)
  aart left employed and with a qualification; dirk's six-month moment is 2025-12-30; ed
  left into education and six months later (2025-08-01) was employed, in a better situation.
  + a route of the same kind in TanQ (another programme) and one in the other academy.
"""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from maatwerq.audit.models import Action, AuditEvent
from reporting.models import EsfRecord, ReportRun, RunStatus
from reporting.results.esf import INDICATORS, IndicatorRow, esf_indicators
from tests.factories import ParticipantFactory, ProgrammeFactory, RouteFactory, reauthenticated
from tests.xlsx_checks import assert_headers_frozen, percent_cells, sheet_frozen_below

pytestmark = pytest.mark.django_db

ESF = reverse("reporting:esf_report")
YEAR_2025 = {"start_from": "2025-01-01", "start_to": "2025-12-31"}


def esf_route(academy, programme, born, start, end=None, record=None, name="Esfer"):
    participant = ParticipantFactory(academy=academy, date_of_birth=born, last_name=name)
    route = RouteFactory(
        participant=participant,
        programme=programme,
        start_date=start,
        end_date=end,
        status="afgerond" if end else "contract",
    )
    if record is not None:
        EsfRecord.objects.create(route=route, **record)
    return route


@pytest.fixture
def esf_world(world):
    academy = world.academy
    binq = ProgrammeFactory(academy=academy, name="BlinQ")
    _by_name = {
        "aart": esf_route(
            academy,
            binq,
            date(2005, 6, 1),
            date(2025, 3, 1),
            date(2025, 10, 1),
            {
                "sex": "man",
                "labour_market_status": "langdurig_werkloos",
                "isced_level": "isced_0_2",
                "disability": "ja",
                "foreign_background": "nee",
                "exit_employed": True,
                "exit_qualification": True,
            },
        ),
        "bea": esf_route(
            academy,
            binq,
            date(2008, 1, 1),
            date(2025, 3, 1),
            None,
            {
                "sex": "vrouw",
                "labour_market_status": "onderwijs",
                "isced_level": "isced_0_2",
                "disability": "wil_niet_zeggen",
                "foreign_background": "ja",
            },
        ),
        "cas": esf_route(
            academy,
            binq,
            date(2003, 1, 1),
            date(2025, 9, 1),
            None,
            {
                "sex": "man",
                "labour_market_status": "werkloos",
                "isced_level": "isced_3_4",
                "disability": "ja",
            },
        ),
        "dirk": esf_route(academy, binq, date(2004, 1, 1), date(2025, 4, 1), date(2025, 6, 30)),
        "ed": esf_route(
            academy,
            binq,
            date(2000, 1, 1),
            date(2024, 6, 1),
            date(2025, 2, 1),
            {
                "sex": "non_binair",
                "exit_education": True,
                "m6_employed": True,
                "m6_better": True,
            },
        ),
        "fem": esf_route(
            academy, binq, date(2001, 1, 1), date(2026, 1, 10), None, {"sex": "vrouw"}
        ),
    }
    tanq = ProgrammeFactory(academy=academy, name="TanQ")
    esf_route(
        academy, tanq, date(2005, 1, 1), date(2025, 3, 1), None, {"sex": "man", "disability": "ja"}
    )
    other = ProgrammeFactory(academy=world.other_academy, name="TwenQ")
    esf_route(world.other_academy, other, date(2005, 1, 1), date(2025, 3, 1), None, {"sex": "man"})
    return world, binq


HAND_COUNT = {  # indicator: (men, women, total)
    "participants": (2, 1, 4),
    "unemployed": (2, 0, 2),
    "long_term_unemployed": (1, 0, 1),
    "inactive": (0, 1, 1),
    "in_education": (0, 1, 1),
    "employed": (0, 0, 0),
    "status_unknown": (0, 0, 1),
    "age_below_18": (0, 1, 1),
    "age_18_29": (2, 0, 3),
    "age_30_54": (0, 0, 0),
    "age_55": (0, 0, 0),
    "isced_0_2": (1, 1, 2),
    "isced_3_4": (1, 0, 1),
    "isced_5_8": (0, 0, 0),
    "isced_unknown": (0, 0, 1),
    "disability": (2, 0, 2),
    "foreign_background": (0, 1, 1),
    "minority": (0, 0, 0),
    "homeless": (0, 0, 0),
    "left": (1, 0, 3),
    "exit_education": (0, 0, 1),
    "exit_qualification": (1, 0, 1),
    "exit_employed": (1, 0, 1),
    "m6": (0, 0, 2),
    "m6_employed": (0, 0, 1),
    "m6_better": (0, 0, 1),
    "m6_education": (0, 0, 0),
}


def indicators(world, programme):
    rows = esf_indicators(
        academy_id=world.academy.pk,
        programme=programme,
        start_from=date(2025, 1, 1),
        start_to=date(2025, 12, 31),
    )
    return {row.indicator.key: row for row in rows}


def test_indicators_match_the_hand_count(esf_world):
    world, programme = esf_world
    rows = indicators(world, programme)
    assert set(rows) == set(HAND_COUNT) == {i.key for i in INDICATORS}
    assert {key: (r.men, r.women, r.total) for key, r in rows.items()} == HAND_COUNT


def test_sensitive_rows_are_published_with_the_small_number_rule(esf_world):
    world, programme = esf_world
    rows = indicators(world, programme)
    assert rows["disability"].cells == ["<5", "<5", "<5"]
    assert rows["participants"].cells == ["2", "1", "4"]  # not sensitive: exact
    disability = next(i for i in INDICATORS if i.key == "disability")
    assert IndicatorRow(disability, 7, 1, 13).cells == ["5", "<5", "15"]


def run_export(client, programme, capture):
    with capture(execute=True):
        response = client.post(
            ESF, {"programme": programme.pk, **YEAR_2025}, headers={"accept-language": "en"}
        )
    run = ReportRun.objects.get(kind="esf_xlsx")
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    return run


def test_the_funder_excel_reads_back_as_the_hand_count(
    esf_world, client_for, django_capture_on_commit_callbacks
):
    _world, programme = esf_world
    client = client_for("projectleider")
    run = run_export(client, programme, django_capture_on_commit_callbacks)
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert_headers_frozen(workbook)
    assert percent_cells(workbook) == []  # counts only; no share written as text either
    sheet = workbook.worksheets[0]
    assert sheet_frozen_below(sheet) == 2
    rows = list(sheet.values)
    assert rows[0][0].startswith("BlinQ")
    assert rows[1] == ("Indicator", "Men", "Women", "Total")
    by_label = {row[0]: row[1:] for row in rows[2:] if row and row[0]}
    translation.activate("en")
    for indicator in INDICATORS:
        men, women, total = HAND_COUNT[indicator.key]
        expected = ("<5", "<5", "<5") if indicator.sensitive and total else (men, women, total)
        if indicator.sensitive and not total:
            expected = ("<5", "<5", "<5")
        assert by_label[str(indicator.label)] == expected, indicator.key
    text = " ".join(str(v) for row in rows for v in row if v)
    assert "Esfer" not in text  # counts only


@pytest.mark.parametrize("persona", ["projectleider", "regisseur"])
def test_planners_see_the_indicators(esf_world, client_for, persona):
    _world, programme = esf_world
    body = client_for(persona).get(ESF, {"programme": programme.pk, **YEAR_2025}).content.decode()
    assert 'data-indicator="participants"><th scope="row" class="fw-normal fw-semibold">' in body
    assert "<td>2</td><td>1</td><td>4</td>" in body
    assert "Esfer" not in body


@pytest.mark.parametrize("persona", ["coach", "employer", "landelijk", "beheerder"])
def test_others_get_no_indicators(esf_world, client_for, persona):
    _world, programme = esf_world
    response = client_for(persona).get(ESF, {"programme": programme.pk, **YEAR_2025})
    assert response.status_code == 403
    assert 'id="esf-indicators"' not in response.content.decode()


def test_a_programme_of_another_academy_is_a_404(esf_world, client_for):
    world, _programme = esf_world
    other = world.other_academy.programmes.get()
    response = client_for("projectleider").get(ESF, {"programme": other.pk, **YEAR_2025})
    assert response.status_code == 404


# --- the regisseur's form --------------------------------------------------------------------


def edit_url(participant, route):
    return reverse("reporting:esf_record_edit", args=[participant.pk, route.pk])


def test_regisseur_records_the_esf_data_with_one_audit_event(world, client_for):
    daan = world.participant
    url = edit_url(daan, daan.current_route)
    client = client_for("regisseur")
    page = client.get(url).content.decode()
    assert "Wil ik niet zeggen" in page
    response = client.post(
        url,
        {"entry_on": "2025-09-01", "sex": "man", "disability": "wil_niet_zeggen", "minority": "ja"},
    )
    assert response.status_code == 302
    record = EsfRecord.objects.get(route=daan.current_route)
    assert (record.sex, record.disability, record.minority, record.homeless) == (
        "man",
        "wil_niet_zeggen",
        "ja",
        "",
    )
    event = AuditEvent.objects.filter(action=Action.CREATE, participant=daan).latest("id")
    assert event.detail["what"] == "esf_record"
    assert "minority" in event.detail["fields"]
    assert "ja" not in json.dumps(event.detail)  # names of fields, never the answers


def test_an_exit_before_the_entry_is_refused_beside_its_field(world, client_for):
    daan = world.participant
    response = client_for("regisseur").post(
        edit_url(daan, daan.current_route),
        {"entry_on": "2025-09-01", "exit_on": "2025-08-01", "sex": "vrouw"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "De uitstroom ligt vóór de instroom." in body
    assert '<option value="vrouw" selected>' in body  # the input is kept
    assert not EsfRecord.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coach", 403), ("projectleider", 403), ("employer", 403), ("other_coach", 404)],
)
def test_only_the_regisseur_opens_the_esf_form(world, client_for, persona, status):
    daan = world.participant
    EsfRecord.objects.create(route=daan.current_route, sex="man", disability="ja")
    response = client_for(persona).get(edit_url(daan, daan.current_route))
    assert response.status_code == status
    assert "Wil ik niet zeggen" not in response.content.decode()


def test_a_route_of_someone_else_is_a_404(world, client_for):
    daan, noor = world.participant, world.other_participant
    response = client_for("regisseur").get(edit_url(daan, noor.current_route))
    assert response.status_code == 404


def test_the_sensitive_answers_reach_the_inspection_export_only(world, client_for):
    daan = world.participant
    EsfRecord.objects.create(
        route=daan.current_route, sex="man", disability="ja", foreign_background="wil_niet_zeggen"
    )
    client = reauthenticated(client_for("regisseur"))
    data = json.loads(
        client.get(reverse("participants:participant_data_export", args=[daan.pk])).content
    )
    (record,) = data["esf_plus"]
    assert (record["disability"], record["foreign_background"]) == ("Ja", "Wil ik niet zeggen")
    # The person's page links the form for the regisseur, and shows no answer.
    detail = reverse("participants:participant_detail", args=[daan.pk])
    regisseur_page = client.get(detail).content.decode()
    assert 'id="esf-link"' in regisseur_page
    for persona in ("coach", "projectleider"):
        page = client_for(persona).get(detail).content.decode()
        assert 'id="esf-link"' not in page
        assert "Wil ik niet zeggen" not in page


def test_another_academys_regisseur_gets_a_404(world, client_for):
    from maatwerq.accounts.models import Role
    from tests.reporting.conftest import person_with_role

    daan = world.participant
    EsfRecord.objects.create(route=daan.current_route, sex="man", disability="ja")
    foreign = person_with_role(world.other_academy, Role.REGISSEUR, "reg@tw.test")
    client = client_for("anonymous")
    client.force_login(foreign)
    response = client.get(edit_url(daan, daan.current_route))
    assert response.status_code == 404
    assert "Wil ik niet zeggen" not in response.content.decode()
