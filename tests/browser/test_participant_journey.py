"""A coach on a phone records an intake and moves a participant into the trial period."""

from datetime import date

import pytest

from participants import services
from participants.models import ReferralSource, RouteType, Status
from tests.factories import PASSWORD

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referred(world):
    return services.participant_create(
        academy=world.academy,
        person=services.PersonData(
            first_name="Sem", last_name="Aangemeld", date_of_birth=date(2006, 3, 4)
        ),
        referral=services.ReferralData(
            programme=world.programme,
            route_type=RouteType.GROUP,
            referral_date=date(2025, 6, 2),
            referral_source=ReferralSource.UWV,
        ),
        coach=world.users["coach"],
        by=world.users["regisseur"],
    )


def test_coach_records_intake_start_and_trial_on_a_phone(phone_page, world, referred):
    page = phone_page
    login(page, world.users["coach"].email, PASSWORD)
    page.goto(f"{page.base_url}/deelnemers/{referred.pk}/")
    assert page.locator("#participant-status").inner_text().strip() == "Aangemeld"

    page.locator('#next-steps a[href$="/intake/"]').click()
    page.fill("input[name=intake_date]", "2025-06-16")
    page.select_option("select[name=intake_outcome]", "toegelaten")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(str(referred.pk))
    assert page.locator("#participant-status").inner_text().strip() == "Intake"

    page.locator('#next-steps a[href$="/start/"]').click()
    page.fill("input[name=start_date]", "2025-09-01")
    page.select_option("select[name=cohort]", str(world.cohort.pk))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#participant-status").inner_text().strip() == "Gestart"

    page.locator('#next-steps a[href$="/proefperiode/"]').click()
    # A date before the start is refused at the field, the input kept.
    page.fill("input[name=trial_start_date]", "2025-08-01")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_trial_start_date_error").is_visible()
    assert page.input_value("input[name=trial_start_date]") == "2025-08-01"
    page.fill("input[name=trial_start_date]", "2025-09-08")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    # Issue 15: no trial period without a trial placement; the message names what is missing.
    assert (
        "Er is geen lopende proefplaatsing bij een werkgever."
        in page.locator("#id_employer_error").inner_text()
    )
    assert page.input_value("input[name=trial_start_date]") == "2025-09-08"
    page.select_option("select[name=employer]", str(world.employer_org.pk))
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#participant-status").inner_text().strip() == "Proefperiode"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "participant-trial-phone")

    referred.refresh_from_db()
    route = referred.current_route
    assert route.status == Status.PROEFPERIODE
    assert route.trial_start_date == date(2025, 9, 8)
    placement = referred.placements.get()
    assert (placement.employer, placement.start_date) == (world.employer_org, date(2025, 9, 8))
    assert [c.to_status for c in route.status_changes.order_by("created_at")] == [
        Status.AANGEMELD,
        Status.INTAKE,
        Status.GESTART,
        Status.PROEFPERIODE,
    ]
