"""Every page reachable from each persona's start page, on a 375 px phone (issue 17):

* no page scrolls sideways (the document is never wider than the screen: a wide table or tab
  bar scrolls inside itself);
* axe-core finds no serious or critical violation (each kind of page checked once, by the
  first persona that reaches it);
* every page answers 200 and writes nothing to the console (a CSP violation would);
* the same in English (width only, each kind of page once): longer or shorter words must not
  break a page either.

The crawl follows the links a user can tap (GET only), from the start page, over the demo
academy (load_demo), so it sees the pages as a newcomer does with realistic data. One page
per URL name and persona: a second participant page is the same template with other data.
"""

from __future__ import annotations

from collections import deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from demo.accounts import DEMO_PASSWORD

from .conftest import PHONE, login
from .test_participant_portal_journey import _axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = [
    "coach@maatwerq.test",
    "regisseur@maatwerq.test",
    "projectleider@maatwerq.test",
    "werkgever@maatwerq.test",
    "beheerder@maatwerq.test",
    "landelijk@maatwerq.test",
    "deelnemer@maatwerq.test",
]
# Pages that are not pages: files, the way out, the language switch, the admin, allauth's
# account pages (their own templates; the login is checked by the journeys).
SKIP_PATHS = ("/accounts/", "/i18n/", "/admin/", "/static/")
SKIP_WORDS = (
    "export", "download", "pdf", "zip", "file", "feed", "ics", "logout", "bestand", "template",
)  # fmt: skip
MAX_PAGES_PER_PERSONA = 90


def _page_name(path: str) -> str | None:
    if path.startswith(SKIP_PATHS):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if any(word in name.lower() or word in path.lower() for word in SKIP_WORDS):
        return None
    return name


def _crawl(page, base: str, problems: list[str], axe_done: set[str], seen=None) -> int:
    """Visit the pages reachable from the start page; ``axe_done`` None: no axe check;
    ``seen`` shared between personas: each kind of page once in all."""
    queue, visited = deque(["/"]), 0
    seen = set() if seen is None else seen
    while queue and visited < MAX_PAGES_PER_PERSONA:
        path = queue.popleft()
        name = _page_name(urlsplit(path).path)
        if name is None or name in seen:
            continue
        seen.add(name)
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:  # a link to a file: the browser downloads it
            if "Download is starting" in str(error):
                continue
            raise
        visited += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status != 200:
            problems.append(f"{path} ({name}): HTTP {response.status}")
            continue
        # The width and the links in one round trip to the browser.
        width, hrefs = page.evaluate(
            "[document.documentElement.scrollWidth, [...document.querySelectorAll('a[href]')]"
            ".map(e => e.href)]"
        )
        if width > PHONE["width"]:
            problems.append(f"{path} ({name}): {width} px wide on a {PHONE['width']} px phone")
        if axe_done is not None and name not in axe_done:
            axe_done.add(name)
            for v in _axe_violations(page):
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{path} ({name}): axe {v['id']} x{v['nodes']}: {v['html']}")
        for href in hrefs:
            parts = urlsplit(urljoin(base + path, href))
            if f"{parts.scheme}://{parts.netloc}" == base and _page_name(parts.path) not in seen:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited


def test_every_page_fits_a_phone_and_passes_axe(chromium, live_server):
    call_command("load_demo", stdout=StringIO())
    problems: list[str] = []
    axe_done: set[str] = set()
    visited = {}
    for email in PERSONAS:
        context = chromium.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True)
        page = context.new_page()
        page.on(
            "console",
            lambda m, who=email: (
                problems.append(f"{who}: console {m.text}") if m.type == "error" else None
            ),
        )
        page.base_url = live_server.url
        login(page, email, DEMO_PASSWORD)
        visited[email] = _crawl(page, live_server.url, problems, axe_done)
        context.close()
    # The crawl really went round: every persona reached more than their start page.
    assert all(count > 1 for who, count in visited.items() if "(en)" not in who), visited
    assert sum(visited.values()) > 60, visited
    assert not problems, "\n".join(problems)
