"""Demo routes for the demo academy: analyses, arrangements, plans with goals in every status,
months of progress entries with a believable well-being trend, evaluations that move the phase,
results, certificates, hours and handelingswijzers.

Deterministic (one random.Random per route, seeded by the person's stable details) and
idempotent: each run removes the route data of the demo routes and builds it again, so dates
stay relative to today and counts stay the same. Everything is written with bulk_create.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from leerroutes.defaults import goal_kind_for_domain
from leerroutes.models import (
    Analysis,
    AnalysisDomain,
    Arrangement,
    ArrangementDomain,
    Certificate,
    CertificateKind,
    Evaluation,
    Goal,
    GoalStatus,
    GoalStatusChange,
    Handelingswijzer,
    HoursWeek,
    Intensity,
    LeermeesterAssessment,
    Plan,
    ProgressEntry,
    RocResult,
    RocResultKind,
    Supporter,
)
from leerroutes.services import (
    goal_snapshot,
    life_domains_ensure,
    monday_of,
    phases_ensure,
    route_summaries_refresh,
)
from participants.models import Route, Status

STARTED = [
    Status.GESTART,
    Status.PROEFPERIODE,
    Status.CONTRACT,
    Status.AFGEROND,
    Status.UITGEVALLEN,
]
MAX_ENTRIES = 40
# The share of routes whose latest entry was made on a phone without signal (issue 20).
OFFLINE_SHARE = 0.3
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_HOUR_WEEKS = 26

TALENTS = {
    "Werkvaardigheden": "Werkt netjes en snel met de schop; ziet zelf wat er moet gebeuren.",
    "Leren leren": "Leert het best door voordoen en zelf doen.",
    "Sociale vaardigheden en arbeidshouding": "Behulpzaam naar collega's, maakt makkelijk contact.",
    "Persoonlijk functioneren": "Doorzetter als iets lukt; trots op resultaat.",
    "Wonen": "Woont bij oma, die betrokken is.",
    "Geld en schulden": "Wil graag sparen voor een rijbewijs.",
    "Gezondheid": "Sportief, voetbalt twee keer per week.",
    "Netwerk": "Oom werkt in de bouw en denkt mee.",
}
QUESTIONS = {
    "Werkvaardigheden": "Tekening lezen en maten uitzetten.",
    "Leren leren": "Lezen van theorie kost moeite; planning van huiswerk.",
    "Sociale vaardigheden en arbeidshouding": "Op tijd komen; reageert fel op kritiek.",
    "Persoonlijk functioneren": "Raakt snel gefrustreerd als iets niet lukt.",
    "Wonen": "Zoekt een eigen kamer; onrustig thuis.",
    "Geld en schulden": "Betalingsachterstand telefoon en zorgverzekering.",
    "Gezondheid": "Slaapt onregelmatig; ontbijt vaak niet.",
    "Netwerk": "Weinig contact met vader; vrienden uit oude buurt.",
}
GOALS = [
    ("Elke dag op tijd (7.00 uur) op de bouwplaats", "Sociale vaardigheden en arbeidshouding"),
    ("Zelfstandig een trottoir bestraten van 10 meter", "Werkvaardigheden"),
    ("VCA Basis halen", "Werkvaardigheden"),
    ("Bij een probleem de leermeester vragen in plaats van weglopen", "Persoonlijk functioneren"),
    ("Een weekplanning voor de theorie bijhouden", "Leren leren"),
    ("Schulden in beeld en een afbetalingsregeling", "Geld en schulden"),
    ("Een tekening lezen en de maten zelf uitzetten", "Werkvaardigheden"),
    ("Feedback van collega's aanhoren en navragen", "Sociale vaardigheden en arbeidshouding"),
    ("Een eigen kamer vinden", "Wonen"),
]
LOG_TEXTS = [
    "Op tijd, goed meegewerkt aan het straatwerk. Leermeester tevreden.",
    "Tien minuten te laat; samen besproken hoe de wekker beter kan.",
    "Zelf de banden gesteld, netjes gewerkt. Trots op het resultaat.",
    "Moeilijke dag: botsing met een collega over de pauze. Na afloop rustig gepraat.",
    "Theorieochtend bij het ROC gemist; morgen gesprek met de docent.",
    "Vandaag voor het eerst met de trilplaat gewerkt, onder begeleiding.",
    "Goed gesprek over geld: afspraak met de budgetcoach staat.",
    "Hielp een nieuwe deelnemer op weg. Voelt zich zichtbaar zekerder.",
    "Moe en stil, slecht geslapen. Afgesproken morgen bij te praten.",
    "Maten uitgezet volgens tekening, één fout zelf gevonden.",
]
SUPPORT_PLANS = [
    "Coach twee keer per week op de bouwplaats; talenttrainer wekelijks SOVA in de groep.",
    "Leren-leren begeleider ondersteunt de theorie op dinsdag; coach houdt contact met thuis.",
]
PERSPECTIVES = [
    "Vaste baan als straatmaker bij het leerwerkbedrijf, met diploma GWW niveau 2.",
    "Werk in de regio als medewerker, met praktijkverklaring en VCA; later verder leren.",
]


@dataclass
class _Rows:
    analyses: list = field(default_factory=list)
    analysis_domains: list = field(default_factory=list)
    arrangements: list = field(default_factory=list)
    arrangement_domains: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)  # (goal, GoalStatusChange)
    entries: list = field(default_factory=list)
    entry_goals: list = field(default_factory=list)  # (entry, goal)
    evaluations: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    roc_results: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def build_leerroutes(organisation, today: date) -> None:
    """Rebuild the route data of every started (running or ended) demo route."""
    academy = organisation.academy
    domains = {d.name: d for d in life_domains_ensure(academy=academy)}
    phases = {p.pk: phases_ensure(programme=p) for p in academy.programmes.all()}
    routes = list(
        Route.objects.filter(
            participant__academy=academy,
            status__in=STARTED,
            start_date__isnull=False,
            start_date__lte=today,
        )
        .select_related("participant", "participant__coach", "programme")
        .order_by("participant__last_name", "participant__first_name", "start_date")
    )
    _clear(routes)
    rows = _Rows()
    people = organisation.people
    for index, route in enumerate(routes):
        person = route.participant
        seed = f"{person.first_name}|{person.last_name}|{person.date_of_birth}|{route.start_date}"
        rng = random.Random(seed)
        coach = person.coach or people["leerroutecoach"]
        staff = _Staff(coach=coach, regisseur=people["regisseur"])
        _route(rng, rows, route, staff, domains, phases[route.programme_id], today, index)
    _save(rows)
    route_summaries_refresh(routes)  # bulk_create passes the services by


@dataclass
class _Staff:
    coach: object
    regisseur: object


def _clear(routes: list[Route]) -> None:
    ids = [r.pk for r in routes]
    for model in (ProgressEntry, Evaluation, GoalStatusChange):
        lookup = "goal__route__in" if model is GoalStatusChange else "route__in"
        model.objects.filter(**{lookup: ids}).delete()
    Goal.objects.filter(route__in=ids).delete()
    for model in (Plan, Analysis, Arrangement, Certificate, HoursWeek, LeermeesterAssessment):
        model.objects.filter(route__in=ids).delete()
    RocResult.objects.filter(route__in=ids).delete()
    Handelingswijzer.objects.filter(participant__in=[r.participant_id for r in routes]).delete()


def _route(rng, rows: _Rows, route, staff, domains, phases, today, index) -> None:
    start = route.start_date
    last_day = min(route.end_date or today, today)
    needs = {name: rng.choices([0, 1, 2, 3], weights=[3, 4, 3, 1])[0] for name in domains}
    _analyses(rng, rows, route, staff, domains, needs, start, last_day)
    _arrangement(rng, rows, route, staff, domains, needs, start)
    goals = _plans(rng, rows, route, staff, domains, start, last_day, today, force=index == 0)
    trend_down = route.status == Status.UITGEVALLEN
    # A few running routes fall silent, so the caseload shows who needs attention.
    silent = route.end_date is None and index % 5 == 2
    _entries(rng, rows, route, staff, goals, start, last_day, trend_down, silent)
    # Some routes are behind on their evaluation, so the caseload shows evaluations due.
    evaluated_until = last_day - timedelta(days=120) if index % 6 == 1 else last_day
    _evaluations(rng, rows, route, staff, goals, phases, start, evaluated_until)
    _results(rng, rows, route, staff, start, last_day)
    _hours(rng, rows, route, staff, start, last_day)
    # One handelingswijzer per person, written during their current route.
    if route.pk == route.participant.current_route_id and rng.random() < 0.7:
        rows.notes.append(
            Handelingswijzer(
                participant=route.participant,
                about_me="Harde werker die graag buiten is en trots is op wat hij maakt.",
                what_helps="Eén opdracht tegelijk, voordoen en dan zelf laten doen.",
                what_is_hard="Lange uitleg en drukte om zich heen; kritiek waar anderen bij zijn.",
                instructions="Kort en concreet, even laten herhalen wat er moet gebeuren.",
                when_it_goes_wrong="Even apart nemen en tien minuten geven; daarna rustig praten.",
                written_on=start + timedelta(days=45),
                updated_by=staff.coach,
            )
        )


def _analyses(rng, rows, route, staff, domains, needs, start, last_day) -> None:
    versions = [start - timedelta(days=30)]
    if (last_day - start).days > 200 and rng.random() < 0.5:
        versions.append(start + timedelta(days=rng.randint(110, 180)))
    for number, made_on in enumerate(versions, start=1):
        analysis = Analysis(
            route=route,
            number=number,
            made_on=made_on,
            summary=(
                "Gemotiveerd om het vak te leren; steun nodig bij arbeidshouding en geldzaken."
                if number == 1
                else "Arbeidshouding verbeterd; aandacht verschuift naar theorie en wonen."
            ),
            made_by=staff.regisseur,
        )
        rows.analyses.append(analysis)
        for name, domain in domains.items():
            need = needs[name] if number == 1 else max(0, needs[name] - rng.randint(0, 1))
            rows.analysis_domains.append(
                AnalysisDomain(
                    analysis=analysis,
                    domain=domain,
                    talents=TALENTS.get(name, ""),
                    support_questions=QUESTIONS.get(name, "") if need else "",
                    support_need=need,
                )
            )


def _arrangement(rng, rows, route, staff, domains, needs, start) -> None:
    is_24 = rng.random() < 0.15
    arrangement = Arrangement(
        route=route,
        number=1,
        decided_on=start - timedelta(days=10),
        is_24_hour=is_24,
        outside_work="Begeleid wonen met avondcontact; weekend via jeugdzorg." if is_24 else "",
        made_by=staff.regisseur,
    )
    rows.arrangements.append(arrangement)
    intensity = {1: Intensity.LIGHT, 2: Intensity.MEDIUM, 3: Intensity.HEAVY}
    for name, domain in domains.items():
        if not needs[name]:
            continue
        supporters = rng.sample(list(Supporter.values), k=rng.randint(1, 2))
        rows.arrangement_domains.append(
            ArrangementDomain(
                arrangement=arrangement,
                domain=domain,
                intensity=intensity[needs[name]],
                supporters=sorted(supporters),
                hours_per_week=Decimal(needs[name]),
            )
        )


def _plans(rng, rows, route, staff, domains, start, last_day, today, force) -> list[Goal]:
    parent = route.participant.age_on(start) < 18
    first = Plan(
        route=route,
        number=1,
        plan_date=start,
        perspective=PERSPECTIVES[0],
        support_plan=SUPPORT_PLANS[0],
        made_by=staff.regisseur,
        signed_off_by=staff.regisseur,
        signed_off_on=start + timedelta(days=5),
        agreed_on=start + timedelta(days=7),
        parent_name="ouder/verzorger" if parent else "",
        parent_agreed_on=start + timedelta(days=7) if parent else None,
    )
    rows.plans.append(first)
    picked = rng.sample(GOALS, k=5)
    goals = [
        Goal(
            route=route,
            description=text,
            domain=domains.get(domain_name),
            kind=goal_kind_for_domain(domain_name),
            target_date=start + timedelta(days=rng.randint(60, 330)),
            order=order,
            created_in=first,
        )
        for order, (text, domain_name) in enumerate(picked[:4], start=1)
    ]
    plans = [first]
    if (last_day - start).days > 160:
        second_day = start + timedelta(days=rng.randint(140, 160))
        second = Plan(
            route=route,
            number=2,
            plan_date=second_day,
            perspective=PERSPECTIVES[rng.randint(0, 1)],
            support_plan=SUPPORT_PLANS[0] + " " + SUPPORT_PLANS[1],
            made_by=staff.coach,
            # The latest version of some routes still waits for the regisseur's sign-off.
            signed_off_by=staff.regisseur if rng.random() < 0.7 else None,
        )
        second.signed_off_on = second_day + timedelta(days=6) if second.signed_off_by else None
        rows.plans.append(second)
        plans.append(second)
        text, domain_name = picked[4]
        goals.append(
            Goal(
                route=route,
                description=text,
                domain=domains.get(domain_name),
                kind=goal_kind_for_domain(domain_name),
                target_date=second_day + timedelta(days=rng.randint(60, 200)),
                order=5,
                created_in=second,
            )
        )
    _goal_statuses(rng, rows, goals, start, last_day, staff, force)
    for plan in plans:
        plan.goals_snapshot = [
            _snapshot(g, plan.plan_date) for g in goals if g.created_in.number <= plan.number
        ]
    rows.goals += goals
    return goals


def _snapshot(goal: Goal, on: date) -> dict:
    """The goal as it stood on a plan's date; the id is filled in once saved (see _save)."""
    data = goal_snapshot(goal)
    data["id"] = f"demo-{goal.order}"
    data["status"] = GoalStatus.OPEN
    for day, status in goal.history:
        if day <= on:
            data["status"] = status
    return data


