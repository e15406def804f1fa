"""The reporting pages: forecast, planner, export, status, download, My exports."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from maatwerq.audit.models import Action, AuditEvent
from reporting.models import ReportRun, RunStatus
from tests.factories import CohortFactory, ReportRunFactory

from .conftest import routes

pytestmark = pytest.mark.django_db

PERIOD = {"first": "2024-09", "last": "2026-02"}


def forecast_page(client, **params):
    return client.get(reverse("reporting:forecast"), {**PERIOD, **params})


def cells(body: str, line: str) -> list[str]:
    """The cells of the first table row marked data-line=<line>, tags stripped."""
    row = re.search(rf'<tr data-line="{line}">(.*?)</tr>', body, re.S)[1]
    found = re.findall(r"<td>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


# --- the forecast page ---------------------------------------------------------------------


def test_forecast_shows_planned_projected_and_actual_counts_without_names(
    world, history, client_for
):
    response = forecast_page(client_for("projectleider"))
    body = response.content.decode()
    assert response.status_code == 200
    for moment in ("2024-09", "2025-02", "2025-09", "2026-02"):
        assert f">{moment}</th>" in body
    assert "Groep 20" in body
    assert "Groep 21" in body
    assert "Groep 27" in body
    assert "Groep 30" not in body  # starts after the period
    # Totals: planned 12, 22 (20+21), 34 (20+21+27), 34.
    total = body.split('class="total-block"')[1]
    assert cells(total, "planned") == ["12", "22", "34", "34"]
    # Actual: Groep 20 had 10 at the end of Sept 2024; 9 in Feb 2025 (2 left, 1 late entrant)
    # plus 8 of Groep 21 (one leaves in March); then 9 + 7 + 2 (Groep 27).
    assert cells(total, "actual") == ["10 -2", "17 -5", "18 -16", "18 -16"]
    # Retention seen, with its n: at the end of their first month 10 of Groep 20's 11 starters
    # (the late entrant not yet), all 8 of Groep 21 and both of Groep 27: 20 of 21.
    first = re.search(r'<tr data-half-year="1">(.*?)</tr>', body, re.S)[1]
    assert '<td class="text-end">95% (n = 21)</td>' in first
    assert "Zichtbaar" not in body
    assert "Anderman" not in body
    assert 'style="' not in body


def test_forecast_of_a_programme_of_another_academy_is_404(
    world, other_academy_programme, client_for
):
    response = forecast_page(client_for("projectleider"), programme=other_academy_programme.pk)
    assert response.status_code == 404
    assert "Groep Twente" not in response.content.decode()
    assert forecast_page(client_for("regisseur"), programme="abc").status_code == 404


@pytest.mark.parametrize("persona", ["coach", "employer", "beheerder", "landelijk"])
def test_forecast_is_closed_to_other_roles(world, client_for, persona):
    assert forecast_page(client_for(persona)).status_code == 403


def test_forecast_with_a_bad_period_shows_the_error_and_no_table(world, client_for):
    response = forecast_page(client_for("regisseur"), first="2026-09", last="2025-09")
    body = response.content.decode()
    assert response.status_code == 200
    assert "De eindmaand ligt vóór de startmaand." in body
    assert 'id="forecast-table"' not in body


def test_forecast_query_count_does_not_grow_with_the_cohorts(world, client_for):
    client = client_for("projectleider")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert forecast_page(client).status_code == 200
        return len(queries)

    def add_cohorts(n):
        for i in range(n):
            cohort = CohortFactory(
                programme=world.programme,
                name=f"Extra {n}-{i}",
                start_date=date(2024, 9, 1) + timedelta(days=i),
            )
            routes(cohort, [(cohort.start_date, None)] * 2)

    add_cohorts(2)
    small = count()
    add_cohorts(18)
    assert count() == small


# --- export, status, download --------------------------------------------------------------


def test_export_runs_in_the_background_and_the_status_page_offers_the_file(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("projectleider")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:forecast_export"), {"programme": world.programme.pk, **PERIOD}
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])
    assert run.status == RunStatus.DONE
    assert run.parameters["from"] == "2024-09"

    page = client.get(response["Location"]).content.decode()
    assert "progress-w-100" in page
    assert reverse("reporting:run_download", args=[run.pk]) in page
    assert 'hx-trigger="every 1s"' not in page  # done: no more polling
    assert 'style="' not in page

    before = AuditEvent.objects.count()
    download = client.get(reverse("reporting:run_download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].endswith("spreadsheetml.sheet")
    assert (
        'attachment; filename="prognose-binq-2024-09-2026-02.xlsx"'
        in download["Content-Disposition"]
    )
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert len(workbook.sheetnames) == 6  # planned, projected, actual, 2 differences, retention
    assert workbook.worksheets[0]["B2"].value == 0  # Groep 27 in 2024-09
    events = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert [(e.action, e.object_id, e.actor_id) for e in events] == [
        (Action.EXPORT, str(run.pk), world.users["projectleider"].pk)
    ]


def test_status_partial_polls_while_running_and_stops_when_done(world, client_for):
    run = ReportRunFactory(
        requested_by=world.users["projectleider"],
        academy=world.academy,
        status=RunStatus.RUNNING,
        progress=37,
        message="Writing the sheets.",
    )
    client = client_for("projectleider")
    url = reverse("reporting:run_status", args=[run.pk])
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="run-status"')
    assert f'hx-get="{url}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "progress-w-35" in body
    assert 'aria-valuenow="37"' in body
    assert "De werkbladen worden gemaakt." in body  # the stored msgid, shown translated
    assert "run-download" not in body

    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, message="Boom msgid")
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in body
    assert "bg-danger" in body
    assert "run-download" not in body


def _done_run(world, user="projectleider", **kwargs):
    return ReportRunFactory(
        requested_by=world.users[user], academy=world.academy, done=True, **kwargs
    )


def client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_download_is_for_the_requester_only(world, client_for, colleague, foreign_projectleider):
    run = _done_run(world)
    url = reverse("reporting:run_download", args=[run.pk])
    others = [client_for(p) for p in ("regisseur", "coach", "beheerder", "landelijk", "employer")]
    others += [client_of(colleague), client_of(foreign_projectleider)]
    for client in others:
        for name in ("run_download", "run_detail", "run_status"):
            assert client.get(reverse(f"reporting:{name}", args=[run.pk])).status_code == 404
    response = client_for("projectleider").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK fixture, not a real workbook"
    events = AuditEvent.objects.filter(action=Action.EXPORT)
    assert [(e.object_id, e.actor_id) for e in events] == [
        (str(run.pk), world.users["projectleider"].pk)
    ]


def test_shared_kind_is_also_for_the_same_role_in_the_same_academy(
    world, client_for, colleague, foreign_projectleider, register_kind
):
    register_kind(
        "team_list",
        lambda run, progress: ("x.csv", b""),
        shared=True,
        permission="reporting.export_forecast",
    )
    run = _done_run(world, kind="team_list")
    url = reverse("reporting:run_download", args=[run.pk])
    assert client_of(colleague).get(url).status_code == 200
    assert client_for("regisseur").get(url).status_code == 404
    assert client_of(foreign_projectleider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 1


def test_download_rechecks_the_permission_of_the_kind(world, client_for):
    from maatwerq.accounts.models import Role

    run = _done_run(world)
    world.users["projectleider"].memberships.update(role=Role.COACH)
    ReportRun.objects.filter(pk=run.pk).update(role=Role.COACH)
    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("status", [RunStatus.EXPIRED, RunStatus.FAILED])
def test_expired_or_failed_download_gives_a_clear_message_and_no_file(world, client_for, status):
    run = _done_run(world)
    ReportRun.objects.filter(pk=run.pk).update(status=status)
    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 410
    assert "Bestand niet beschikbaar" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_done_run_whose_file_is_gone_gives_the_message(world, client_for):
    run = _done_run(world, file="reports/gone.xlsx")
    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 410


def test_download_of_a_running_run_goes_to_its_status_page(world, client_for):
    run = ReportRunFactory(
        requested_by=world.users["projectleider"], academy=world.academy, status="running"
    )
    response = client_for("projectleider").get(reverse("reporting:run_download", args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:run_detail", args=[run.pk])


def test_my_exports_lists_only_ones_own_runs(world, client_for, colleague):
    mine = _done_run(world)
    theirs = ReportRunFactory(requested_by=colleague, academy=world.academy, done=True)
    body = client_for("projectleider").get(reverse("reporting:run_list")).content.decode()
    assert str(mine.pk) in body
    assert str(theirs.pk) not in body


# --- the what-if planner -------------------------------------------------------------------


def planner_post(client, rows, **form):
    data = {"first": "2025-09", "last": "2027-02", "months": "2,9", **form}
    for name in ("key", "group", "start", "size", "duration"):
        data[name] = [row[name] for row in rows]
    return client.post(reverse("reporting:planner_table"), data, HTTP_HX_REQUEST="true")


def row(key, group, start, size, duration):
    return {"key": key, "group": group, "start": start, "size": size, "duration": duration}


def test_planner_partial_renders_the_table_and_a_message_at_the_bad_row(world, client_for):
    response = planner_post(
        client_for("projectleider"),
        [
            row("0", "Groep A", "2025-09", "12", "4"),
            row("1", "Groep B", "2026-02", "-5", "4"),
            row("2", "", "", "", ""),  # an empty row is skipped without a message
            row("3", "Groep C", "2026-02", "10", "1"),
        ],
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<div id="planner-result"' in body
    assert "Groep A" in body
    assert "Groep C" in body
    total = cells(body, "total")
    assert total == ["12", "22", "12", "12"]  # C: one half-year, only 2026-02
    message = re.search(r'<div id="row-msg-1"[^>]*hx-swap-oob="true">(.*?)</div>', body)[1]
    assert message == "De omvang moet een heel getal zijn van 1 tot en met 999."
    assert re.search(r'<div id="row-msg-2"[^>]*hx-swap-oob="true"></div>', body)
    assert re.search(r'<div id="row-msg-0"[^>]*hx-swap-oob="true"></div>', body)
    assert "Groep B" not in body  # the bad row is not in the table


def test_planner_partial_with_a_bad_period_still_answers_with_the_messages(world, client_for):
    response = planner_post(
        client_for("regisseur"),
        [row("0", "Groep A", "2024-13", "12", "4")],
        last="2024-01",
    )
    body = response.content.decode()
    assert "De eindmaand ligt vóór de startmaand." in body
    assert "De start moet een maand zijn (JJJJ-MM)." in body


def test_planner_page_starts_from_the_programmes_cohorts_and_adds_rows_without_js(
    world, history, client_for
):
    client = client_for("projectleider")
    body = client.get(reverse("reporting:planner")).content.decode()
    assert 'value="Groep 27"' in body
    assert 'id="planner-row-template"' in body
    response = client.post(
        reverse("reporting:planner"),
        {
            "first": "2025-09",
            "last": "2026-09",
            "months": "9",
            "key": ["0", "1"],
            "group": ["A", "B"],
            "start": ["2025-09", "2026-09"],
            "size": ["12", "8"],
            "duration": ["4", "4"],
            "remove": "1",
        },
    )
    body = response.content.decode()
    assert 'value="A"' in body
    assert 'value="B"' not in body
    assert cells(body, "total") == ["12", "12"]


def test_planner_programme_of_another_academy_is_404(world, client_for, other_academy_programme):
    response = client_for("projectleider").get(
        reverse("reporting:planner"), {"programme": other_academy_programme.pk}
    )
    assert response.status_code == 404


def test_reports_start_page_links_the_forecast_planner_and_exports(world, client_for):
    body = client_for("regisseur").get(reverse("reporting:index")).content.decode()
    for name in ("forecast", "planner", "run_list"):
        assert reverse(f"reporting:{name}") in body
    home = client_for("regisseur").get(reverse("home")).content.decode()
    assert reverse("reporting:index") in home
    coach_home = client_for("coach").get(reverse("home")).content.decode()
    assert reverse("reporting:index") not in coach_home
