"""Demo participants for the demo academy. Deterministic (fixed seeds) and idempotent.

The first twelve (in the newest BinQ and TanQ groups, with placements and care notes) come from
the original seed and keep their names and ids. The rest is planned from a second seed: every
running group of BinQ, TanQ and BlinQ at about its planned size, the most recently finished
groups with their drop-out and outflow, a few individual routes, people in intake, and people
who came back for a second route. Older groups predate the platform and stay empty (filling
all 74 would mean some 800 people).

Re-running brings everything back to the demo state: people and routes are found by fixed
ids (or, for the first twelve, by name and date of birth); their status history, follow-ups,
handovers, network and consents are rebuilt.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo.participant_plans import (
    CARE_NOTES,
    COACHES,
    COLLEAGUES,
    FIRST_NAMES,
    LAST_NAMES,
    PlannedPerson,
    Planner,
    add_months,
)
from employers.models import Placement
from maatwerq.accounts.models import Membership, Role, User
from participants.models import (
    CareNote,
    Cohort,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    FollowUp,
    FollowUpSituation,
    FundingStream,
    Handover,
    IntakeOutcome,
    LeadOrganisation,
    NetworkContact,
    NetworkRole,
    OutcomeCategory,
    Participant,
    ReferralSource,
    Route,
    RouteType,
    Status,
    StatusChange,
)


def _person(rng: random.Random, start: date) -> tuple[str, str, date]:
    age_days = rng.randint(17 * 365, 23 * 365)
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), start - timedelta(days=age_days)


def build_participants(organisation, today: date) -> None:
    """The whole demo population; see the module docstring."""
    first_twelve = _build_first_twelve(organisation, today)
    people = _colleagues(organisation) | organisation.people
    planner = Planner(
        today=today,
        cohorts=_cohorts_by_programme(organisation),
        programmes=organisation.programmes,
        coaches={email: people[email] for pair in COACHES.values() for email in pair},
        taken={(p.first_name, p.last_name) for p in first_twelve},
    )
    planned = planner.plan(first_twelve_per_cohort=_count_by_cohort(first_twelve))
    saved = [_save_planned(person, organisation.academy) for person in planned]
    _rebuild_details(
        organisation,
        [(p, list(p.routes.all()), None) for p in first_twelve]
        + [
            (participant, routes, person)
            for person, (participant, routes) in zip(planned, saved, strict=True)
        ],
        today,
    )


def _build_first_twelve(organisation, today: date) -> list[Participant]:
    """The original twelve, exactly as before (same seed, same order, same names)."""
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
    people = []
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
        route, _ = Route.objects.update_or_create(
            participant=participant,
            programme=cohort.programme,
            defaults={
                "cohort": cohort,
                "route_type": RouteType.GROUP,
                "status": Status.PROEFPERIODE,
                "referral_source": "vso",
                "referral_date": cohort.start_date - timedelta(days=90),
                "intake_date": cohort.start_date - timedelta(days=60),
                "intake_outcome": IntakeOutcome.ADMITTED,
                "start_date": cohort.start_date,
                "trial_start_date": cohort.start_date,
            },
        )
        participant.current_route = route
        participant.save(update_fields=["current_route"])
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
        people.append(participant)
    return people


def _colleagues(organisation) -> dict[str, User]:
    """The academy's other coaches (no demo login): a coach carries 20 to 25 people."""
    found = {}
    for email, name in COLLEAGUES:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user,
            academy=organisation.academy,
            role=Role.COACH,
            defaults={"is_active": True, "employer": None},
        )
        found[email] = user
    return found


def _cohorts_by_programme(organisation) -> dict[str, list[Cohort]]:
    names = ("BinQ", "TanQ", "BlinQ")
    cohorts = Cohort.objects.filter(programme__in=[organisation.programmes[n] for n in names])
    found: dict[str, list[Cohort]] = {n: [] for n in names}
    for cohort in cohorts.select_related("programme").order_by("start_date"):
        found[cohort.programme.name].append(cohort)
    return found


