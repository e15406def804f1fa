"""A participant on a phone: logs in, reads their goals, adds a reflection, withdraws the
employer's consent for the handelingswijzer, and the employer no longer sees it. And every
page of the plain view passes axe-core on a 375 px viewport (no serious or critical issue)."""

from pathlib import Path

import pytest
from django.urls import reverse

from leerroutes.models import Reflection
from participants.models import Consent
from tests.factories import PASSWORD
from tests.portal.conftest import GOAL_TEXT, HW_TEXT, make_deelnemer, plant_route

from .conftest import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PLAIN_VIEW = ["portal:home", "portal:goals", "portal:evaluations", "portal:results",
              "portal:privacy", "portal:dossier"]  # fmt: skip


@pytest.fixture
def daan(world):
    planted = plant_route(world)
    make_deelnemer(world)
    return planted


def _employer_sees_handelingswijzer(chromium, live_server, world) -> bool:
    context = chromium.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, world.users["employer"].email, PASSWORD)
    page.goto(live_server.url + reverse("employers:workplace_trainee", args=[world.participant.pk]))
    text = page.locator("main").inner_text()
    context.close()
    assert world.participant.last_name in text  # the trainee's page itself did open
    return HW_TEXT in text


def test_participant_reflects_and_withdraws_consent_on_a_phone(
    phone_page, chromium, live_server, world, daan
):
    assert _employer_sees_handelingswijzer(chromium, live_server, world)
    page = phone_page
    login(page, "daan@example.test", PASSWORD)
    assert page.url.endswith(reverse("portal:home"))
    assert page.locator("#goal-progress").is_visible()
    screenshot(page, "portal-phone-home")

    page.locator("#tab-goals").click()
    page.wait_for_load_state()
    goal = page.locator(f"#goal-{daan.goal.pk}")
    assert GOAL_TEXT in goal.inner_text()
    goal.locator("summary").click()
    goal.locator(f"textarea[name='goal-{daan.goal.pk}-text']").fill(
        "Ik ben twee keer te laat geweest. Ik zet nu twee wekkers."
    )
    goal.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "twee wekkers" in page.locator(f"#goal-{daan.goal.pk}").inner_text()
    assert Reflection.objects.get().goal_id == daan.goal.pk
    screenshot(page, "portal-phone")

    page.locator("#tab-privacy").click()
    page.wait_for_load_state()
    consent = Consent.objects.get(participant=world.participant, scope="handelingswijzer")
    page.once("dialog", lambda dialog: dialog.accept())  # "Stop this permission now?"
    page.locator(f"#withdraw-{consent.pk}").click()
    page.wait_for_load_state()
    assert page.locator(f"#withdraw-{consent.pk}").count() == 0
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    screenshot(page, "portal-phone-privacy")

    assert not _employer_sees_handelingswijzer(chromium, live_server, world)


def _axe_violations(page) -> list[dict]:
    # The strict CSP forbids inline scripts, so axe is evaluated through the DevTools protocol
    # (page.evaluate), which CSP does not govern; then we check that it really loaded.
    page.evaluate(AXE.read_text())
    assert page.evaluate("() => typeof window.axe && window.axe.version") == "4.14.1"
    return page.evaluate(
        """async () => {
            const r = await window.axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                           html: v.nodes[0] && v.nodes[0].html}));
        }"""
    )


def test_plain_view_passes_axe_on_a_phone(phone_page, world, daan):
    page = phone_page
    login(page, "daan@example.test", PASSWORD)
    problems = {}
    for name in PLAIN_VIEW:
        page.goto(page.base_url + reverse(name))
        serious = [v for v in _axe_violations(page) if v["impact"] in ("serious", "critical")]
        if serious:
            problems[name] = serious
    assert not problems, problems
