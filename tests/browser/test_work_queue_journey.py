"""Each role on a phone starts on its start page and acts on the first item of its work queue
(issue 17): the coach logs progress for a trainee whose log went silent, the regisseur opens a
follow-up check and records it, the projectleider sets the staff available the forecast's
shortfall needs, the werkgever confirms a week's hours, the beheerder sends the open invitation
again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leerroutes.models import HoursWeek, ProgressEntry
from maatwerq.accounts.models import Invitation, Role
from participants.models import FollowUp
from reporting.models import ForecastSettings
from tests.factories import PASSWORD, FollowUpFactory

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_item(page, card: str):
    """Log in already done: the start page's first entry of one queue card, and its URL."""
    link = page.locator(f"[data-queue={card}] a.queue-item").first
    href = link.get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)
    return href


def test_coach_logs_progress_from_the_silent_card(phone_page, world):
    page = phone_page
    login(page, world.users["coach"].email, PASSWORD)
    assert "Mijn caseload: 1 deelnemer" in page.locator("main").inner_text()
    screenshot(page, "queue-coach-phone")
    first_item(page, "silent")  # Daan: no entry since his start
    page.locator("label[for=id_wellbeing_3]").click()  # the fourth face: "Goed"
    page.fill("textarea[name=text]", "Op de werf vandaag zelf de banden gelegd.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    page.locator("main").get_by_text("Op de werf vandaag zelf de banden gelegd.").last.wait_for()
    assert ProgressEntry.objects.filter(route=world.participant.current_route).count() == 1
    page.goto(page.base_url + "/")
    assert page.locator("[data-queue=silent]").count() == 0  # nothing silent any more


def test_regisseur_records_the_first_follow_up_check(phone_page, world):
    today = timezone.localdate()
    FollowUpFactory(
        route=world.participant.current_route,
        due_on=today - timedelta(days=30),
        listed_for_coach_on=today - timedelta(days=30),
    )
    page = phone_page
    login(page, world.users["regisseur"].email, PASSWORD)
    screenshot(page, "queue-regisseur-phone")
    first_item(page, "follow_ups")
    page.fill("input[name=done_on]", today.isoformat())
    page.select_option("select[name=situation]", "werk")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert FollowUp.objects.get().done_on == today
    page.goto(page.base_url + "/")
    assert page.locator("[data-queue=follow_ups]").count() == 0


def test_projectleider_sets_the_staff_the_forecast_needs(phone_page, world):
    """BinQ has no staff available set: the staff card's first item leads to where it is set;
    once set, the forecast page says it and the card no longer asks for it."""
    page = phone_page
    login(page, world.users["projectleider"].email, PASSWORD)
    screenshot(page, "queue-projectleider-phone")
    assert "niet ingevuld" in page.locator("[data-queue=staff_shortfall]").inner_text()
    first_item(page, "staff_shortfall")
    page.fill("input[name=staff_available]", "1")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert ForecastSettings.objects.get(programme=world.programme).staff_available == 1
    assert "Beschikbaar personeel per dagdeel: 1." in page.locator("#staff-available").inner_text()
    page.goto(page.base_url + "/")
    card = page.locator("[data-queue=staff_shortfall]")
    assert card.count() == 0 or "niet ingevuld" not in card.inner_text()


def test_werkgever_confirms_the_first_week_to_confirm(phone_page, world):
    page = phone_page
    login(page, world.users["employer"].email, PASSWORD)
    screenshot(page, "queue-werkgever-phone")
    hours_card = page.locator("[data-queue=hours]").inner_text()
    assert "8 weken" in hours_card  # the placement ran every one of the last eight weeks
    first_item(page, "hours")
    # The confirmation page holds the last weeks at once (issue 17 item 4): fill last week's.
    today = timezone.localdate()
    last_monday = today - timedelta(days=today.weekday() + 7)
    page.locator(f"input[name=hours_{last_monday.isoformat()}]").fill("24")
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert HoursWeek.objects.get(route=world.participant.current_route).confirmed_at
    page.goto(page.base_url + "/")
    assert "7 weken" in page.locator("[data-queue=hours]").inner_text()


def test_beheerder_sends_the_open_invitation_again(phone_page, world):
    invitation = Invitation.objects.create(
        academy=world.academy,
        email="nieuwe.coach@example.test",
        role=Role.COACH,
        token_hash="y" * 64,
        invited_by=world.users["beheerder"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    page = phone_page
    login(page, world.users["beheerder"].email, PASSWORD)
    screenshot(page, "queue-beheerder-phone")
    first_item(page, "invitations")
    item = page.locator(f"#invitation-{invitation.pk}")
    assert "nieuwe.coach@example.test" in item.inner_text()
    item.get_by_role("button", name="Opnieuw sturen").click()
    page.wait_for_load_state()
    assert "opnieuw gestuurd naar nieuwe.coach@example.test" in page.locator("main").inner_text()
    invitation.refresh_from_db()
    assert invitation.token_hash != "y" * 64  # a new link; the old one stops working
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
