"""Goal kinds (issue 15 item 3): a goal is a work goal or a support goal. The plan form and
service set it (a new goal without one takes its life domain's), existing goals were given
theirs by the migration, and an unknown domain is the safe side: support."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps

from leerroutes import services
from leerroutes.models import Goal, GoalKind, LifeDomain, Plan
from tests.factories import GoalFactory, PlanFactory

from .conftest import plan_with_goal
from .test_views import body, plan_post, url

pytestmark = pytest.mark.django_db


def domain(route, name):
    return next(d for d in route.domains if d.name == name)


def test_migration_sets_the_kind_from_the_analysis_domain(route):
    plan = PlanFactory(route=route.route)
    made = {}
    for name in ("Werkvaardigheden", "Leren leren", "Geld en schulden", "Wonen", None):
        made[name] = GoalFactory(
            created_in=plan,
            description=f"Doel {name}",
            domain=domain(route, name) if name else None,
            kind=GoalKind.SUPPORT,  # as the new column starts
        )
    odd = GoalFactory(
        created_in=plan,
        description="Doel in een eigen leefgebied",
        domain=LifeDomain.objects.create(academy=route.participant.academy, name="Sport"),
        kind=GoalKind.SUPPORT,
    )
    migration = importlib.import_module("leerroutes.migrations.0006_goal_kind")
    migration.kinds_from_domains(apps, None)
    kinds = dict(Goal.objects.values_list("pk", "kind"))
    assert kinds[made["Werkvaardigheden"].pk] == GoalKind.WORK
    assert kinds[made["Leren leren"].pk] == GoalKind.WORK
    assert kinds[made["Geld en schulden"].pk] == GoalKind.SUPPORT
    assert kinds[made["Wonen"].pk] == GoalKind.SUPPORT
    assert kinds[made[None].pk] == GoalKind.SUPPORT
    assert kinds[odd.pk] == GoalKind.SUPPORT


def test_a_new_goal_takes_its_domains_kind_unless_one_is_chosen(route, coach):
    services.plan_save(
        participant=route.participant,
        based_on=0,
        plan_date=date(2025, 9, 1),
        perspective="Vaste baan",
        support_plan="",
        goals=[
            services.GoalData(
                description="Trottoir bestraten",
                target_date=date(2026, 1, 1),
                domain=domain(route, "Werkvaardigheden"),
            ),
            services.GoalData(
                description="Schulden in beeld",
                target_date=date(2026, 1, 1),
                domain=domain(route, "Geld en schulden"),
            ),
            services.GoalData(description="Zonder leefgebied", target_date=date(2026, 1, 1)),
            services.GoalData(
                description="Gekozen als werkdoel",
                target_date=date(2026, 1, 1),
                domain=domain(route, "Wonen"),
                kind=GoalKind.WORK,
            ),
        ],
        by=coach,
    )
    assert dict(Goal.objects.values_list("description", "kind")) == {
        "Trottoir bestraten": GoalKind.WORK,
        "Schulden in beeld": GoalKind.SUPPORT,
        "Zonder leefgebied": GoalKind.SUPPORT,
        "Gekozen als werkdoel": GoalKind.WORK,
    }
    snapshot = Plan.objects.get().goals_snapshot
    assert {g["description"]: g["kind"] for g in snapshot}[
        "Schulden in beeld"
    ] == "ondersteuningsdoel"


def test_changing_only_the_kind_makes_a_new_version_and_keeping_it_keeps_it(route, coach):
    plan_with_goal(route, coach)  # a work goal (Werkvaardigheden)
    goal = Goal.objects.get()
    assert goal.kind == GoalKind.WORK
    common = {
        "participant": route.participant,
        "plan_date": date(2025, 10, 1),
        "perspective": "Vaste baan als straatmaker",
        "support_plan": "Coach twee keer per week",
        "by": coach,
    }
    services.plan_save(
        based_on=1,
        goals=[
            services.GoalData(
                pk=goal.pk,
                description=goal.description,
                target_date=goal.target_date,
                domain=goal.domain,
                kind=GoalKind.SUPPORT,
            )
        ],
        **common,
    )
    goal.refresh_from_db()
    assert goal.kind == GoalKind.SUPPORT
    # Saved without a kind (an older caller): the goal keeps the one it has.
    services.plan_save(
        based_on=2,
        goals=[
            services.GoalData(pk=goal.pk, description="Nieuwe tekst", target_date=goal.target_date)
        ],
        **common,
    )
    goal.refresh_from_db()
    assert (goal.description, goal.kind) == ("Nieuwe tekst", GoalKind.SUPPORT)


def test_plan_form_offers_the_kind_and_saves_it(route, client_for):
    client = client_for("coach")
    edit = url("plan_edit", route.participant)
    page = body(client.get(edit))
    assert 'name="goals-0-kind"' in page
    assert "Ondersteuningsdoel" in page
    response = client.post(
        edit,
        plan_post(
            0,
            "Vaste baan",
            [
                {"description": "Op tijd komen", "target_date": "2026-01-01", "kind": "werkdoel"},
                {"description": "Kamer vinden", "target_date": "2026-01-01", "kind": ""},
            ],
        ),
    )
    assert response.status_code == 302
    assert dict(Goal.objects.values_list("description", "kind")) == {
        "Op tijd komen": GoalKind.WORK,
        "Kamer vinden": GoalKind.SUPPORT,
    }
    plan_page = body(client.get(url("plan", route.participant)))
    assert "Werkdoel" in plan_page
    assert "Ondersteuningsdoel" in plan_page


def test_an_unknown_kind_is_refused_at_the_field(route, client_for):
    response = client_for("coach").post(
        url("plan_edit", route.participant),
        plan_post(
            0, "Vaste baan", [{"description": "VCA", "target_date": "2026-01-01", "kind": "x"}]
        ),
    )
    assert response.status_code == 200
    assert 'id="id_goals-0-kind_error"' in body(response)
    assert not Plan.objects.exists()
