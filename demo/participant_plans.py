"""The demo population as a plan: who is in which group and how each route went.

Pure (no database access) and deterministic for a seed and a day, so the demo can be rebuilt
to the same state. The proportions follow domain.md: finished groups lose about a third of
their people (mostly during the trial period), and of the routes that ended in them roughly
53 % are successful, a quarter negative and the rest other.
"""

from __future__ import annotations

import calendar
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import cycle

from participants.models import (
    ContractType,
    Destination,
    DropoutReason,
    FundingStream,
    IntakeOutcome,
    LeadOrganisation,
    PriorEducation,
    ReferralSource,
    RouteType,
    Status,
)
from participants.outcomes import outcome_derive

# The original twelve are drawn from these two lists with random.choice: keep them as they are.
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
MORE_FIRST_NAMES = [
    "Jens",
    "Gijs",
    "Wessel",
    "Koen",
    "Niels",
    "Mats",
    "Hamza",
    "Omar",
    "Ilias",
    "Ayoub",
    "Rayan",
    "Tygo",
    "Sil",
    "Jurre",
    "Mees",
    "Julia",
    "Sophie",
    "Anouk",
    "Esmee",
    "Nina",
    "Yara",
    "Sara",
    "Hanna",
    "Romy",
    "Femke",
    "Selin",
    "Zeynep",
    "Chantal",
    "Priscilla",
    "Dewi",
]
MORE_LAST_NAMES = [
    "Bakker",
    "Vos",
    "Peters",
    "Hofman",
    "Koster",
    "Prins",
    "Huisman",
    "Kramer",
    "Timmerman",
    "Oosterhof",
    "Klein Gunnewiek",
    "Boom",
    "Bruggink",
    "Koopman",
    "Aydin",
    "Öztürk",
    "Bouzid",
    "Pinas",
    "Rozendaal",
    "Lammers",
    "van der Veen",
    "Schuurman",
    "Oude Wesselink",
    "Hulshof",
]
CARE_NOTES = [
    "Schulden bij zorgverzekeraar; budgetcoach gemeente ingeschakeld.",
    "Woont sinds kort begeleid; contact met jeugdzorg over nachtrust.",
    "Slaapt slecht na ruzie thuis; volgende week gesprek met moeder.",
    "Gebruikt medicatie voor ADHD; let op concentratie na de pauze.",
]
MORE_CARE_NOTES = [
    "Betalingsachterstand huur; samen met schuldhulp een regeling opgesteld.",
    "Meldt zich vaak ziek op maandag; gesprek gepland over slaapritme en gamen.",
    "Ouders gescheiden, woont afwisselend bij vader en moeder; reistijd wisselt.",
    "Angstklachten bij drukte; start bij de POH-GGZ, de leermeester weet ervan.",
    "Heeft een voorwaardelijke straf; reclassering is op de hoogte van het route.",
    "Laaggeletterd: werkinstructies mondeling en met pictogrammen doornemen.",
]

PROGRAMMES = ("BinQ", "TanQ", "BlinQ")
# The academy's other coaches (no demo login): with ~110 running routes it needs six.
COLLEAGUES = [
    ("coach3@maatwerq.test", "Yvonne Hendriks"),
    ("coach4@maatwerq.test", "Rik Oosterhuis"),
    ("coach5@maatwerq.test", "Lisanne Brink"),
    ("coach6@maatwerq.test", "Ahmet Kaya"),
]
# Per programme: the coach of the two newest running groups, and of the two older ones (who
# also keeps the finished groups' follow-up and the individual routes).
COACHES = {
    "BinQ": ("coach@maatwerq.test", "coach3@maatwerq.test"),
    "TanQ": ("coach2@maatwerq.test", "coach4@maatwerq.test"),
    "BlinQ": ("coach5@maatwerq.test", "coach6@maatwerq.test"),
}
# How many of the most recently finished groups are filled, per programme.
FINISHED_GROUPS = {"BinQ": 2, "TanQ": 1, "BlinQ": 1}
DROPOUT_SHARE = 0.32
RUNNING_DROPOUT_SHARE = 0.3  # over a whole course; a running group has lost its part so far

