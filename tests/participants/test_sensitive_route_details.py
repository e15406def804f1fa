"""Issue 14 item 7: per person, a projectleider sees what the dashboard's drill-down lets
them see: names and status, not the route type, intake result, outcome and drop-out reason,
nor a placement's arrangements and how it ended. The values are planted and looked for."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from employers.models import ArrangementKind, PlacementEndReason
from participants.models import IntakeOutcome, OutcomeCategory, OutcomeReason, RouteType

from ..factories import PlacementArrangementFactory

END_NOTE = "EINDNOTITIE-GEHEIM botsing met leermeester"
REFERENCE = "REF-NORISK-4711"


def _labels(*choices) -> list[str]:
    with translation.override("nl"):
        return [str(choice.label) for choice in choices]


@pytest.fixture
def planted(world):
    """Daan's route: ended negatively, problems got worse, after an intake; his placement
    with a no-risk policy and a wage-cost subsidy, ended by dismissal with a note."""
    route = world.participant.current_route
    route.route_type = RouteType.WERKSCHOOL
    route.intake_outcome = IntakeOutcome.WAITING_LIST
    route.outcome_category = OutcomeCategory.NEGATIVE
    route.outcome_reason = OutcomeReason.PROBLEMS
    route.save()
    placement = world.participant.placements.get()
    placement.end_date = date(2026, 6, 1)
    placement.end_reason = PlacementEndReason.DISMISSED
    placement.end_note = END_NOTE
    placement.save()
    PlacementArrangementFactory(
        placement=placement, kind=ArrangementKind.NO_RISK, reference=REFERENCE
    )
    PlacementArrangementFactory(placement=placement, kind=ArrangementKind.WAGE_COST_SUBSIDY)
    return world, placement


ROUTE_SECRETS = _labels(
    RouteType.WERKSCHOOL,
    IntakeOutcome.WAITING_LIST,
    OutcomeCategory.NEGATIVE,
    OutcomeReason.PROBLEMS,
)
PLACEMENT_SECRETS = [
    END_NOTE,
    REFERENCE,
    *_labels(
        ArrangementKind.NO_RISK, ArrangementKind.WAGE_COST_SUBSIDY, PlacementEndReason.DISMISSED
    ),
]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_projectleider_sees_no_outcome_intake_or_route_type_on_the_person_page(planted, client_for):
    world, _placement = planted
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    body = _page(client_for("projectleider"), url)
    assert "Daan Zichtbaar" in body  # names and status: theirs
    for secret in ROUTE_SECRETS:
        assert secret not in body, secret


@pytest.mark.parametrize("persona", ["regisseur", "coach"])
def test_regisseur_and_own_coach_see_outcome_intake_and_route_type(persona, planted, client_for):
    world, _placement = planted
    url = reverse("participants:participant_detail", args=[world.participant.pk])
    body = _page(client_for(persona), url)
    for secret in ROUTE_SECRETS:
        assert secret in body, secret


def _placement_pages(world, placement) -> list[str]:
    return [
        reverse("employers:placement_detail", args=[placement.public_id]),
        reverse("employers:participant_placements", args=[world.participant.pk]),
    ]


def test_projectleider_sees_no_arrangements_or_end_notes_of_a_placement(planted, client_for):
    world, placement = planted
    client = client_for("projectleider")
    for url in _placement_pages(world, placement):
        body = _page(client, url)
        assert "Daan Zichtbaar" in body, url
        for secret in PLACEMENT_SECRETS:
            assert secret not in body, (url, secret)


@pytest.mark.parametrize("persona", ["regisseur", "coach"])
def test_regisseur_and_own_coach_see_arrangements_and_end_notes(persona, planted, client_for):
    world, placement = planted
    body = _page(
        client_for(persona), reverse("employers:placement_detail", args=[placement.public_id])
    )
    for secret in PLACEMENT_SECRETS:
        assert secret in body, secret
    listing = _page(
        client_for(persona),
        reverse("employers:participant_placements", args=[world.participant.pk]),
    )
    assert _labels(ArrangementKind.NO_RISK)[0] in listing


def test_person_pages_and_dashboard_ask_the_same_rule(planted):
    """One predicate decides both: whoever may open a sensitive dashboard drill-down sees the
    details per person, and the projectleider neither."""
    world, _placement = planted
    for persona in ("regisseur", "projectleider"):
        user = world.users[persona]
        assert user.has_perm("reporting.view_dashboard_sensitive_names") == user.has_perm(
            "participants.view_sensitive_route_details", world.participant
        ), persona
    assert not world.users["projectleider"].has_perm("reporting.view_dashboard_sensitive_names")
