"""A projectleider on a phone opens the results, goes to the reports for funders, picks a
kind (the ESF+ indicators: the kinds with BSNs are the regisseur's), a project and a period,
sees its fields, has the file made, watches the bar reach done and downloads it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_projectleider_runs_a_funder_report_on_a_phone(phone_page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    page = phone_page
    login(page, world.users["projectleider"].email, PASSWORD)

    page.goto(f"{page.base_url}/rapportage/resultaten/")
    page.locator("#funder-reports-link").click()
    page.wait_for_url("**/rapportage/financiers/")
    kinds = page.locator("#id_report option").all_inner_texts()
    assert kinds == ["ESF+-indicatoren"]  # no kind with BSNs for the projectleider
    page.select_option("#id_report", "esf")
    page.select_option("#id_programme", str(world.programme.pk))
    page.fill("#id_start_from", "2025-01-01")
    page.fill("#id_start_to", "2025-12-31")
    page.locator("#funder-report-form button[type=submit]").click()
    report = page.locator('#funder-report[data-report="esf"]')
    expect(report).to_contain_text("Mannen")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "funder-report-phone")

    page.locator("#funder-report-run button").click()
    page.wait_for_url("**/rapportage/exports/*/")
    page.locator("#run-status[data-status=done]").wait_for(timeout=10_000)
    with page.expect_download() as download_info:
        page.locator("#run-download").click()
    download = download_info.value
    assert download.suggested_filename == "esf-indicatoren-binq-2025-01-01-2025-12-31.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(load_workbook(target).worksheets[0].values)
    assert rows[0][0].startswith("BinQ")
    assert rows[1] == ("Indicator", "Mannen", "Vrouwen", "Totaal")
    assert "Zichtbaar" not in " ".join(str(v) for row in rows for v in row if v)
