"""The national view cannot be narrowed to single people by subtracting one selection from
another (issue 14, item 8; the method is in reporting.small_numbers).

The world has one distinctive route, Zara's: the only route of type 1a, the only one referred
by UWV, the only one completed, the only one with an outcome and a certificate. Several pairs
of selections differ by exactly her route ("all" against "route type 2", "Salland" against
"Salland and route type 2", ...). On the raw counts those pairs give her away; on the
published figures they must not.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations, pairwise, product

import pytest
from django.db.models import Q
from django.urls import reverse

from participants.models import Route, RouteType
from reporting.dashboard import (
    ACADEMY_GROUPING,
    BRANCH_GROUPING,
    Dashboard,
    Filters,
    Group,
    dashboard_build,
    groups_build,
    national_group_keys,
)
from reporting.dashboard.forms import NationalFilterForm, national_period_dates
from reporting.small_numbers import national_build
from tests.conftest import module_data
from tests.factories import (
    AcademyFactory,
    CertificateFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RouteFactory,
)

pytestmark = pytest.mark.django_db

NATIONAL = reverse("reporting:national")
THRESHOLD = 5


def routes(programme, n: int, *, start: date, route_type: str = "2", **fields) -> list:
    made = []
    for _ in range(n):
        participant = ParticipantFactory(academy=programme.academy)
        made.append(
            RouteFactory(
                participant=participant,
                programme=programme,
                route_type=route_type,
                referral_source="vso",
                referral_date=date(start.year, start.month, 1),
                start_date=start,
                status="gestart",
                **fields,
            )
        )
    return made


def build_zara_world(world):
    """Salland: the world's two routes, eight more of type 2 in 2025-Q3, and Zara's; Twente:
    six TanQ routes in 2025-Q4; Drenthe: five PrisQ routes of type 1b in 2026-Q1."""
    routes(world.programme, 8, start=date(2025, 8, 4))
    twente = ProgrammeFactory(academy=world.other_academy, name="TanQ")
    routes(twente, 6, start=date(2025, 11, 3))
    drenthe = ProgrammeFactory(academy=AcademyFactory(name="Academie Drenthe"), name="PrisQ")
    routes(drenthe, 5, start=date(2026, 2, 2), route_type="1b")
    zara = RouteFactory(
        participant=ParticipantFactory(academy=world.academy, first_name="Zara", last_name="Uniek"),
        programme=world.programme,
        route_type="1a",
        referral_source="uwv",
        referral_date=date(2025, 7, 1),
        start_date=date(2025, 9, 20),
        status="afgerond",
        end_date=date(2025, 12, 1),
        destination="opleiding",
        outcome_category="succesvol",
        outcome_reason="opleiding",
    )
    CertificateFactory(route=zara, kind="diploma")
    return zara


# Built once for the module (tests/conftest.py, module_data): every test reads it.
_shared = module_data(build_zara_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def zara_world(_shared, db):
    return _shared[1]


# --- every published figure of one selection, as a flat dict --------------------------------


def flat(result: Dashboard, branches: list[Group]) -> dict[str, int]:
    figures = {f"total:{k}": v for k, v in result.totals.items()}
    for row in result.headline:
        figures[f"headline:{row.key}"] = row.count
    for row in result.route_type_totals:
        figures[f"route_type_total:{row.key}"] = row.count
    for b in [result.funnel, result.certificate_routes, *result.all_breakdowns()]:
        figures[f"{b.key}:total"] = b.total
        for row in b.rows:
            figures[f"{b.key}:{row.key}"] = row.count
    for point in result.survival:
        for bucket, n in point.counts.items():
            figures[f"survival:{point.months}:{bucket}"] = n
    tables = (("rt", result.route_types), ("academy", result.groups), ("branch", branches))
    for prefix, groups in tables:
        for group in groups:
            name = group.key or group.label  # a route type's code, an academy's or branch's name
            for key, n in group.counts.items():
                figures[f"{prefix}:{name}:{key}"] = n
            for point in group.survival:
                for bucket, n in point.counts.items():
                    figures[f"{prefix}:{name}:survival:{point.months}:{bucket}"] = n
    return figures


def published(filters: Filters) -> dict[str, int]:
    return flat(*national_build(Q(), filters))


def raw(filters: Filters) -> dict[str, int]:
    academies, branch_keys = national_group_keys(filters)
    scope = filters.q()
    result = dashboard_build(scope, grouping=ACADEMY_GROUPING, every=academies)
    return flat(result, groups_build(scope, BRANCH_GROUPING, every=branch_keys))


def selections() -> list[Filters]:
    """Every selection the form offers with one or two filters set: each period (year and
    quarter) and each academy, branch and route type, and every pair of them."""
    form = NationalFilterForm()
    options = {
        "period": [v for v, _label in form.fields["period"].choices if v],
        "academy": [a.pk for a in form.fields["academy"].queryset],
        "branch": [v for v, _label in form.fields["branch"].choices if v],
        "route_type": [v for v, _label in form.fields["route_type"].choices if v],
    }
    chosen = [{}]
    for name, values in options.items():
        chosen += [{name: v} for v in values]
    for (a, values_a), (b, values_b) in combinations(options.items(), 2):
        chosen += [{a: x, b: y} for x, y in product(values_a, values_b)]
    result = []
    for choice in chosen:
        first, last = national_period_dates(choice.pop("period", ""))
        result.append(Filters(start_from=first, start_to=last, **choice))
    return result


def population(filters: Filters) -> frozenset:
    return frozenset(Route.objects.filter(filters.q()).values_list("pk", flat=True))


# --- the tests ------------------------------------------------------------------------------


def test_raw_counts_of_two_selections_would_give_zara_away(zara_world):
    """The world is a real attack: "Salland" minus "Salland and route type 2" is exactly Zara,
    and on raw counts the difference names her branch, route type, referrer, status, outcome
    and certificate."""
    salland = zara_world.participant.academy_id
    everyone, type_2 = Filters(academy=salland), Filters(academy=salland, route_type="2")
    assert population(everyone) - population(type_2) == {zara_world.pk}
    before, after = raw(type_2), raw(everyone)
    difference = {k: after[k] - before[k] for k in after if after[k] != before.get(k, 0)}
    for revealing in (
        "branch:BinQ:referred",
        "source:uwv",
        "status:afgerond",
        "outcome:succesvol",
        "certificates:diploma",
        "destination:opleiding",
        f"rt:{RouteType.WERKSCHOOL}:referred",
    ):
        assert difference[revealing] == 1, revealing


def test_no_two_selections_subtract_to_a_small_number(zara_world):
    """Adjacent and nested periods, every filter and every pair of filters: each published
    count is 0 (shown "<5") or a multiple of 5, so no figure minus the same figure of another
    selection, and no total minus its visible parts, is a number from 1 to 4."""
    views = selections()
    assert len(views) > 100
    figures = [published(view) for view in views]
    for figure in figures:
        off = {k: v for k, v in figure.items() if v % THRESHOLD}
        assert not off, off
    # Any two selections: the values one figure takes, sorted, lie 5 or more apart (two
    # values closer than that would be neighbours in the sorted list).
    values: dict[str, set[int]] = {}
    for figure in figures:
        for key, value in figure.items():
            values.setdefault(key, set()).add(value)
    for key, seen in values.items():
        ordered = sorted(seen)
        gaps = [b - a for a, b in pairwise(ordered)]
        assert all(gap >= THRESHOLD for gap in gaps), (key, ordered)


def test_the_selections_that_differ_by_zara_alone_publish_the_same(zara_world):
    """The issue's attack, tried on every pair of offered selections whose routes differ by
    exactly Zara's: they publish the same figures, so subtracting them yields nothing about
    her. (Here each pair's counts fall on the same multiple of 5. Where a count crosses a
    rounding boundary, 12 -> 13 published as 10 -> 15, the difference only says "from 1 to
    9": the previous test holds that for every world.)"""
    views = selections()
    populations = [population(view) for view in views]
    pairs = [
        (a, b)
        for a, b in combinations(range(len(views)), 2)
        if populations[a] ^ populations[b] == {zara_world.pk}
    ]
    # Salland / Salland and type 2, BinQ / BinQ and type 2, 2025 / 2025 and type 2, ...
    assert len(pairs) >= 4
    shown: dict[int, dict[str, int]] = {}
    for a, b in pairs:
        for index in (a, b):
            if index not in shown:
                shown[index] = published(views[index])
        # A figure only one of them has (an academy row the other's filter leaves out) is 0.
        for key in shown[a].keys() | shown[b].keys():
            assert shown[a].get(key, 0) == shown[b].get(key, 0), (key, views[a], views[b])
    a, b = next(p for p in pairs if min(len(populations[i]) for i in p) >= THRESHOLD)
    raw_a, raw_b = raw(views[a]), raw(views[b])
    assert raw_a["total:referred"] != raw_b["total:referred"]  # the raw figures differ


def _cells(body: str) -> list[str]:
    """Every count on the page: the key figures, table cells and the totals in attributes."""
    cells = re.findall(r'data-metric="[^"]+">([^<]*)<', body)
    cells += re.findall(r"<td[^>]*>(?:<a [^>]*>)?([^<]*)<", body)
    cells += re.findall(r'data-total="([^"]*)"', body)
    return [c.strip() for c in cells if c.strip()]


@pytest.mark.parametrize(
    "params",
    [{}, {"period": "2025-Q3"}, {"route_type": "2"}, {"period": "2025", "route_type": "1a"}],
)
def test_the_page_shows_only_rounded_counts_and_every_academy(zara_world, client_for, params):
    response = client_for("landelijk").get(NATIONAL, params)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Uniek" not in body
    cells = _cells(body)
    assert cells
    for cell in cells:  # "12", "&lt;5", "40%", "\u2013", "50% (10/20)"
        for number in re.findall(r"(?<![\d&;])(\d+)(?![\d%])", cell.replace("&lt;5", "")):
            assert int(number) % THRESHOLD == 0, cell
    academies = body.split('data-groups="academies"')[1].split("</table>")[0]
    for name in ("Academie Salland", "Academie Twente", "Academie Drenthe"):
        assert name in academies  # listed even when empty in this selection


def test_typed_dates_are_refused_with_a_dutch_message_at_the_period(zara_world, client_for):
    response = client_for("landelijk").get(
        NATIONAL, {"start_from": "2025-09-14", "start_to": "2025-09-21"}
    )
    body = response.content.decode()
    assert 'data-metric="referred"' not in body  # no figures for a refused selection
    beside_the_field = body.split('id="id_period"')[1].split("<label")[0]
    assert "heel kwartaal of een heel jaar" in beside_the_field


def test_the_form_offers_whole_quarters_and_years_only(zara_world):
    choices = [v for v, _label in NationalFilterForm().fields["period"].choices]
    assert {"", "2025", "2025-Q3", "2026-Q1"} <= set(choices)
    assert all(re.fullmatch(r"(\d{4}(-Q[1-4])?)?", v) for v in choices)
    assert national_period_dates("2025-Q3") == (date(2025, 7, 1), date(2025, 9, 30))
    assert national_period_dates("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    form = NationalFilterForm({"period": "2025-09-14"})
    assert not form.is_valid()
    assert "period" in form.errors


def test_a_national_export_with_loose_dates_is_refused():
    """Only the form makes national runs; a stored run with typed dates is refused all the
    same (the second lock), a whole quarter is not."""
    from reporting.dashboard.exports import filters_from_parameters
    from reporting.registry import ReportUnavailable

    with pytest.raises(ReportUnavailable):
        filters_from_parameters(
            {"start_from": "2025-09-14", "start_to": "2025-09-21"}, national=True
        )
    quarter = {"start_from": "2025-07-01", "start_to": "2025-09-30"}
    assert filters_from_parameters(quarter, national=True).start_to == date(2025, 9, 30)
    week = {"start_from": "2025-09-14", "start_to": "2025-09-21"}
    assert filters_from_parameters(week, national=False).start_from == date(2025, 9, 14)


def test_the_national_home_page_counts_participants_the_same_way(zara_world, client_for):
    """The start page's participants per academy are published like the national figures:
    Salland's 11 as 10, Twente's 6 as 5 and Drenthe's 5 as 5; an academy with 1 to 4 as <5."""
    ParticipantFactory(academy=AcademyFactory(name="Academie Klein"))
    body = client_for("landelijk").get(reverse("home")).content.decode()
    shown = dict(re.findall(r'data-participants="([^"]+)">([^<]*)<', body))
    # The world's foreign participant (without a route) counts in Twente: 7 there.
    assert shown == {
        "Academie Salland": "10",
        "Academie Twente": "5",
        "Academie Drenthe": "5",
        "Academie Klein": "&lt;5",
    }


def test_every_option_the_page_offers_shows_only_rounded_counts(zara_world, client_for):
    """Black box, as the national persona: read the filter options off the page, open each,
    and find only "<5" and multiples of 5 (and never Zara's name)."""
    client = client_for("landelijk")
    form = client.get(NATIONAL).content.decode().split('id="dashboard-filters"')[1]
    form = form.split("</form>")[0]
    options = []
    for name, select in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        options += [(name, v) for v in re.findall(r'<option value="([^"]+)"', select)]
    assert {name for name, _value in options} == {"period", "academy", "branch", "route_type"}
    assert len(options) > 15
    for name, value in options:
        body = client.get(NATIONAL, {name: value}).content.decode()
        assert 'data-metric="referred"' in body, (name, value)
        assert "Uniek" not in body
        for cell in _cells(body):
            for number in re.findall(r"(?<![\d&;])(\d+)(?![\d%])", cell.replace("&lt;5", "")):
                assert int(number) % THRESHOLD == 0, (name, value, cell)
