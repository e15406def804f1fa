"""The participant list: scope, columns per role, filters, search, sorting, paging, queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerq.accounts.models import Role
from participants.models import FundingStream, ReferralSource, RouteType, Status
from tests.factories import (
    CohortFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
    participant_in,
)

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_list")
LIST_PERSONAS = ["coach", "other_coach", "regisseur", "projectleider"]


@pytest.fixture
def client_for(client_for):
    """The personas' clients, asking for English pages (the assertions read English text)."""

    def make(persona: str):
        client = client_for(persona)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def names_in(response) -> list[str]:
    """The participant names in the table, in order."""
    return re.findall(r'<a href="/deelnemers/[0-9a-f-]+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("persona", LIST_PERSONAS)
def test_list_never_shows_care_notes_or_other_academies(persona, world, client_for):
    body = client_for(persona).get(URL).content.decode()
    assert "ZORG-GEHEIM" not in body
    assert "Buitenaf" not in body


def test_list_coach_sees_own_caseload_only(world, client_for):
    response = client_for("coach").get(URL)
    assert names_in(response) == ["Daan Zichtbaar"]
    assert "Anderman" not in response.content.decode()
    assert "1 participant" in response.content.decode()


@pytest.mark.parametrize("persona", ["regisseur", "projectleider"])
def test_list_academy_roles_see_the_whole_academy(persona, world, client_for):
    response = client_for(persona).get(URL)
    assert names_in(response) == ["Noor Anderman", "Daan Zichtbaar"]
    assert "2 participants" in response.content.decode()


def test_list_projectleider_gets_names_and_status_only(world, client_for):
    body = client_for("projectleider").get(URL).content.decode()
    assert "Trial period" in body  # the status column
    assert '<th scope="col">Route type</th>' not in body
    assert '<th scope="col">Coach</th>' not in body
    # No filters that would reveal a benefit or youth care as referrer.
    for field in ("funding_stream", "referral_source", "route_type"):
        assert f'name="{field}"' not in body
    assert 'name="status"' in body


def test_list_regisseur_gets_route_type_and_coach_columns(world, client_for):
    body = client_for("regisseur").get(URL).content.decode()
    assert '<th scope="col">Route type</th>' in body
    assert '<th scope="col">Coach</th>' in body
    assert 'name="funding_stream"' in body


def test_list_coach_has_no_coach_filter(world, client_for):
    body = client_for("coach").get(URL).content.decode()
    assert 'name="coach"' not in body
    assert 'name="programme"' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("daan", ["Daan Zichtbaar"]),
        ("ZICHT", ["Daan Zichtbaar"]),
        ("Daan Zichtbaar", ["Daan Zichtbaar"]),
        ("noor anderman", ["Noor Anderman"]),
        ("Daan Anderman", []),
        ("  ", ["Noor Anderman", "Daan Zichtbaar"]),
    ],
)
def test_list_name_search(query, expected, world, client_for):
    response = client_for("regisseur").get(URL, {"q": query})
    assert names_in(response) == expected


def test_list_filters_on_the_current_route(world, client_for):
    route = world.participant.current_route
    route.status = Status.CONTRACT
    route.route_type = RouteType.ZIJ_INSTROOM
    route.referral_source = ReferralSource.UWV
    route.save()
    world.participant.funding_stream = FundingStream.WAJONG
    world.participant.save()
    client = client_for("regisseur")
    for params in (
        {"status": Status.CONTRACT},
        {"route_type": RouteType.ZIJ_INSTROOM},
        {"referral_source": ReferralSource.UWV},
        {"funding_stream": FundingStream.WAJONG},
        {"coach": world.users["coach"].pk},
    ):
        assert names_in(client.get(URL, params)) == ["Daan Zichtbaar"], params


def test_list_filters_by_programme_and_cohort(world, client_for):
    other_programme = ProgrammeFactory(academy=world.academy, name="TanQ")
    other_cohort = CohortFactory(programme=other_programme, name="Groep 1")
    participant_in(other_cohort, first_name="Sem", last_name="Tanker")
    client = client_for("regisseur")
    assert names_in(client.get(URL, {"programme": other_programme.pk})) == ["Sem Tanker"]
    assert names_in(client.get(URL, {"cohort": world.cohort.pk})) == [
        "Noor Anderman",
        "Daan Zichtbaar",
    ]