# Drawn in turn (after a shuffle) for the finished groups, so their split is what domain.md
# reports: 16 drop-outs, 12 of them for a negative reason; 30 completions, 24 successful.
DROPOUT_DECK = (
    [DropoutReason.MOTIVATION] * 5
    + [DropoutReason.PROBLEMS] * 4
    + [DropoutReason.DISMISSED] * 3
    + [DropoutReason.MOVED, DropoutReason.PREGNANCY, DropoutReason.HEALTH]
    + [DropoutReason.OTHER_JOB]
)
COMPLETION_DECK = (
    [Destination.JOB_HOST] * 17
    + [Destination.JOB_ELSEWHERE] * 5
    + [Destination.EDUCATION] * 2
    + [Destination.DAY_ACTIVITIES] * 2
    + ["wajong"] * 2
    + [Destination.UNKNOWN] * 2
)
RUNNING_DROPOUT_WEIGHTS = {
    DropoutReason.MOTIVATION: 30,
    DropoutReason.PROBLEMS: 25,
    DropoutReason.DISMISSED: 12,
    DropoutReason.HEALTH: 8,
    DropoutReason.MOVED: 7,
    DropoutReason.PREGNANCY: 5,
    DropoutReason.OTHER_JOB: 7,
    DropoutReason.DETENTION: 3,
    DropoutReason.OTHER: 3,
}
DROPOUT_DESTINATIONS = {
    DropoutReason.OTHER_JOB: [Destination.JOB_ELSEWHERE],
    DropoutReason.HEALTH: [Destination.BENEFIT, Destination.DAY_ACTIVITIES],
    DropoutReason.PROBLEMS: [Destination.BENEFIT, Destination.UNKNOWN, Destination.DAY_ACTIVITIES],
}
REFERRAL_WEIGHTS = {
    ReferralSource.VSO: 14,
    ReferralSource.PRO: 14,
    ReferralSource.MBO1: 10,
    ReferralSource.YOUTH_CARE: 14,
    ReferralSource.MUNICIPALITY: 20,
    ReferralSource.UWV: 16,
    ReferralSource.REINTEGRATION: 6,
    ReferralSource.SELF: 6,
}
REFERRERS = {
    ReferralSource.VSO: ["VSO De Twijn Raalte", "VSO Het Mozaïek Deventer", "VSO De Ambelt"],
    ReferralSource.PRO: ["Praktijkschool Raalte", "Praktijkonderwijs Deventer"],
    ReferralSource.MBO1: ["ROC Landstede Entree", "ROC Aventus Entree", "ROC Deltion Entree"],
    ReferralSource.YOUTH_CARE: ["Trajectum Jeugd", "Pactum Jeugdzorg", "Karakter Zwolle"],
    ReferralSource.MUNICIPALITY: ["Gemeente Raalte", "Gemeente Deventer", "Gemeente Zwolle"],
    ReferralSource.UWV: ["UWV Zwolle", "UWV Deventer"],
    ReferralSource.REINTEGRATION: ["Werkfit Re-integratie", "Baanbrekers Re-integratie"],
    ReferralSource.SELF: [""],
}
FUNDING_WEIGHTS = {
    FundingStream.PARTICIPATIEWET: 35,
    FundingStream.WAJONG: 18,
    FundingStream.UWV: 10,
    FundingStream.YOUTH_CARE: 10,
    FundingStream.ESF: 12,
    FundingStream.NONE: 15,
}
SCHOOL_EDUCATION = {
    ReferralSource.VSO: PriorEducation.VSO,
    ReferralSource.PRO: PriorEducation.PRO,
    ReferralSource.MBO1: PriorEducation.MBO1,
}
PLACES = {
    "BinQ": [("Raalte", "8102"), ("Heino", "8141"), ("Lemelerveld", "8152")],
    "TanQ": [("Deventer", "7411"), ("Olst", "8121"), ("Bathmen", "7437")],
    "BlinQ": [("Zwolle", "8011"), ("Hattem", "8051"), ("Dalfsen", "7721")],
}
STREETS = ["Kerkstraat", "Stationsweg", "Molenweg", "Beukenlaan", "Schoolstraat", "Veldweg"]
NOT_ADMITTED_REASONS = [
    "Wil liever eerst een andere opleiding proberen; doorverwezen naar het ROC.",
    "Lichamelijk (nog) niet belastbaar voor het werk; opnieuw bekijken over een half jaar.",
]

