"""Each role on a phone starts on its start page and acts on the first item of its work queue
(issue 17): the coach logs progress for a trainee whose log went silent, the regisseur opens a
follow-up check and records it, the projectleider opens a group under its planned size, the
werkgever confirms a week's hours, the beheerder opens the open invitation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leerroutes.models import HoursWeek, ProgressEntry
from maatwerq.accounts.models import Invitation, Role
from participants.models import FollowUp
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


def test_projectleider_opens_the_group_under_its_planned_size(phone_page, world):
    page = phone_page
    login(page, world.users["projectleider"].email, PASSWORD)
    screenshot(page, "queue-projectleider-phone")
    href = first_item(page, "groups_small")
    assert href.endswith(f"?cohort={world.cohort.pk}")
    body = page.locator("main").inner_text()
    assert "Zichtbaar" in body
    assert "Anderman" in body


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


def test_beheerder_opens_the_open_invitation(phone_page, world):
    Invitation.objects.create(
        academy=world.academy,
        email="nieuwe.coach@example.test",
        role=Role.COACH,
        token_hash="y" * 64,
        invited_by=world.users["beheerder"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    page = phone_page
    login(page, world.users["beheerder"].email, PASSWORD)
    screenshot(page, "queue-beheerder-phone")
    first_item(page, "invitations")
    assert "nieuwe.coach@example.test" in page.locator("main").inner_text()
