"""A projectleider on a phone opens the intake forecast, exports it to Excel, watches the bar
reach done and downloads the workbook."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_projectleider_exports_the_forecast_on_a_phone(phone_page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    page = phone_page
    login(page, world.users["projectleider"].email, PASSWORD)

    page.goto(
        f"{page.base_url}/rapportage/prognose/?programme={world.programme.pk}"
        "&first=2025-09&last=2027-09"
    )
    table = page.locator("#forecast-table")
    table.wait_for()
    assert "Groep 27" in table.inner_text()
    total_planned = page.locator('tbody.total-block tr[data-line="planned"] td')
    assert total_planned.all_inner_texts() == ["12", "12", "12", "12", "0"]
    # The table scrolls inside its box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "Zichtbaar" not in page.content()
    screenshot(page, "forecast-phone")

    page.locator("#forecast-export button").click()
    page.wait_for_url("**/rapportage/exports/*/")
    status = page.locator("#run-status[data-status=done]")
    status.wait_for(timeout=10_000)
    assert "progress-w-100" in status.locator(".progress-bar").get_attribute("class")
    assert page.locator(".progress").get_attribute("aria-valuenow") == "100"
    screenshot(page, "forecast-export-done-phone")

    with page.expect_download() as download_info:
        page.locator("#run-download").click()
    download = download_info.value
    assert download.suggested_filename == "prognose-binq-2025-09-2027-09.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    workbook = load_workbook(target)
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[2]] == ["Groep 27", 12, 12, 12, 12, 0]


def test_what_if_planner_follows_edits_and_marks_the_bad_row(phone_page, world):
    page = phone_page
    login(page, world.users["regisseur"].email, PASSWORD)
    page.goto(f"{page.base_url}/rapportage/prognose/planner/?programme={world.programme.pk}")
    assert page.locator("#group-0").input_value() == "Groep 27"

    # A new row through the browser, then a bad size on the existing one.
    page.locator("[data-planner-add]").click()
    page.fill("#group-1", "Groep 28")
    page.fill("#start-1", "2026-09")
    page.fill("#size-1", "10")
    page.fill("#duration-1", "4")
    page.locator("#duration-1").dispatch_event("change")
    expect(page.locator("#planner-table")).to_contain_text("Groep 28")

    page.fill("#size-0", "-5")
    page.locator("#size-0").dispatch_event("change")
    expect(page.locator("#row-msg-0")).to_have_text(
        "De omvang moet een heel getal zijn van 1 tot en met 999."
    )
    table = page.locator("#planner-table")
    expect(table).not_to_contain_text("Groep 27")
    expect(table).to_contain_text("Groep 28")
    assert page.locator("#group-0").input_value() == "Groep 27"  # the form keeps what was typed
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "planner-phone")

    page.locator("[data-planner-row]:has(#group-0) [data-planner-remove]").click()
    expect(page.locator("#group-0")).to_be_hidden()
    expect(page.locator("#group-0")).to_be_disabled()  # no longer sent
    expect(table).to_contain_text("Groep 28")
