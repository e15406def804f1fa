"""manage.py retention_report: who may be anonymised, by id only."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from participants.models import Status
from tests.factories import ParticipantFactory, RouteFactory

pytestmark = pytest.mark.django_db

TODAY = date(2028, 6, 1)


def _ended(academy, end_date, **person):
    participant = ParticipantFactory(academy=academy, **person)
    RouteFactory(
        participant=participant,
        programme__academy=academy,
        status=Status.AFGEROND,
        referral_date=date(end_date.year - 3, 1, 1),
        start_date=date(end_date.year - 2, 9, 1),
        end_date=end_date,
    )
    return participant


def retention_report(*args: str) -> list[str]:
    out = StringIO()
    call_command(
        "retention_report", "--date", TODAY.isoformat(), *args, stdout=out, stderr=StringIO()
    )
    return out.getvalue().splitlines()


def test_retention_report_lists_only_those_past_retention_by_id(world):
    past = _ended(world.academy, date(2026, 5, 31), last_name="Verlopen")
    _ended(world.academy, date(2026, 6, 2), last_name="Bijna")  # two years on 2 June 2028
    gone = _ended(world.academy, date(2020, 1, 1), last_name="AlWeg")
    gone.anonymised_at = timezone.now()
    gone.save(update_fields=["anonymised_at"])
    foreign = _ended(world.other_academy, date(2025, 1, 1), last_name="Elders")
    running_too = _ended(world.academy, date(2024, 1, 1), last_name="Loopt")
    RouteFactory(participant=running_too, programme__academy=world.academy)  # still running

    lines = retention_report()

    assert lines == sorted(
        [
            f"{past.pk} {world.academy.pk} 2028-05-31",
            f"{foreign.pk} {world.other_academy.pk} 2027-01-01",
        ],
        key=lambda line: (int(line.split()[1]), line.split()[0]),
    )
    text = "\n".join(lines)
    for name in ("Verlopen", "Elders", "Zichtbaar", "Daan"):
        assert name not in text


def test_retention_report_for_one_academy(world):
    _ended(world.academy, date(2025, 1, 1))
    foreign = _ended(world.other_academy, date(2025, 1, 1))

    lines = retention_report("--academy", world.other_academy.name)

    assert lines == [f"{foreign.pk} {world.other_academy.pk} 2027-01-01"]
