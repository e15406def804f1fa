"""Issue 15 item 6, the goal parts: the status form opens on the goal's own status (saving it
unchanged never moves a goal in progress back to "open"), and a goal's title is never cut in
the middle of a word in tags and form choices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leerroutes.forms import ProgressEntryForm
from leerroutes.models import Goal, GoalStatus, GoalStatusChange
from tests.factories import GoalFactory, PlanFactory, ProgressEntryFactory

from .test_views import body

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Zelfstandig een stoep van tien meter bestraten volgens de bouwtekening, inclusief het "
    "uitzetten van de banden en het afwerken van de randen met de trilplaat"
)
OLD_CUT = LONG_TITLE[:60]  # what the title used to be: "... volgens de bo"


@pytest.fixture
def goal(route):
    plan = PlanFactory(route=route.route)
    return GoalFactory(created_in=plan, description=LONG_TITLE, status=GoalStatus.IN_PROGRESS)


def selected_status(html: str) -> str:
    select = re.search(r'<select name="to_status".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\w+)"[^>]*\sselected', select).group(1)


def test_status_form_opens_on_the_goals_current_status(route, goal, client_for):
    address = reverse("leerroutes:goal_status", args=[route.participant.pk, goal.pk])
    client = client_for("coach")
    assert selected_status(body(client.get(address))) == GoalStatus.IN_PROGRESS
    # Saved as it opened: refused with a message, the goal stays in progress.
    response = client.post(address, {"to_status": "bezig", "on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "heeft deze status al" in body(response)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.IN_PROGRESS
    assert not GoalStatusChange.objects.exists()


def test_goal_titles_are_never_cut_mid_word(route, goal):
    title = str(goal)
    assert title.endswith("…")
    kept = title.removesuffix("…").split()
    assert kept == LONG_TITLE.split()[: len(kept)]  # whole words only
    assert title != OLD_CUT
    form = ProgressEntryForm(goals=Goal.objects.filter(pk=goal.pk))
    labels = [label for _value, label in form.fields["goals"].choices]
    assert labels == [title]


def test_progress_log_tags_show_whole_words(route, goal, client_for):
    entry = ProgressEntryFactory(route=route.route, text="Banden gezet")
    entry.goals.add(goal)
    address = reverse("leerroutes:progress_log", args=[route.participant.pk])
    html = body(client_for("coach").get(address))
    assert str(goal) in html
    assert f"{OLD_CUT}<" not in html  # the old cut, mid-word
    assert "bouwtekening" in str(goal)
