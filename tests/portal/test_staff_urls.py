"""A participant's login walks every URL of the access table: the staff pages give nothing
(403, 404, 405 or 410), and no planted data of anyone shows. Only what is designed for a
deelnemer opens: the start page sends them to their own view, "My exports" lists their own
files (none here), and the portal pages themselves.

Every case reads one world built once for the module (tests/conftest.py `shared_data`); each
runs in its own savepoint, so the objects a URL's builder makes are gone before the next."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from leerroutes import services as route_services
from tests.conftest import build_world, shared_data
from tests.test_url_access import ACCESS

from .conftest import (
    SECRET_ANALYSIS,
    SECRET_OTHER_GOAL,
    SECRET_PRIVATE_LOG,
    SECRETS,
    make_deelnemer,
    plan_with_goal,
)

pytestmark = pytest.mark.django_db

# URL name -> what a deelnemer gets instead of nothing.
DESIGNED = {
    "home": 302,  # to the portal
    "reporting:run_list": 200,  # their own background files only
    "account_email": 200,  # their own login address (changed only from the new mailbox)
    # The installable app's script and manifest: the same for everyone, no personal data.
    "service_worker": 200,
    "web_manifest": 200,
}


def build_shared():
    world = build_world()
    plant_leaky(world)
    return world, make_deelnemer(world)


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker, build_shared) as world_and_deelnemer:
        yield world_and_deelnemer


@pytest.fixture
def world(_shared, db):
    return _shared[0]


@pytest.fixture
def deelnemer(_shared, db):
    """Daan's own login (tests/portal/conftest.py's `deelnemer_client` logs in with it)."""
    return _shared[1]


@pytest.mark.parametrize("url_name", sorted(ACCESS))
def test_deelnemer_gets_nothing_from_staff_urls(url_name, world, deelnemer_client):
    if url_name.startswith("portal:") and url_name not in STAFF_PORTAL_URLS:
        pytest.skip("the participant's own pages: tests/portal/test_views.py")
    build, _allowed = ACCESS[url_name]
    response = deelnemer_client.get(build(world))
    if url_name in DESIGNED:
        assert response.status_code == DESIGNED[url_name]
    else:
        assert response.status_code in {403, 404, 405, 410}, (url_name, response.status_code)
    body = response.content.decode()
    for secret in (*SECRETS, "Zichtbaar"):  # nor even Daan's own record on a staff page
        assert secret not in body, (url_name, secret)


def plant_leaky(world):
    """Texts that could leak, without a plan of Daan's (the table's builders make that one)."""
    domains = route_services.life_domains_ensure(academy=world.academy)
    route_services.phases_ensure(programme=world.programme)
    daan, regisseur = world.participant, world.users["regisseur"]
    route_services.analysis_create(
        participant=daan, made_on=date(2025, 8, 1), summary=SECRET_ANALYSIS, domains=[],
        by=regisseur,
    )  # fmt: skip
    route_services.progress_entry_add(
        participant=daan, on=date(2025, 10, 1), text=SECRET_PRIVATE_LOG, wellbeing=2,
        by=world.users["coach"],
    )  # fmt: skip
    plan_with_goal(world.other_participant, domains, regisseur, SECRET_OTHER_GOAL)


STAFF_PORTAL_URLS = {
    "portal:participant_invite",
    "portal:guardian_access",
    "portal:guardian_access_revoke",
}


def test_home_redirects_to_the_portal(deelnemer_client):
    assert deelnemer_client.get(reverse("home"))["Location"] == reverse("portal:home")
