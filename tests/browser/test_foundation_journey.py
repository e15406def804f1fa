"""A coach logs in on a phone and sees the Dutch start page with their caseload."""

import pytest

from tests.factories import PASSWORD

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_logs_in_on_phone_and_sees_dutch_start_page(phone_page, world):
    page = phone_page
    login(page, world.users["coach"].email, PASSWORD)

    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Fijn dat je er bent")
    body = page.locator("main").inner_text()
    assert "Mijn caseload: 1 deelnemer" in body
    assert "Daan Zichtbaar" in body
    # The other coach's trainee and any care note stay out of sight.
    assert "Anderman" not in body
    assert "ZORG-GEHEIM" not in page.content()
    # The menu collapses behind a toggler on a phone, and opens.
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("link", name="Deelnemers").wait_for()
    # No horizontal scrolling on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "coach-start-phone")


def test_wrong_password_gives_a_dutch_message_and_no_session(phone_page, world):
    page = phone_page
    login(page, world.users["coach"].email, "wrong-password-here")
    assert "/accounts/login/" in page.url
    assert "wachtwoord" in page.locator("main").inner_text().lower()
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url
