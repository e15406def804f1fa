"""A coach logs a morning without signal (issue 20): the caseload and the trainee's log open
offline as last seen, two entries and two goal statuses wait on the phone as "nog niet
verstuurd" (also after a reload), and when the signal returns they arrive once each; a goal
the regisseur changed meanwhile is not overwritten: the coach sees both and chooses. Logging
out asks first while something waits, and wipes the kept pages. What waits outlives the
session and goes after the next login."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from leerroutes import services
from leerroutes.models import Goal, GoalStatus, GoalStatusChange, ProgressEntry
from maatwerq.audit.models import Action, AuditEvent
from tests.factories import PASSWORD

from .conftest import login, plan_two_goals, screenshot

# alone: it once failed while the machine was busy (the service worker's install races the
# clock), so it does not share the machine with the other journeys (Makefile, pytest).
pytestmark = [pytest.mark.browser, pytest.mark.alone, pytest.mark.django_db(transaction=True)]

FIRST = "Half acht op de bouwplaats, zelf de banden gesteld."
SECOND = "Na de pauze de trottoirband recht gelegd, trots."


@pytest.fixture
def trainee(world):
    return plan_two_goals(world)


def _until(page, expression: str, seconds: float = 15) -> None:
    """Wait until ``expression`` is true in the page. Playwright's wait_for_function evaluates
    a string in a way the CSP (no 'unsafe-eval') refuses; evaluate does not."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _online_with_worker(page, world):
    """Logged in as the coach, with the service worker in charge of the pages."""
    login(page, world.users["coach"].email, PASSWORD)
    _until(page, "navigator.serviceWorker.controller !== null")


def _add_entry(page, face_index: int, text: str) -> None:
    page.locator(f"label[for=id_wellbeing_{face_index}]").click()
    page.fill("textarea[name=text]", text)
    page.get_by_role("button", name="Notitie toevoegen").click()


def _set_goal(page, goal: Goal, label: str) -> None:
    form = page.locator(f"#goal-status-{goal.pk}")
    form.locator("select[name=to_status]").select_option(label=label)
    form.get_by_role("button", name="Opslaan").click()


def test_coach_logs_a_morning_without_signal(phone_page, world, trainee):
    page = phone_page
    on_time, paving = Goal.objects.filter(route=trainee.current_route).order_by("order", "pk")
    _online_with_worker(page, world)
    caseload_url = page.base_url + "/leerroutes/caseload/"
    log_url = page.base_url + f"/leerroutes/{trainee.pk}/log/"
    page.goto(caseload_url)
    page.goto(log_url)
    assert page.locator("#entries article").count() == 0

    page.context.set_offline(True)
    _add_entry(page, 3, FIRST)
    _add_entry(page, 1, SECOND)
    _set_goal(page, on_time, "Behaald")
    _set_goal(page, paving, "Bezig")
    pending = page.locator("#offline-pending article")
    pending.nth(3).wait_for()
    assert pending.count() == 4
    assert page.locator("#offline-pending .badge", has_text="nog niet verstuurd").count() == 4
    assert page.locator("#entry-form [data-offline-queued]").is_visible()
    assert not ProgressEntry.objects.exists()

    # Meanwhile, at the office: the regisseur sets the paving goal to "dropped", and an entry
    # arrives that this phone has not seen.
    services.goal_status_change(
        participant=trainee,
        goal=paving,
        to_status=GoalStatus.DROPPED,
        on=timezone.localdate(),
        note="Besproken met de leermeester",
        by=world.users["regisseur"],
    )
    services.progress_entry_add(
        participant=trainee,
        on=timezone.localdate(),
        text="Op kantoor genoteerd",
        wellbeing=3,
        by=world.users["regisseur"],
    )

    # Still no signal: the pages open as last seen, what waits is still there.
    page.reload()
    pending.nth(3).wait_for()
    assert pending.count() == 4
    assert "Op kantoor genoteerd" not in page.locator("main").inner_text()
    page.goto(caseload_url)
    assert trainee.last_name in page.locator(".caseload-list").inner_text()
    _until(page, "document.querySelector('[data-offline-count]').textContent === '4'")
    page.locator("#offline-limits summary").click()
    _until(
        page, "!document.querySelector('[data-offline-storage]').textContent.includes('onbekend')"
    )
    assert "MB van de" in page.locator("[data-offline-storage]").inner_text()
    screenshot(page, "offline-caseload-limits-phone")
    page.goto(log_url)
    pending.nth(3).wait_for()

    # The signal returns: everything goes once; the paving goal waits for the coach's choice.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    conflict = page.locator(".offline-choice")
    conflict.wait_for()
    _until(page, "document.querySelectorAll('#offline-pending article').length === 1")
    assert "Vervallen" in conflict.inner_text()
    assert "Bezig" in conflict.inner_text()
    paving.refresh_from_db()
    assert paving.status == GoalStatus.DROPPED
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    screenshot(page, "offline-log-conflict-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    conflict.get_by_role("button", name="Mijn keuze houden").click()
    _until(page, "document.querySelectorAll('#offline-pending article').length === 0")
    assert [ProgressEntry.objects.filter(text=t).count() for t in (FIRST, SECOND)] == [1, 1]
    on_time.refresh_from_db()
    paving.refresh_from_db()
    assert (on_time.status, paving.status) == (GoalStatus.REACHED, GoalStatus.IN_PROGRESS)
    assert GoalStatusChange.objects.filter(client_uuid__isnull=False).count() == 2
    first = ProgressEntry.objects.get(text=FIRST)
    assert first.wellbeing == 4
    assert first.made_at is not None
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(first.pk))
    assert {"made_at", "arrived_at", "client_uuid"} <= set(event.detail)

    # Online again, the log shows each entry once.
    page.reload()
    body = page.locator("#entries").inner_text()
    assert (body.count(FIRST), body.count(SECOND)) == (1, 1)
    assert page.locator("#offline-pending article").count() == 0


