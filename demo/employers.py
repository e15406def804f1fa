"""Demo employers: the three host employers of BinQ, TanQ and BlinQ with their details, ten
follower employers, leermeesters (one with a login), and the demo placements enriched with
type, hours, location, leermeester, trial period, end reason and arrangements.

Deterministic (seeds from names) and idempotent: employers, contacts and the rest are found
by natural keys; the placements made by demo/participants.py are enriched in place, never
duplicated; trial placements and mini-stages are added once. Runs after build_leerroutes,
whose assessments and hours it ties to the host employer each time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD
from employers import services
from employers.models import (
    DEFAULT_CONTRACT_HOURS,
    MINI_STAGE_KINDS,
    TRIAL_MONTHS,
    ArrangementKind,
    Candidate,
    Commitment,
    ContactRole,
    Employer,
    EmployerContact,
    EmployerLocation,
    JobCommitment,
    ParticipationWay,
    Placement,
    PlacementArrangement,
    PlacementEndReason,
    PlacementKind,
    Vacancy,
    add_months,
)
from leerroutes.models import HoursWeek, LeermeesterAssessment, Phase
from maatwerq.accounts.models import Membership, Role, User
from participants.models import (
    ENDED_STATUSES,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    DropoutReason,
    Route,
    Status,
)

# The one extra demo login (not printed by load_demo): a leermeester at the BinQ host.
LEERMEESTER_EMAIL = "leermeester@maatwerq.test"
LEERMEESTER_NAME = "Gerrit Nijland"


@dataclass(frozen=True)
class EmployerPlan:
    key: str
    name: str
    programme: str
    kvk: str
    sector: str
    sbb: str  # "valid", "expired" or "none"
    city: str
    way: str
    job: str
    places: int
    locations: tuple = ()
    contacts: tuple = ()  # (role, name, email)
    vacancy: tuple | None = None  # (function, level, places)


HOSTS = [
    EmployerPlan(
        "binq",
        "Nijland Infra Raalte",
        "BinQ",
        "05012345",
        "Grond-, weg- en waterbouw",
        "valid",
        "Raalte",
        ParticipationWay.TRENDSETTER,
        JobCommitment.GUARANTEE,
        12,
        locations=(("Werf Raalte", "Industrieweg 12", "8102 GZ"), ("Project N35 Heino", "", "")),
        contacts=(
            (ContactRole.PROJECTLEIDER, "Henk Nijland", "werkgever@maatwerq.test"),
            (ContactRole.LEERMEESTER, LEERMEESTER_NAME, LEERMEESTER_EMAIL),
            (ContactRole.LEERMEESTER, "Bert Schuurman", ""),
            (ContactRole.HR, "Anja Wolters", "hr@nijland-infra.test"),
        ),
        vacancy=("Medewerker grond-, weg- en waterbouw", 2, 4),
    ),
    EmployerPlan(
        "tanq",
        "Transportbedrijf Van der Wal",
        "TanQ",
        "05067890",
        "Transport en logistiek",
        "valid",
        "Deventer",
        ParticipationWay.TRENDSETTER,
        JobCommitment.BEST_EFFORTS,
        10,
        locations=(("Depot Deventer", "Hanzeweg 4", "7418 AW"),),
        contacts=(
            (ContactRole.PROJECTLEIDER, "Ria van der Wal", "ria@vanderwal.test"),
            (ContactRole.LEERMEESTER, "Johan Brink", ""),
            (ContactRole.LEERMEESTER, "Sandra Meijer", ""),
        ),
        vacancy=("Logistiek medewerker magazijn", 2, 3),
    ),
    EmployerPlan(
        "blinq",
        "Schoonmaakgroep IJsselland",
        "BlinQ",
        "05054321",
        "Schoonmaak",
        "valid",
        "Zwolle",
        ParticipationWay.TRENDSETTER,
        JobCommitment.GUARANTEE,
        11,
        locations=(("Vestiging Zwolle", "Grote Voort 200", "8041 BR"),),
        contacts=(
            (ContactRole.PROJECTLEIDER, "Marco de Boer", "marco@ijsselland.test"),
            (ContactRole.LEERMEESTER, "Ingrid Kamphuis", ""),
            (ContactRole.LEERMEESTER, "Yusuf Demir", ""),
        ),
        vacancy=("Schoonmaakmedewerker ziekenhuis", 2, 2),
    ),
]

FOLLOWERS = [
    ("Bouwbedrijf Hellendoorn", "BinQ", "Hellendoorn", ParticipationWay.FOLLOWER,
     JobCommitment.GUARANTEE, 8, "valid"),
    ("Stratenmakersbedrijf Olst", "BinQ", "Olst", ParticipationWay.PLACES,
     JobCommitment.BEST_EFFORTS, 2, "valid"),
    ("Hoveniersbedrijf De Sallandse Heuvelrug", "BinQ", "Nijverdal", ParticipationWay.BREADTH,
     JobCommitment.NONE, 2, "none"),
    ("Gemeentewerken Raalte", "BinQ", "Raalte", ParticipationWay.JOBS,
     JobCommitment.GUARANTEE, 2, "valid"),
    ("Koeltransport Wijhe", "TanQ", "Wijhe", ParticipationWay.PLACES,
     JobCommitment.BEST_EFFORTS, 2, "expired"),
    ("Logistiek Centrum Deventer", "TanQ", "Deventer", ParticipationWay.FOLLOWER,
     JobCommitment.GUARANTEE, 8, "valid"),
    ("Distributiecentrum Zwolle-Noord", "TanQ", "Zwolle", ParticipationWay.JOBS,
     JobCommitment.BEST_EFFORTS, 3, "valid"),
    ("Glazenwassersbedrijf Kampen", "BlinQ", "Kampen", ParticipationWay.PLACES,
     JobCommitment.BEST_EFFORTS, 2, "expired"),
    ("Facilitair Bedrijf Isala", "BlinQ", "Zwolle", ParticipationWay.JOBS,
     JobCommitment.BEST_EFFORTS, 3, "valid"),
    ("Hotel De Wittenberg", "BlinQ", "Heerde", ParticipationWay.BREADTH,
     JobCommitment.NONE, 1, "none"),
]  # fmt: skip

FOLLOWER_LEERMEESTERS = [
    "Jan Kuipers", "Ellen Bos", "Kees Morsink", "Harm Kolkman", "Petra Ter Horst",
    "Dennis Wessels", "Lotte Roelofs", "Ahmed Yilmaz", "Monique Dijkstra", "Wim Eshuis",
]  # fmt: skip
VACANCIES_AFTER_DIPLOMA = {
    "Gemeentewerken Raalte": ("Medewerker buitendienst", 2, 2),
    "Distributiecentrum Zwolle-Noord": ("Orderpicker / reachtruckchauffeur", 2, 3),
    "Facilitair Bedrijf Isala": ("Medewerker facilitaire dienst", 2, 2),
}
HOST_OF = {"BinQ": "binq", "TanQ": "tanq", "BlinQ": "blinq"}


def build_employers(organisation, today: date) -> dict[str, Employer]:
    """The demo's employers and placements; see the module docstring. Returns the employers
    by key (the hosts' keys, then the followers' names)."""
    academy = organisation.academy
    regisseur = organisation.people["regisseur"]
    leermeester_user = _leermeester_login(organisation)
    employers: dict[str, Employer] = {}
    for plan in HOSTS:
        employers[plan.key] = _employer(organisation, plan, today, leermeester_user)
    for index, row in enumerate(FOLLOWERS):
        plan = _follower_plan(index, *row)
        employers[plan.key] = _employer(organisation, plan, today, None)
    hosts = {key: employers[key] for key in HOST_OF.values()}
    _enrich_placements(academy, hosts, today, regisseur)
    _add_trial_placements(academy, hosts, today, regisseur)
    _add_mini_stages(academy, employers, today, regisseur)
    _tie_route_records(hosts, today, leermeester_user)
    services.placement_trial_reminders_list(today=today)
    _propose_candidates(hosts, today, regisseur)
    return employers


def _propose_candidates(hosts: dict, today: date, regisseur) -> None:
    """The employer chooses who trains: the regisseur proposed two BinQ trainees without a
    placement for the BinQ host's vacancy; the first agreed to share their work profile
    (consent "kandidaatprofiel"), so the werkgever login sees one candidate of the two."""
    employer = hosts["binq"]
    vacancy = Vacancy.objects.filter(employer=employer, is_open=True).order_by("pk").first()
    if vacancy is None:
        return
    placed = Placement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
    ).values("participant")
    # A started trainee first (the trial can start from a yes), then one still at intake
    # (the match with an employer may come before the route is fixed).
    routes = sorted(
        Route.objects.filter(
            programme=vacancy.programme,
            status__in=[Status.GESTART, Status.INTAKE],
            participant__current_route=F("pk"),
        )
        .exclude(participant__in=placed)
        .select_related("participant"),
        key=lambda r: (r.status != Status.GESTART, r.participant.last_name, str(r.pk)),
    )[:2]
    for index, route in enumerate(routes):
        participant = route.participant
        if index == 0:
            Consent.objects.get_or_create(
                participant=participant,
                scope=ConsentScope.CANDIDATE_PROFILE,
                withdrawn_on=None,
                defaults={
                    "given_on": today - timedelta(days=5),
                    "given_by": ConsentGivenBy.PARTICIPANT,
                    "recorded_by": regisseur,
                },
            )
        Candidate.objects.get_or_create(
            vacancy=vacancy, participant=participant, defaults={"proposed_by": regisseur}
        )


# --- employers -------------------------------------------------------------------------------


def _leermeester_login(organisation) -> User:
    user, _ = User.objects.update_or_create(
        email=LEERMEESTER_EMAIL, defaults={"full_name": LEERMEESTER_NAME, "is_active": True}
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user,
        academy=organisation.academy,
        role=Role.WERKGEVER,
        defaults={"employer": organisation.employers["binq"], "is_active": True},
    )
    return user


def _follower_plan(index, name, programme, city, way, job, places, sbb) -> EmployerPlan:
    leermeester = FOLLOWER_LEERMEESTERS[index]
    return EmployerPlan(
        key=name,
        name=name,
        programme=programme,
        kvk=f"{61234567 + index * 1111:08d}",
        sector={"BinQ": "Bouw en infra", "TanQ": "Logistiek", "BlinQ": "Facilitair"}[programme],
        sbb=sbb,
        city=city,
        way=way,
        job=job,
        places=places,
        locations=((f"Vestiging {city}", "", ""),),
        contacts=(
            (ContactRole.PROJECTLEIDER, f"Contact {name.split()[0]}", ""),
            (ContactRole.LEERMEESTER, leermeester, ""),
        ),
        vacancy=VACANCIES_AFTER_DIPLOMA.get(name),
    )


def _sbb(plan: EmployerPlan, today: date) -> dict:
    if plan.sbb == "none":
        return {"sbb_number": "", "sbb_valid_until": None}
    valid_until = (
        date(today.year + 2, 7, 31) if plan.sbb == "valid" else date(today.year - 1, 12, 31)
    )
    return {"sbb_number": f"1{plan.kvk}", "sbb_valid_until": valid_until}


def _employer(organisation, plan: EmployerPlan, today: date, login: User | None) -> Employer:
    academy = organisation.academy
    employer, _ = Employer.objects.update_or_create(
        academy=academy,
        name=plan.name,
        defaults={"kvk_number": plan.kvk, "sector": plan.sector, **_sbb(plan, today)},
    )
    for name, street, postcode in plan.locations:
        EmployerLocation.objects.update_or_create(
            employer=employer,
            name=name,
            defaults={"street": street, "postcode": postcode, "city": plan.city},
        )
    for role, name, email in plan.contacts:
        user = None
        if email == LEERMEESTER_EMAIL:
            user = login
        elif email:
            user = User.objects.filter(
                email=email,
                memberships__employer=employer,
                memberships__role=Role.WERKGEVER,
            ).first()
        EmployerContact.objects.update_or_create(
            employer=employer,
            role=role,
            name=name,
            defaults={"email": email, "user": user, "is_active": True},
        )
    programme = organisation.programmes[plan.programme]
    Commitment.objects.update_or_create(
        employer=employer,
        programme=programme,
        defaults={
            "way": plan.way,
            "job_commitment": plan.job,
            "places": plan.places,
            "since": programme.started_on or date(today.year, 1, 1),
        },
    )
    if plan.vacancy:
        function, level, places = plan.vacancy
        Vacancy.objects.update_or_create(
            employer=employer,
            function=function,
            defaults={
                "programme": programme,
                "level": level,
                "places": places,
                "starts_on": date(today.year + 1, 9, 1),
                "min_phase": Phase.objects.filter(programme=programme)
                .order_by("order", "pk")[1:2]
                .first(),
                "location": employer.locations.order_by("name").first(),
                "is_open": True,
            },
        )
    return employer


# --- placements ------------------------------------------------------------------------------


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def _route_for(placement: Placement, routes: list[Route], hosts: dict) -> Route | None:
    """The route a host placement belongs to: the latest of the host's programme that started
    on or before the placement."""
    mine = [
        r
        for r in routes
        if hosts.get(HOST_OF.get(r.programme.name, "")) == placement.employer
        and r.start_date is not None
        and r.start_date <= placement.start_date
    ]
    return max(mine, key=lambda r: r.start_date) if mine else None


def _end_reason(route: Route) -> str:
    if route.status == Status.AFGEROND:
        return PlacementEndReason.COMPLETED
    if route.dropout_reason == DropoutReason.DISMISSED:
        return PlacementEndReason.DISMISSED
    if route.dropout_reason == DropoutReason.OTHER_JOB:
        return PlacementEndReason.OTHER_EMPLOYER
    if route.contract_date is None:
        return PlacementEndReason.TRIAL_NOT_PASSED
    if route.dropout_reason == DropoutReason.MOTIVATION:
        return PlacementEndReason.OWN_CHOICE
    return PlacementEndReason.DROPPED_OUT


def _enrich(placement: Placement, route: Route, contacts: dict, regisseur) -> None:
    """Type, hours, location, leermeester and trial period of one host placement, in place.
    A placement from the contract date starts again at the trial (one placement, trial then
    contract), when that overlaps nothing."""
    rng = _rng(placement.participant_id, placement.employer_id, route.start_date)
    locations, leermeesters = contacts[placement.employer_id]
    trial_start = route.trial_start_date or route.start_date
    if route.contract_date and trial_start and trial_start < placement.start_date:
        clash = services.overlapping_main_placement(
            placement.participant, trial_start, placement.end_date, exclude_pk=placement.pk
        )
        if clash is None:
            placement.start_date = trial_start
    # Draw every time (even when already set), so the generator's later draws do not depend
    # on whether this is the first run.
    location = rng.choice(locations) if locations else None
    leermeester = rng.choice(leermeesters) if leermeesters else None
    if placement.location_id is None:
        placement.location = location
    if placement.leermeester_id is None:
        placement.leermeester = leermeester
    placement.created_by = placement.created_by or regisseur
    if route.contract_date and route.contract_date > placement.start_date:
        placement.kind = PlacementKind.CONTRACT
        placement.trial_ends_on = route.contract_date - timedelta(days=1)
        placement.trial_passed_on = route.contract_date - timedelta(days=1)
        placement.contract_hours = Decimal(DEFAULT_CONTRACT_HOURS)
        placement.hours_per_week = Decimal(DEFAULT_CONTRACT_HOURS)
    elif route.contract_date:  # the trial lies before this placement
        placement.kind = PlacementKind.CONTRACT
        placement.contract_hours = Decimal(DEFAULT_CONTRACT_HOURS)
        placement.hours_per_week = Decimal(DEFAULT_CONTRACT_HOURS)
    else:
        placement.kind = PlacementKind.TRIAL
        trial_end = add_months(placement.start_date, TRIAL_MONTHS)
        placement.trial_ends_on = min(trial_end, placement.end_date or trial_end)
        placement.hours_per_week = Decimal(rng.choice([32, 32, 32, 36, 24]))
    if placement.end_date and not placement.end_reason and route.status in ENDED_STATUSES:
        placement.end_reason = _end_reason(route)
    placement.save()
    _arrangements(placement, rng)


def _arrangements(placement: Placement, rng: random.Random) -> None:
    """Some placements get employer arrangements: a UWV trial placement during the trial, a
    wage-cost subsidy for a year or a no-risk policy from the contract."""
    wanted = []
    if placement.kind == PlacementKind.TRIAL and rng.random() < 0.5:
        wanted.append(
            (ArrangementKind.TRIAL_PLACEMENT, placement.start_date, placement.trial_ends_on)
        )
    if placement.trial_passed_on:
        contract_from = placement.trial_passed_on + timedelta(days=1)
        roll = rng.random()
        if roll < 0.35:
            wanted.append(
                (
                    ArrangementKind.WAGE_COST_SUBSIDY,
                    contract_from,
                    add_months(contract_from, 12) - timedelta(days=1),
                )
            )
        elif roll < 0.55:
            wanted.append((ArrangementKind.NO_RISK, contract_from, add_months(contract_from, 60)))
        elif roll < 0.65:
            wanted.append(
                (ArrangementKind.PREMIUM_DISCOUNT, contract_from, add_months(contract_from, 36))
            )
    for kind, starts_on, ends_on in wanted:
        PlacementArrangement.objects.get_or_create(
            placement=placement,
            kind=kind,
            starts_on=starts_on,
            defaults={"ends_on": ends_on, "reference": f"UWV-{placement.pk:05d}"},
        )


def _host_contacts(hosts: dict) -> dict:
    found = {}
    for employer in hosts.values():
        locations = list(employer.locations.order_by("name"))
        leermeesters = list(employer.contacts.filter(role=ContactRole.LEERMEESTER).order_by("name"))
        found[employer.pk] = (locations, leermeesters)
    return found


def _routes_by_participant(academy) -> dict:
    routes: dict = {}
    for route in (
        Route.objects.filter(participant__academy=academy)
        .select_related("programme")
        .order_by("start_date", "pk")
    ):
        routes.setdefault(route.participant_id, []).append(route)
    return routes


def _enrich_placements(academy, hosts: dict, today: date, regisseur) -> None:
    routes = _routes_by_participant(academy)
    contacts = _host_contacts(hosts)
    placements = (
        Placement.objects.filter(employer__in=hosts.values())
        .exclude(kind__in=MINI_STAGE_KINDS)
        .select_related("participant")
        .order_by(
            "participant__last_name",
            "participant__first_name",
            "participant__date_of_birth",
            "start_date",
        )
    )
    for placement in placements:
        route = _route_for(placement, routes.get(placement.participant_id, []), hosts)
        if route is not None:
            _enrich(placement, route, contacts, regisseur)


def _add_trial_placements(academy, hosts: dict, today: date, regisseur) -> None:
    """Trainees in their trial period without a placement get one at their programme's host."""
    routes = (
        Route.objects.filter(
            participant__academy=academy,
            status=Status.PROEFPERIODE,
            participant__current_route=F("pk"),
        )
        .select_related("participant", "programme")
        .order_by("participant__last_name", "participant__first_name", "start_date")
    )
    contacts = _host_contacts(hosts)
    for route in routes:
        employer = hosts.get(HOST_OF.get(route.programme.name, ""))
        start = route.trial_start_date or route.start_date
        if employer is None or start is None or start > today:
            continue
        if services.overlapping_main_placement(route.participant, start, None) is not None:
            continue
        placement = Placement.objects.create(
            participant=route.participant, employer=employer, start_date=start
        )
        _enrich(placement, route, contacts, regisseur)


