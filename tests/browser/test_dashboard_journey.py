"""A projectleider on a phone opens the cohort dashboard, looks at a table behind a chart,
follows a number to the names behind it, exports the tables to Excel, watches the bar reach
done and downloads the workbook."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.reporting.conftest_dashboard import build_dashboard_world

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_projectleider_uses_the_dashboard_on_a_phone(phone_page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    build_dashboard_world(world)
    page = phone_page
    login(page, world.users["projectleider"].email, PASSWORD)

    # From the start page to the dashboard.
    page.locator("#home-dashboard").click()
    page.wait_for_url("**/rapportage/dashboard/")
    expect(page.locator('[data-metric="referred"]')).to_have_text("12")
    expect(page.locator('[data-metric="dropped_out"]')).to_have_text("4")
    # Charts and tables fit: the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("svg").count() >= 10
    assert "Zichtbaar" not in page.content()

    # The table behind the drop-out reasons, opened by a tap.
    reasons = page.locator("#figure-reason")
    table = reasons.locator("details table")
    expect(table).to_be_hidden()
    reasons.locator("summary").click()
    expect(table).to_be_visible()
    # The count's cell (the share of the total is the next one).
    expect(table.locator('tr[data-row="unknown"] td').first).to_have_text("1")
    screenshot(page, "dashboard-phone")

    # The names behind "started": names and status, no care notes.
    page.locator('[data-metric="started"] a').click()
    page.wait_for_url("**/rapportage/dashboard/namen/*")
    names = page.locator("#names-table")
    expect(names).to_contain_text("Daan Zichtbaar")
    assert names.locator("tbody tr").count() == 9
    assert "ZORG-GEHEIM" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.go_back()

    # Export the tables to Excel, watch the bar, download the file.
    page.locator("#dashboard-export button").click()
    page.wait_for_url("**/rapportage/exports/*/")
    status = page.locator("#run-status[data-status=done]")
    status.wait_for(timeout=10_000)
    assert "progress-w-100" in status.locator(".progress-bar").get_attribute("class")
    screenshot(page, "dashboard-export-done-phone")
    with page.expect_download() as download_info:
        page.locator("#run-download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("dashboard-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    workbook = load_workbook(target)
    assert len(workbook.worksheets) == 4
    values = [v for s in workbook.worksheets for row in s.values for v in row if v is not None]
    assert 12 in values
    assert not any("Zichtbaar" in str(v) for v in values)


def test_landelijk_sees_national_figures_without_names_on_a_phone(phone_page, world):
    build_dashboard_world(world)
    page = phone_page
    login(page, world.users["landelijk"].email, PASSWORD)
    page.locator("#home-national").click()
    page.wait_for_url("**/rapportage/landelijk/")
    expect(page.locator('[data-metric="referred"]')).to_have_text("15")  # 13, rounded
    expect(page.locator('[data-metric="completed"]')).to_have_text("<5")
    expect(page.locator("#small-cells-note")).to_be_visible()
    content = page.content()
    for name in ("Zichtbaar", "Anderman", "Buitenaf", "ZORG-GEHEIM"):
        assert name not in content
    assert page.locator("a[href*='/deelnemers/']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "national-phone")