def test_logout_asks_while_something_waits_and_wipes_the_kept_pages(phone_page, world, trainee):
    page = phone_page
    _online_with_worker(page, world)
    log_url = page.base_url + f"/leerroutes/{trainee.pk}/log/"
    page.goto(log_url)
    kept = f"c => c.match('{log_url}', {{ignoreVary: true}})"
    _until(page, f"caches.open('maatwerq-pages').then({kept}).then(r => !!r)")

    page.context.set_offline(True)
    _add_entry(page, 2, FIRST)
    page.locator("#offline-pending article").first.wait_for()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(".navbar-toggler").click()
    page.locator("#mainnav .dropdown-toggle").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_timeout(300)
    assert len(asked) == 1
    assert "1 wijzigingen" in asked[0]
    assert page.url == log_url  # still logged in, nothing dropped

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _until(page, "document.querySelectorAll('#offline-pending article').length === 0")
    assert ProgressEntry.objects.filter(text=FIRST).count() == 1

    page.locator("#mainnav .dropdown-toggle").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/**")
    assert not page.evaluate("caches.keys().then(keys => keys.includes('maatwerq-pages'))")
    page.context.set_offline(True)
    try:
        page.goto(log_url)
        shown = page.content()
    except PlaywrightError:  # no page at all offline is the expected outcome too
        shown = ""
    assert trainee.last_name not in shown
    assert FIRST not in shown


def test_what_waits_outlives_the_session_and_goes_after_the_next_login(phone_page, world, trainee):
    """A morning is longer than the hour a session lasts: what waits is kept, marked, and sent
    once the coach has logged in again."""
    page = phone_page
    _online_with_worker(page, world)
    log_url = page.base_url + f"/leerroutes/{trainee.pk}/log/"
    page.goto(log_url)
    page.context.set_offline(True)
    _add_entry(page, 4, FIRST)
    page.locator("#offline-pending article").first.wait_for()

    Session.objects.all().delete()  # the session ended while the phone had no signal
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#offline-pending", has_text="Log opnieuw in om dit te versturen").wait_for()
    assert not ProgressEntry.objects.exists()

    login(page, world.users["coach"].email, PASSWORD)
    page.goto(log_url)
    _until(page, "document.querySelectorAll('#offline-pending article').length === 0")
    assert ProgressEntry.objects.filter(text=FIRST).count() == 1
