"""Playwright on Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

Browser tests run against pytest-django's live server, on a phone-sized viewport by default.
Playwright's sync API runs an event loop in this thread, so Django's async-safety guard is
relaxed for these tests only.

While that loop runs, Django keeps this thread's database connections apart (asgiref's Local
holds them per context when a loop is running): a connection opened then is not the one the
session closes at its end, and a test database with a connection still open cannot be
dropped ("database ... is being accessed by other users"). So Chromium lives for this package
only, and the connections opened meanwhile are closed before its loop stops.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from leerroutes import services

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="package")
def chromium():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()  # those of the loop's context: see the docstring
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def phone_page(chromium, live_server):
    """A fresh page on a 375 px wide viewport; console errors and CSP violations fail the test."""
    context = chromium.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.base_url = live_server.url
    yield page
    context.close()
    assert not problems, f"browser console errors: {problems}"


def login(page, email: str, password: str) -> None:
    """Log in through allauth's own form at /accounts/login/ (fields login and password)."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def plan_two_goals(world):
    """Daan's signed plan with two goals (a support goal, a work goal), by the regisseur."""
    participant = world.participant
    domains = services.life_domains_ensure(academy=world.academy)
    services.phases_ensure(programme=world.programme)
    services.plan_save(
        participant=participant,
        based_on=0,
        plan_date=date(2025, 9, 1),
        perspective="Vaste baan als straatmaker",
        support_plan="Coach twee keer per week op de bouwplaats",
        goals=[
            services.GoalData(
                description="Elke dag om 7.00 uur op de bouwplaats",
                target_date=date(2026, 3, 1),
                domain=domains[2],
            ),
            services.GoalData(
                description="Zelfstandig een trottoir bestraten",
                target_date=date(2026, 6, 1),
                domain=domains[0],
            ),
        ],
        by=world.users["regisseur"],
    )
    return participant
