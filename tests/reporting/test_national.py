"""The national view: the dashboard across academies and branches, counts only, never a name,
no drill-down, and small cells shown as "<5"."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.dashboard import Row, small_cell
from reporting.dashboard.metrics import Breakdown, SurvivalPoint
from reporting.models import ReportRun, RunStatus
from reporting.templatetags.dashboard_charts import (
    bar_chart,
    bar_chart_svg,
    percent,
    survival_chart,
)
from tests.conftest import module_data
from tests.xlsx_checks import assert_headers_frozen, percent_cells

from .conftest_dashboard import build_dashboard_world, refer_through_the_service

pytestmark = pytest.mark.django_db

NATIONAL = reverse("reporting:national")
PLANTED_NAMES = ("Zichtbaar", "Anderman", "Buitenaf", "Contractueel", "Elderswerk", "Hamza")


# One hand-counted academy for the whole module (tests/conftest.py, module_data): every test
# reads it, or writes what its savepoint undoes.
_shared = module_data(build_dashboard_world)


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def national_world(_shared, db):
    return _shared[1]


def headline(body: str, metric: str) -> str:
    return re.search(rf'data-metric="{metric}">([^<]*)<', body)[1]


def test_landelijk_sees_counts_across_academies_and_no_names(national_world, client_for):
    response = client_for("landelijk").get(NATIONAL)
    body = response.content.decode()
    assert response.status_code == 200
    assert headline(body, "referred") == "15"  # 13 (twelve in Salland, one in Twente), rounded
    assert headline(body, "completed") == "&lt;5"  # bram, hamza and Twente's one
    for name in PLANTED_NAMES:
        assert name not in body
    assert "ZORG-GEHEIM" not in body
    assert "/deelnemers/" not in body
    assert "dashboard/namen" not in body  # no drill-down
    assert 'id="small-cells-note"' in body
    assert "&lt;5" in body
    assert 'style="' not in body


def test_academies_and_branches_each_get_a_row(national_world, client_for):
    body = client_for("landelijk").get(NATIONAL).content.decode()
    academies = body.split('data-groups="academies"')[1].split("</table>")[0]
    assert "Academie Salland" in academies
    assert "Academie Twente" in academies
    twente = academies.split('data-group="Academie Twente"', 1)[1].split("</tr>")[0]
    assert re.findall(r"<td>([^<]*)</td>", twente)[0] == "&lt;5"
    branches = body.split('data-groups="branches"')[1].split("</table>")[0]
    assert "BinQ" in branches
    assert "TanQ" in branches


@pytest.mark.parametrize(
    ("params", "referred"),
    # 12 and 8 routes, published rounded to a multiple of 5
    [({"branch": "BinQ"}, "10"), ({"branch": "TanQ"}, "<5"), ({"route_type": "2"}, "10")],
)
def test_national_filters(national_world, client_for, params, referred):
    body = client_for("landelijk").get(NATIONAL, params).content.decode()
    assert headline(body, "referred") == referred.replace("<", "&lt;")


def test_academy_filter(national_world, client_for):
    academy = national_world.world.other_academy.pk
    body = client_for("landelijk").get(NATIONAL, {"academy": academy}).content.decode()
    assert headline(body, "referred") == "&lt;5"


@pytest.mark.parametrize(
    "persona", ["projectleider", "regisseur", "coach", "employer", "beheerder"]
)
def test_national_view_is_for_the_national_role_only(national_world, client_for, persona):
    response = client_for(persona).get(NATIONAL)
    assert response.status_code == 403
    assert "Academie Twente" not in response.content.decode()


def test_landelijk_cannot_reach_the_academy_dashboard_or_names(national_world, client_for):
    client = client_for("landelijk")
    for url in (
        reverse("reporting:dashboard"),
        reverse("reporting:dashboard_names") + "?show=m:started",
        reverse("reporting:funder_list"),
    ):
        response = client.get(url)
        assert response.status_code == 403
        for name in PLANTED_NAMES:
            assert name not in response.content.decode()
    group = reverse("reporting:cohort_participants_export", args=[national_world.g27.pk])
    assert client.post(group).status_code == 403


def test_national_export_has_small_cells_and_no_names(
    national_world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("landelijk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:dashboard_export"),
            {"branch": "TanQ"},
            headers={"accept-language": "en"},
        )
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    assert run.status == RunStatus.DONE, run.message
    assert run.filename.startswith("landelijk-dashboard")
    assert isinstance(run.parameters["branch"], int)  # a programme id: no free text
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    values = [v for s in workbook.worksheets for row in s.values for v in row if v is not None]
    assert "<5" in values
    assert any("re-identification" in str(v) for v in values)
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)
    for name in PLANTED_NAMES:
        assert not any(name in str(v) for v in values)
    groups = {row[0]: row for row in workbook["Groups"].values if row and row[0]}
    assert groups["Academie Twente"][1] == "<5"
    # Salland has no TanQ route, and is listed all the same: a row's presence tells nothing.
    assert groups["Academie Salland"][1] == "<5"
    assert "TanQ" in groups
    assert_headers_frozen(workbook)
    assert all(c.number_format == "0%" for c in percent_cells(workbook))
    assert "BinQ" not in groups  # the branch filter: TanQ only


def test_home_page_links_the_national_view(national_world, client_for):
    body = client_for("landelijk").get(reverse("home")).content.decode()
    assert f'href="{NATIONAL}"' in body


def test_small_cells_and_their_bars_and_shares_are_hidden():
    shown = [small_cell(n, suppress=True) for n in (0, 1, 4, 5, 7, 8, 12, 13)]
    assert shown == ["<5", "<5", "<5", "5", "5", "10", "10", "15"]
    assert small_cell(3, suppress=False) == "3"
    chart = bar_chart([Row("a", "A", 3), Row("b", "B", 10)], True)
    assert [(b["value"], b["width"]) for b in chart["bars"]] == [("<5", 0), ("10", 250.0)]
    assert "dash-axis" not in bar_chart_svg([Row("a", "A", 3)], True)  # no scale of nothing
    # A share of a small part is hidden, its n (rounded) is not.
    assert percent(3, 20, True) == "\u2013 (n = 20)"
    assert percent(0, 0, True) == "\u2013 (n = <5)"
    assert percent(10, 20, True) == "50% (n = 20)"
    assert percent(10, 20, True, False) == "50%"


def test_shares_show_their_n_and_no_percentage_of_fewer_than_five():
    assert percent(10, 19) == "53% (n = 19)"
    assert percent(3, 5) == "60% (n = 5)"
    assert percent(3, 4) == "3 van 4"  # no "75%" of four people
    assert percent(0, 1, False, False) == "0 van 1"
    assert percent(0, 0) == "\u2013 (n = 0)"
    # The survival chart draws no point (no percentage) at a moment with fewer than 5 known.
    points = [SurvivalPoint(m, {"work_school": w, "neither": n}) for m, w, n in MOMENT_COUNTS]
    chart = survival_chart(points)
    assert [p["label"] for p in chart["points"]] == ["75%", "50%"]  # 6 of 8, 3 of 6; not 3 of 4
    assert chart["segments"] == [{"x1": 46.0, "y1": 39.5, "x2": 111.0, "y2": 57.0}]


# At leaving 6 of 8 known are in work or school, after 6 months 3 of 6, after 12 months 3 of 4.
MOMENT_COUNTS = [(0, 6, 2), (6, 3, 3), (12, 3, 1)]


def test_compared_bars_share_one_scale_and_state_it():
    # Alone, a chart is scaled to its own largest bar: 4 of 8 is half of BAR_MAX (250).
    alone = bar_chart([Row("a", "A", 8), Row("b", "B", 4)])
    assert [b["width"] for b in alone["bars"]] == [250.0, 125.0]
    assert alone["scale"] == "8"
    # Beside a chart whose largest bar is 20, both use 20: 8 -> 100, 4 -> 50, 20 -> 250.
    left = Breakdown("left", "Left", "", 12, [Row("a", "A", 8), Row("b", "B", 4)])
    right = Breakdown("right", "Right", "", 25, [Row("c", "C", 20), Row("d", "D", 5)])
    widths = [[b["width"] for b in bar_chart(c.rows, False, 20)["bars"]] for c in (left, right)]
    assert widths == [[100.0, 50.0], [250.0, 62.5]]
    svg = bar_chart_svg(right.rows, False, 20)
    assert 'text-anchor="end" class="dash-axis">20</text>' in svg  # the axis: 0 to 20


def test_the_national_view_reads_kept_rows_only_and_does_not_grow_with_the_data(
    national_world, client_for
):
    """Cold (nothing cached), the national page sums the month rows, one query per grouping,
    and the number of queries stays the same when routes, cohorts, months, programmes and an
    academy are added; no query counts routes (only the period list's first year reads two
    route indexes)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import (
        AcademyFactory,
        CohortFactory,
        ParticipantFactory,
        ProgrammeFactory,
        RouteFactory,
    )

    client = client_for("landelijk")

    def cold_page() -> list[str]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(NATIONAL, {"period": "2025"})
        assert response.status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    client.get(NATIONAL)  # the first request after the login writes the session
    small = cold_page()
    academy = AcademyFactory(name="Academie Groei")
    for programme_name in ("BinQ", "TanQ"):
        programme = ProgrammeFactory(academy=academy, name=programme_name)
        for month in (2, 5, 9, 11):
            cohort = CohortFactory(programme=programme, start_date=date(2025, month, 3))
            for n in range(3):
                RouteFactory(
                    participant=ParticipantFactory(academy=academy),
                    programme=programme,
                    cohort=cohort,
                    route_type="2",
                    referral_source="vso",
                    referral_date=date(2025, month, 1),
                    start_date=date(2025, month, 3 + n),
                )
    large = cold_page()
    assert len(large) == len(small), "\n".join(large)
    for sql in large:
        assert "cohortfigures" not in sql or "MAX(" in sql  # only the cache version
        if '"participants_route"' in sql:
            assert "MIN(" in sql
            assert "COUNT(" not in sql
    assert sum("academymonthfigures" in sql for sql in large) == 2


