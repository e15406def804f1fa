"""The staff screens: the employer list and page, forms with their refusals, placements from
both sides, candidates for a vacancy, the coach's list, and query counts."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers.models import Commitment, Employer, Placement, PlacementKind
from leerroutes.services import phases_ensure

from ..factories import (
    EmployerContactFactory,
    EmployerFactory,
    PlacementArrangementFactory,
    PlacementFactory,
    VacancyFactory,
    participant_in,
)

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- employers -------------------------------------------------------------------------------


def test_employer_list_filters_by_way_programme_and_sbb(world, client_for, today):
    Commitment.objects.create(
        employer=world.employer_org,
        programme=world.programme,
        way="trendsetter",
        job_commitment="garantie",
        places=12,
        since=date(2012, 2, 1),
    )
    world.employer_org.sbb_number = "100200300"
    world.employer_org.sbb_valid_until = today + timedelta(days=200)
    world.employer_org.save()
    world.other_employer_org.sbb_number = "100200301"
    world.other_employer_org.sbb_valid_until = today - timedelta(days=1)
    world.other_employer_org.save()
    EmployerFactory(academy=world.other_academy, name="Twentse Beveiliging")
    client = client_for("coach")
    url = reverse("employers:employer_list")
    body = _body(client.get(url))
    assert "Nijland Infra" in body
    assert "Van der Wal Transport" in body
    assert "Twentse Beveiliging" not in body  # another academy
    for query in ("?way=trendsetter", f"?programme={world.programme.pk}", "?sbb_valid=yes"):
        body = _body(client.get(url + query))
        assert "Nijland Infra" in body, query
        assert "Van der Wal Transport" not in body, query
    body = _body(client.get(url + "?sbb_valid=no"))
    assert "Van der Wal Transport" in body
    assert "Nijland Infra" not in body


def test_bad_kvk_number_is_shown_at_the_field_and_nothing_is_written(world, client_for):
    before = Employer.objects.count()
    response = client_for("regisseur").post(
        reverse("employers:employer_create"), {"name": "Nieuw BV", "kvk_number": "1234567"}
    )
    body = _body(response)
    assert 'id="id_kvk_number_error"' in body
    assert Employer.objects.count() == before
    response = client_for("regisseur").post(
        reverse("employers:employer_create"), {"name": "Nieuw BV", "kvk_number": "12345678"}
    )
    made = Employer.objects.get(name="Nieuw BV")
    assert response["Location"] == reverse("employers:employer_detail", args=[made.pk])
    assert made.academy == world.academy
    assert made.kvk_number == "12345678"


def test_employer_page_shows_what_the_user_may_see(world, client_for, today):
    placement = world.participant.placements.get()
    PlacementArrangementFactory(placement=placement, ends_on=today + timedelta(days=10))
    EmployerContactFactory(employer=world.employer_org, name="Gerrit Nijland")
    url = reverse("employers:employer_detail", args=[world.employer_org.pk])
    coach_page = _body(client_for("coach").get(url))
    assert "Gerrit Nijland" in coach_page
    assert "Zichtbaar" in coach_page
    assert "runs-out-soon" in coach_page  # the badge "runs out within 30 days"
    # The other coach sees the employer, not the coach's trainee placed there.
    assert "Zichtbaar" not in _body(client_for("other_coach").get(url))


def test_projectleider_reads_but_changes_nothing(world, client_for):
    client = client_for("projectleider")
    page = _body(client.get(reverse("employers:employer_detail", args=[world.employer_org.pk])))
    assert reverse("employers:employer_edit", args=[world.employer_org.pk]) not in page
    assert reverse("employers:placement_create") not in page
    response = client.post(
        reverse("employers:employer_edit", args=[world.employer_org.pk]), {"name": "Gewijzigd"}
    )
    assert response.status_code == 403
    assert Employer.objects.filter(name="Gewijzigd").count() == 0


# --- placements ------------------------------------------------------------------------------


def test_overlapping_placement_from_the_participant_side_is_refused_at_the_field(world, client_for):
    url = reverse("employers:placement_create") + f"?participant={world.participant.pk}"
    client = client_for("coach")
    form = _body(client.get(url))
    assert re.search(rf'value="{world.participant.pk}"[^>]*selected', form)
    before = Placement.objects.count()
    response = client.post(
        url,
        {
            "participant": world.participant.pk,
            "employer": world.other_employer_org.pk,
            "kind": PlacementKind.CONTRACT,
            "start_date": "2025-10-01",
        },
    )
    body = _body(response)
    assert 'id="id_start_date_error"' in body
    assert Placement.objects.count() == before


def test_coach_places_and_ends_from_the_participant_side(world, client_for):
    client = client_for("coach")
    old = world.participant.placements.get()
    response = client.post(
        reverse("employers:placement_end", args=[old.public_id]),
        {"ended_on": "2025-12-31", "reason": "andere_werkgever", "note": ""},
    )
    assert response.status_code == 302
    leermeester = EmployerContactFactory(employer=world.other_employer_org)
    response = client.post(
        reverse("employers:placement_create") + f"?participant={world.participant.pk}",
        {
            "participant": world.participant.pk,
            "employer": world.other_employer_org.pk,
            "kind": PlacementKind.TRIAL,
            "start_date": "2026-01-05",
            "leermeester": leermeester.pk,
            "hours_per_week": "32",
        },
    )
    new = Placement.objects.get(participant=world.participant, employer=world.other_employer_org)
    assert response["Location"] == reverse("employers:placement_detail", args=[new.public_id])
    assert new.trial_ends_on == date(2026, 4, 5)
    assert new.leermeester == leermeester
    page = _body(
        client.get(reverse("employers:participant_placements", args=[world.participant.pk]))
    )
    assert "Van der Wal Transport" in page
    assert "Nijland Infra" in page


def test_leermeester_of_another_employer_is_refused_at_the_field(world, client_for):
    world.participant.placements.update(end_date=date(2025, 12, 31))
    wrong = EmployerContactFactory(employer=world.employer_org)
    response = client_for("coach").post(
        reverse("employers:placement_create"),
        {
            "participant": world.participant.pk,
            "employer": world.other_employer_org.pk,
            "kind": PlacementKind.CONTRACT,
            "start_date": "2026-01-05",
            "leermeester": wrong.pk,
        },
    )
    assert 'id="id_leermeester_error"' in _body(response)
    assert not Placement.objects.filter(
        employer=world.other_employer_org, participant=world.participant
    ).exists()


def test_coach_cannot_place_another_coachs_participant(world, client_for):
    url = reverse("employers:placement_create") + f"?participant={world.other_participant.pk}"
    assert client_for("coach").get(url).status_code == 404
    response = client_for("coach").post(
        reverse("employers:placement_create"),
        {
            "participant": world.other_participant.pk,
            "employer": world.employer_org.pk,
            "kind": PlacementKind.MINI_STAGE,
            "start_date": "2026-01-05",
        },
    )
    assert 'id="id_participant_error"' in _body(response)  # not a choice for this coach


def test_placement_is_addressed_by_its_public_id_within_scope(world, client_for):
    """The placement pages take the placement's uuid: the coach's own opens, a random uuid
    and another coach's placement are a 404, and nothing of the other placement shows."""
    client = client_for("coach")
    own = world.participant.placements.get()
    other = world.other_participant.placements.get()
    assert own.public_id != other.public_id
    body = _body(client.get(reverse("employers:placement_detail", args=[own.public_id])))
    assert world.participant.full_name in body
    assert reverse("employers:placement_end", args=[own.public_id]) in body
    for name in ("placement_detail", "placement_end", "placement_trial_pass", "arrangement_add"):
        for public_id in (uuid.uuid4(), other.public_id):
            response = client.get(reverse(f"employers:{name}", args=[public_id]))
            assert response.status_code == 404, (name, public_id)
            assert world.other_participant.full_name not in response.content.decode()
    response = client.post(
        reverse("employers:placement_end", args=[other.public_id]),
        {"ended_on": "2025-12-31", "reason": "andere_werkgever", "note": ""},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.end_date is None


def _placements(world, n: int) -> None:
    for i in range(n):
        p = participant_in(world.cohort, coach=world.users["coach"], last_name=f"Geplaatst{i}")
        PlacementFactory(participant=p, employer=world.employer_org, kind=PlacementKind.CONTRACT)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_placement_list_query_count_does_not_grow(world, client_for):
    client = client_for("regisseur")
    url = reverse("employers:placement_list")
    two = _count(client, url)  # the world's two placements
    _placements(world, 18)
    twenty = _count(client, url)
    assert "Geplaatst17" in _body(client.get(url))
    assert two == twenty


def test_placement_list_is_scoped_to_the_coach(world, client_for):
    body = _body(client_for("coach").get(reverse("employers:placement_list")))
    assert "Zichtbaar" in body
    assert "Anderman" not in body


def test_watchlist_shows_trials_and_arrangements_running_out(world, client_for, today):
    placement = world.participant.placements.get()
    placement.trial_ends_on = today + timedelta(days=5)
    placement.trial_reminder_listed_on = today
    placement.save()
    PlacementArrangementFactory(placement=placement, ends_on=today + timedelta(days=25))
    body = _body(client_for("coach").get(reverse("employers:watchlist")))
    assert body.count("Zichtbaar") == 2
    assert "Anderman" not in _body(client_for("other_coach").get(reverse("employers:watchlist")))


# --- vacancies and candidates ----------------------------------------------------------------


def test_candidates_are_the_programmes_trainees_in_the_phase_and_staff_only(world, client_for):
    phases = phases_ensure(programme=world.programme)
    vacancy = VacancyFactory(
        employer=world.employer_org, programme=world.programme, min_phase=phases[0]
    )
    url = reverse("employers:vacancy_candidates", args=[vacancy.pk])
    body = _body(client_for("regisseur").get(url))
    assert "Zichtbaar" in body
    assert "Anderman" in body
    assert "Buitenaf" not in body  # another academy
    assert "Zichtbaar" in _body(client_for("coach").get(url))
    assert "Anderman" not in _body(client_for("coach").get(url))  # not the coach's caseload
    # A later phase than anyone has reached: nobody.
    vacancy.min_phase = phases[-1]
    vacancy.save()
    assert "Zichtbaar" not in _body(client_for("regisseur").get(url))
    for persona in ("employer", "projectleider"):
        response = client_for(persona).get(url)
        assert response.status_code in {403, 404}
        assert "Zichtbaar" not in response.content.decode()
