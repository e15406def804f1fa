"""The main menu marks the page one is on (issue 17: "the current page marked"), by more than
colour (aria-current, which the stylesheet underlines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from maatwerq.accounts.templatetags.navigation import MENU, current_menu_url

pytestmark = pytest.mark.django_db

NAV_ITEMS = Path(__file__).resolve().parents[1] / "templates" / "partials" / "nav_items.html"


@pytest.fixture
def world(module_world, db):
    return module_world


def _current(body: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', body)


def test_every_menu_link_is_known_to_the_marker():
    names = re.findall(r'{% nav_link "([^"]+)"', NAV_ITEMS.read_text())
    assert names
    assert sorted(names) == sorted(MENU)


def test_a_participants_page_marks_participants_in_the_menu(world, client_for):
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    body = client_for("coach").get(url).content.decode()
    assert _current(body) == [reverse("participants:participant_list")]


def test_the_start_page_marks_start_only(world, client_for):
    body = client_for("coach").get(reverse("home")).content.decode()
    assert _current(body) == [reverse("home")]


def test_of_two_menu_pages_above_the_current_one_the_nearer_is_marked():
    dashboard = reverse("reporting:dashboard")
    assert dashboard.startswith(reverse("reporting:index"))
    assert current_menu_url(dashboard + "groep/1/") == dashboard
    assert current_menu_url("/nergens/") == ""