def _goal_statuses(rng, rows, goals, start, last_day, staff, force) -> None:
    forced = [GoalStatus.REACHED, GoalStatus.DROPPED, GoalStatus.IN_PROGRESS, GoalStatus.OPEN]
    for position, goal in enumerate(goals):
        begun = goal.created_in.plan_date
        if force and position < len(forced):
            final = forced[position]
        elif goal.target_date <= last_day:
            final = rng.choices(
                [GoalStatus.REACHED, GoalStatus.DROPPED, GoalStatus.IN_PROGRESS], [7, 1, 2]
            )[0]
        else:
            final = rng.choices([GoalStatus.IN_PROGRESS, GoalStatus.OPEN], [3, 1])[0]
        goal.status = GoalStatus.OPEN
        goal.history = []
        if final == GoalStatus.OPEN:
            continue
        on = min(begun + timedelta(days=rng.randint(7, 30)), last_day)
        steps = [GoalStatus.IN_PROGRESS] + ([final] if final != GoalStatus.IN_PROGRESS else [])
        for to_status in steps:
            rows.status_changes.append(
                (
                    goal,
                    GoalStatusChange(
                        from_status=goal.status, to_status=to_status, on=on, by=staff.coach
                    ),
                )
            )
            goal.status = to_status
            goal.history.append((on, to_status))
            on = min(max(on + timedelta(days=20), goal.target_date - timedelta(days=5)), last_day)


