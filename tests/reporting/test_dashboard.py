"""The cohort dashboard: every number against a hand-counted academy, every breakdown sums to
its total, the query count does not grow with the routes, and who sees what.

The hand count (tests/reporting/conftest_dashboard.py), twelve routes of BinQ:

    route  group  type src        status          start trial contract end  outcome / reason
    daan   G27    2    vso        proefperiode    yes   yes   -        -    -
    noor   G27    2    vso        proefperiode    yes   yes   -        -    -
    anna   G27    2    gemeente   contract        yes   yes   yes      -    -
    bram   G27    1b   uwv        afgerond        yes   yes   yes      yes  succesvol/werk (host)
    chris  G27    2    jeugdzorg  uitgevallen     yes   yes   -        yes  negatief/motivatie
    dewi   G27    1a   vso        uitgevallen     yes   -     -        yes  (nothing recorded)
    julia  G27    2    gemeente   uitgevallen     yes   yes   yes      yes  succesvol/werk (other)
    eva    G28    2    reintegr.  uitgevallen     -     -     -        yes  overig/verhuisd
    fleur  G28    1b   zelf       niet_toegelaten -     -     -        yes  -
    gijs   G28    ?    pro        aangemeld       -     -     -        -    -
    ivo    G28    2    (blank)    gestart         yes   -     -        -    -
    hamza  none   1b   mbo1       afgerond        yes   yes   -        yes  succesvol/opleiding
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from participants.models import FollowUp, Participant, Route
from reporting.dashboard import Filters, academy_scope, dashboard_build
from reporting.dashboard.drill import drill_target
from reporting.models import ReportRun, RunStatus
from tests.conftest import module_data
from tests.factories import CertificateFactory, CohortFactory, ParticipantFactory, RouteFactory
from tests.xlsx_checks import assert_headers_frozen, percent_cells

from .conftest_dashboard import build_dashboard_world

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
NAMES = reverse("reporting:dashboard_names")


# One hand-counted academy for the whole module (tests/conftest.py, module_data): every test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_dashboard_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def dashboard_world(_shared, db):
    return _shared[1]


def built(world, **filters):
    return dashboard_build(academy_scope(world.academy.pk) & Filters(**filters).q())


def counts(breakdown) -> dict[str, int]:
    return {row.key: row.count for row in breakdown.rows}


# --- the numbers, by hand ------------------------------------------------------------------


def test_funnel_and_headline_match_the_hand_count(dashboard_world):
    result = built(dashboard_world.world)
    t = result.totals
    assert t["referred"] == 12
    assert t["intake"] == 11  # everyone but gijs
    assert t["not_admitted"] == 1  # fleur
    assert t["started"] == 9  # not eva, fleur, gijs
    assert t["trial"] == 7  # daan noor anna bram chris julia hamza
    assert t["trial_passed"] == 4  # anna bram julia (contract), hamza (completed)
    assert t["contract"] == 3  # anna bram julia
    assert t["active"] == 4  # daan noor anna ivo
    assert t["completed"] == 2  # bram hamza
    assert t["dropped_out"] == 4  # chris dewi eva julia
    assert t["outflow"] == 6
    assert t["left_after_start"] == 5  # not eva
    assert [r.count for r in result.funnel.rows] == [12, 11, 9, 7, 4, 3]
    assert {r.key: r.count for r in result.headline} == {
        "referred": 12,
        "started": 9,
        "active": 4,
        "contract": 3,
        "completed": 2,
        "dropped_out": 4,
    }


def test_breakdowns_match_the_hand_count_with_explicit_unknown_rows(dashboard_world):
    result = built(dashboard_world.world)
    b = result.breakdowns
    assert counts(b["status"]) == {
        "aangemeld": 1,
        "intake": 0,
        "gestart": 1,
        "proefperiode": 2,
        "contract": 1,
        "afgerond": 2,
        "uitgevallen": 4,
        "niet_toegelaten": 1,
        "unknown": 0,
    }
    assert counts(b["source"]) == {
        "vso": 3,
        "pro": 1,
        "mbo1": 1,
        "jeugdzorg": 1,
        "gemeente": 2,
        "uwv": 1,
        "reintegratie": 1,
        "zelf": 1,
        "unknown": 1,  # ivo: nothing recorded
    }
    assert counts(b["reason"]) == {
        "motivatie": 1,
        "problematiek": 0,
        "ontslag": 1,
        "gezondheid": 0,
        "verhuisd": 1,
        "ander_werk": 0,
        "zwangerschap": 0,
        "detentie": 0,
        "anders": 0,
        "unknown": 1,  # dewi dropped out without a reason
    }
    assert counts(b["phase"]) == {
        "aangemeld": 0,
        "intake": 1,
        "gestart": 1,
        "proefperiode": 1,
        "contract": 1,
        "unknown": 0,
    }
    assert counts(b["destination"]) == {
        "werk_leerbedrijf": 1,
        "werk_elders": 1,
        "opleiding": 1,
        "dagbesteding": 0,
        "uitkering": 1,
        "unknown": 2,  # dewi (blank) and eva ("unknown" chosen): one row
    }
    assert counts(b["outcome"]) == {"succesvol": 3, "negatief": 1, "overig": 1, "unknown": 1}
    reasons = {r.key: counts(r) for r in result.outcome_reasons}
    assert {k: v for k, v in reasons["reason_succesvol"].items() if v} == {
        "werk": 2,
        "opleiding": 1,
    }
    assert {k: v for k, v in reasons["reason_negatief"].items() if v} == {"motivatie": 1}
    assert {k: v for k, v in reasons["reason_overig"].items() if v} == {"verhuisd": 1}
    assert "unknown" in reasons["reason_overig"]


def test_route_types_certificates_and_durable_placement_match_the_hand_count(dashboard_world):
    result = built(dashboard_world.world)
    by_type = {g.key: g.counts for g in result.route_types}
    assert by_type["2"] == {
        "referred": 7,
        "started": 6,
        "contract": 2,
        "active": 4,
        "completed": 0,
        "dropped_out": 3,
        "outcome_succesvol": 1,
        "outcome_negatief": 1,
        "outcome_overig": 1,  # eva
        "outcome_unknown": 0,
    }
    assert by_type["1b"] == {
        "referred": 3,
        "started": 2,
        "contract": 1,
        "active": 0,
        "completed": 2,
        "dropped_out": 0,
        "outcome_succesvol": 2,
        "outcome_negatief": 0,
        "outcome_overig": 0,
        "outcome_unknown": 0,
    }
    # The outcome columns (with "overig" and "unknown") add up to those who left.
    for group in result.route_types:
        outcomes = sum(
            group.counts[f"outcome_{k}"] for k in ("succesvol", "negatief", "overig", "unknown")
        )
        assert outcomes == group.counts["completed"] + group.counts["dropped_out"], group.key
    assert by_type["1a"]["referred"] == by_type["1a"]["dropped_out"] == 1
    assert by_type["unknown"]["referred"] == 1  # gijs, no route type recorded
    assert counts(result.certificates) == {
        "diploma": 1,
        "deelcertificaat": 2,
        "branche": 1,
        "q": 1,
        "unknown": 0,
    }
    assert result.certificates.total == 5  # the other academy's diploma is not counted
    assert counts(result.certificate_routes) == {
        "certified": 4,
        "diploma": 1,
        "deelcertificaat": 2,
        "branche": 1,
        "q": 1,
    }
    durable = {b.key: counts(b) for b in result.durable}
    assert durable["durable_0"] == {"work_school": 3, "neither": 1, "unknown": 1, "not_checked": 0}
    assert durable["durable_6"] == {"work_school": 3, "neither": 1, "unknown": 0, "not_checked": 1}
    assert durable["durable_12"] == {"work_school": 1, "neither": 0, "unknown": 1, "not_checked": 3}
    assert [p.share for p in result.survival] == [0.75, 0.75, 1.0]


def test_groups_match_the_hand_count_and_sum_to_the_totals(dashboard_world):
    result = built(dashboard_world.world)
    programme = dashboard_world.world.programme.pk
    g27, g28 = dashboard_world.g27.pk, dashboard_world.g28.pk
    groups = {g.label: g.counts for g in result.groups}
    # By start: Groep 27, Groep 28, then the routes without a group.
    assert [g.key for g in result.groups] == [
        f"p{programme}c{g27}",
        f"p{programme}c{g28}",
        f"p{programme}c0",
    ]
    groups["No group"] = groups.pop(result.groups[2].label)
    assert {k: groups["Groep 27"][k] for k in ("referred", "started", "trial_passed")} == {
        "referred": 7,
        "started": 7,
        "trial_passed": 3,
    }
    assert groups["Groep 27"]["outcome_succesvol"] == 2
    assert groups["Groep 28"]["referred"] == 4
    assert groups["Groep 28"]["started"] == 1
    assert groups["No group"]["completed"] == 1
    g27 = next(g for g in result.groups if g.label == "Groep 27")
    # Groep 27 left after starting: bram, chris, dewi, julia; at 6 months bram and julia in
    # work, chris neither, dewi never checked.
    assert [p.share for p in g27.survival] == [2 / 3, 2 / 3, None]
    for key, total in result.totals.items():
        assert sum(g[key] for g in groups.values()) == total, key


@pytest.mark.parametrize(
    ("filters", "referred"),
    [
        ({"route_type": "2"}, 7),
        ({"start_from": date(2026, 1, 1)}, 4),  # ivo started in Feb; eva fleur gijs referred
        ({"start_to": date(2025, 8, 31)}, 1),  # hamza
        ({"cohort": "g28"}, 4),
    ],
)
def test_filters_narrow_the_routes(dashboard_world, filters, referred):
    if filters.get("cohort") == "g28":
        filters = {"cohort": dashboard_world.g28.pk}
    assert built(dashboard_world.world, **filters).totals["referred"] == referred


def test_every_breakdown_sums_to_its_total(dashboard_world):
    result = built(dashboard_world.world)
    for breakdown in result.all_breakdowns():
        assert breakdown.sums_to_total, breakdown.key
    for key in result.route_types[0].counts:
        assert sum(g.counts[key] for g in result.route_types) == result.totals[key]


ROUTE = st.fixed_dictionaries(
    {
        "status": st.sampled_from(
            ["aangemeld", "intake", "gestart", "proefperiode", "contract", "afgerond",
             "uitgevallen", "niet_toegelaten", "bogus"]
        ),
        "route_type": st.sampled_from(["1a", "1b", "2", ""]),
        "referral_source": st.sampled_from(["vso", "gemeente", "", "zz"]),
        "started": st.booleans(),
        "dropout_reason": st.sampled_from(["", "motivatie", "verhuisd", "xx"]),
        "dropout_phase": st.sampled_from(["", "intake", "contract", "afgerond"]),
        "destination": st.sampled_from(["", "onbekend", "opleiding", "uitkering", "yy"]),
        "outcome_category": st.sampled_from(["", "succesvol", "negatief", "overig"]),
        "outcome_reason": st.sampled_from(["", "werk", "onbekend", "motivatie"]),
        "follow_up_6": st.sampled_from([None, "", "werk", "geen", "onbekend"]),
        "certificate": st.sampled_from([None, "diploma", "deelcertificaat", "zz"]),
        "in_cohort": st.booleans(),
    }
)  # fmt: skip


@pytest.mark.slow  # 30 generated academies of up to ten routes, each counted
@pytest.mark.parametrize("seed", [0])
def test_every_breakdown_sums_to_its_total_for_any_routes(world, seed):
    """Whatever is (or is not) recorded, including codes no choice knows: nothing falls out."""

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(ROUTE, max_size=10))
    def check(specs):
        savepoint = transaction.savepoint()
        try:
            for spec in specs:
                person = Participant.objects.create(
                    academy=world.academy, first_name="H", last_name="Y",
                    date_of_birth=date(2006, 1, 1),
                )  # fmt: skip
                route = Route.objects.create(
                    participant=person,
                    programme=world.programme,
                    cohort=world.cohort if spec["in_cohort"] else None,
                    route_type=spec["route_type"],
                    status=spec["status"],
                    referral_date=date(2025, 1, 1),
                    referral_source=spec["referral_source"],
                    start_date=date(2025, 2, 1) if spec["started"] else None,
                    dropout_reason=spec["dropout_reason"],
                    dropout_phase=spec["dropout_phase"],
                    destination=spec["destination"],
                    outcome_category=spec["outcome_category"],
                    outcome_reason=spec["outcome_reason"],
                )
                if spec["follow_up_6"] is not None:
                    FollowUp.objects.create(
                        route=route, months_after=6, due_on=date(2026, 1, 1),
                        situation=spec["follow_up_6"],
                    )  # fmt: skip
                if spec["certificate"]:
                    CertificateFactory(route=route, kind=spec["certificate"])
            result = built(world)
            for breakdown in result.all_breakdowns():
                assert breakdown.sums_to_total, (breakdown.key, specs)
            for key, total in result.totals.items():
                assert sum(g.counts[key] for g in result.groups) == total
            for key in result.route_types[0].counts:
                assert sum(g.counts[key] for g in result.route_types) == result.totals[key]
        finally:
            transaction.savepoint_rollback(savepoint)

    check()


# --- the page ------------------------------------------------------------------------------


def test_dashboard_page_shows_the_figures_charts_and_tables(dashboard_world, client_for):
    response = client_for("projectleider").get(DASHBOARD)
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-metric="referred">\s*<a [^>]*>12</a>', body)
    assert body.count("<svg") >= 10
    assert body.count("<details") >= 10
    assert 'class="visually-hidden"' in body
    assert 'style="' not in body
    assert "<script" not in body.split("</head>")[1]
    # The unknown rows are there, e.g. drop-out without a reason.
    reason = body.split('data-breakdown="reason"')[1].split("</table>")[0]
    assert re.search(r'data-row="unknown">.*?>1<', reason, re.S)
    # No care data and no personal details on the dashboard itself.
    assert "ZORG-GEHEIM" not in body
    assert "Zichtbaar" not in body


def test_filters_on_the_page_and_an_unknown_group_is_404(dashboard_world, client_for):
    client = client_for("regisseur")
    response = client.get(DASHBOARD, {"cohort": dashboard_world.g28.pk, "route_type": ""})
    assert re.search(r'data-metric="referred">\s*<a [^>]*>4</a>', response.content.decode())
    assert client.get(DASHBOARD, {"cohort": 999999}).status_code == 404


def test_a_group_or_programme_of_another_academy_is_404(dashboard_world, client_for):
    foreign_cohort = CohortFactory(
        programme=dashboard_world.foreign_route.programme, name="Groep Twente"
    )
    client = client_for("projectleider")
    assert client.get(DASHBOARD, {"cohort": foreign_cohort.pk}).status_code == 404
    programme = dashboard_world.foreign_route.programme.pk
    assert client.get(DASHBOARD, {"programme": programme}).status_code == 404
    names = client.get(NAMES, {"show": "m:started", "cohort": foreign_cohort.pk})
    assert names.status_code == 404
    export = reverse("reporting:cohort_participants_export", args=[foreign_cohort.pk])
    assert client.post(export).status_code == 404


def test_a_bad_period_shows_the_error_and_no_figures(dashboard_world, client_for):
    response = client_for("projectleider").get(
        DASHBOARD, {"start_from": "2026-01-01", "start_to": "2025-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in body
    assert "dash-headline" not in body


@pytest.mark.parametrize("persona", ["coach", "employer", "beheerder", "landelijk"])
def test_other_roles_get_nothing(dashboard_world, client_for, persona):
    client = client_for(persona)
    for url in (DASHBOARD, f"{NAMES}?show=m:started"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Zichtbaar" not in response.content.decode()
    assert client.post(reverse("reporting:dashboard_export")).status_code in {403, 302}


def test_anonymous_is_sent_to_login(dashboard_world, client_for):
    for url in (DASHBOARD, f"{NAMES}?show=m:started", reverse("reporting:national")):
        response = client_for("anonymous").get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- the names behind a number -------------------------------------------------------------


def test_projectleider_drills_down_to_names_and_status_without_care_notes(
    dashboard_world, client_for
):
    response = client_for("projectleider").get(DASHBOARD)
    body = response.content.decode()
    link = re.search(r'data-metric="started">\s*<a href="([^"]+)"', body)[1].replace("&amp;", "&")
    page = client_for("projectleider").get(link)
    text = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'id="names-count">9 ', text)
    for name in ("Daan Zichtbaar", "Noor Anderman", "Anna Contractueel", "Hamza Zondergroep"):
        assert name in text
    assert "Fleur Afgewezen" not in text  # never started
    assert "Proefperiode" in text or "Trial period" in text
    detail = reverse("participants:participant_detail", args=[dashboard_world.world.participant.pk])
    assert f'href="{detail}"' in text
    assert "ZORG-GEHEIM" not in text
    assert "Buitenaf" not in text  # the other academy


def test_projectleider_gets_no_names_behind_sensitive_numbers(dashboard_world, client_for):
    body = client_for("projectleider").get(DASHBOARD).content.decode()
    assert "show=source%3Ajeugdzorg" not in body
    assert "show=m%3Aoutcome_negatief" not in body
    response = client_for("projectleider").get(NAMES, {"show": "source:jeugdzorg"})
    assert response.status_code == 403
    assert "Chris" not in response.content.decode()


def test_regisseur_drills_into_every_number(dashboard_world, client_for):
    client = client_for("regisseur")
    body = client.get(DASHBOARD).content.decode()
    assert "show=source%3Ajeugdzorg" in body
    text = client.get(NAMES, {"show": "source:jeugdzorg"}).content.decode()
    assert "Chris Uitval" in text
    assert re.search(r'id="names-count">1 ', text)
    text = client.get(NAMES, {"show": "reason:unknown"}).content.decode()
    assert "Dewi Onbekend" in text
    text = client.get(NAMES, {"show": "fu12:not_checked"}).content.decode()
    assert re.search(r'id="names-count">3 ', text)
    assert "Julia Elderswerk" in text


def test_every_link_on_the_page_lists_as_many_routes_as_its_number(dashboard_world, client_for):
    client = client_for("regisseur")
    body = client.get(DASHBOARD).content.decode()
    links = re.findall(r'<a href="(/rapportage/dashboard/namen/\?[^"]+)"[^>]*>(\d+)</a>', body)
    assert len(links) > 60
    for url, number in set(links):
        response = client.get(url.replace("&amp;", "&"))
        found = re.search(r'id="names-count">(\d+) ', response.content.decode())
        assert found, (url, response.status_code)
        shown = found[1]
        assert shown == number, url


def test_group_cell_drills_into_that_group(dashboard_world, client_for):
    client = client_for("projectleider")
    body = client.get(DASHBOARD).content.decode()
    row = body.split(
        f'data-group="p{dashboard_world.world.programme.pk}c{dashboard_world.g28.pk}"'
    )[1]
    link = re.search(r'<a href="([^"]+)"', row)[1].replace("&amp;", "&")
    text = client.get(link).content.decode()
    assert re.search(r'id="names-count">4 ', text)
    assert "Gijs Aangemeld" in text
    assert "Anna" not in text


@pytest.mark.parametrize("show", ["", "m:nope", "status:nope", "rt:9:started", "x" * 80, "fu3:x"])
def test_unknown_drill_down_is_404(dashboard_world, client_for, show):
    assert client_for("regisseur").get(NAMES, {"show": show}).status_code == 404


def test_drill_targets_cover_every_token_the_dashboard_makes(dashboard_world):
    result = built(dashboard_world.world)
    for row, _group in result.all_rows():
        if row.drill:
            assert drill_target(row.drill) is not None, row.drill


# --- query counts --------------------------------------------------------------------------


def add_routes(world, n: int) -> None:
    cohort = CohortFactory(programme=world.programme, name=f"Groep extra {n}")
    statuses = ["aangemeld", "gestart", "contract", "afgerond", "uitgevallen"]
    for i in range(n):
        person = ParticipantFactory(academy=world.academy)
        route = RouteFactory(
            participant=person,
            programme=world.programme,
            cohort=cohort if i % 2 else None,
            status=statuses[i % len(statuses)],
            end_date=date(2026, 1, 1) if i % 5 > 2 else None,
            destination="opleiding" if i % 5 == 3 else "",
        )
        CertificateFactory(route=route)
        FollowUp.objects.create(
            route=route, months_after=6, due_on=date(2026, 7, 1), situation="werk"
        )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", [DASHBOARD, f"{NAMES}?show=m:referred", reverse("reporting:national")]
)
def test_query_count_does_not_grow_with_the_routes(world, client_for, url):
    persona = "landelijk" if "landelijk" in url else "regisseur"
    client = client_for(persona)
    add_routes(world, 2)
    client.get(url)  # warm the session and caches
    cache.clear()  # the national figures are cached: count the view that makes them
    small = queries_for(client, url)
    add_routes(world, 20)
    cache.clear()
    assert queries_for(client, url) == small
    assert small <= 25


# --- the Excel exports ---------------------------------------------------------------------


def run_export(client, url, data, capture):
    with capture(execute=True):
        response = client.post(url, data, headers={"accept-language": "en"})
    run = ReportRun.objects.order_by("-created").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    assert run.status == RunStatus.DONE, run.message
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 200
    return run, load_workbook(BytesIO(b"".join(download.streaming_content)))


def sheet_text(workbook) -> str:
    return " ".join(
        str(cell) for sheet in workbook.worksheets for row in sheet.values for cell in row if cell
    )


def assert_no_formulas(workbook) -> None:
    for sheet in workbook.worksheets:
        for row in sheet.values:
            for value in row:
                assert not str(value or "").startswith(("=", "+", "-", "@")), value


def test_dashboard_export_holds_the_tables_and_counts_only(
    dashboard_world, client_for, django_capture_on_commit_callbacks
):
    run, workbook = run_export(
        client_for("projectleider"),
        reverse("reporting:dashboard_export"),
        {"route_type": ""},
        django_capture_on_commit_callbacks,
    )
    assert run.kind == "dashboard_xlsx"
    assert [s.title for s in workbook.worksheets] == [
        "Summary",
        "Breakdowns",
        "Route types",
        "Groups",
    ]
    breakdowns = list(workbook["Breakdowns"].values)
    assert ("Drop-out by reason", "Routes") in breakdowns
    assert ("Unknown", 1) in breakdowns
    groups = {row[0]: row for row in workbook["Groups"].values if row and row[0]}
    assert groups["BinQ · Groep 27"][1:3] == (7, 7)
    # Headers bold and frozen; after the ten count columns, per moment: in work or school, of
    # how many known, the share: 2 of 3 at leaving and after 6 months, none known after 12.
    # Of fewer than five no share, as on the page ("2 van 3").
    assert_headers_frozen(workbook)
    header = next(r for r in workbook["Groups"].iter_rows() if r[0].font.bold)
    assert [c.value for c in header[11:14]] == [
        "In work or school after 0 months",
        "n (known)",
        "Share",
    ]
    g27 = next(r for r in workbook["Groups"].iter_rows() if r[0].value == "BinQ · Groep 27")
    assert [c.value for c in g27[11:20]] == [2, 3, None, 2, 3, None, 0, 0, None]
    assert not set(percent_cells(workbook)) & set(g27)
    text = sheet_text(workbook)
    for name in ("Zichtbaar", "Anderman", "Contractueel", "ZORG-GEHEIM"):
        assert name not in text


def test_exports_neutralise_formulas(
    dashboard_world, client_for, django_capture_on_commit_callbacks
):
    cohort = dashboard_world.g28
    cohort.name = "=HYPERLINK(1)"
    cohort.save()
    ivo = dashboard_world.routes["ivo"].participant
    ivo.first_name = "+cmd"
    ivo.last_name = "@SUM(A1)"
    ivo.save()
    _run, workbook = run_export(
        client_for("projectleider"),
        reverse("reporting:dashboard_export"),
        {},
        django_capture_on_commit_callbacks,
    )
    assert_no_formulas(workbook)
    _run, workbook = run_export(
        client_for("projectleider"),
        reverse("reporting:cohort_participants_export", args=[cohort.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    rows = list(workbook.worksheets[0].values)
    assert ("'+cmd", "'@SUM(A1)") in [row[:2] for row in rows]
    assert "'=HYPERLINK(1)" in sheet_text(workbook)
    assert_no_formulas(workbook)


def test_cohort_participant_list_has_names_status_and_outcome_only(
    dashboard_world, client_for, django_capture_on_commit_callbacks
):
    bram = dashboard_world.routes["bram"].participant
    bram.bsn = "111222333"
    bram.save()
    run, workbook = run_export(
        client_for("projectleider"),
        reverse("reporting:cohort_participants_export", args=[dashboard_world.g27.pk]),
        {},
        django_capture_on_commit_callbacks,
    )
    assert run.kind == "cohort_participants_xlsx"
    rows = list(workbook.worksheets[0].values)
    assert rows[0] == (
        "First name", "Last name", "Programme", "Group", "Status", "Start date", "End date",
        "Outcome",
    )  # fmt: skip
    assert len(rows) == 1 + 7
    assert_headers_frozen(workbook)
    bram_row = next(row for row in rows if row[:2] == ("Bram", "Afgerond"))
    assert bram_row[2:4] == ("BinQ", "Groep 27")
    assert [bram_row[5].date(), bram_row[6].date(), bram_row[7]] == [
        date(2025, 9, 1),
        date(2026, 3, 31),
        "Successful",
    ]
    text = sheet_text(workbook)
    assert "111222333" not in text
    assert "ZORG-GEHEIM" not in text
    assert "2006-05-17" not in text  # no date of birth


def test_group_list_export_is_closed_to_others(dashboard_world, client_for):
    url = reverse("reporting:cohort_participants_export", args=[dashboard_world.g27.pk])
    for persona in ("coach", "employer", "beheerder", "landelijk"):
        assert client_for(persona).post(url).status_code == 403
    assert not ReportRun.objects.exists()


def test_an_expired_dashboard_file_is_gone(
    dashboard_world, client_for, django_capture_on_commit_callbacks
):
    run, _workbook = run_export(
        client_for("regisseur"),
        reverse("reporting:dashboard_export"),
        {},
        django_capture_on_commit_callbacks,
    )
    ReportRun.objects.filter(pk=run.pk).update(expires=run.expires - timedelta(days=2))
    from reporting.services import report_runs_expire

    assert report_runs_expire()["expired"] == 1


def test_start_page_and_menu_link_the_dashboard(dashboard_world, client_for):
    body = client_for("projectleider").get(reverse("home")).content.decode()
    assert f'href="{DASHBOARD}"' in body
    assert 'id="home-dashboard"' in body
    coach = client_for("coach").get(reverse("home")).content.decode()
    assert f'href="{DASHBOARD}"' not in coach


def test_the_groups_sheet_gives_a_share_of_five_or_more_as_a_percentage_cell():
    """5 of 6 known: a percentage cell beside its count and n; 3 of 4: the count and n only."""
    from openpyxl import Workbook

    from reporting.dashboard.exports import _Writer
    from reporting.dashboard.metrics import Group, SurvivalPoint

    def point(months, work, neither):
        return SurvivalPoint(months, {"work_school": work, "neither": neither, "unknown": 0})

    group = Group("g", "Groep 1", "BinQ", {}, [point(0, 5, 1), point(6, 3, 1), point(12, 0, 0)])
    sheet = Workbook().active
    _Writer(sheet, suppress=False).groups("Groups", [group], [], durable=True)
    row = sheet[2]
    assert [c.value for c in row[1:]] == [5, 6, pytest.approx(5 / 6), 3, 4, None, 0, 0, None]
    assert row[3].number_format == "0%"
    assert sheet.freeze_panes == "A2"
