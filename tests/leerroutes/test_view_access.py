"""The route pages, who sees what: every page for every persona outside the scope, the
projectleider, the coach and the regisseur, with planted texts, and one audit event per page.

Every case reads one world with its route and planted texts, built once for the module
(tests/conftest.py `shared_data`); each runs in its own savepoint, so the read events and
sessions a case writes are gone before the next."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maatwerq.audit.models import Action, AuditEvent
from tests.conftest import build_world, shared_data

from .conftest import SECRET_ANALYSIS, SECRET_GOAL, SECRET_LOG, make_route, plant
from .test_views import REGISSEUR_ONLY, ROUTE_PAGES, body, url

pytestmark = pytest.mark.django_db

SECRETS = (SECRET_ANALYSIS, SECRET_GOAL, SECRET_LOG, "ZORG-GEHEIM")


def build_shared():
    world = build_world()
    route = make_route(world)
    return world, route, plant(route, world.users["coach"], world.users["regisseur"])


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, build_shared) as world_route_plan:
        yield world_route_plan


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def route(_shared, db):
    return _shared[1]


@pytest.fixture
def planted(_shared, db):
    return _shared[2]


@pytest.mark.parametrize(
    "persona", ["other_coach", "employer", "other_employer", "beheerder", "landelijk"]
)
@pytest.mark.parametrize("page", ROUTE_PAGES)
def test_outside_the_scope_a_route_page_is_404_and_shows_nothing(
    planted, world, client_for, persona, page
):
    response = client_for(persona).get(url(page, world.participant))
    assert response.status_code == 404
    text = body(response)
    assert world.participant.last_name not in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("page", ROUTE_PAGES)
def test_anonymous_is_sent_to_the_login_page(planted, world, client_for, page):
    response = client_for("anonymous").get(url(page, world.participant))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_projectleider_sees_phase_and_goal_status_but_no_texts(planted, route, client_for):
    response = client_for("projectleider").get(url("route_overview", route.participant))
    assert response.status_code == 200
    text = body(response)
    assert route.phases[0].name in text
    assert 'aria-current="step"' in text
    assert 'Open: <span class="status-count">1</span>' in text
    for secret in SECRETS:
        assert secret not in text
    # No links into the texts either.
    assert url("analysis", route.participant) not in text
    assert url("progress_log", route.participant) not in text


@pytest.mark.parametrize("page", sorted(set(ROUTE_PAGES) - {"route_overview"}))
def test_projectleider_gets_403_on_every_text_page(planted, route, client_for, page):
    response = client_for("projectleider").get(url(page, route.participant))
    assert response.status_code == 403
    for secret in SECRETS:
        assert secret not in body(response)


def test_coach_reads_analysis_but_only_the_regisseur_writes_it(planted, route, client_for):
    coach = client_for("coach")
    assert SECRET_ANALYSIS in body(coach.get(url("analysis", route.participant)))
    assert coach.get(url("analysis_new", route.participant)).status_code == 403
    assert client_for("regisseur").get(url("analysis_new", route.participant)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "page"),
    [("regisseur", page) for page in ROUTE_PAGES]
    + [("coach", page) for page in ROUTE_PAGES if page not in REGISSEUR_ONLY],
)
def test_every_page_view_writes_exactly_one_read_event(planted, route, client_for, persona, page):
    before = AuditEvent.objects.count()
    response = client_for(persona).get(url(page, route.participant))
    assert response.status_code == 200
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.participant_id) for e in events] == [(Action.READ, route.participant.pk)]