def _entries(rng, rows, route, staff, goals, start, last_day, trend_down, silent) -> None:
    stop = last_day - timedelta(days=rng.randint(18, 30)) if silent else last_day
    days = []
    day = start + timedelta(days=rng.randint(1, 4))
    while day <= stop:
        days.append(day)
        day += timedelta(days=rng.randint(5, 9))
    days = days[-MAX_ENTRIES:]
    for position, on in enumerate(days):
        progress = position / max(len(days) - 1, 1)
        # Well-being: an unsteady start that settles and rises; a drop-out's sinks instead.
        base = 2.6 + (1.4 * progress if not trend_down else -1.2 * progress)
        score = min(5, max(1, round(base + rng.gauss(0, 0.7))))
        text = LOG_TEXTS[rng.randrange(len(LOG_TEXTS))]
        entry = ProgressEntry(
            id=uuid.UUID(int=rng.getrandbits(128)),
            route=route,
            on=on,
            text=text,
            wellbeing=score,
            hours_present=Decimal(rng.choice([4, 6, 7, 7.5, 8])),
            shareable=rng.random() < 0.6,
            author=staff.coach,
        )
        if position == len(days) - 1 and rng.random() < OFFLINE_SHARE:
            # Noted at the work site without signal, sent from the phone's queue later.
            entry.client_uuid = uuid.UUID(int=rng.getrandbits(128))
            entry.made_at = datetime.combine(on, time(9, rng.randrange(60)), tzinfo=AMSTERDAM)
        rows.entries.append(entry)
        active = [g for g in goals if g.created_in.plan_date <= on]
        for goal in rng.sample(active, k=min(len(active), rng.randint(0, 2))):
            rows.entry_goals.append((entry, goal))


