"""The SROI statement: totals equal the sum over placements, by hand; the export matches and
is safe to open; who may see which employer's statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from employers.models import PlacementKind
from employers.selectors import sroi_statement
from tests.xlsx_checks import assert_headers_frozen, sheet_frozen_below

from ..factories import EmployerFactory, ParticipantFactory, PlacementFactory

pytestmark = pytest.mark.django_db

PERIOD = (date(2026, 1, 1), date(2026, 3, 31))
TODAY = date(2026, 6, 1)


@pytest.fixture
def sroi_employer(world):
    """Three people at one employer in Q1 2026, one before it and one elsewhere:

    A  contract      5 Jan - open     32 h: 86 days -> 12.3 weeks, 32 x 86 / 7 = 393.1 h
    B  trial         2 Feb - 13 Mar   36 h: 40 days ->  5.7 weeks, 36 x 40 / 7 = 205.7 h
    C  mini-stage    2 Mar -  6 Mar   32 h:  5 days ->  0.7 weeks, 32 x  5 / 7 =  22.9 h
    D  contract      1 Jun - 31 Dec 2025  (before the period: not counted)
    E  at another employer                (not counted)
    Totals: 3 people (1 employed, 2 placed), 18.7 weeks, 621.7 hours.
    """
    employer = EmployerFactory(academy=world.academy, name="Klink Wegenbouw", kvk_number="12345678")
    a, b, c, d = (ParticipantFactory(academy=world.academy) for _ in range(4))
    rows = [
        (a, PlacementKind.CONTRACT, date(2026, 1, 5), None, 32),
        (b, PlacementKind.TRIAL, date(2026, 2, 2), date(2026, 3, 13), 36),
        (c, PlacementKind.MINI_STAGE, date(2026, 3, 2), date(2026, 3, 6), 32),
        (d, PlacementKind.CONTRACT, date(2025, 6, 1), date(2025, 12, 31), 32),
    ]
    for participant, kind, start, end, hours in rows:
        PlacementFactory(
            participant=participant,
            employer=employer,
            kind=kind,
            start_date=start,
            end_date=end,
            hours_per_week=Decimal(hours),
        )
    PlacementFactory(
        participant=ParticipantFactory(academy=world.academy),
        employer=world.employer_org,
        kind=PlacementKind.CONTRACT,
        start_date=date(2026, 1, 1),
        hours_per_week=Decimal(40),
    )
    return employer


def test_sroi_totals_equal_the_sum_over_placements(sroi_employer):
    statement = sroi_statement(sroi_employer, *PERIOD, today=TODAY)
    assert [(line.weeks, line.hours) for line in statement.lines] == [
        (Decimal("12.3"), Decimal("393.1")),
        (Decimal("5.7"), Decimal("205.7")),
        (Decimal("0.7"), Decimal("22.9")),
    ]
    assert statement.people == 3
    assert (statement.people_employed, statement.people_placed) == (1, 2)
    assert statement.weeks == Decimal("18.7")
    assert statement.hours == Decimal("621.7")
    assert statement.hours == sum(line.hours for line in statement.lines)
    assert statement.hours_employed + statement.hours_placed == statement.hours


def test_sroi_counts_nothing_after_today(sroi_employer):
    statement = sroi_statement(sroi_employer, *PERIOD, today=date(2026, 1, 11))
    # Only A, 5-11 January: 7 days = 1 week, 32 hours.
    assert [(line.weeks, line.hours) for line in statement.lines] == [
        (Decimal("1.0"), Decimal("32.0"))
    ]
    future = sroi_statement(sroi_employer, date(2027, 1, 1), date(2027, 3, 31), today=TODAY)
    assert future.lines == []
    assert future.hours == 0


def _sheet_values(content: bytes) -> list:
    sheet = load_workbook(BytesIO(content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_sroi_export_matches_the_page_and_neutralises_formulas(world, sroi_employer, client_for):
    sroi_employer.name = '=HYPERLINK("http://evil.test","klik")'
    sroi_employer.save()
    query = "?start=2026-01-01&end=2026-03-31"
    page = client_for("regisseur").get(reverse("employers:sroi", args=[sroi_employer.pk]) + query)
    assert page.status_code == 200
    assert 'id="sroi-hours">621,7<' in page.content.decode().replace("621.7", "621,7")
    response = client_for("regisseur").get(
        reverse("employers:sroi_export", args=[sroi_employer.pk]) + query
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    values = _sheet_values(response.content)
    workbook = load_workbook(BytesIO(response.content))
    assert_headers_frozen(workbook)  # the header of the placement lines, under the totals
    assert workbook.active.cell(sheet_frozen_below(workbook.active), 1).value == "Nr."
    assert '\'=HYPERLINK("http://evil.test","klik")' in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)
    assert 621.7 in values
    assert 18.7 in values
    assert 3 in values


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("regisseur", 200),
        ("projectleider", 200),
        ("coach", 403),
        ("employer", 404),  # outside the staff scope: another employer's statement
        ("other_employer", 404),
    ],
)
def test_who_sees_an_employers_statement(world, persona, status, client_for):
    url = reverse("employers:sroi", args=[world.employer_org.pk])
    assert client_for(persona).get(url).status_code == status


def test_employer_sees_only_their_own_statement(world, sroi_employer, client_for):
    body = client_for("other_employer").get(reverse("employers:workplace_sroi")).content.decode()
    assert "Van der Wal Transport" in body
    assert "Klink Wegenbouw" not in body
    assert "Nijland Infra" not in body


def test_the_tender_norm_met_and_not_met_by_hand(world, sroi_employer, client_for):
    """621.7 hours delivered, an hour at EUR 40: EUR 24,868.00.
    Tender EUR 400,000 at 5 %: EUR 20,000.00 required = 500.0 hours -> met.
    Tender EUR 600,000 at 5 %: EUR 30,000.00 required = 750.0 hours -> not met, 128.3 short.
    Labour cost EUR 200,000 at 15 %: EUR 30,000.00 as well."""
    from employers.selectors import sroi_norm

    statement = sroi_statement(sroi_employer, *PERIOD, today=TODAY)
    met = sroi_norm(statement, basis=Decimal(400000), hour_value=Decimal(40))
    assert (met.percent, met.required_amount, met.required_hours) == (5, 20000, 500)
    assert (met.delivered_hours, met.delivered_amount, met.met) == (
        Decimal("621.7"),
        Decimal("24868.00"),
        True,
    )
    short = sroi_norm(statement, basis=Decimal(600000), hour_value=Decimal(40))
    assert (short.required_hours, short.met, short.hours_short) == (750, False, Decimal("128.3"))
    labour = sroi_norm(
        statement, basis=Decimal(200000), hour_value=Decimal(40), percent=Decimal(15)
    )
    assert labour.required_amount == Decimal("30000.00")

    base = reverse("employers:sroi", args=[sroi_employer.pk])
    query = "?start=2026-01-01&end=2026-03-31&basis=600000&norm_percent=5&hour_value=40"
    body = client_for("projectleider").get(base + query).content.decode()
    assert 'id="sroi-norm-required-hours">750,0<' in body
    assert 'id="sroi-norm-delivered-amount">24.868,00<' in body
    assert "De norm is niet gehaald: 128,3 uur te kort." in body
    met_page = client_for("projectleider").get(base + query.replace("600000", "400000"))
    assert 'id="sroi-norm-met"' in met_page.content.decode()
    export = client_for("projectleider").get(
        reverse("employers:sroi_export", args=[sroi_employer.pk]) + query,
        headers={"accept-language": "en"},
    )
    sheet = load_workbook(BytesIO(export.content)).worksheets[0]
    values = {row[0]: row[1] for row in sheet.values if row and row[0]}
    assert values["Required hours"] == 750
    assert values["Delivered hours"] == 621.7
    assert values["Required amount (EUR)"] == 30000
    assert values["Norm met"] in ("no", "nee")
    # A tender sum without the value of an hour: refused beside that field, input kept.
    refused = client_for("projectleider").get(base + "?start=2026-01-01&end=2026-03-31&basis=5")
    text = refused.content.decode()
    assert "Geef de waarde van een uur om de uren tegen de norm te zetten." in text
    assert 'name="basis" value="5"' in text
    assert 'id="sroi-norm"' not in text
