"""Demo organisation: the Salland academy with BinQ, TanQ and BlinQ, and one person per role.

Idempotent: objects are found by their natural keys and brought back to the demo state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from employers.models import Employer
from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from maatwerq.accounts.services import login_address_confirm
from participants.models import Cohort

DEMO_PASSWORD = "MaatwerQ-demo-2026"  # noqa: S105 - printed on purpose: demo logins only


@dataclass
class DemoOrganisation:
    academy: Academy
    other_academy: Academy
    programmes: dict[str, Programme]
    employers: dict[str, Employer]
    people: dict[str, User]


PROGRAMMES = [
    # name, branch, location, ROC, qualification, level, first intake year, planned size
    (
        "BinQ",
        "Grond-, weg- en waterbouw",
        "Raalte",
        "ROC Landstede",
        "Medewerker grond-, weg- en waterbouw (GWW)",
        2,
        2012,
        12,
    ),
    (
        "TanQ",
        "Transport en logistiek",
        "Deventer",
        "ROC Aventus",
        "Logistiek medewerker",
        2,
        2015,
        10,
    ),
    ("BlinQ", "Schoonmaak", "Zwolle", "ROC Deltion", "Schoonmaakspecialist", 2, 2017, 11),
]

EMPLOYERS = {
    "binq": "Nijland Infra Raalte",
    "tanq": "Transportbedrijf Van der Wal",
    "blinq": "Schoonmaakgroep IJsselland",
}

# One login per role of architecture.md (the deelnemer arrives with the participant portal).
PEOPLE = [
    (Role.COACH, "coach@maatwerq.test", "Sanne de Vries"),
    (Role.REGISSEUR, "regisseur@maatwerq.test", "Dr. Pieter Bosman"),
    (Role.PROJECTLEIDER, "projectleider@maatwerq.test", "Marieke Jansen"),
    (Role.WERKGEVER, "werkgever@maatwerq.test", "Henk Nijland"),
    (Role.BEHEERDER, "beheerder@maatwerq.test", "Fatima El Amrani"),
    (Role.LANDELIJK, "landelijk@maatwerq.test", "Joost van Dam"),
]
EXTRA_PEOPLE = [
    (Role.COACH, "coach2@maatwerq.test", "Kevin Smit"),
]


def _cohort_starts(first_year: int, months: list[int], until: date) -> list[date]:
    starts = []
    for year in range(first_year, until.year + 1):
        starts += [date(year, m, 1) for m in months if date(year, m, 1) <= until]
    return starts


def build_organisation(today: date) -> DemoOrganisation:
    academy, _ = Academy.objects.update_or_create(
        name="MaatwerQ Academie Salland", defaults={"region": "Salland en IJsselland"}
    )
    other, _ = Academy.objects.update_or_create(
        name="MaatwerQ Academie Twente", defaults={"region": "Twente"}
    )
    programmes = {}
    for name, branch, place, roc, qualification, level, first, size in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            academy=academy,
            name=name,
            defaults={
                "branch": branch,
                "location": place,
                "roc": roc,
                "qualification": qualification,
                "level": level,
                "intake_months": [2, 9],
                "duration_half_years": 4,
                "started_on": date(first, 2, 1),
            },
        )
        programmes[name] = programme
        for number, start in enumerate(_cohort_starts(first, [2, 9], today), start=1):
            # Planned sizes vary a little around the programme's size, as real plans do.
            Cohort.objects.update_or_create(
                programme=programme,
                name=f"Groep {number}",
                defaults={
                    "start_date": start,
                    "duration_half_years": 4,
                    "planned_size": size + (number % 3) - 1,
                },
            )
    twente, _ = Programme.objects.update_or_create(
        academy=other,
        name="No RisQ",
        defaults={
            "branch": "Beveiliging",
            "location": "Hengelo",
            "roc": "ROC van Twente",
            "qualification": "Beveiliger",
            "level": 2,
        },
    )
    programmes["No RisQ"] = twente
    employers = {}
    for key, name in EMPLOYERS.items():
        employers[key], _ = Employer.objects.get_or_create(academy=academy, name=name)
    people = {}
    for role, email, name in PEOPLE + EXTRA_PEOPLE:
        user, _ = User.objects.update_or_create(
            email=email, defaults={"full_name": name, "is_active": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        login_address_confirm(user)
        Membership.objects.update_or_create(
            user=user,
            academy=academy,
            role=role,
            defaults={
                "employer": employers["binq"] if role == Role.WERKGEVER else None,
                "is_active": True,
            },
        )
        people.setdefault(role, user)
        people[email] = user
    return DemoOrganisation(academy, other, programmes, employers, people)


DEMO_PARTICIPANT_EMAIL = "deelnemer@maatwerq.test"


def login_lines() -> list[str]:
    """One line per role, `<role>: <email> / <password>`, for people and scripts alike. The
    deelnemer is one young person of the coach's caseload (demo.portal)."""
    staff = [f"{role.value}: {email} / {DEMO_PASSWORD}" for role, email, _ in PEOPLE]
    return [*staff, f"{Role.DEELNEMER.value}: {DEMO_PARTICIPANT_EMAIL} / {DEMO_PASSWORD}"]