def _add_mini_stages(academy, employers: dict, today: date, regisseur) -> None:
    """A short mini-stage (five days) at a follower employer for a few running trainees of the
    matching programme, placed six weeks after their start: some done, some still to come."""
    running = list(
        Route.objects.filter(participant__academy=academy, status=Status.CONTRACT)
        .select_related("participant", "programme")
        .order_by("participant__last_name", "participant__first_name", "start_date")
    )
    for index, (name, programme, _city, way, *_rest) in enumerate(FOLLOWERS):
        if way not in (ParticipationWay.PLACES, ParticipationWay.BREADTH):
            continue
        of_programme = [r for r in running if r.programme.name == programme]
        for route in of_programme[index % 3 :: 7][:2]:
            start = route.start_date + timedelta(days=42)
            start -= timedelta(days=start.weekday())
            end = start + timedelta(days=4)
            employer = employers[name]
            placement, _created = Placement.objects.get_or_create(
                participant=route.participant,
                employer=employer,
                kind=PlacementKind.MINI_STAGE,
                start_date=start,
                defaults={
                    "end_date": end,
                    "hours_per_week": Decimal(32),
                    "location": employer.locations.first(),
                    "leermeester": employer.contacts.filter(role=ContactRole.LEERMEESTER).first(),
                    "created_by": regisseur,
                },
            )
            if end < today and not placement.end_reason:
                placement.end_reason = PlacementEndReason.MINI_STAGE_DONE
                placement.save(update_fields=["end_reason"])


