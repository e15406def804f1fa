"""The national view: the dashboard across academies and branches, counts only, never a name,
no drill-down, and small cells shown as "<5"."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.dashboard import Row, small_cell
from reporting.models import ReportRun, RunStatus
from reporting.templatetags.dashboard_charts import bar_chart, percent
from tests.conftest import module_data

from .conftest_dashboard import build_dashboard_world

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
    assert percent(3, 20, True) == "\u2013"
    assert percent(10, 20, True) == "50%"
    assert percent(3, 4, False) == "75%"
