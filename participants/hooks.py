"""Where the apps above participants add to what participants does. participants is a low
layer and imports no higher app, so an app that keeps data about a participant elsewhere
registers a section of the inspection export (inzageverzoek, participants.privacy) from its
AppConfig.ready()::

    inspection_section_register("esf_plus", esf_inspection_section)

The section is called with the participant and returns plain JSON-able data (or None to
leave it out); the export carries it under its name, so the person's "everything recorded
about me" stays complete although the data lives in another app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Participant

InspectionSection = Callable[["Participant"], Any]

_INSPECTION_SECTIONS: dict[str, InspectionSection] = {}


def inspection_section_register(name: str, section: InspectionSection) -> None:
    """Add ``section(participant)`` to the inspection export under ``name``."""
    if name in _INSPECTION_SECTIONS and _INSPECTION_SECTIONS[name] is not section:
        raise ValueError(f"Inspection section {name!r} is registered twice")
    _INSPECTION_SECTIONS[name] = section


def inspection_sections(participant: Participant) -> dict[str, Any]:
    """The registered sections of one participant, each by its name (None left out)."""
    found = {name: section(participant) for name, section in _INSPECTION_SECTIONS.items()}
    return {name: value for name, value in found.items() if value is not None}