def _count_by_cohort(people: list[Participant]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for person in people:
        cohort_id = person.current_route.cohort_id
        counts[cohort_id] = counts.get(cohort_id, 0) + 1
    return counts


# --- saving the plan -----------------------------------------------------------------------

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "prior_education",
    "funding_stream",
    "bsn",
    "coach",
    "lead_organisation",
    "lead_organisation_name",
)
ROUTE_FIELDS = (
    "programme",
    "cohort",
    "route_type",
    "school",
    "status",
    "referral_date",
    "referral_source",
    "referring_organisation",
    "intake_date",
    "intake_outcome",
    "intake_outcome_reason",
    "start_date",
    "trial_start_date",
    "contract_date",
    "end_date",
    "dropout_reason",
    "dropout_phase",
    "destination",
    "contract_type",
    "contract_hours",
    "still_on_benefit",
    "outcome_category",
    "outcome_reason",
    "outflow_notes",
)


def _save_planned(person: PlannedPerson, academy) -> tuple[Participant, list[Route]]:
    participant, _ = Participant.objects.update_or_create(
        id=person.id,
        defaults={
            "academy": academy,
            "anonymised_at": None,
            **{name: getattr(person, name) for name in PERSON_FIELDS},
        },
    )
    routes = []
    for route in person.routes:
        route, _ = Route.objects.update_or_create(
            id=route.id,
            defaults={
                "participant": participant,
                **{name: getattr(route, name) for name in ROUTE_FIELDS},
            },
        )
        routes.append(route)
    participant.current_route = routes[-1]
    participant.save(update_fields=["current_route"])
    return participant, routes


# --- details: status history, follow-ups, handovers, network, consents, placements -------


@dataclass
class _Details:
    status_changes: list[StatusChange] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    network: list[NetworkContact] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


PARENT_FIRST_NAMES = ["Ingrid", "Marco", "Petra", "Hans", "Fatma", "Said", "Anita", "Gerard"]
STEP_FIELDS = [
    (Status.AANGEMELD, "referral_date"),
    (Status.INTAKE, "intake_date"),
    (Status.GESTART, "start_date"),
    (Status.PROEFPERIODE, "trial_start_date"),
    (Status.CONTRACT, "contract_date"),
]
HANDOVER_FROM = {
    ReferralSource.VSO: LeadOrganisation.SCHOOL,
    ReferralSource.PRO: LeadOrganisation.SCHOOL,
    ReferralSource.MBO1: LeadOrganisation.SCHOOL,
    ReferralSource.YOUTH_CARE: LeadOrganisation.YOUTH_CARE,
    ReferralSource.MUNICIPALITY: LeadOrganisation.MUNICIPALITY,
    ReferralSource.UWV: LeadOrganisation.UWV,
    ReferralSource.REINTEGRATION: LeadOrganisation.REINTEGRATION,
}
EMPLOYER_OF = {"BinQ": "binq", "TanQ": "tanq", "BlinQ": "blinq"}


def _rebuild_details(organisation, people, today: date) -> None:
    """Rebuild every demo person's status history, follow-ups, handovers, network and
    consents (deleted and made again: the demo state), and add placements and care notes
    where they are missing."""
    rng = random.Random(2014)
    ids = [participant.pk for participant, _routes, _plan in people]
    StatusChange.objects.filter(route__participant__in=ids).delete()
    FollowUp.objects.filter(route__participant__in=ids).delete()
    Handover.objects.filter(participant__in=ids).delete()
    NetworkContact.objects.filter(participant__in=ids).delete()
    Consent.objects.filter(participant__in=ids).delete()
    with_placement = set(
        Placement.objects.filter(participant__in=ids).values_list("participant_id", flat=True)
    )
    with_care_notes = set(
        CareNote.objects.filter(participant__in=ids).values_list("participant_id", flat=True)
    )
    regisseur = organisation.people["regisseur"]
    details = _Details()
    placements, care_notes = [], []
    for participant, routes, plan in people:
        staff = participant.coach or regisseur
        for route in routes:
            details.status_changes += _history(route, regisseur, staff, plan)
            details.follow_ups += _follow_ups(rng, route, staff, today)
        _person_details(rng, details, participant, routes, staff)
        if participant.pk not in with_placement and plan is not None:
            placements += _placements(organisation, participant, routes)
        if participant.pk not in with_care_notes and plan is not None and plan.care_note:
            care_notes.append(
                CareNote(
                    participant=participant,
                    author=staff,
                    written_on=min(today, routes[-1].referral_date + timedelta(days=75)),
                    text=plan.care_note,
                )
            )
    StatusChange.objects.bulk_create(details.status_changes)
    FollowUp.objects.bulk_create(details.follow_ups)
    Handover.objects.bulk_create(details.handovers)
    NetworkContact.objects.bulk_create(details.network)
    Consent.objects.bulk_create(details.consents)
    Placement.objects.bulk_create(placements)
    CareNote.objects.bulk_create(care_notes)


