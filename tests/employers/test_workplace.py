"""The employer's workplace pages: what an employer and a leermeester can reach, and what
never leaks.

The leak test plants care notes, analysis text, a BSN, network contacts, a Wajong funding
stream, arrangements, another employer's trainee and more around the employer's own trainee,
then crawls every page, export and file reachable from the start page inside /werkgever/ and
asserts none of it appears.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerroutes.models import Evaluation, HoursWeek, LeermeesterAssessment
from participants.models import ConsentScope

from ..conftest import module_data
from ..factories import (
    ConsentFactory,
    GoalFactory,
    HoursWeekFactory,
    PlacementFactory,
    PlanFactory,
    participant_in,
)
from .conftest import GOAL_TEXT, HW_TEXT, SECRETS, Planted, client_as, plant

pytestmark = pytest.mark.django_db

PORTAL = "/werkgever/"


# Daan's planted secrets, built once for the module (tests/conftest.py, module_data): each
# test reads them, or writes what its savepoint undoes.
_shared = module_data(lambda world: plant(world, timezone.localdate()))


def _fresh(obj):
    """Read afresh for each test: a test may change the object (a placement's end, say)."""
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def world(_shared, db):
    return replace(_shared[0], participant=_fresh(_shared[0].participant))


@pytest.fixture
def planted(_shared, db) -> Planted:
    built = _shared[1]
    return Planted(_fresh(built.participant), _fresh(built.placement), _fresh(built.goal))


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "action"} and value:
                self.hrefs.append(value)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def crawl(client, start: str = "/") -> dict[str, str]:
    """Every page and file reachable from ``start`` by links inside /werkgever/ (GET only),
    as text: HTML as is, Excel files as their cell values."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            body = response.content.decode()
            for href in _links(body):
                parts = urlsplit(href)
                if parts.netloc or not parts.path.startswith(PORTAL):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        else:
            body = _xlsx_text(response.content)
        seen[url] = body
    return seen


def _assert_nothing_leaks(pages: dict[str, str]) -> None:
    for url, body in pages.items():
        lowered = body.lower()
        for secret in SECRETS:
            assert secret.lower() not in lowered, (secret, url)


@pytest.mark.parametrize("who", ["employer", "leermeester"])
def test_workplace_leaks_nothing_to_employer_or_leermeester(who, world, planted, leermeester):
    user = leermeester if who == "leermeester" else world.users["employer"]
    pages = crawl(client_as(user))
    trainee_url = reverse("employers:workplace_trainee", args=[planted.participant.pk])
    # The crawl reached every kind of page: list, trainee, both forms, SROI and its export.
    assert reverse("employers:workplace_home") in pages
    assert trainee_url in pages
    assert reverse("employers:workplace_hours", args=[planted.participant.pk]) in pages
    assert reverse("employers:workplace_assessment", args=[planted.participant.pk]) in pages
    assert reverse("employers:workplace_sroi") in pages
    assert any(url.startswith(reverse("employers:workplace_sroi_export")) for url in pages)
    _assert_nothing_leaks(pages)
    # What the employer may see is there.
    trainee_page = pages[trainee_url]
    assert "Zichtbaar" in trainee_page
    assert "VCA Basis" in trainee_page
    assert "EIGEN-BEOORDELING" in trainee_page
    assert "Werf Raalte" in trainee_page
    # No consent was given: goal status but not its text, and no handelingswijzer.
    assert "goal-status-bezig" in trainee_page
    assert GOAL_TEXT not in trainee_page
    assert HW_TEXT not in trainee_page


def test_other_employers_trainee_is_404_and_reveals_nothing(world, planted, client_for):
    for name in ("workplace_trainee", "workplace_hours", "workplace_assessment"):
        url = reverse(f"employers:{name}", args=[world.other_participant.pk])
        response = client_for("employer").get(url)
        assert response.status_code == 404
        assert "Anderman" not in response.content.decode()


def test_ended_placement_trainee_is_gone_from_the_workplace(world, planted, client_for, today):
    planted.placement.end_date = today - timedelta(days=1)
    planted.placement.save()
    client = client_for("employer")
    assert "Zichtbaar" not in client.get(reverse("employers:workplace_home")).content.decode()
    url = reverse("employers:workplace_trainee", args=[planted.participant.pk])
    assert client.get(url).status_code == 404


def test_goal_text_follows_the_work_status_consent(world, planted, client_for, today):
    client = client_for("employer")
    url = reverse("employers:workplace_trainee", args=[planted.participant.pk])
    assert GOAL_TEXT not in client.get(url).content.decode()
    consent = ConsentFactory(
        participant=planted.participant,
        scope=ConsentScope.EMPLOYER_WORK_STATUS,
        given_on=today - timedelta(days=10),
    )
    body = client.get(url).content.decode()
    assert GOAL_TEXT in body
    consent.withdrawn_on = today
    consent.save()
    body = client.get(url).content.decode()
    assert GOAL_TEXT not in body
    assert "goal-status-bezig" in body  # the status stays visible


def test_handelingswijzer_follows_its_own_consent(world, planted, client_for, today):
    client = client_for("employer")
    url = reverse("employers:workplace_trainee", args=[planted.participant.pk])
    # The work-status consent does not open the handelingswijzer.
    ConsentFactory(
        participant=planted.participant,
        scope=ConsentScope.EMPLOYER_WORK_STATUS,
        given_on=today - timedelta(days=10),
    )
    assert HW_TEXT not in client.get(url).content.decode()
    consent = ConsentFactory(
        participant=planted.participant,
        scope=ConsentScope.HANDELINGSWIJZER,
        given_on=today - timedelta(days=10),
    )
    assert HW_TEXT in client.get(url).content.decode()
    consent.withdrawn_on = today
    consent.save()
    assert HW_TEXT not in client.get(url).content.decode()


def test_werkgever_start_page_points_into_the_workplace(world, planted, client_for):
    body = client_for("employer").get("/").content.decode()
    assert reverse("employers:workplace_home") in body
    assert reverse("employers:workplace_trainee", args=[planted.participant.pk]) in body
    staff_page = reverse("participants:participant_detail", args=[planted.participant.pk])
    assert f'href="{staff_page}"' not in body


# --- the leermeester's actions ---------------------------------------------------------------


def _monday(today, weeks_ago: int):
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def _field(monday) -> str:
    return f"hours_{monday.isoformat()}"


def _row(body: str, monday) -> str:
    """The <li> of one week on the hours page (its opening tag included)."""
    before, after = body.split(f'id="week-{monday.isoformat()}"')
    return before.rsplit("<li", 1)[1] + after.split("</li>")[0]


def _has_value(body: str, name: str, value: str) -> bool:
    before, after = body.split(f'name="{name}"')
    return f'value="{value}"' in before.rsplit("<input", 1)[1] + after.split(">")[0]


def test_hours_page_prefills_logged_hours_and_shows_missing_weeks(
    world, planted, leermeester, today
):
    # planted: 24 h logged last week; the placement runs since 2025, so the page shows the
    # last eight weeks: this one, last week (logged) and six finished weeks nobody logged.
    url = reverse("employers:workplace_hours", args=[planted.participant.pk])
    body = client_as(leermeester).get(url).content.decode()
    assert _has_value(body, _field(_monday(today, 1)), "24.0")
    assert "hours-missing" not in _row(body, _monday(today, 1))
    assert "hours-missing" not in _row(body, _monday(today, 0))  # still running: not missing
    for weeks_ago in range(2, 8):
        row = _row(body, _monday(today, weeks_ago))
        assert "hours-missing" in row
        assert "ontbreekt" in row
    assert body.count('class="hours-row') == 8
    # The trainee page shows the same missing weeks.
    trainee = client_as(leermeester).get(
        reverse("employers:workplace_trainee", args=[planted.participant.pk])
    )
    assert trainee.content.decode().count(" hours-missing") == 6


def test_leermeester_confirms_several_weeks_at_once(world, planted, leermeester, today):
    last, two_ago, three_ago = _monday(today, 1), _monday(today, 2), _monday(today, 3)
    url = reverse("employers:workplace_hours", args=[planted.participant.pk])
    response = client_as(leermeester).post(
        url, {_field(last): "26.5", _field(two_ago): "30", _field(three_ago): ""}
    )
    assert response.status_code == 302
    route = planted.participant.current_route
    weeks = {w.week_start: w for w in HoursWeek.objects.filter(route=route)}
    assert set(weeks) == {last, two_ago}  # the empty week was skipped
    assert weeks[last].practice_hours == Decimal("26.5")
    assert weeks[last].theory_hours == 8  # the coach's theory hours stay
    assert weeks[two_ago].practice_hours == 30  # a missing week filled in
    assert all(w.confirmed_by == leermeester and w.confirmed_at for w in weeks.values())


def test_hours_over_40_are_refused_beside_their_week_and_nothing_is_saved(
    world, planted, leermeester, today
):
    last, two_ago = _monday(today, 1), _monday(today, 2)
    url = reverse("employers:workplace_hours", args=[planted.participant.pk])
    before = list(HoursWeek.objects.values_list("pk", "practice_hours", "confirmed_at"))
    response = client_as(leermeester).post(url, {_field(last): "20", _field(two_ago): "41"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{_field(two_ago)}_error"' in body
    assert f'id="id_{_field(last)}_error"' not in body
    assert _has_value(body, _field(two_ago), "41")  # the input is kept
    # All or nothing: the valid week was not confirmed either.
    assert list(HoursWeek.objects.values_list("pk", "practice_hours", "confirmed_at")) == before


@pytest.mark.parametrize(("days_left", "flagged"), [(10, True), (20, False)])
def test_trial_ending_is_flagged_on_the_trainee_card(
    world, planted, client_for, today, days_left, flagged
):
    placement = planted.placement
    placement.trial_ends_on = today + timedelta(days=days_left)
    placement.save()
    body = client_for("employer").get(reverse("employers:workplace_home")).content.decode()
    assert ("trial-ends-soon" in body) is flagged
    assert "Zichtbaar" in body


def test_leermeester_adds_an_assessment(world, planted, leermeester, today):
    url = reverse("employers:workplace_assessment", args=[planted.participant.pk])
    response = client_as(leermeester).post(
        url,
        {
            "assessed_on": today.isoformat(),
            "work_attitude": "4",
            "professional_skills": "3",
            "cooperation": "4",
            "safety": "2",
            "remarks": "Werkt veilig met de trilplaat.",
        },
    )
    assert response.status_code == 302
    made = LeermeesterAssessment.objects.get(remarks="Werkt veilig met de trilplaat.")
    assert made.employer == world.employer_org
    assert made.leermeester_name == "Gerrit Leermeester"
    assert made.recorded_by == leermeester
    assert made.route == planted.participant.current_route
    # It shows on the trainee's portal page.
    page = client_as(leermeester).get(
        reverse("employers:workplace_trainee", args=[planted.participant.pk])
    )
    assert "Werkt veilig met de trilplaat." in page.content.decode()


# --- query counts ----------------------------------------------------------------------------


def _more_trainees(world, n: int, today) -> None:
    for i in range(n):
        p = participant_in(world.cohort, coach=world.users["coach"], last_name=f"Extra{i}")
        PlacementFactory(participant=p, employer=world.employer_org)
        goal = GoalFactory(created_in=PlanFactory(route=p.current_route))
        GoalFactory(created_in=goal.created_in, status="behaald")
        HoursWeekFactory(route=p.current_route, week_start=today - timedelta(days=7))
        Evaluation.objects.create(route=p.current_route, held_on=today, summary="ok")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_workplace_trainee_list_query_count_does_not_grow(world, client_for, today):
    client = client_for("employer")
    url = reverse("employers:workplace_home")
    _more_trainees(world, 1, today)  # with the world's own trainee: 2
    two = _count(client, url)
    _more_trainees(world, 18, today)  # 20
    twenty = _count(client, url)
    assert "Extra17" in client.get(url).content.decode()
    assert two == twenty


# --- support goals and the young person's words stay in the academy (issue 15 items 3, 4) --

SUPPORT_GOAL_TEXT = "STEUNDOEL-EIGEN-KAMER vinden via de woningcorporatie"
REFLECTION_TEXT = "REFLECTIE-ZELF ik voel me onzeker op de werf"


@pytest.mark.parametrize("consents", [(), ("werkgever_werkstatus", "handelingswijzer")])
def test_support_goals_and_reflections_never_reach_the_workplace(
    world, planted, leermeester, today, consents
):
    from leerroutes.models import GoalKind, Reflection, SelfReportedWellbeing

    for scope in consents:
        ConsentFactory(
            participant=planted.participant, scope=scope, given_on=today - timedelta(days=10)
        )
    route = planted.participant.current_route
    support = GoalFactory(
        created_in=planted.goal.created_in,
        description=SUPPORT_GOAL_TEXT,
        kind=GoalKind.SUPPORT,
        status="vervallen",
    )
    Reflection.objects.create(route=route, goal=planted.goal, text=REFLECTION_TEXT)
    Reflection.objects.create(route=route, goal=support, text=REFLECTION_TEXT + " 2")
    SelfReportedWellbeing.objects.create(
        route=route, week_start=today - timedelta(days=today.weekday()), score=1
    )
    for user in (world.users["employer"], leermeester):
        pages = crawl(client_as(user))
        for url, text in pages.items():
            assert "STEUNDOEL" not in text, url
            assert "REFLECTIE" not in text, url
            # The support goal's status is not counted either (it is the only dropped one).
            assert "goal-status-vervallen" not in text, url
        trainee_page = pages[reverse("employers:workplace_trainee", args=[planted.participant.pk])]
        assert "goal-status-bezig" in trainee_page  # the work goal is there
        assert (GOAL_TEXT in trainee_page) == bool(consents)