# --- the route records the leermeesters see --------------------------------------------------


def _tie_route_records(hosts: dict, today: date, leermeester_user: User) -> None:
    """build_leerroutes rebuilds assessments and hours every run: tie the assessments to the
    programme's host employer (and its leermeester's name), and let the BinQ leermeester have
    confirmed the hours of all but the last two weeks."""
    for programme, key in HOST_OF.items():
        employer = hosts[key]
        leermeester = (
            employer.contacts.filter(role=ContactRole.LEERMEESTER).order_by("name").first()
        )
        LeermeesterAssessment.objects.filter(
            route__programme__name=programme,
            route__programme__academy=employer.academy,
            employer__isnull=True,
        ).update(
            employer=employer,
            leermeester_name=leermeester.name if leermeester else LEERMEESTER_NAME,
        )
    binq = hosts["binq"]
    this_monday = today - timedelta(days=today.weekday())
    confirmed_at = timezone.make_aware(datetime.combine(this_monday, time(16, 0)))
    HoursWeek.objects.filter(
        route__programme__name="BinQ",
        route__programme__academy=binq.academy,
        route__participant__placements__employer=binq,
        week_start__lt=this_monday - timedelta(days=7),
        confirmed_at__isnull=True,
    ).update(confirmed_by=leermeester_user, confirmed_at=confirmed_at)
