"""The route pages: the htmx progress log, forms that refuse bad input at the field, and query
counts that do not grow. Who sees what (with planted texts) and one audit event per page:
test_view_access.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerroutes import services
from leerroutes.models import Certificate, Goal, HoursWeek, Plan, ProgressEntry
from maatwerq.audit.models import Action, AuditEvent
from participants.models import FollowUp
from tests.factories import (
    TINY_PDF,
    GoalFactory,
    PlanFactory,
    ProgressEntryFactory,
    certificate_with_evidence,
    participant_in,
)

from .conftest import plan_with_goal

pytestmark = pytest.mark.django_db


def url(name: str, participant, *args) -> str:
    return reverse(f"leerroutes:{name}", args=[participant.pk, *args])


def body(response) -> str:
    return response.content.decode()


# Every page of a participant's route, as GET.
ROUTE_PAGES = [
    "route_overview",
    "analysis",
    "analysis_new",
    "arrangement",
    "arrangement_new",
    "plan",
    "plan_edit",
    "progress_log",
    "evaluations",
    "evaluation_new",
    "results",
    "assessment_new",
    "roc_result_new",
    "certificates",
    "certificate_new",
    "hours",
    "handelingswijzer",
]
REGISSEUR_ONLY = {"analysis_new", "arrangement_new"}


# --- the progress log (htmx) ---------------------------------------------------------------


def entry_data(**overrides) -> dict:
    data = {
        "on": timezone.localdate().isoformat(),
        "wellbeing": "4",
        "text": "Zelf de banden gesteld",
        "hours_present": "7.5",
        "shareable": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_htmx_entry_comes_back_as_fresh_form_and_new_entry_on_top(route, coach, client_for):
    plan_with_goal(route, coach, description="Op tijd komen")
    goal = Goal.objects.get()
    before = AuditEvent.objects.count()
    response = client_for("coach").post(
        url("progress_log", route.participant),
        entry_data(goals=[str(goal.pk)]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = body(response)
    entry = ProgressEntry.objects.get()
    assert (entry.wellbeing, entry.text, entry.shareable) == (4, "Zelf de banden gesteld", True)
    assert list(entry.goals.all()) == [goal]
    assert 'hx-swap-oob="afterbegin:#entries"' in text
    assert f'id="entry-{entry.pk}"' in text
    assert 'id="entry-form"' in text
    assert "<html" not in text  # a fragment, not a page
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == [Action.CREATE]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"wellbeing": None}, "Kies een gezichtje."),
        ({"wellbeing": "7"}, "Kies een gezichtje van 1 tot en met 5."),
        ({"wellbeing": "0"}, "Kies een gezichtje van 1 tot en met 5."),
        ({"text": ""}, "Schrijf op wat er is gebeurd."),
        ({"hours_present": "30"}, "24"),
    ],
)
def test_htmx_entry_errors_come_back_in_the_form_with_the_input_kept(
    route, client_for, overrides, message
):
    data = entry_data(**{"text": "Bewaar deze tekst", **overrides})
    response = client_for("coach").post(
        url("progress_log", route.participant), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    text = body(response)
    assert message in text
    assert "invalid-feedback" in text
    if "text" not in overrides:
        assert "Bewaar deze tekst" in text
    assert "hx-swap-oob" not in text
    assert not ProgressEntry.objects.exists()


def test_entry_without_htmx_redirects_back_to_the_log(route, client_for):
    response = client_for("coach").post(url("progress_log", route.participant), entry_data())
    assert response.status_code == 302
    assert response["Location"] == url("progress_log", route.participant)
    assert ProgressEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["other_coach", "employer", "beheerder"])
def test_entry_for_a_participant_outside_the_caseload_is_404(route, client_for, persona):
    response = client_for(persona).post(
        url("progress_log", route.participant), entry_data(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert not ProgressEntry.objects.exists()


def test_projectleider_cannot_add_an_entry(route, client_for):
    response = client_for("projectleider").post(
        url("progress_log", route.participant), entry_data()
    )
    assert response.status_code == 403
    assert not ProgressEntry.objects.exists()


def test_log_page_shows_faces_and_the_latest_entries(route, coach, client_for):
    services.progress_entry_add(
        participant=route.participant, on=date(2025, 10, 1), text="Eerste", wellbeing=2, by=coach
    )
    services.progress_entry_add(
        participant=route.participant, on=date(2025, 10, 8), text="Tweede", wellbeing=5, by=coach
    )
    text = body(client_for("coach").get(url("progress_log", route.participant)))
    assert text.index("Tweede") < text.index("Eerste")
    assert text.count('class="btn-check"') == 5
    assert 'class="face face-5"' in text
    assert "style=" not in text
    assert "<script>" not in text


# --- the plan ------------------------------------------------------------------------------


def plan_post(version: int, perspective: str, goals: list[dict] | None = None) -> dict:
    goals = goals or []
    data = {
        "version": str(version),
        "plan_date": "2025-09-01",
        "perspective": perspective,
        "support_plan": "Coach op de bouwplaats",
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
    }
    for index, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"goals-{index}-{key}"] = value
    return data


def test_two_people_editing_the_same_plan_the_second_save_is_refused(route, coach, client_for):
    plan_with_goal(route, coach)
    coach_client, regisseur_client = client_for("coach"), client_for("regisseur")
    edit = url("plan_edit", route.participant)
    for client in (coach_client, regisseur_client):
        assert 'name="version" value="1"' in body(client.get(edit))
    first = coach_client.post(edit, plan_post(1, "Eerst opgeslagen"))
    assert first.status_code == 302
    second = regisseur_client.post(edit, plan_post(1, "Later opgeslagen"))
    assert second.status_code == 200
    assert "Iemand anders heeft versie 2" in body(second)
    assert "Later opgeslagen" in body(second)  # the input is kept to copy from
    assert list(Plan.objects.values_list("number", "perspective").order_by("number")) == [
        (1, "Vaste baan als straatmaker"),
        (2, "Eerst opgeslagen"),
    ]


def test_goal_without_description_gets_a_message_at_the_field(route, client_for):
    response = client_for("coach").post(
        url("plan_edit", route.participant),
        plan_post(0, "Vaste baan", [{"description": "", "target_date": "2026-01-01"}]),
    )
    assert response.status_code == 200
    text = body(response)
    assert 'id="id_goals-0-description_error"' in text
    assert "Beschrijf het doel." in text
    assert not Plan.objects.exists()


def test_goal_target_before_the_plan_date_gets_a_message_at_the_field(route, client_for):
    response = client_for("coach").post(
        url("plan_edit", route.participant),
        plan_post(0, "Vaste baan", [{"description": "VCA", "target_date": "2025-08-01"}]),
    )
    text = body(response)
    assert 'id="id_goals-0-target_date_error"' in text
    assert "vóór de plandatum" in text
    assert not Plan.objects.exists()


def test_plan_sign_off_twice_gives_a_message(route, coach, client_for):
    plan = plan_with_goal(route, coach)
    client = client_for("regisseur")
    sign = url("plan_sign_off", route.participant, plan.number)
    client.post(sign)
    response = client.post(sign, follow=True)
    assert "al vastgesteld" in body(response)
    assert client_for("coach").post(sign).status_code == 403


def test_old_plan_version_and_changes_are_readable(route, coach, client_for):
    plan_with_goal(route, coach, description="Op tijd komen")
    goal = Goal.objects.get()
    services.plan_save(
        participant=route.participant,
        based_on=1,
        plan_date=date(2025, 10, 1),
        perspective="Vaste baan als machinist",
        support_plan="Coach twee keer per week",
        goals=[
            services.GoalData(pk=goal.pk, description="Om 7.00 uur", target_date=goal.target_date)
        ],
        by=coach,
    )
    client = client_for("coach")
    old = body(client.get(url("plan", route.participant) + "?version=1"))
    assert "Vaste baan als straatmaker" in old
    assert "Op tijd komen" in old
    changes = body(client.get(url("plan_changes", route.participant, 2)))
    assert "<del>straatmaker</del>" in changes
    assert "<ins>machinist</ins>" in changes
    assert "Om 7.00 uur" in changes


def test_goal_status_change_through_the_page(route, coach, client_for):
    plan_with_goal(route, coach)
    goal = Goal.objects.get()
    page = url("goal_status", route.participant, goal.pk)
    response = client_for("coach").post(page, {"to_status": "bezig", "on": "2025-10-01"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "bezig"
    assert client_for("projectleider").post(page, {"to_status": "behaald"}).status_code == 403


def test_goal_of_another_route_is_404(world, route, client_for):
    other_goal = GoalFactory(created_in=PlanFactory(route=world.other_participant.current_route))
    response = client_for("coach").get(url("goal_status", route.participant, other_goal.pk))
    assert response.status_code == 404


# --- certificates, hours, handelingswijzer -------------------------------------------------


def certificate_post(upload) -> dict:
    return {
        "kind": "branche",
        "title": "VCA Basis",
        "issued_on": "2025-11-01",
        "issuer": "SSVV",
        "evidence": upload,
    }


def test_evidence_that_is_not_a_pdf_or_image_gets_a_message_at_the_field(route, client_for):
    upload = SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_for("coach").post(
        url("certificate_new", route.participant), certificate_post(upload)
    )
    assert response.status_code == 200
    text = body(response)
    assert 'id="id_evidence_error"' in text
    assert "geen pdf en geen afbeelding" in text
    assert not Certificate.objects.exists()


def test_evidence_is_served_only_through_the_checked_view(route, client_for):
    upload = SimpleUploadedFile("diploma.pdf", TINY_PDF, "application/pdf")
    client_for("coach").post(url("certificate_new", route.participant), certificate_post(upload))
    certificate = Certificate.objects.get()
    evidence = url("certificate_evidence", route.participant, certificate.pk)
    before = AuditEvent.objects.count()
    response = client_for("coach").get(evidence)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == TINY_PDF
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_id) == (Action.READ, str(certificate.pk))
    for persona, status in [("other_coach", 404), ("employer", 404), ("projectleider", 403)]:
        assert client_for(persona).get(evidence).status_code == status


def test_evidence_of_another_route_is_404(world, route, client_for):
    other = certificate_with_evidence(world.other_participant.current_route)
    response = client_for("coach").get(url("certificate_evidence", route.participant, other.pk))
    assert response.status_code == 404


def test_hours_over_60_get_a_message_at_the_field(route, client_for):
    response = client_for("coach").post(
        url("hours", route.participant),
        {"week_start": "2025-10-06", "practice_hours": "50", "theory_hours": "12"},
    )
    assert response.status_code == 200
    assert 'id="id_practice_hours_error"' in body(response)
    assert "meer dan 60 uur" in body(response)
    assert not HoursWeek.objects.exists()


def test_hours_month_table(route, client_for):
    client = client_for("coach")
    client.post(
        url("hours", route.participant),
        {"week_start": "2025-10-06", "practice_hours": "24", "theory_hours": "8"},
    )
    text = body(client.get(url("hours", route.participant)))
    assert "32" in text


def test_handelingswijzer_is_written_by_the_coach_and_says_whether_it_is_shared(route, client_for):
    client = client_for("coach")
    response = client.post(
        url("handelingswijzer", route.participant),
        {"written_on": "2025-10-01", "about_me": "Harde werker", "instructions": "Kort"},
    )
    assert response.status_code == 302
    text = body(client.get(url("handelingswijzer", route.participant)))
    assert "Harde werker" in text
    assert "Geen geldige toestemming" in text


# --- caseload ------------------------------------------------------------------------------


def test_caseload_shows_own_trainees_and_what_needs_attention(world, route, coach, client_for):
    today = timezone.localdate()
    FollowUp.objects.create(
        route=route.route,
        months_after=6,
        due_on=today - timedelta(days=2),
        listed_for_coach_on=today,
    )
    response = client_for("coach").get(reverse("leerroutes:caseload"))
    text = body(response)
    assert world.participant.full_name in text
    assert world.other_participant.last_name not in text
    assert ">stil</span>" in text
    assert "6 maanden" in text


def test_caseload_rows_are_kept_by_value_language_and_links(world, route, coach, client_for):
    """Each row is rendered once per value and language (leerroutes.templatetags.caseload):
    a changed row shows its change at once, another language its own words, and the links
    are those {% url %} gives."""
    from django.conf import settings

    participant = world.participant
    client = client_for("coach")
    address = reverse("leerroutes:caseload")
    first = body(client.get(address))
    assert "Voortgang noteren" in first
    for name in ("leerroutes:route_overview", "leerroutes:progress_log"):
        assert f'href="{reverse(name, args=[participant.pk])}"' in first
    type(participant).objects.filter(pk=participant.pk).update(first_name="Veranderd")
    again = body(client.get(address))
    assert "Veranderd" in again
    assert participant.first_name not in again.split("caseload-list", 1)[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = body(client.get(address))
    assert "Log progress" in english
    assert "Voortgang noteren" not in english


def test_an_unchanged_caseload_is_rendered_once(world, route, coach, client_for):
    """The page's content is kept per value (the rows, the cards, the filter, the language):
    the same caseload again renders nothing; a filter, a new entry or another language is a
    new value."""
    from leerroutes.templatetags.caseload import _body

    client = client_for("coach")
    address = reverse("leerroutes:caseload")

    def rendered(query: str = "") -> tuple[int, str]:
        before = _body.cache_info().misses
        text = body(client.get(address + query))
        return _body.cache_info().misses - before, text

    assert rendered()[0] == 1
    assert rendered()[0] == 0
    count, text = rendered("?aandacht=1")
    assert count == 1
    assert "1 van 1 getoond" in text
    services.progress_entry_add(
        participant=route.participant, on=timezone.localdate(), text="Nieuw", wellbeing=4, by=coach
    )
    count, text = rendered()
    assert count == 1
    assert ">stil</span>" not in text


@pytest.mark.parametrize("persona", ["projectleider", "employer", "beheerder", "landelijk"])
def test_caseload_is_not_for_other_roles(world, client_for, persona):
    response = client_for(persona).get(reverse("leerroutes:caseload"))
    assert response.status_code == 403
    assert world.participant.last_name not in body(response)


# --- query counts --------------------------------------------------------------------------


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def _fill_caseload(world, coach, count: int) -> None:
    for index in range(count):
        person = participant_in(world.cohort, coach=coach, last_name=f"Extra{index:02d}")
        plan = PlanFactory(route=person.current_route)
        GoalFactory(created_in=plan, target_date=date(2025, 10, 1))
        ProgressEntryFactory(route=person.current_route)
        services.evaluation_record(
            participant=person,
            held_on=date(2025, 11, 1),
            summary="Besproken",
            next_on=date(2026, 2, 1),
            by=coach,
        )


def test_caseload_query_count_does_not_grow_with_trainees(world, route, coach, client_for):
    client = client_for("coach")
    address = reverse("leerroutes:caseload")
    _fill_caseload(world, coach, 1)  # the world's participant + 1 = 2
    small = _queries(client, address)
    _fill_caseload(world, coach, 18)  # 20
    large = _queries(client, address)
    assert body(client.get(address)).count("Extra") >= 19
    assert small == large


def _fill_log(route, coach, count: int) -> None:
    goal = Goal.objects.filter(route=route.route).first()
    for _ in range(count):
        entry = ProgressEntryFactory(route=route.route, author=coach)
        entry.goals.add(goal)


def test_progress_log_query_count_does_not_grow_with_entries(route, coach, client_for):
    plan_with_goal(route, coach)
    client = client_for("coach")
    address = url("progress_log", route.participant)
    _fill_log(route, coach, 2)
    small = _queries(client, address)
    _fill_log(route, coach, 18)
    large = _queries(client, address)
    assert body(client.get(address)).count('class="entry card') == 20
    assert small == large