def _history(route: Route, regisseur, staff, plan: PlannedPerson | None) -> list[StatusChange]:
    """The steps the route went through, dated by its own fields; one recorded undo where the
    plan says so (a contract entered too early and taken back)."""
    changes, previous = [], ""
    not_admitted = route.status == Status.NIET_TOEGELATEN
    for status, date_field in STEP_FIELDS:
        on = getattr(route, date_field)
        if on is None or (not_admitted and status == Status.INTAKE):
            continue  # a refusal at intake goes straight from referral to not admitted
        by = regisseur if status in {Status.AANGEMELD, Status.INTAKE} else staff
        changes.append(_change(route, previous, status, on, by))
        if status == Status.CONTRACT and plan is not None and route.pk in plan.undone_routes:
            changes.append(
                _change(
                    route,
                    Status.CONTRACT,
                    Status.PROEFPERIODE,
                    on,
                    regisseur,
                    undo=True,
                    reason="Contract te vroeg ingevoerd: proeftijd verlengd met twee weken.",
                )
            )
            changes.append(_change(route, Status.PROEFPERIODE, Status.CONTRACT, on, staff))
        previous = status
    if route.status in {Status.AFGEROND, Status.UITGEVALLEN, Status.NIET_TOEGELATEN}:
        reason = route.get_dropout_reason_display() if route.dropout_reason else ""
        if not_admitted:
            reason = route.intake_outcome_reason
        changes.append(_change(route, previous, route.status, route.end_date, staff, reason=reason))
    return changes


def _change(route, from_status, to_status, on, by, *, undo=False, reason="") -> StatusChange:
    return StatusChange(
        route=route,
        from_status=from_status,
        to_status=to_status,
        on_date=on,
        by=by,
        is_undo=undo,
        reason=reason,
    )


FOLLOW_UP_SITUATIONS = {
    OutcomeCategory.SUCCESSFUL: [FollowUpSituation.WORK] * 6
    + [FollowUpSituation.WORK_AND_SCHOOL, FollowUpSituation.SCHOOL, FollowUpSituation.NEITHER],
    OutcomeCategory.NEGATIVE: [FollowUpSituation.NEITHER] * 3
    + [FollowUpSituation.UNKNOWN, FollowUpSituation.WORK],
    OutcomeCategory.OTHER: [
        FollowUpSituation.NEITHER,
        FollowUpSituation.UNKNOWN,
        FollowUpSituation.WORK,
        FollowUpSituation.SCHOOL,
    ],
}


def _follow_ups(rng: random.Random, route: Route, staff, today: date) -> list[FollowUp]:
    """Checks at 6 and 12 months for a route that ended after it started; most checks that
    fell due are done, the rest are on the coach's list."""
    if route.status not in {Status.AFGEROND, Status.UITGEVALLEN} or route.start_date is None:
        return []
    checks = []
    for months in (6, 12):
        due = add_months(route.end_date, months)
        check = FollowUp(route=route, months_after=months, due_on=due)
        if due <= today and rng.random() < 0.7:
            check.done_on = min(today, due + timedelta(days=rng.randint(0, 20)))
            check.situation = rng.choice(FOLLOW_UP_SITUATIONS[route.outcome_category])
            check.recorded_by = staff
        elif due <= today:
            check.listed_for_coach_on = due  # as the daily task would have done
        checks.append(check)
    return checks


