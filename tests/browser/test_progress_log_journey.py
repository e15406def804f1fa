"""A coach on a phone opens a trainee's progress log from the caseload, adds an entry with a
well-being face, and sees it appear at the top without a page reload."""

from datetime import date

import pytest

from leerroutes import services
from leerroutes.models import ProgressEntry
from tests.factories import PASSWORD

from .conftest import login, plan_two_goals, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainee(world):
    participant = plan_two_goals(world)
    services.progress_entry_add(
        participant=participant,
        on=date(2025, 10, 1),
        text="Eerste week: rustig begonnen, goed geluisterd naar de leermeester.",
        wellbeing=3,
        by=world.users["coach"],
    )
    return participant


def test_coach_adds_a_progress_entry_without_leaving_the_page(phone_page, world, trainee):
    page = phone_page
    login(page, world.users["coach"].email, PASSWORD)
    page.get_by_role("link", name="Mijn caseload openen").click()
    page.wait_for_load_state()
    assert "Anderman" not in page.locator("main").inner_text()
    page.locator(".caseload-list").get_by_role("link", name="Voortgang noteren").first.click()
    page.wait_for_load_state()
    log_url = page.url
    assert log_url.endswith(f"/leerroutes/{trainee.pk}/log/")

    # A marker that a full page load would wipe out.
    page.evaluate("window.__journeyMarker = 'still-here'")
    page.locator("label[for=id_wellbeing_3]").click()  # the fourth face: "Goed"
    page.fill("textarea[name=text]", "Zelf de banden gesteld, netjes gewerkt. Trots!")
    page.locator("#entry-form").get_by_text("Elke dag om 7.00 uur op de bouwplaats").click()
    page.fill("input[name=hours_present]", "7.5")
    page.get_by_role("button", name="Notitie toevoegen").click()

    first_entry = page.locator("#entries article").first
    first_entry.get_by_text("Zelf de banden gesteld").wait_for()
    assert page.url == log_url
    assert page.evaluate("window.__journeyMarker") == "still-here"
    assert page.locator("#entries article").count() == 2
    assert "face-4" in first_entry.locator("svg").get_attribute("class")
    # The form came back fresh, with a confirmation, ready for the next entry.
    assert page.locator("textarea[name=text]").input_value() == ""
    assert page.locator("#entry-form [role=status]").is_visible()

    entry = ProgressEntry.objects.get(text__startswith="Zelf de banden")
    assert entry.wellbeing == 4
    assert [g.description for g in entry.goals.all()] == ["Elke dag om 7.00 uur op de bouwplaats"]
    # No horizontal scrolling on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Nothing focused: Playwright hides a text caret with an injected style, which the CSP blocks.
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    screenshot(page, "progress-log-phone")
