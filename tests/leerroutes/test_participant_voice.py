"""The young person's voice reaches staff (issue 15 item 4): their reflections and weekly
check-ins appear beside the coach's entries (marked "door deelnemer") for the coach and the
regisseur, never for a projectleider, another coach or an employer; a low own score raises a
caseload card, also when no check-in followed for two weeks; the internal dossier carries
them, and the young person's own dossier plots their scores beside the coach's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from leerroutes.models import Reflection, RouteSummary, SelfReportedWellbeing
from leerroutes.services import route_summaries_refresh
from portal import services as portal_services
from reporting.dossier.chart import wellbeing_svg
from reporting.dossier.content import INTERNAL_SPEC, PARTICIPANT_SPEC, dossier_build
from tests.factories import GoalFactory, PlanFactory, ProgressEntryFactory, participant_in
from tests.portal.conftest import make_deelnemer

from .test_views import body

pytestmark = pytest.mark.django_db

REFLECTION = "REFLECTIE-STEM ik wil leren de shovel te besturen"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def check_in(route, week: date, score: int) -> None:
    SelfReportedWellbeing.objects.create(route=route, week_start=week, score=score)
    route_summaries_refresh([route.pk])


@pytest.fixture
def voice(world, route):
    """Daan's reflection on a goal and a low check-in this week."""
    plan = PlanFactory(route=route.route)
    goal = GoalFactory(created_in=plan, description="Elke dag op tijd op de bouwplaats")
    Reflection.objects.create(route=route.route, goal=goal, text=REFLECTION)
    check_in(route.route, monday(timezone.localdate()), 2)
    return goal


# --- the timeline beside the coach's entries ---------------------------------------------------


@pytest.mark.parametrize("persona", ["coach", "regisseur"])
def test_coach_and_regisseur_read_the_voice_beside_the_log(
    world, route, voice, client_for, persona
):
    ProgressEntryFactory(route=route.route, text="COACH-NOTITIE goed gewerkt")
    text = body(
        client_for(persona).get(reverse("leerroutes:progress_log", args=[route.participant.pk]))
    )
    assert "COACH-NOTITIE" in text
    assert 'id="participant-voice"' in text
    assert REFLECTION in text
    assert "door deelnemer" in text
    assert "Elke dag op tijd op de bouwplaats" in text  # the goal it is about
    assert "voice-check_in" in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("projectleider", 403), ("other_coach", 404), ("employer", 404), ("beheerder", 404)],
)
def test_others_never_read_the_voice(world, route, voice, client_for, persona, status):
    address = reverse("leerroutes:progress_log", args=[route.participant.pk])
    response = client_for(persona).get(address)
    assert response.status_code in (403, 404)
    assert REFLECTION not in body(response)


def test_projectleider_sees_no_reflection_on_any_route_page(world, route, voice, client_for):
    client = client_for("projectleider")
    for name in ("route_overview", "plan", "progress_log"):
        response = client.get(reverse(f"leerroutes:{name}", args=[route.participant.pk]))
        assert REFLECTION not in body(response), name
    page = body(client.get(reverse("participants:participant_detail", args=[route.participant.pk])))
    assert REFLECTION not in page


# --- the caseload card ---------------------------------------------------------------------


def caseload(client_for) -> str:
    return body(client_for("coach").get(reverse("leerroutes:caseload")))


def feels_low_card(text: str) -> str:
    start = text.index('id="feels-low"')
    return text[start : text.index("</section>", start)]


def test_a_low_own_score_raises_a_card(world, route, client_for):
    deelnemer = make_deelnemer(world)
    portal_services.wellbeing_report(participant=route.participant, score=1, by=deelnemer)
    summary = RouteSummary.objects.get(route=route.route)
    assert summary.last_self_score == 1
    card = feels_low_card(caseload(client_for))
    assert world.participant.full_name in card
    assert "geen check-in sinds" not in card


def test_a_good_own_score_raises_none(world, route, client_for):
    deelnemer = make_deelnemer(world)
    portal_services.wellbeing_report(participant=route.participant, score=4, by=deelnemer)
    assert world.participant.full_name not in feels_low_card(caseload(client_for))


def test_two_weeks_without_a_check_in_after_a_low_score_says_so(world, route, client_for):
    check_in(route.route, monday(timezone.localdate()) - timedelta(days=21), 2)
    card = feels_low_card(caseload(client_for))
    assert world.participant.full_name in card
    assert "geen check-in sinds" in card


def test_a_better_check_in_after_a_low_one_clears_the_card(world, route, client_for):
    this_week = monday(timezone.localdate())
    check_in(route.route, this_week - timedelta(days=7), 1)
    check_in(route.route, this_week, 4)
    assert world.participant.full_name not in feels_low_card(caseload(client_for))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("leerroutes:caseload"))
    assert response.status_code == 200
    return len(captured)


def _fill(world, coach, count: int, start: int) -> None:
    for index in range(start, start + count):
        person = participant_in(world.cohort, coach=coach, last_name=f"Stem{index:02d}")
        check_in(person.current_route, monday(timezone.localdate()), 1 + index % 5)


def test_caseload_query_count_stays_flat_with_check_ins(world, route, coach, client_for):
    client = client_for("coach")
    _fill(world, coach, 2, 0)
    small = _queries(client)
    _fill(world, coach, 18, 2)
    large = _queries(client)
    text = caseload(client_for)
    assert feels_low_card(text).count("Stem") == 8  # scores 1 and 2 of twenty
    assert small == large


# --- the dossiers ----------------------------------------------------------------------------


def build(participant, spec):
    with translation.override("nl"):
        return dossier_build(
            participant=participant,
            route=participant.current_route,
            spec=spec,
            today=timezone.localdate(),
        )


def test_internal_dossier_carries_the_voice(world, route, voice):
    dossier = build(route.participant, INTERNAL_SPEC)
    texts = [item["text"] for item in dossier.sections["voice"]]
    assert REFLECTION in texts
    assert any(item["kind"] == "check_in" for item in dossier.sections["voice"])


def test_own_dossier_plots_own_scores_beside_the_coachs(world, route):
    route = route.route
    check_in(route, date(2025, 10, 6), 2)
    check_in(route, date(2025, 11, 3), 4)
    ProgressEntryFactory(route=route, on=date(2025, 10, 8), wellbeing=3, shareable=True)
    ProgressEntryFactory(route=route, on=date(2025, 11, 5), wellbeing=5, shareable=True)
    ProgressEntryFactory(route=route, on=date(2025, 11, 6), wellbeing=1, shareable=False)
    dossier = build(route.participant, PARTICIPANT_SPEC)
    own, coach = dossier.sections["wellbeing"]
    assert [p["score"] for p in own["points"]] == [2.0, 4.0]
    assert [p["score"] for p in coach["points"]] == [3.0, 5.0]  # shared entries only
    assert own["label"] == "Hoe ik zei dat ik me voelde"
    assert "voice" not in dossier.sections  # the own copy has the chart, not the staff list
    svg = wellbeing_svg(dossier.sections["wellbeing"], score_labels={}, title="Hoe ik me voelde")
    assert svg.count("<polyline") == 2
    assert 'stroke-dasharray="6 4"' in svg
