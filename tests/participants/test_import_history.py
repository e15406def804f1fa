"""Past routes in the participant import (issue 15, item 5): built through the pipeline
services, counted by the dashboard as in the file, clean for check_routes, all or nothing."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employers.models import Employer, Placement, PlacementKind
from participants.models import FollowUp, OutcomeCategory, Participant, Route, Status
from reporting.dashboard import academy_scope, dashboard_build
from reporting.route_checks import routes_check

from .test_import import report

pytestmark = pytest.mark.django_db

URL = reverse("participants:participant_import")
HEADER = [
    "voornaam", "achternaam", "geboortedatum", "programma", "groep", "routetype", "verwijzer",
    "aanmelddatum", "status", "intakedatum", "startdatum", "proefperiode_start",
    "werkgever_kvk", "werkgever", "contractdatum", "contracturen", "einddatum", "bestemming",
    "uitvalreden", "contractsoort", "wajong",
]  # fmt: skip
KVK = "12345678"


@pytest.fixture
def known_employer(world):
    world.employer_org.kvk_number = KVK
    world.employer_org.save(update_fields=["kvk_number"])
    return world.employer_org


def row(**values) -> list[str]:
    base = {
        "voornaam": "Sanne",
        "achternaam": "Verleden",
        "geboortedatum": "2003-04-05",
        "programma": "BinQ",
        "routetype": "1b",
        "verwijzer": "uwv",
        "aanmelddatum": "2022-09-01",
    }
    merged = {**base, **values}
    return [merged.get(column, "") for column in HEADER]


def excel_csv(rows: list[list[str]]) -> SimpleUploadedFile:
    """A list as Dutch Excel saves it: semicolons, Windows-1252, CRLF."""
    lines = [";".join(HEADER)] + [";".join(r) for r in rows]
    return SimpleUploadedFile("historie.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))


def upload(client, rows):
    return client.post(URL, {"file": excel_csv(rows)})


def test_past_routes_are_built_through_the_services(world, client_for, known_employer):
    rows = [
        row(voornaam="Chloë", achternaam="Contract", status="contract", intakedatum="2024-09-20",
            startdatum="2024-10-07", proefperiode_start="2024-10-07", werkgever_kvk=KVK,
            contractdatum="2025-01-13", aanmelddatum="2024-09-02"),
        row(voornaam="Bas", achternaam="Afgerond", status="afgerond", intakedatum="2022-09-20",
            startdatum="2022-10-03", proefperiode_start="2022-10-10", werkgever_kvk="87654321",
            werkgever="Bouwbedrijf Nieuw", contractdatum="2023-01-16", contracturen="36",
            einddatum="2024-09-30", bestemming="werk_leerbedrijf", contractsoort="vast"),
        row(voornaam="Umut", achternaam="Uitval", status="uitgevallen", intakedatum="2022-09-20",
            startdatum="2022-10-03", einddatum="2023-03-01", uitvalreden="verhuisd"),
        row(voornaam="Nina", achternaam="Niet", status="niet_toegelaten",
            intakedatum="2022-09-20"),
        row(voornaam="Gijs", achternaam="Groep", routetype="2", groep="Groep 27",
            status="gestart", intakedatum="2025-06-16", startdatum="2025-09-01",
            aanmelddatum="2025-06-02"),
    ]  # fmt: skip
    response = upload(client_for("regisseur"), rows)
    assert response.status_code == 302, report(response)

    routes = {t.participant.last_name: t for t in Route.objects.select_related("participant")}
    contract = routes["Contract"]
    assert (contract.status, str(contract.contract_date)) == (Status.CONTRACT, "2025-01-13")
    placement = Placement.objects.get(participant=contract.participant)
    assert (placement.employer, placement.kind, placement.contract_hours) == (
        known_employer,
        PlacementKind.CONTRACT,
        32,
    )
    assert placement.end_date is None  # a running contract: the employer sees the trainee

    done = routes["Afgerond"]
    assert (done.status, done.outcome_category, done.outcome_reason) == (
        Status.AFGEROND,
        OutcomeCategory.SUCCESSFUL,
        "werk",
    )
    new_employer = Employer.objects.get(kvk_number="87654321")
    assert new_employer.name == "Bouwbedrijf Nieuw"
    ended = Placement.objects.get(participant=done.participant)
    assert (ended.employer, ended.contract_hours, str(ended.end_date)) == (
        new_employer,
        36,
        "2024-09-30",
    )
    assert FollowUp.objects.filter(route=done).count() == 2

    dropped = routes["Uitval"]
    assert (dropped.status, dropped.dropout_phase, dropped.outcome_category) == (
        Status.UITGEVALLEN,
        Status.GESTART,
        OutcomeCategory.OTHER,
    )
    assert (routes["Niet"].status, str(routes["Niet"].end_date)) == (
        Status.NIET_TOEGELATEN,
        "2022-09-20",
    )
    assert (routes["Groep"].status, routes["Groep"].cohort) == (Status.GESTART, world.cohort)
    history = list(
        contract.status_changes.order_by("created_at", "id").values_list("to_status", flat=True)
    )
    assert history == ["aangemeld", "intake", "gestart", "proefperiode", "contract"]
    names = ["Contract", "Afgerond", "Uitval", "Niet", "Groep"]
    imported = Route.objects.filter(participant__last_name__in=names)
    assert [f.line() for f in routes_check(imported) if not f.warning] == []


def test_bad_history_rows_are_reported_by_column_and_nothing_is_imported(
    world, client_for, known_employer
):
    people, employers, placements = (
        Participant.objects.count(),
        Employer.objects.count(),
        Placement.objects.count(),
    )
    rows = [
        # 2: a contract without an employer
        row(achternaam="Eén", status="contract", intakedatum="2022-09-20",
            startdatum="2022-10-03", proefperiode_start="2022-10-03", contractdatum="2023-01-09"),
        # 3: dates out of order
        row(achternaam="Twee", status="gestart", intakedatum="2022-09-20",
            startdatum="2022-09-10"),
        # 4: an unknown code
        row(achternaam="Drie", status="uitgevallen", einddatum="2023-01-01",
            uitvalreden="verveling"),
        # 5: right on its own, refused by the start service: a group route without a group
        row(achternaam="Vier", routetype="2", status="gestart", intakedatum="2022-09-20",
            startdatum="2022-10-03"),
        # 6: right, and still not imported
        row(achternaam="Vijf", status="contract", intakedatum="2022-09-20",
            startdatum="2022-10-03", proefperiode_start="2022-10-03", werkgever_kvk=KVK,
            werkgever="", contractdatum="2023-01-09"),
        # 7: an unknown employer without a name to add it
        row(achternaam="Zes", status="proefperiode", intakedatum="2022-09-20",
            startdatum="2022-10-03", proefperiode_start="2022-10-03", werkgever_kvk="11112222"),
    ]  # fmt: skip
    response = upload(client_for("regisseur"), rows)
    assert response.status_code == 200
    found = {(r, c) for r, c, _m in report(response)}
    assert ("2", "werkgever_kvk") in found
    assert ("3", "startdatum") in found
    assert ("4", "uitvalreden") in found
    assert ("5", "groep") in found
    assert ("7", "werkgever_kvk") in found
    assert not any(r == "6" for r, _c in found)
    messages = {(r, c): m for r, c, m in report(response)}
    assert "intakedatum" in messages[("3", "startdatum")]
    assert "verveling" in messages[("4", "uitvalreden")]
    assert (Participant.objects.count(), Employer.objects.count(), Placement.objects.count()) == (
        people,
        employers,
        placements,
    )


# --- 300 past routes and the dashboard -----------------------------------------------------

# (status, what the row ends with, the outcome category a person would give it by hand)
KINDS = [
    ("afgerond", {"bestemming": "werk_leerbedrijf", "contractsoort": "jaar"}, "succesvol"),
    ("afgerond", {"bestemming": "opleiding"}, "succesvol"),
    ("afgerond", {"bestemming": "uitkering", "wajong": "ja"}, "overig"),
    ("uitgevallen", {"uitvalreden": "motivatie"}, "negatief"),
    ("uitgevallen", {"uitvalreden": "ontslag"}, "negatief"),
    ("uitgevallen", {"uitvalreden": "verhuisd"}, "overig"),
    ("uitgevallen", {"uitvalreden": "ander_werk", "bestemming": "werk_elders",
                     "contractsoort": "tijdelijk"}, "succesvol"),
    ("contract", {}, None),
    ("proefperiode", {}, None),
    ("gestart", {}, None),
    ("intake", {}, None),
    ("niet_toegelaten", {}, None),
    ("aangemeld", {}, None),
]  # fmt: skip


def _history_row(rng: random.Random, index: int) -> dict[str, str]:
    status, ending, _category = rng.choice(KINDS)
    # Ended routes from 2021 on; running ones recent enough to be within an individual
    # route's 3 years today.
    first = date(2021, 1, 4) if status in {"afgerond", "uitgevallen"} else date(2024, 6, 3)
    referral = first + timedelta(days=rng.randint(0, 300))
    values = {
        "voornaam": f"Historisch{index}",
        "achternaam": "Zoë" if index % 2 else "Bakker",
        "geboortedatum": (referral - timedelta(days=365 * 19 + index)).isoformat(),
        "routetype": rng.choice(["1a", "1b"]),
        "aanmelddatum": referral.isoformat(),
        "status": status,
    }
    steps = ["intakedatum", "startdatum", "proefperiode_start", "contractdatum", "einddatum"]
    reach = {
        "aangemeld": 0, "intake": 1, "niet_toegelaten": 1, "gestart": 2, "proefperiode": 3,
        "contract": 4, "uitgevallen": rng.randint(0, 4), "afgerond": 4,
    }[status]  # fmt: skip
    day = referral
    for column in steps[:reach]:
        day += timedelta(days=rng.randint(7, 100))
        values[column] = day.isoformat()
    if status in {"afgerond", "uitgevallen"}:
        values["einddatum"] = (day + timedelta(days=rng.randint(1, 300))).isoformat()
    if "proefperiode_start" in values:
        values["werkgever_kvk"] = KVK
    return {**values, **ending}


@pytest.mark.slow  # imports 300 routes through the services: the size is the point
def test_300_past_routes_count_on_the_dashboard_as_in_the_file(world, client_for, known_employer):
    rng = random.Random(15)  # noqa: S311 - a reproducible test file, no secret
    records = [_history_row(rng, index) for index in range(300)]
    before = dashboard_build(academy_scope(world.academy.pk)).totals
    response = upload(client_for("regisseur"), [row(**r) for r in records])
    assert response.status_code == 302, report(response)[:5]

    after = dashboard_build(academy_scope(world.academy.pk)).totals
    statuses = Counter(r["status"] for r in records)
    categories = Counter(
        category
        for r in records
        for status, ending, category in KINDS
        if category and r["status"] == status and all(r.get(k) == v for k, v in ending.items())
    )
    expected = {
        "referred": len(records),
        "intake": sum(1 for r in records if r.get("intakedatum")),
        "not_admitted": statuses["niet_toegelaten"],
        "started": sum(1 for r in records if r.get("startdatum")),
        "trial": sum(1 for r in records if r.get("proefperiode_start")),
        "contract": sum(1 for r in records if r.get("contractdatum")),
        "active": statuses["gestart"] + statuses["proefperiode"] + statuses["contract"],
        "completed": statuses["afgerond"],
        "dropped_out": statuses["uitgevallen"],
        "outcome_succesvol": categories["succesvol"],
        "outcome_negatief": categories["negatief"],
        "outcome_overig": categories["overig"],
    }
    assert len(set(statuses)) == len({k[0] for k in KINDS})  # every kind is in the file
    assert {key: after[key] - before[key] for key in expected} == expected
    imported = Route.objects.filter(participant__first_name__startswith="Historisch")
    assert imported.count() == 300
    assert [f.line() for f in routes_check(imported) if not f.warning] == []