def test_the_national_tables_are_kept_rendered_until_the_figures_change(
    world, national_world, client_for
):
    """The second view shows the same tables without rendering them again (kept under the
    figures' key); another period is another key; a route step is a new version, rendered
    anew with the new count."""
    client = client_for("landelijk")

    def rendered(params) -> tuple[str, set[str]]:
        response = client.get(NATIONAL, params)
        assert response.status_code == 200
        return response.content.decode(), {t.name for t in response.templates}

    first, first_templates = rendered({"period": "2025"})
    again, again_templates = rendered({"period": "2025"})
    assert "reporting/dashboard/_groups.html" in first_templates
    assert "reporting/dashboard/_groups.html" not in again_templates

    def tables(body: str) -> str:  # between the export form and the footer (tokens differ)
        after_export = body.split('id="dashboard-export"', 1)[1].split("</form>", 1)[1]
        return after_export.split("<footer", 1)[0]

    assert tables(first) == tables(again)
    assert 'id="academies"' in tables(first)
    _other, other_templates = rendered({"period": "2024"})
    assert "reporting/dashboard/_groups.html" in other_templates
    before = headline(first, "referred")
    for n in range(5):  # five more: the rounded count moves by 5
        refer_through_the_service(world, f"Landelijk {n}")
    changed, changed_templates = rendered({"period": "2025"})
    assert "reporting/dashboard/_groups.html" in changed_templates
    assert int(headline(changed, "referred")) == int(before) + 5
