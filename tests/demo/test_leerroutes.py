"""The demo routes: believable, deterministic and idempotent."""

from __future__ import annotations

import pytest
from django.db.models import Avg, Count
from django.utils import timezone

from demo.accounts import build_organisation
from demo.leerroutes import build_leerroutes
from demo.participants import build_participants
from leerroutes import models
from participants.models import Status

# Builds the demo's participants and their routes, the routes twice: seconds, so `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COUNTED = [
    models.Analysis,
    models.Arrangement,
    models.Plan,
    models.Goal,
    models.GoalStatusChange,
    models.ProgressEntry,
    models.Evaluation,
    models.LeermeesterAssessment,
    models.RocResult,
    models.Certificate,
    models.HoursWeek,
    models.Handelingswijzer,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_routes_are_rebuilt_to_the_same_state():
    today = timezone.localdate()
    organisation = build_organisation(today)
    build_participants(organisation, today)
    build_leerroutes(organisation, today)
    first = _counts()
    assert all(first.values()), first
    build_leerroutes(build_organisation(today), today)
    assert _counts() == first

    statuses = set(models.Goal.objects.values_list("status", flat=True))
    assert statuses == set(models.GoalStatus.values)
    # Well-being rises over a route not ended by drop-out: the last entries score higher.
    route = (
        models.ProgressEntry.objects.exclude(route__status=Status.UITGEVALLEN)
        .values("route")
        .annotate(n=Count("pk"))
        .order_by("-n", "route")
        .first()["route"]
    )
    entries = models.ProgressEntry.objects.filter(route=route).order_by("on")
    n = entries.count() // 3
    early = entries[:n].aggregate(a=Avg("wellbeing"))["a"]
    late = entries.reverse()[:n].aggregate(a=Avg("wellbeing"))["a"]
    assert late > early
