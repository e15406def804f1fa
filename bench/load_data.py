"""Extra bench data on top of `manage.py load_demo`, for bench/load.py: the demo's colleague
coaches get the demo password, and twenty more coaches each carry 25 trainees with a running
route in a running group and twenty progress-log entries, so an academy of some 700 people
with 26 coaches is on the lists. Idempotent per database (bench coaches are found by email).

    MAATWERQ_MODE=test DATABASE_URL=postgres://.../maatwerq_load .venv/bin/python bench/load_data.py

Prints one JSON line: the login emails of the coaches and the programme ids.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.accounts import DEMO_PASSWORD  # noqa: E402
from leerroutes.models import ProgressEntry  # noqa: E402
from maatwerq.accounts.models import Academy, Membership, Programme, Role, User  # noqa: E402
from participants.models import Cohort, Participant, Route, RouteType, Status  # noqa: E402

BENCH_COACHES = 20
PER_COACH = 25
ENTRIES_PER_TRAINEE = 20
FIRST = ["Daan", "Noor", "Sem", "Lotte", "Milan", "Sara", "Finn", "Tess", "Luuk", "Eva"]
LAST = ["de Jong", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos"]


def _coach(academy: Academy, email: str, name: str) -> User:
    user, _ = User.objects.update_or_create(email=email, defaults={"full_name": name})
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, academy=academy, role=Role.COACH, defaults={"is_active": True}
    )
    return user


def _caseload(rng, academy, coach: User, cohorts: list[Cohort], today) -> None:
    people, routes, entries = [], [], []
    for _ in range(PER_COACH):
        cohort = rng.choice(cohorts)
        born = cohort.start_date - timedelta(days=rng.randint(18 * 365, 23 * 365))
        person = Participant(
            academy=academy,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            date_of_birth=born,
            coach=coach,
        )
        route = Route(
            participant=person,
            programme=cohort.programme,
            cohort=cohort,
            route_type=RouteType.GROUP,
            status=rng.choice([Status.PROEFPERIODE, Status.CONTRACT]),
            referral_date=cohort.start_date - timedelta(days=60),
            referral_source="vso",
            start_date=cohort.start_date,
        )
        people.append(person)
        routes.append(route)
        entries += [
            ProgressEntry(
                route=route,
                on=today - timedelta(days=7 * k + rng.randint(0, 6)),
                text="Op tijd, goed meegewerkt op de bouwplaats.",
                wellbeing=rng.randint(2, 5),
                author=coach,
            )
            for k in range(ENTRIES_PER_TRAINEE)
        ]
    Participant.objects.bulk_create(people)
    Route.objects.bulk_create(routes)
    for person, route in zip(people, routes, strict=True):
        person.current_route = route
    Participant.objects.bulk_update(people, ["current_route"])
    ProgressEntry.objects.bulk_create(entries)


@transaction.atomic
def build() -> dict:
    rng = random.Random(8)
    today = timezone.localdate()
    academy = Academy.objects.get(name="MaatwerQ Academie Salland")
    programmes = list(Programme.objects.filter(academy=academy).order_by("pk"))
    cohorts = [
        c
        for c in Cohort.objects.filter(programme__in=programmes, start_date__lte=today)
        if c.start_date + timedelta(days=700) > today
    ]
    coaches = [f"coach{n}@maatwerq.test" for n in ("", 2, 3, 4, 5, 6)]
    for email in coaches[2:]:
        _coach(academy, email, User.objects.get(email=email).full_name)
    for n in range(1, BENCH_COACHES + 1):
        email = f"bench-coach-{n:02d}@maatwerq.test"
        fresh = not User.objects.filter(email=email).exists()
        coach = _coach(academy, email, f"Bench Coach {n:02d}")
        if fresh:
            _caseload(rng, academy, coach, cohorts, today)
        coaches.append(email)
    return {
        "coaches": coaches,
        "programmes": [p.pk for p in programmes],
        "participants": Participant.objects.filter(academy=academy).count(),
    }


if __name__ == "__main__":
    print(json.dumps(build()))
