"""Demo participants for the demo academy. Deterministic (fixed seed) and idempotent."""

from __future__ import annotations

import random
from datetime import date, timedelta

from employers.models import Placement

from .models import CareNote, Cohort, Participant, RouteType, Status, Traject

FIRST_NAMES = [
    "Daan",
    "Sem",
    "Lucas",
    "Milan",
    "Levi",
    "Finn",
    "Jesse",
    "Thijs",
    "Ruben",
    "Bram",
    "Mohamed",
    "Yusuf",
    "Noah",
    "Luuk",
    "Stijn",
    "Tim",
    "Sven",
    "Jayden",
    "Dylan",
    "Kevin",
    "Emma",
    "Lotte",
    "Sanne",
    "Fleur",
    "Noor",
    "Amira",
    "Lisa",
    "Demi",
    "Kim",
    "Iris",
]
LAST_NAMES = [
    "Jansen",
    "de Boer",
    "Mulder",
    "Bos",
    "Visser",
    "Smit",
    "Meijer",
    "de Groot",
    "Kok",
    "Dijkstra",
    "Veenstra",
    "Postma",
    "Hendriks",
    "Brouwer",
    "Kuipers",
    "van Dijk",
    "Yilmaz",
    "El Idrissi",
    "Wolters",
    "Nijhuis",
    "Scholten",
    "Haverkamp",
    "Ten Brinke",
    "Lubbers",
]
CARE_NOTES = [
    "Schulden bij zorgverzekeraar; budgetcoach gemeente ingeschakeld.",
    "Woont sinds kort begeleid; contact met jeugdzorg over nachtrust.",
    "Slaapt slecht na ruzie thuis; volgende week gesprek met moeder.",
    "Gebruikt medicatie voor ADHD; let op concentratie na de pauze.",
]


def _person(rng: random.Random, start: date) -> tuple[str, str, date]:
    age_days = rng.randint(17 * 365, 23 * 365)
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), start - timedelta(days=age_days)


def build_participants(organisation, today: date) -> None:
    rng = random.Random(2012)
    academy = organisation.academy
    coach = organisation.people["coach@maatwerq.test"]
    coach2 = organisation.people["coach2@maatwerq.test"]
    regisseur = organisation.people["regisseur"]
    employer = organisation.employers["binq"]
    binq = organisation.programmes["BinQ"]
    running = (
        Cohort.objects.filter(programme=binq, start_date__lte=today).order_by("-start_date").first()
    )
    tanq_cohort = (
        Cohort.objects.filter(programme=organisation.programmes["TanQ"], start_date__lte=today)
        .order_by("-start_date")
        .first()
    )
    for index in range(12):
        cohort = running if index < 8 else tanq_cohort
        first, last, born = _person(rng, cohort.start_date)
        participant, _ = Participant.objects.update_or_create(
            academy=academy,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            defaults={"coach": coach if index < 8 else coach2},
        )
        traject, _ = Traject.objects.update_or_create(
            participant=participant,
            programme=cohort.programme,
            defaults={
                "cohort": cohort,
                "route_type": RouteType.GROUP,
                "status": Status.PROEFPERIODE,
                "referral_source": "vso",
                "referral_date": cohort.start_date - timedelta(days=90),
                "start_date": cohort.start_date,
                "trial_start_date": cohort.start_date,
            },
        )
        participant.current_traject = traject
        participant.save(update_fields=["current_traject"])
        if index < 6 and not participant.placements.exists():
            Placement.objects.create(
                participant=participant, employer=employer, start_date=cohort.start_date
            )
        if index % 3 == 0 and not participant.care_notes.exists():
            CareNote.objects.create(
                participant=participant,
                author=regisseur,
                written_on=cohort.start_date + timedelta(days=20),
                text=CARE_NOTES[index % len(CARE_NOTES)],
            )
