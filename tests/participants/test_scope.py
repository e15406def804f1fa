"""The scope rule of architecture.md, tested on the selector directly."""

import pytest
from django.urls import reverse

from maatwerq.accounts.access import set_active_membership
from participants.selectors import care_notes_visible_to, participants_visible_to

pytestmark = pytest.mark.django_db

EXPECTED = {
    "coach": {"Zichtbaar"},
    "other_coach": {"Anderman"},
    "regisseur": {"Zichtbaar", "Anderman"},
    "projectleider": {"Zichtbaar", "Anderman"},
    "employer": {"Zichtbaar"},
    "other_employer": {"Anderman"},
    "beheerder": set(),
    "landelijk": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_participants_visible_to_follows_the_role_table(persona, world):
    names = set(participants_visible_to(world.users[persona]).values_list("last_name", flat=True))
    assert names == EXPECTED[persona]
    assert "Buitenaf" not in names  # another academy, never


def test_ended_placement_ends_the_employers_view(world):
    from datetime import date

    world.participant.placements.update(end_date=date(2025, 10, 1))
    user = world.users["employer"]
    set_active_membership(user, None)
    del user._acting_membership
    assert not participants_visible_to(user).exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("coach", True),
        ("regisseur", True),
        ("other_coach", False),
        ("projectleider", False),
        ("employer", False),
        ("beheerder", False),
    ],
)
def test_care_notes_only_for_regisseur_and_own_coach(persona, sees, world):
    notes = care_notes_visible_to(world.users[persona], world.participant)
    assert notes.exists() is sees


@pytest.mark.parametrize("persona", ["other_coach", "other_employer", "beheerder", "landelijk"])
def test_participant_outside_scope_is_404_and_reveals_nothing(persona, world, client_for):
    response = client_for(persona).get(
        reverse("participants:participant_detail", args=[world.participant.pk])
    )
    assert response.status_code == 404
    assert "Zichtbaar" not in response.content.decode()


def test_foreign_academy_participant_is_404_even_for_regisseur(world, client_for):
    response = client_for("regisseur").get(
        reverse("participants:participant_detail", args=[world.foreign_participant.pk])
    )
    assert response.status_code == 404