def _evaluations(rng, rows, route, staff, goals, phases, start, last_day) -> None:
    phase_index = 0
    held = start + timedelta(days=91)
    number = 0
    while held <= last_day:
        number += 1
        before = phases[phase_index] if phases else None
        if phases and number in (2, 4) and phase_index < len(phases) - 1:
            phase_index += 1
        after = phases[phase_index] if phases else None
        next_on = held + timedelta(days=91)
        evaluation = Evaluation(
            route=route,
            held_on=held,
            participant_attended=rng.random() < 0.9,
            attendees="Leermeester, docent ROC" if rng.random() < 0.6 else "Leermeester",
            summary="Doelen doorgelopen; voortgang besproken met deelnemer en leermeester.",
            phase_before=before,
            phase_decision=after,
            next_on=next_on,
            recorded_by=staff.coach,
        )
        evaluation.reviewed = [g for g in goals if g.created_in.plan_date <= held][:3]
        rows.evaluations.append(evaluation)
        held = next_on + timedelta(days=rng.randint(-5, 10))


def _results(rng, rows, route, staff, start, last_day) -> None:
    on = start + timedelta(days=60)
    progress = 0
    number = 0
    while on <= last_day:
        number += 1
        progress = min(100, progress + rng.randint(8, 15))
        grade = rng.randint(45, 85)
        rows.roc_results.append(
            RocResult(
                route=route,
                kind=RocResultKind.THEORY_TEST if number % 3 else RocResultKind.MODULE,
                title=f"Theorie {number}: {'Grondwerk' if number % 2 else 'Bestratingen'}",
                on=on,
                grade=f"{grade / 10:.1f}".replace(".", ","),
                passed=grade >= 55,
                recorded_by=staff.coach,
            )
        )
        if number % 3 == 0:
            rows.roc_results.append(
                RocResult(
                    route=route,
                    kind=RocResultKind.DIPLOMA_PROGRESS,
                    title="Diploma GWW niveau 2",
                    on=on,
                    progress_percent=progress,
                    recorded_by=staff.coach,
                )
            )
        on += timedelta(days=rng.randint(50, 70))
    on = start + timedelta(days=100)
    level = rng.randint(1, 2)
    while on <= last_day:
        level = min(4, level + rng.choice([0, 0, 1]))
        rows.assessments.append(
            LeermeesterAssessment(
                route=route,
                assessed_on=on,
                leermeester_name="Gerrit Nijland",
                work_attitude=level,
                professional_skills=max(1, level - rng.randint(0, 1)),
                cooperation=min(4, level + rng.randint(0, 1)),
                safety=level,
                remarks="Groeit in zelfstandigheid.",
                recorded_by=staff.coach,
            )
        )
        on += timedelta(days=182)
    certificates = [
        (60, CertificateKind.BRANCH, "VCA Basis", "SSVV examencentrum"),
        (180, CertificateKind.Q_CERTIFICATE, "Arbeidshouding en sociale vaardigheden", "MaatwerQ"),
        (240, CertificateKind.Q_CERTIFICATE, "ARBO-regels op de bouwplaats", "MaatwerQ"),
        (300, CertificateKind.Q_CERTIFICATE, "Werken met de bestratingsmachine", "MaatwerQ"),
        (400, CertificateKind.PARTIAL, "Praktijkverklaring straatwerk", "SBB"),
    ]
    for days, kind, title, issuer in certificates:
        issued = start + timedelta(days=days + rng.randint(0, 20))
        if issued <= last_day and rng.random() < 0.85:
            rows.certificates.append(
                Certificate(
                    route=route,
                    kind=kind,
                    title=title,
                    issued_on=issued,
                    issuer=issuer,
                    recorded_by=staff.coach,
                )
            )
    if route.status == Status.AFGEROND and route.end_date:
        rows.certificates.append(
            Certificate(
                route=route,
                kind=CertificateKind.DIPLOMA,
                title="Diploma medewerker GWW niveau 2",
                issued_on=route.end_date,
                issuer="ROC",
                recorded_by=staff.coach,
            )
        )