def test_list_cohort_choices_are_limited_to_the_academy(world, client_for):
    foreign_cohort = CohortFactory(
        programme=ProgrammeFactory(academy=world.other_academy, name="No RisQ"), name="Groep X"
    )
    response = client_for("regisseur").get(URL, {"cohort": foreign_cohort.pk})
    body = response.content.decode()
    assert "Groep X" not in body.split("is not one of the available choices")[0]
    assert "Select a valid choice" in body
    assert "Buitenaf" not in body


def test_list_sorts_by_status_in_pipeline_order(world, client_for):
    world.other_participant.current_route.status = Status.AANGEMELD
    world.other_participant.current_route.save()
    client = client_for("regisseur")
    assert names_in(client.get(URL, {"o": "status"})) == ["Noor Anderman", "Daan Zichtbaar"]
    assert names_in(client.get(URL, {"o": "-status"})) == ["Daan Zichtbaar", "Noor Anderman"]


def test_list_sorts_by_name_and_cohort_start(world, client_for):
    later = CohortFactory(programme=world.programme, name="Groep 28", start_date="2026-02-01")
    participant_in(later, first_name="Bram", last_name="Aalders")
    client = client_for("regisseur")
    assert names_in(client.get(URL, {"o": "-name"}))[0] == "Daan Zichtbaar"
    assert names_in(client.get(URL, {"o": "-cohort"}))[0] == "Bram Aalders"
    body = client.get(URL, {"o": "name"}).content.decode()
    assert 'aria-sort="ascending"' in body
    assert "o=-name" in body  # the header link now sorts the other way


def test_list_pages_by_fifty_and_shows_the_total(world, client_for):
    for n in range(53):
        participant_in(world.cohort, coach=world.users["coach"], last_name=f"Extra{n:02d}")
    client = client_for("coach")
    first = client.get(URL)
    assert len(names_in(first)) == 50
    assert "54 participants" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(names_in(second)) == 4


def test_list_empty_states(world, client_for):
    body = client_for("coach").get(URL, {"q": "niemand"}).content.decode()
    assert "No participants match these filters." in body
    newcomer = UserFactory(email="new-coach@example.test")
    MembershipFactory(user=newcomer, academy=world.academy, role=Role.COACH)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(newcomer)
    body = client.get(URL).content.decode()
    assert "There are no participants to show yet." in body
    assert "0 participants" in body


def test_list_filters_collapse_on_a_phone_without_inline_code(world, client_for):
    body = client_for("regisseur").get(URL).content.decode()
    assert 'data-bs-toggle="collapse"' in body
    assert 'class="collapse d-md-block"' in body
    assert "style=" not in body
    assert re.search(r"<script(?![^>]*\bsrc=)", body) is None
    # With a filter in use the panel starts open and the button says how many.
    body = client_for("regisseur").get(URL, {"status": "contract"}).content.decode()
    assert 'class="collapse d-md-block show"' in body
    assert "Filters (1)" in body


def test_list_buttons_follow_the_rules(world, client_for):
    regisseur = client_for("regisseur").get(URL).content.decode()
    coach = client_for("coach").get(URL).content.decode()
    assert reverse("participants:participant_import") in regisseur
    assert reverse("participants:participant_import") not in coach
    assert reverse("participants:participant_export") in coach


@pytest.mark.parametrize("persona", ["coach", "regisseur", "projectleider"])
def test_list_query_count_does_not_grow_with_rows(persona, world, client_for):
    def queries_for(total: int) -> int:
        while world.academy.participants.filter(coach=world.users["coach"]).count() < total:
            participant_in(world.cohort, coach=world.users["coach"])
        client = client_for(persona)
        client.get(URL)  # warm up the session and caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"o": "status"})
        assert response.status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(20)