DEMO_NAMESPACE = uuid.UUID("6f1c2b0e-3d5a-4c1e-9a57-2b9e0d4c8a11")


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class PlannedRoute:
    id: uuid.UUID
    programme: object
    cohort: object | None
    route_type: str
    referral_date: date
    referral_source: str
    referring_organisation: str = ""
    school: str = ""
    status: str = Status.AANGEMELD
    intake_date: date | None = None
    intake_outcome: str = ""
    intake_outcome_reason: str = ""
    start_date: date | None = None
    trial_start_date: date | None = None
    contract_date: date | None = None
    end_date: date | None = None
    dropout_reason: str = ""
    dropout_phase: str = ""
    destination: str = ""
    contract_type: str = ""
    contract_hours: int | None = None
    still_on_benefit: bool | None = None
    outcome_category: str = ""
    outcome_reason: str = ""
    outflow_notes: str = ""


@dataclass
class PlannedPerson:
    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date
    coach: object | None
    funding_stream: str
    prior_education: str
    email: str = ""
    phone: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    bsn: str = ""
    lead_organisation: str = LeadOrganisation.ACADEMY
    lead_organisation_name: str = ""
    routes: list[PlannedRoute] = field(default_factory=list)
    care_note: str = ""
    undone_routes: set = field(default_factory=set)