def _hours(rng, rows, route, staff, start, last_day) -> None:
    week = monday_of(max(start, last_day - timedelta(weeks=MAX_HOUR_WEEKS)))
    while week <= last_day:
        if rng.random() > 0.06:  # a holiday week now and then
            rows.hours.append(
                HoursWeek(
                    route=route,
                    week_start=week,
                    practice_hours=Decimal(rng.choice([22, 24, 24, 25.5, 26])),
                    theory_hours=Decimal(rng.choice([6, 7, 8, 8])),
                    recorded_by=staff.coach,
                )
            )
        week += timedelta(weeks=1)


def _save(rows: _Rows) -> None:
    Analysis.objects.bulk_create(rows.analyses)
    AnalysisDomain.objects.bulk_create(rows.analysis_domains)
    Arrangement.objects.bulk_create(rows.arrangements)
    ArrangementDomain.objects.bulk_create(rows.arrangement_domains)
    Plan.objects.bulk_create(rows.plans)
    for goal in rows.goals:
        goal.created_in_id = goal.created_in.pk
    Goal.objects.bulk_create(rows.goals)
    _fix_snapshot_ids(rows)
    changes = []
    for goal, change in rows.status_changes:
        change.goal_id = goal.pk
        changes.append(change)
    GoalStatusChange.objects.bulk_create(changes)
    ProgressEntry.objects.bulk_create(rows.entries)
    links = ProgressEntry.goals.through
    links.objects.bulk_create(
        links(progressentry_id=entry.pk, goal_id=goal.pk) for entry, goal in rows.entry_goals
    )
    Evaluation.objects.bulk_create(rows.evaluations)
    reviewed = Evaluation.goals_reviewed.through
    reviewed.objects.bulk_create(
        reviewed(evaluation_id=evaluation.pk, goal_id=goal.pk)
        for evaluation in rows.evaluations
        for goal in evaluation.reviewed
    )
    LeermeesterAssessment.objects.bulk_create(rows.assessments)
    RocResult.objects.bulk_create(rows.roc_results)
    Certificate.objects.bulk_create(rows.certificates)
    HoursWeek.objects.bulk_create(rows.hours)
    Handelingswijzer.objects.bulk_create(rows.notes)


def _fix_snapshot_ids(rows: _Rows) -> None:
    """Snapshots were made before the goals had ids; put the real ids in."""
    by_key = {(g.route_id, f"demo-{g.order}"): g.pk for g in rows.goals}
    for plan in rows.plans:
        for item in plan.goals_snapshot:
            item["id"] = by_key[(plan.route_id, item["id"])]
    Plan.objects.bulk_update(rows.plans, ["goals_snapshot"])
