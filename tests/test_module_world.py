"""The shared module world (tests/conftest.py `module_world`, `shared_data`): built once, and
still every test starts from the same rows, whatever the one before it wrote.

The tests run in the order written (and `--dist loadfile` keeps a module on one worker), so
the second and third see what the first left behind, if anything.
"""

from __future__ import annotations

import pytest

from maatwerq.audit.models import AuditEvent
from participants.models import CareNote

from .factories import CareNoteFactory

SEEN = []


@pytest.fixture
def world(module_world, db):
    return module_world


def test_a_test_writes_into_the_shared_world(world, client_for):
    SEEN.append(world)
    CareNoteFactory(participant=world.participant, text="ZORG-GEHEIM-DAAN tweede")
    world.participant.network.create(role="ouder", name="Ouder")
    client_for("coach").get(f"/deelnemers/{world.participant.pk}/")
    assert AuditEvent.objects.filter(participant=world.participant).exists()
    assert CareNote.objects.filter(participant=world.participant).count() == 2


def test_the_next_test_meets_the_same_world_without_those_rows(world):
    SEEN.append(world)
    assert SEEN[0] is world
    assert list(CareNote.objects.values_list("text", flat=True).order_by("text")) == [
        "ZORG-GEHEIM-DAAN schulden",
        "ZORG-GEHEIM-NOOR jeugdzorg",
    ]
    assert not world.participant.network.exists()
    assert not AuditEvent.objects.exists()