def bsn_for(rng: random.Random) -> str:
    """A random number that passes the 11-test (so it is shaped like a BSN, not a real one)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


class Planner:
    """Plans the people after the original twelve; see the module docstring."""

    def __init__(self, *, today: date, cohorts, programmes, coaches, taken: set):
        self.rng = random.Random(2013)
        self.today = today
        self.cohorts = cohorts  # programme name -> cohorts, oldest first
        self.programmes = programmes
        self.coaches = coaches  # email -> User
        self.taken = set(taken)
        self.count = 0
        self.dropouts = cycle(self._shuffled(DROPOUT_DECK))
        self.completions = cycle(self._shuffled(COMPLETION_DECK))

    def _shuffled(self, deck: list) -> list:
        deck = list(deck)
        self.rng.shuffle(deck)
        return deck

    def _running(self, name: str) -> list:
        return [c for c in self.cohorts[name] if c.start_date <= self.today < c.end_date]

    def _finished(self, name: str) -> list:
        return [c for c in self.cohorts[name] if c.end_date <= self.today]

    def plan(self, *, first_twelve_per_cohort: dict) -> list[PlannedPerson]:
        people: list[PlannedPerson] = []
        for name in PROGRAMMES:
            coach = self.coaches[COACHES[name][1]]
            finished = self._finished(name)[-FINISHED_GROUPS[name] :]
            extended = finished[-1] if name == "BinQ" and finished else None
            for cohort in finished:
                people += self._finished_group(cohort, coach, extended=cohort == extended)
        filled = dict(first_twelve_per_cohort)
        for _returner, cohort in self._returners(people):
            filled[cohort.pk] = filled.get(cohort.pk, 0) + 1
        for name in PROGRAMMES:
            newest_first = list(reversed(self._running(name)))
            for position, cohort in enumerate(newest_first):
                coach = self.coaches[COACHES[name][0 if position < 2 else 1]]
                missing = cohort.planned_size - filled.get(cohort.pk, 0)
                people += self._running_group(cohort, coach, missing, newest=position == 0)
        people += self._individual_routes()
        people += self._intake_pipeline()
        self._mark_one_undo(people)
        return people

    # --- people ----------------------------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        rng = self.rng
        while True:
            first = rng.choice(MORE_FIRST_NAMES + FIRST_NAMES)
            last = rng.choice(MORE_LAST_NAMES + LAST_NAMES)
            if (first, last) not in self.taken:
                self.taken.add((first, last))
                return first, last

    def _person(self, *, programme: str, referral: date, route_type: str, coach) -> PlannedPerson:
        rng = self.rng
        self.count += 1
        first, last = self._name()
        low, high = {"1a": (16, 19), "1b": (17, 25)}.get(route_type, (18, 23))
        born = referral - timedelta(
            days=rng.randint(int(low * 365.25) + 2, int((high + 1) * 365.25) - 2)
        )
        funding = rng.choices(list(FUNDING_WEIGHTS), weights=list(FUNDING_WEIGHTS.values()))[0]
        if route_type == RouteType.WERKSCHOOL:
            funding = FundingStream.WERKSCHOOL
        city, postcode = rng.choice(PLACES[programme])
        email_name = f"{first}.{last}".lower().replace(" ", "").replace("ö", "o")
        return PlannedPerson(
            id=uuid.uuid5(DEMO_NAMESPACE, f"participant-{self.count}"),
            first_name=first,
            last_name=last,
            date_of_birth=born,
            coach=coach,
            funding_stream=funding,
            prior_education="",
            email=f"{email_name}{self.count}@mail.test",
            phone=f"06-{rng.randint(10000000, 99999999)}",
            street=f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
            postcode=f"{postcode} {rng.choice('ABCDEGHJKLMNPRST')}{rng.choice('ABCDEGHJKLMNPRST')}",
            city=city,
            bsn=bsn_for(rng) if rng.random() < 0.75 else "",
        )

    def _route(
        self, person: PlannedPerson, *, programme: str, cohort, route_type: str, referral: date
    ) -> PlannedRoute:
        rng = self.rng
        if route_type == RouteType.WERKSCHOOL:
            source = rng.choice([ReferralSource.VSO, ReferralSource.PRO, ReferralSource.MBO1])
        else:
            source = rng.choices(list(REFERRAL_WEIGHTS), weights=list(REFERRAL_WEIGHTS.values()))[0]
        organisation = rng.choice(REFERRERS[source])
        if not person.prior_education:
            person.prior_education = SCHOOL_EDUCATION.get(source) or rng.choice(
                [
                    PriorEducation.VSO,
                    PriorEducation.PRO,
                    PriorEducation.LWOO,
                    PriorEducation.VMBO,
                    PriorEducation.MBO2,
                    PriorEducation.NONE,
                ]
            )
        route = PlannedRoute(
            id=uuid.uuid5(DEMO_NAMESPACE, f"route-{person.id}-{len(person.routes)}"),
            programme=self.programmes[programme],
            cohort=cohort,
            route_type=route_type,
            referral_date=referral,
            referral_source=source,
            referring_organisation=organisation,
            school=organisation if route_type == RouteType.WERKSCHOOL else "",
        )
        person.routes.append(route)
        return route

    def _route_type(self) -> str:
        roll = self.rng.random()
        return (
            RouteType.GROUP
            if roll < 0.85
            else RouteType.ZIJ_INSTROOM
            if roll < 0.95
            else RouteType.WERKSCHOOL
        )

    # --- groups ----------------------------------------------------------------------------

    def _member(
        self, cohort, coach, *, start: date, orientation: int = 0
    ) -> tuple[PlannedPerson, PlannedRoute]:
        name = cohort.programme.name
        referral = start - timedelta(days=self.rng.randint(45, 120))
        route_type = self._route_type()
        person = self._person(programme=name, referral=referral, route_type=route_type, coach=coach)
        route = self._route(
            person, programme=name, cohort=cohort, route_type=route_type, referral=referral
        )
        # A member of a group follows the group route (2): individual routes (1a, 1b) start
        # without a group. The drawn type still shapes the person (age, referrer), so the
        # random draws, and everything planned after them, stay as they were.
        route.route_type, route.school = RouteType.GROUP, ""
        self._admit(route, start=start, orientation=orientation)
        return person, route

    def _admit(self, route: PlannedRoute, *, start: date, orientation: int = 0) -> None:
        """Intake, start and trial period, and the contract three months later, as far as
        today reaches."""
        route.intake_date = min(
            start - timedelta(days=3),
            route.referral_date + timedelta(days=self.rng.randint(10, 30)),
        )
        route.intake_outcome = IntakeOutcome.ADMITTED
        route.start_date = start
        route.status = Status.GESTART
        trial = start + timedelta(days=orientation)
        if trial <= self.today:
            route.trial_start_date, route.status = trial, Status.PROEFPERIODE
            contract = add_months(trial, 3)
            if contract <= self.today:
                route.contract_date, route.status = contract, Status.CONTRACT

    def _late_start(self, cohort) -> date:
        latest = min(self.today, cohort.end_date) - timedelta(days=1)
        return min(latest, cohort.start_date + timedelta(days=self.rng.randint(30, 120)))

    def _finished_group(self, cohort, coach, *, extended: bool) -> list[PlannedPerson]:
        size = cohort.planned_size
        dropouts = round(size * DROPOUT_SHARE)
        people = []
        for index in range(size):
            late = index >= size - 2  # the last two joined later
            start = self._late_start(cohort) if late else cohort.start_date
            person, route = self._member(cohort, coach, start=start, orientation=14 if late else 0)
            if index % 3 == 1 and dropouts:
                dropouts -= 1
                self._drop_out(route, cohort, next(self.dropouts), self.rng.random() ** 2)
            elif extended and index == 0:
                pass  # still finishing the diploma after the group ended
            else:
                self._complete(route, cohort, next(self.completions))
            self._lead_after(person, route)
            people.append(person)
        return people

    def _running_group(self, cohort, coach, missing: int, *, newest: bool) -> list[PlannedPerson]:
        """A group that runs today: its drop-outs so far follow from how far it is (drop-out
        comes early: most leave in the first half year)."""
        people = []
        course = (cohort.end_date - cohort.start_date).days
        elapsed = (self.today - cohort.start_date).days / course
        dropouts = round(max(0, missing) * RUNNING_DROPOUT_SHARE * elapsed**0.4)
        for index in range(max(0, missing)):
            if newest and index == 0 and self.today - timedelta(days=7) > cohort.start_date:
                # Just joined: in the orientation weeks before the trial period.
                start, orientation = self.today - timedelta(days=7), 21
            elif index % 6 == 5:
                start, orientation = self._late_start(cohort), 14
            else:
                start, orientation = cohort.start_date, 0
            person, route = self._member(cohort, coach, start=start, orientation=orientation)
            if index % 3 == 1 and dropouts:
                dropouts -= 1
                reason = self.rng.choices(
                    list(RUNNING_DROPOUT_WEIGHTS), weights=list(RUNNING_DROPOUT_WEIGHTS.values())
                )[0]
                self._drop_out(route, cohort, reason, elapsed * self.rng.random() ** 1.5)
            if self.rng.random() < 0.22 and not route.end_date:
                person.care_note = self.rng.choice(MORE_CARE_NOTES)
            people.append(person)
        return people

    # --- endings ---------------------------------------------------------------------------

    def _drop_out(self, route: PlannedRoute, cohort, reason: str, share: float) -> None:
        """Drop out at ``share`` of the course (if that moment has come): the phase is the
        status on that day."""
        span = (cohort.end_date - route.start_date).days - 30
        day = route.start_date + timedelta(days=max(14, int(share * span)))
        if day >= self.today:
            return  # not (yet): the route runs
        if route.contract_date and route.contract_date > day:
            route.contract_date = None
        if route.trial_start_date and route.trial_start_date > day:
            route.trial_start_date = None
        route.dropout_phase = (
            Status.CONTRACT
            if route.contract_date
            else Status.PROEFPERIODE
            if route.trial_start_date
            else Status.GESTART
        )
        route.status, route.end_date, route.dropout_reason = Status.UITGEVALLEN, day, reason
        route.destination = self.rng.choice(
            DROPOUT_DESTINATIONS.get(reason, [Destination.BENEFIT, Destination.UNKNOWN])
        )
        self._outcome(route)

    def _complete(self, route: PlannedRoute, cohort, destination: str) -> None:
        route.end_date = cohort.end_date - timedelta(days=self.rng.randint(1, 20))
        route.contract_date = route.contract_date or add_months(route.trial_start_date, 3)
        route.status = Status.AFGEROND
        wajong = destination == "wajong"
        route.destination = Destination.BENEFIT if wajong else destination
        if destination in {Destination.JOB_HOST, Destination.JOB_ELSEWHERE}:
            route.contract_type = self.rng.choice(
                [
                    ContractType.PERMANENT,
                    ContractType.ONE_YEAR,
                    ContractType.ONE_YEAR,
                    ContractType.TEMPORARY,
                    ContractType.WITH_BENEFIT,
                ]
            )
            route.contract_hours = self.rng.choice([24, 28, 32, 32, 36, 38])
            route.still_on_benefit = route.contract_type == ContractType.WITH_BENEFIT
        elif wajong:
            route.contract_type, route.still_on_benefit = ContractType.NONE, True
            route.outflow_notes = "Wajong toegekend; zoekt met de jobcoach een beschutte plek."
        self._outcome(route, wajong_granted=wajong)

    def _outcome(self, route: PlannedRoute, *, wajong_granted: bool = False) -> None:
        route.outcome_category, route.outcome_reason = outcome_derive(
            destination=route.destination,
            dropout_reason=route.dropout_reason,
            wajong_granted=wajong_granted,
        )

    def _lead_after(self, person: PlannedPerson, route: PlannedRoute) -> None:
        if route.destination == Destination.BENEFIT:
            person.lead_organisation = LeadOrganisation.MUNICIPALITY
            person.lead_organisation_name = f"Gemeente {person.city}"

    # --- special people --------------------------------------------------------------------

    def _returners(self, people: list[PlannedPerson]) -> list[tuple[PlannedPerson, object]]:
        """Three people who dropped out of a finished group and came back, each into the
        newest group of another programme: a second route, now the current one."""
        gone = [
            p
            for p in people
            if p.routes[0].status == Status.UITGEVALLEN
            and p.routes[0].dropout_reason not in {DropoutReason.DISMISSED, DropoutReason.OTHER_JOB}
            and p.routes[0].end_date <= self.today - timedelta(days=300)
        ]
        chosen = []
        for person, name in zip(gone[:3], ("TanQ", "BlinQ", "TanQ"), strict=False):
            cohort = self._running(name)[-1]
            referral = max(
                person.routes[0].end_date + timedelta(days=120),
                cohort.start_date - timedelta(days=90),
            )
            route = self._route(
                person,
                programme=name,
                cohort=cohort,
                route_type=RouteType.ZIJ_INSTROOM,
                referral=referral,
            )
            route.route_type = RouteType.GROUP  # back into a group: the group route (2)
            start = max(cohort.start_date, referral + timedelta(days=30))
            self._admit(route, start=min(start, self.today), orientation=0)
            person.coach = self.coaches[COACHES[name][0]]
            person.lead_organisation, person.lead_organisation_name = LeadOrganisation.ACADEMY, ""
            chosen.append((person, cohort))
        return chosen

    def _individual_routes(self) -> list[PlannedPerson]:
        """Individual routes (1a werkschool, 1b lateral entry) outside the groups."""
        people = []
        for name, route_type in (("BinQ", "1a"), ("BinQ", "1b"), ("TanQ", "1b"), ("BlinQ", "1a")):
            start = self.today - timedelta(days=self.rng.randint(60, 400))
            referral = start - timedelta(days=self.rng.randint(40, 90))
            coach = self.coaches[COACHES[name][1]]
            person = self._person(
                programme=name, referral=referral, route_type=route_type, coach=coach
            )
            route = self._route(
                person, programme=name, cohort=None, route_type=route_type, referral=referral
            )
            self._admit(route, start=start)
            people.append(person)
        return people

    def _intake_pipeline(self) -> list[PlannedPerson]:
        """Referred for the next intake: some new, some after their intake conversation (one
        on the waiting list), two not admitted."""
        people = []
        plan = [("aangemeld", 3), ("intake", 3), ("wachtlijst", 1), ("niet_toegelaten", 2)]
        names = cycle(PROGRAMMES)
        for kind, count in plan:
            for _ in range(count):
                name = next(names)
                days_ago = {"aangemeld": (3, 25), "niet_toegelaten": (150, 250)}.get(kind, (30, 70))
                referral = self.today - timedelta(days=self.rng.randint(*days_ago))
                person = self._person(
                    programme=name, referral=referral, route_type=RouteType.GROUP, coach=None
                )
                route = self._route(
                    person,
                    programme=name,
                    cohort=None,
                    route_type=RouteType.GROUP,
                    referral=referral,
                )
                if kind != "aangemeld":
                    route.intake_date = min(
                        self.today, referral + timedelta(days=self.rng.randint(10, 28))
                    )
                    route.status = Status.INTAKE
                    route.intake_outcome = (
                        IntakeOutcome.WAITING_LIST
                        if kind == "wachtlijst"
                        else IntakeOutcome.ADMITTED
                    )
                if kind == "niet_toegelaten":
                    route.status, route.end_date = Status.NIET_TOEGELATEN, route.intake_date
                    route.intake_outcome = IntakeOutcome.NOT_ADMITTED
                    route.intake_outcome_reason = NOT_ADMITTED_REASONS[len(people) % 2]
                people.append(person)
        return people

    def _mark_one_undo(self, people: list[PlannedPerson]) -> None:
        """One contract that was entered too early and taken back: history shows undos too."""
        for person in people:
            route = person.routes[-1]
            if route.status == Status.CONTRACT and person.coach is self.coaches[COACHES["BinQ"][0]]:
                person.undone_routes.add(route.id)
                return