def _person_details(rng, details: _Details, participant, routes: list[Route], staff) -> None:
    """Handover, network and consents, as a coach would have recorded them."""
    first = routes[0]
    started = [r for r in routes if r.start_date is not None]
    parent = f"{rng.choice(PARENT_FIRST_NAMES)} {participant.last_name}"
    if rng.random() < 0.7:
        details.network.append(
            NetworkContact(
                participant=participant,
                role=NetworkRole.PARENT,
                name=parent,
                phone=f"06-{rng.randint(10000000, 99999999)}",
                involved_in_goals=rng.random() < 0.6,
            )
        )
    if first.route_type == RouteType.WERKSCHOOL or first.referral_source in {"vso", "pro"}:
        details.network.append(
            NetworkContact(
                participant=participant,
                role=NetworkRole.SCHOOL_MENTOR,
                name=f"{rng.choice(PARENT_FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                organisation=first.school or first.referring_organisation,
            )
        )
    funder_role = {
        FundingStream.UWV: NetworkRole.TRAJECTBEGELEIDER_UWV,
        FundingStream.WAJONG: NetworkRole.TRAJECTBEGELEIDER_UWV,
        FundingStream.PARTICIPATIEWET: NetworkRole.TRAJECTBEGELEIDER_GEMEENTE,
        FundingStream.YOUTH_CARE: NetworkRole.YOUTH_CARE,
    }.get(participant.funding_stream)
    if funder_role:
        details.network.append(
            NetworkContact(
                participant=participant,
                role=funder_role,
                name=f"{rng.choice(PARENT_FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                organisation=first.referring_organisation,
                email=f"tb{rng.randint(10, 99)}@organisatie.test",
            )
        )
    for route in started:
        source = HANDOVER_FROM.get(route.referral_source)
        if source and rng.random() < 0.45:
            details.handovers.append(
                Handover(
                    participant=participant,
                    on_date=route.start_date,
                    from_organisation=source,
                    from_name=route.referring_organisation,
                    to_organisation=LeadOrganisation.ACADEMY,
                    to_name=str(staff),
                    notes="Warme overdracht: kennismaking op de werkplek, plan en afspraken "
                    "doorgenomen; de begeleider bouwt de komende maanden af.",
                    by=staff,
                )
            )
    if started:
        start = started[0].start_date
        minor = participant.age_on(start) < 18
        details.consents.append(
            Consent(
                participant=participant,
                scope=ConsentScope.EMPLOYER_WORK_STATUS,
                given_on=start,
                given_by=ConsentGivenBy.PARENT if minor else ConsentGivenBy.PARTICIPANT,
                given_by_name=parent if minor else "",
                recorded_by=staff,
            )
        )
        if rng.random() < 0.5:
            details.consents.append(
                Consent(
                    participant=participant,
                    scope=ConsentScope.CONTACT_PARENTS,
                    given_on=start,
                    given_by=ConsentGivenBy.PARTICIPANT,
                    recorded_by=staff,
                )
            )
        if first.referring_organisation and rng.random() < 0.4:
            details.consents.append(
                Consent(
                    participant=participant,
                    scope=ConsentScope.REQUEST_INFORMATION,
                    organisation=first.referring_organisation,
                    given_on=first.intake_date or start,
                    given_by=ConsentGivenBy.PARTICIPANT,
                    recorded_by=staff,
                )
            )
        if rng.random() < 0.08:
            details.consents.append(
                Consent(
                    participant=participant,
                    scope=ConsentScope.PHOTO,
                    given_on=start,
                    withdrawn_on=start + timedelta(days=rng.randint(20, 90)),
                    given_by=ConsentGivenBy.PARTICIPANT,
                    recorded_by=staff,
                )
            )


def _placements(organisation, participant, routes: list[Route]) -> list[Placement]:
    """A placement at the programme's host employer from the contract (or, for a route that
    ended, from its start) until the end."""
    placed = []
    for route in routes:
        begin = route.contract_date or (route.start_date if route.end_date else None)
        if begin is None:
            continue
        employer = organisation.employers[EMPLOYER_OF[route.programme.name]]
        placed.append(
            Placement(
                participant=participant,
                employer=employer,
                start_date=begin,
                end_date=route.end_date,
            )
        )
    return placed
