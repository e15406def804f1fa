"""The start page's work queue per role (issue 17, item 1): each item links to where it is
acted on, and every count is the length of the list behind it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from home.selectors import home_context
from leerroutes.models import HoursWeek
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Invitation, Role, User
from maatwerq.audit.models import Action, AuditEvent
from participants.models import Status
from tests.factories import (
    CohortFactory,
    EvaluationFactory,
    FollowUpFactory,
    HandoverFactory,
    LeermeesterAssessmentFactory,
    ParticipantFactory,
    PlacementFactory,
    ProgressEntryFactory,
    RouteFactory,
    UserFactory,
    participant_in,
)


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """The queue card of one kind; '' when the card is not shown (nothing in it)."""
    found = re.search(rf'data-queue="{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def card_count(html: str, key: str) -> int:
    card = section(html, key)
    shown = int(re.search(r"data-count>(\d+)<", card).group(1))
    assert shown == card.count('class="queue-item"')  # the badge counts the list below it
    return shown


def queue_of(user):
    return {s.key: s for s in home_context(user, active_membership(user))["queue"]}


# --- the greeting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "greeted"),
    [
        ("Dr. Pieter Bosman", "Pieter"),
        ("mr. ing. Anna de Wit", "Anna"),
        ("Drs Kees Veld", "Kees"),
        ("J. de Vries", "J."),  # an initial is a name, not a title
        ("Dr.", "Dr."),
        ("", "x@example.test"),
    ],
)
def test_greeting_skips_titles(full_name, greeted):
    assert User(full_name=full_name, email="x@example.test").get_short_name() == greeted


def test_start_page_greets_by_first_name_not_title(world, client_for):
    User.objects.filter(pk=world.users["regisseur"].pk).update(full_name="Dr. Pieter Bosman")
    html = body(client_for("regisseur").get(reverse("home")))
    assert "Fijn dat je er bent, Pieter" in html
    assert "Fijn dat je er bent, Dr." not in html


# --- coach: the count is the caseload's -----------------------------------------------------------


def test_coach_count_leaves_out_drop_outs_as_the_caseload_does(world, client_for):
    dropped = participant_in(world.cohort, coach=world.users["coach"], last_name="Gestopt")
    dropped.current_route.status = Status.UITGEVALLEN
    dropped.current_route.end_date = timezone.localdate()
    dropped.current_route.save()
    client = client_for("coach")
    home = body(client.get(reverse("home")))
    caseload = body(client.get(reverse("leerroutes:caseload")))
    # Hand-counted: Daan runs, the drop-out does not; two participants are the coach's.
    assert "Mijn caseload: 1 deelnemer" in home
    assert "1 deelnemer met een lopende route" in caseload


def test_coach_queue_lists_follow_ups_evaluations_and_trial_ends_of_own_caseload(world, client_for):
    today = timezone.localdate()
    daan, noor = world.participant, world.other_participant
    FollowUpFactory(route=daan.current_route, due_on=today, listed_for_coach_on=today)
    EvaluationFactory(route=daan.current_route, held_on=today, next_on=today + timedelta(days=10))
    EvaluationFactory(route=noor.current_route, held_on=today, next_on=today + timedelta(days=3))
    daan.placements.update(trial_ends_on=today + timedelta(days=5))
    noor.placements.update(trial_ends_on=today + timedelta(days=5))
    html = body(client_for("coach").get(reverse("home")))

    for key in ("follow_ups", "evaluations_soon", "trials_soon"):
        assert card_count(html, key) == 1
        assert "Daan Zichtbaar" in section(html, key)
    assert "Anderman" not in html  # the other coach's trainee
    follow_up = daan.current_route.follow_ups.get()
    assert reverse("participants:follow_up_record", args=[daan.pk, follow_up.pk]) in html
    placement = daan.placements.get()
    assert reverse("employers:placement_detail", args=[placement.public_id]) in html


def test_start_page_names_its_people_in_one_read_event(world, client_for):
    today = timezone.localdate()
    FollowUpFactory(route=world.participant.current_route, due_on=today, listed_for_coach_on=today)
    before = AuditEvent.objects.count()
    client_for("coach").get(reverse("home"))
    (event,) = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert event.action == Action.READ
    assert event.detail["participant_ids"] == [str(world.participant.pk)]


# --- regisseur ------------------------------------------------------------------------------------


def test_regisseur_queue(world, client_for):
    today = timezone.localdate()
    referred = ParticipantFactory(academy=world.academy, first_name="Rik", last_name="Nieuw")
    route = RouteFactory(
        participant=referred, programme=world.programme, status=Status.AANGEMELD, start_date=None
    )
    referred.current_route = route
    referred.save()
    in_intake = ParticipantFactory(academy=world.academy, first_name="Ilse", last_name="Intake")
    route = RouteFactory(
        participant=in_intake,
        programme=world.programme,
        status=Status.INTAKE,
        intake_date=today,
        start_date=None,
    )
    in_intake.current_route = route
    in_intake.save()
    HandoverFactory(participant=world.participant, on_date=today - timedelta(days=3))
    HandoverFactory(participant=world.other_participant, on_date=today - timedelta(days=30))
    queue = queue_of(world.users["regisseur"])

    assert [e.name for e in queue["referrals"].entries] == ["Rik Nieuw"]
    assert [e.name for e in queue["intakes"].entries] == ["Ilse Intake"]
    assert [e.name for e in queue["handovers"].entries] == ["Daan Zichtbaar"]
    # Both running routes started on 1 Sep 2025 and have no signed plan.
    assert [e.name for e in queue["plans_unsigned"].entries] == [
        "Noor Anderman",
        "Daan Zichtbaar",
    ]
    assert queue["plans_unsigned"].entries[1].url == reverse(
        "leerroutes:plan", args=[world.participant.pk]
    )
    html = body(client_for("regisseur").get(reverse("home")))
    assert card_count(html, "referrals") == 1
    assert card_count(html, "plans_unsigned") == 2
    assert "Finn" not in html  # the other academy


def test_follow_ups_of_the_regisseur_are_the_academys(world):
    today = timezone.localdate()
    for p in (world.participant, world.other_participant):
        FollowUpFactory(route=p.current_route, due_on=today, listed_for_coach_on=today)
    assert queue_of(world.users["regisseur"])["follow_ups"].count == 2
    assert queue_of(world.users["coach"])["follow_ups"].count == 1


# --- projectleider --------------------------------------------------------------------------------


def test_projectleider_queue_counts_groups_without_names(world, client_for):
    html = body(client_for("projectleider").get(reverse("home")))
    # Groep 27 (planned 12) runs with two trainees in their route.
    assert card_count(html, "groups_small") == 1
    assert "2 van 12" in section(html, "groups_small")
    assert "Zichtbaar" not in html


# --- werkgever ------------------------------------------------------------------------------------


def test_employer_start_page_lists_every_trainee_and_counts_them(world, client_for):
    for number in range(26):
        trainee = participant_in(world.cohort, first_name=f"T{number}", last_name="Leerling")
        PlacementFactory(participant=trainee, employer=world.employer_org)
    html = body(client_for("employer").get(reverse("home")))
    listed = re.search(r'id="trainees".*?</div>', html, re.S).group(0)
    assert "27 deelnemers" in html  # Daan and the 26 above: no cut at 25
    assert listed.count('<a class="list-group-item') == 27
    assert "Anderman" not in html


def test_employer_queue_hours_trials_and_assessments(world):
    today = timezone.localdate()
    daan = world.participant
    monday = today - timedelta(days=today.weekday())
    # Of the last eight whole weeks, two confirmed, one logged but not confirmed.
    for weeks_ago in (1, 2):
        HoursWeek.objects.create(
            route=daan.current_route,
            week_start=monday - timedelta(weeks=weeks_ago),
            practice_hours=24,
            confirmed_by=world.users["employer"],
            confirmed_at=timezone.now(),
        )
    HoursWeek.objects.create(
        route=daan.current_route, week_start=monday - timedelta(weeks=3), practice_hours=24
    )
    daan.placements.update(trial_ends_on=today + timedelta(days=14))
    queue = queue_of(world.users["employer"])

    (hours,) = queue["hours"].entries
    assert hours.note == "6 weken"
    assert hours.url == reverse("employers:workplace_hours", args=[daan.pk])
    assert [e.name for e in queue["trials_soon"].entries] == ["Daan Zichtbaar"]
    # The placement runs since 1 Sep 2025 without an assessment by this employer.
    assert [e.url for e in queue["assessments"].entries] == [
        reverse("employers:workplace_assessment", args=[daan.pk])
    ]
    LeermeesterAssessmentFactory(
        route=daan.current_route, employer=world.employer_org, assessed_on=today
    )
    assert not queue_of(world.users["employer"])["assessments"].entries
    other = queue_of(world.users["other_employer"])
    assert [e.name for e in other["hours"].entries] == ["Noor Anderman"]


# --- beheerder ------------------------------------------------------------------------------------


def test_beheerder_queue_open_invitations_and_idle_users(world, client_for):
    now = timezone.now()
    Invitation.objects.create(
        academy=world.academy,
        email="nieuw@example.test",
        role=Role.COACH,
        token_hash="x" * 64,
        invited_by=world.users["beheerder"],
        expires_at=now + timedelta(days=7),
    )
    User.objects.filter(pk=world.users["coach"].pk).update(last_login=now - timedelta(days=100))
    User.objects.filter(pk=world.users["other_coach"].pk).update(last_login=now)
    old = now - timedelta(days=200)
    User.objects.exclude(pk=world.users["coach"].pk).exclude(
        pk=world.users["other_coach"].pk
    ).update(date_joined=now, last_login=None)
    UserFactory(email="nooit@example.test", full_name="Nooit Ingelogd")
    User.objects.filter(email="nooit@example.test").update(date_joined=old)
    queue = queue_of(world.users["beheerder"])
    assert [e.name for e in queue["invitations"].entries] == ["nieuw@example.test"]
    # The never-logged-in user has no membership in the academy: not the beheerder's.
    assert [e.name for e in queue["no_login"].entries] == ["coach"]
    html = body(client_for("beheerder").get(reverse("home")))
    assert card_count(html, "invitations") == 1


# --- the caseload's search and filter -------------------------------------------------------------


def test_caseload_search_and_attention_filter(world, client_for):
    sem = participant_in(
        world.cohort, coach=world.users["coach"], first_name="Sem", last_name="Stil"
    )
    today = timezone.localdate()
    ProgressEntryFactory(route=sem.current_route, on=today)  # not silent
    EvaluationFactory(route=sem.current_route, held_on=today, next_on=today + timedelta(days=60))
    client = client_for("coach")

    def listed(query: str) -> str:
        html = body(client.get(reverse("leerroutes:caseload") + query))
        return html[html.index('class="list-group mb-3 caseload-list"') :]

    found = listed("?q=zicht")
    assert "Daan Zichtbaar" in found
    assert "Sem Stil" not in found
    assert "Sem Stil" in listed("?q=SEM")
    assert "Daan Zichtbaar" in listed("?q=groep 27")  # the group's name
    # Daan's log is silent since his start; Sem has today's entry and evaluation, nothing due.
    attention = listed("?aandacht=1")
    assert "Daan Zichtbaar" in attention
    assert "Sem Stil" not in attention
    assert "Geen deelnemer past bij het filter." in listed("?q=niemand")
    event = AuditEvent.objects.filter(detail__page="caseload").latest("pk")
    assert "niemand" not in str(event.detail) + event.path  # the search is not logged


def _months_ahead(today, n: int):
    month = today.month - 1 + n
    return today.replace(year=today.year + month // 12, month=month % 12 + 1, day=1)


def test_projectleider_sees_the_forecasts_first_staff_shortfall(world, client_for):
    """Hand-counted, on a programme of its own: Zorg A (10 trainees) starts in two months:
    3 staff per half-day in its three trial months, then ceil(1.5) = 2; Zorg B (20) starts in
    five months: 6 in its trial, so 2 + 6 = 8 then. With 5 available, the first month short
    is B's start, 3 short. BinQ has no staff available set: its entry says so and links to
    where it is set."""
    from reporting.models import ForecastSettings
    from tests.factories import ProgrammeFactory

    today = timezone.localdate()
    zorg = ProgrammeFactory(academy=world.academy, name="Zorg")
    CohortFactory(
        programme=zorg, name="Zorg A", start_date=_months_ahead(today, 2), planned_size=10
    )
    b_start = _months_ahead(today, 5)
    CohortFactory(programme=zorg, name="Zorg B", start_date=b_start, planned_size=20)
    client = client_for("projectleider")
    response = client.post(
        reverse("reporting:forecast_staff", args=[zorg.pk]), {"staff_available": "-1"}
    )
    assert 'id="id_staff_available_error"' in body(response)  # next to the field, kept
    assert not ForecastSettings.objects.filter(programme=zorg).exists()
    for persona in ("coach", "employer", "beheerder"):
        refused = client_for(persona).post(
            reverse("reporting:forecast_staff", args=[zorg.pk]), {"staff_available": "9"}
        )
        assert refused.status_code in (403, 404)
    elsewhere = ProgrammeFactory(academy=world.other_academy, name="Elders")
    outside = client.post(
        reverse("reporting:forecast_staff", args=[elsewhere.pk]), {"staff_available": "9"}
    )
    assert outside.status_code == 404  # another academy's programme does not exist here
    client.post(reverse("reporting:forecast_staff", args=[zorg.pk]), {"staff_available": "5"})
    assert ForecastSettings.objects.get(programme=zorg).staff_available == 5
    assert not ForecastSettings.objects.filter(programme=elsewhere).exists()
    event = AuditEvent.objects.get(detail__event="staff_available_set")
    assert (event.actor, event.detail["from"], event.detail["to"]) == (
        world.users["projectleider"],
        None,
        5,
    )

    entries = {e.name: e for e in queue_of(world.users["projectleider"])["staff_shortfall"].entries}
    forecast = reverse("reporting:forecast")
    assert entries["Zorg"].url == f"{forecast}?programme={zorg.pk}#staff-available"
    month = date_format(b_start, gettext("M Y"))  # Dutch: "mei 2027"
    assert entries["Zorg"].note == f"vanaf {month}: 8 nodig, 5 beschikbaar (3 tekort)"
    assert entries["BinQ"].url == reverse("reporting:forecast_staff", args=[world.programme.pk])
    html = body(client.get(reverse("home")))
    assert card_count(html, "staff_shortfall") == 2
    assert "3 tekort" in html
    page = body(client.get(entries["Zorg"].url))
    assert 'id="shortfall"' in page
    assert "3 tekort" in page
    # Enough staff: the programme leaves the card.
    client.post(reverse("reporting:forecast_staff", args=[zorg.pk]), {"staff_available": "8"})
    names = [e.name for e in queue_of(world.users["projectleider"])["staff_shortfall"].entries]
    assert names == ["BinQ"]
    assert "staff_shortfall" not in queue_of(world.users["coach"])


def test_a_trial_end_passed_without_a_decision_stays_on_the_card(world):
    today = timezone.localdate()
    world.participant.placements.update(trial_ends_on=today - timedelta(days=3))
    world.other_participant.placements.update(
        trial_ends_on=today - timedelta(days=3), trial_passed_on=today - timedelta(days=3)
    )
    entries = queue_of(world.users["regisseur"])["trials_soon"].entries
    assert [e.name for e in entries] == ["Daan Zichtbaar"]  # Noor's trial was passed
    world.participant.placements.update(end_date=today - timedelta(days=1))
    assert not queue_of(world.users["regisseur"])["trials_soon"].entries  # the placement ended


@pytest.mark.parametrize("persona", ["coach", "regisseur", "projectleider", "employer"])
def test_start_page_queries_do_not_grow_with_the_people(persona, world, client_for):
    today = timezone.localdate()
    client = client_for(persona)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    queries()  # once first: what a process caches on its first page
    few = queries()
    for number in range(5):
        trainee = participant_in(
            world.cohort, coach=world.users["coach"], first_name=f"T{number}", last_name="Extra"
        )
        PlacementFactory(
            participant=trainee,
            employer=world.employer_org,
            trial_ends_on=today + timedelta(days=3),
        )
        FollowUpFactory(route=trainee.current_route, due_on=today, listed_for_coach_on=today)
        EvaluationFactory(
            route=trainee.current_route, held_on=today, next_on=today + timedelta(days=5)
        )
        HandoverFactory(participant=trainee, on_date=today)
    assert queries() == few
