"""Reads of employers and placements, scoped to the acting membership.

Two audiences, kept apart:

- academy staff (coach, regisseur, projectleider): employers of their academy; placements of
  the participants they may see (participants_visible_to);
- the employer's workplace pages (werkgever, leermeester): only their own employer and the
  trainees with a placement there running today. Workplace selectors return plain dataclasses
  with the fields an employer may see, never a model instance, so a template cannot reach
  anything else (BSN, care notes, funding stream, network). Consents are checked when the page
  is built.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leerroutes.models import (
    Certificate,
    CertificateKind,
    Evaluation,
    Goal,
    GoalKind,
    GoalStatus,
    HoursWeek,
    LeermeesterAssessment,
    Phase,
)
from leerroutes.selectors import current_phase, handelingswijzer_for_employer
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from participants.models import ENDED_STATUSES, ConsentScope, Participant
from participants.selectors import (
    consent_is_active,
    participant_get_for_user,
    participants_visible_to,
)

from .models import (
    EMPLOYED_KINDS,
    MINI_STAGE_KINDS,
    RUNS_OUT_SOON_DAYS,
    TRIAL_REMINDER_DAYS,
    ContactRole,
    Employer,
    EmployerContact,
    Placement,
    PlacementArrangement,
    Vacancy,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from leerroutes.models import Goal as GoalRow
    from maatwerq.accounts.access import AnyUser
    from maatwerq.accounts.models import Academy, Membership
    from participants.models import Route

    from .models import Commitment, EmployerLocation

    GoalCount = tuple[str, StrOrPromise, int]  # (status, label, count)

STAFF_ROLES = {Role.COACH, Role.REGISSEUR, Role.PROJECTLEIDER}
# Certificates an employer sees: vocational ones (VCA and other branch certificates, partial
# certificates, the diploma). Q-certificates such as SOVA hint at support needs: not shown.
WORK_CERTIFICATE_KINDS = (CertificateKind.BRANCH, CertificateKind.PARTIAL, CertificateKind.DIPLOMA)
RECENT_HOURS_DAYS = 28
PORTAL_HOURS_WEEKS = 8


def _today() -> date:
    return timezone.localdate()


def running_on(day: date, prefix: str = "") -> Q:
    """Placements that run on ``day`` (end date inclusive), optionally through a relation."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _staff_membership(user: AnyUser) -> Membership | None:
    membership = active_membership(user)
    if membership is None or membership.role not in STAFF_ROLES:
        return None
    return membership


# --- staff: employers ------------------------------------------------------------------------


def employers_visible_to(user: AnyUser) -> QuerySet[Employer]:
    """The employers of the acting academy, for academy staff; none for anyone else."""
    membership = _staff_membership(user)
    if membership is None:
        return Employer.objects.none()
    return Employer.objects.filter(academy=membership.academy)


def employer_get_for_user(user: AnyUser, pk: int | str) -> Employer:
    """One employer of the acting academy; 404 outside it (and for non-staff)."""
    return get_object_or_404(employers_visible_to(user), pk=pk)


def employer_list(queryset: QuerySet[Employer], today: date | None = None) -> QuerySet[Employer]:
    """The list's rows: commitments (with programme) and the number of running placements,
    in a fixed number of queries."""
    today = today or _today()
    return queryset.annotate(
        running_placements=Count("placements", filter=running_on(today, "placements__"))
    ).prefetch_related("commitments__programme")


@dataclass(frozen=True)
class EmployerPage:
    locations: list[EmployerLocation]
    contacts: list[EmployerContact]
    commitments: list[Commitment]
    vacancies: list[Vacancy]
    placements: list[Placement]  # running and future ones
    ended_placements: int
    arrangements_soon: int


def employer_page(user: AnyUser, employer: Employer, today: date | None = None) -> EmployerPage:
    """Everything on the staff employer page. Placements only of participants the user may
    see (a coach: their own caseload); the ended ones are counted, and listed elsewhere."""
    today = today or _today()
    visible = placements_visible_to(user).filter(employer=employer)
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    placements = list(
        visible.filter(current)
        .prefetch_related(Prefetch("arrangements", queryset=PlacementArrangement.objects.all()))
        .order_by("-start_date", "pk")
    )
    soon = sum(1 for p in placements for a in p.arrangements.all() if a.runs_out_within(today))
    return EmployerPage(
        locations=list(employer.locations.all()),
        contacts=list(employer.contacts.select_related("user")),
        commitments=list(employer.commitments.select_related("programme")),
        vacancies=list(
            employer.vacancies.select_related("programme", "location", "min_phase").order_by(
                "-is_open", "starts_on", "pk"
            )
        ),
        placements=placements,
        ended_placements=visible.exclude(current).count(),
        arrangements_soon=soon,
    )


def leermeesters_of_academy(academy: Academy) -> QuerySet[EmployerContact]:
    return EmployerContact.objects.filter(
        employer__academy=academy, role=ContactRole.LEERMEESTER, is_active=True
    ).select_related("employer")


# --- staff: placements -----------------------------------------------------------------------


def staff_participant_get(user: AnyUser, pk: object) -> Participant:
    """A participant for the staff placement pages: academy staff only, inside their scope;
    404 otherwise (an employer sees trainees only on the workplace pages)."""
    if _staff_membership(user) is None:
        raise Http404
    try:
        participant_pk = uuid.UUID(str(pk))
    except ValueError as error:
        raise Http404 from error
    return participant_get_for_user(user, participant_pk)


def placements_visible_to(user: AnyUser) -> QuerySet[Placement]:
    """Placements of the participants a staff user may see; none for anyone else."""
    if _staff_membership(user) is None:
        return Placement.objects.none()
    return Placement.objects.filter(participant__in=participants_visible_to(user)).select_related(
        "participant__current_route__programme", "employer", "location", "leermeester"
    )


def placement_get_for_user(user: AnyUser, public_id: object) -> Placement:
    """One placement inside the user's scope, by its public id (the uuid in its URLs); 404
    outside the scope and for an unknown or malformed id."""
    try:
        placement_id = uuid.UUID(str(public_id))
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(
        placements_visible_to(user).prefetch_related("arrangements"), public_id=placement_id
    )


def placements_of(user: AnyUser, participant: Participant) -> list[Placement]:
    """One (already scoped) participant's placements, newest first, with arrangements."""
    return list(
        placements_visible_to(user)
        .filter(participant=participant)
        .prefetch_related("arrangements")
        .order_by("-start_date", "pk")
    )


@dataclass(frozen=True)
class Watchlist:
    # Placements whose trial period ends within two weeks (listed by the task).
    trials: list[Placement]
    arrangements: list[PlacementArrangement]  # arrangements running out within 30 days


def watchlist_for(user: AnyUser, today: date | None = None) -> Watchlist:
    """The coach's list: trial periods ending soon (listed by the daily task, not yet passed
    or ended) and arrangements of running placements that run out within 30 days."""
    today = today or _today()
    placements = placements_visible_to(user)
    trials = (
        placements.filter(
            trial_reminder_listed_on__isnull=False,
            trial_passed_on__isnull=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("trial_ends_on", "pk")
    )
    arrangements = (
        PlacementArrangement.objects.filter(
            placement__in=placements.filter(running_on(today)).values("pk"),
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=RUNS_OUT_SOON_DAYS),
        )
        .select_related("placement__participant", "placement__employer")
        .order_by("ends_on", "pk")
    )
    return Watchlist(trials=list(trials), arrangements=list(arrangements))


# --- staff: vacancies and candidates ---------------------------------------------------------


def vacancy_get_for_user(user: AnyUser, pk: int | str) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.filter(employer__in=employers_visible_to(user)).select_related(
            "employer", "programme", "min_phase", "location"
        ),
        pk=pk,
    )


def phase_annotations() -> dict[str, Coalesce]:
    """The current phase of a participant's current route, as in leerroutes: the latest
    evaluation decision, else the programme's first phase. For lists, in one query."""
    decided = Evaluation.objects.filter(
        route=OuterRef("current_route"), phase_decision__isnull=False
    ).order_by("-held_on", "-created_at")
    first = Phase.objects.filter(programme=OuterRef("current_route__programme")).order_by(
        "order", "pk"
    )
    return {
        "phase_name": Coalesce(
            Subquery(decided.values("phase_decision__name")[:1]),
            Subquery(first.values("name")[:1]),
            Value(""),
        ),
        "phase_order": Coalesce(
            Subquery(decided.values("phase_decision__order")[:1]),
            Subquery(first.values("order")[:1]),
            Value(-1),
            output_field=IntegerField(),
        ),
    }


def vacancy_candidates(
    user: AnyUser, vacancy: Vacancy, today: date | None = None
) -> list[Participant]:
    """Trainees of the vacancy's programme with a running route, in the vacancy's phase or
    further, within the user's scope (a coach: own caseload). For staff only: an employer
    never sees a candidate before the participant is placed with them."""
    today = today or _today()
    candidates = (
        participants_visible_to(user)
        .filter(current_route__programme=vacancy.programme)
        .exclude(current_route__status__in=ENDED_STATUSES)
        .select_related("current_route__programme", "current_route__cohort")
        .annotate(**phase_annotations())
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(running_on(today))
                .exclude(kind__in=MINI_STAGE_KINDS)
                .select_related("employer"),
                to_attr="running_main",
            )
        )
        .order_by("last_name", "first_name")
    )
    if vacancy.min_phase is not None:
        # phase_order comes from phase_annotations(), which the type checker cannot follow.
        candidates = candidates.filter(phase_order__gte=vacancy.min_phase.order)  # type: ignore[misc]
    return list(candidates)


# --- the employer's workplace pages ---------------------------------------------------------------


def workplace_employer(user: AnyUser) -> Employer:
    """The acting werkgever membership's employer; 404 for anyone else."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.WERKGEVER or membership.employer is None:
        raise Http404
    return membership.employer


def workplace_trainee_get(user: AnyUser, pk: uuid.UUID | str) -> Participant:
    """A trainee of the user's employer (placement running today); 404 otherwise."""
    workplace_employer(user)
    return get_object_or_404(
        participants_visible_to(user).select_related(
            "current_route__programme", "current_route__cohort"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class WorkplacePlacement:
    pk: int
    kind: str
    location: str
    leermeester: str
    start_date: date
    end_date: date | None
    trial_ends_on: date | None
    trial_passed_on: date | None
    hours_per_week: Decimal | None
    contract_hours: Decimal | None
    # The trial period ends within TRIAL_REMINDER_DAYS and is not passed: flagged on the card.
    trial_ends_soon: bool = False


def _workplace_placement(p: Placement) -> WorkplacePlacement:
    today = _today()
    return WorkplacePlacement(
        pk=p.pk,
        kind=p.get_kind_display(),
        location=str(p.location) if p.location else "",
        leermeester=p.leermeester.name if p.leermeester else "",
        start_date=p.start_date,
        end_date=p.end_date,
        trial_ends_on=p.trial_ends_on,
        trial_passed_on=p.trial_passed_on,
        hours_per_week=p.hours_per_week,
        contract_hours=p.contract_hours,
        trial_ends_soon=p.trial_passed_on is None
        and p.trial_ends_on is not None
        and today <= p.trial_ends_on <= today + timedelta(days=TRIAL_REMINDER_DAYS),
    )


@dataclass(frozen=True)
class WorkplaceTraineeRow:
    pk: uuid.UUID
    name: str
    programme: str
    cohort: str
    phase: str
    placement: WorkplacePlacement | None
    hours_recent: Decimal
    goal_counts: list[GoalCount]


def _placements_here(employer: Employer, today: date) -> Prefetch[str, QuerySet[Placement], str]:
    return Prefetch(
        "placements",
        queryset=Placement.objects.filter(running_on(today), employer=employer)
        .select_related("location", "leermeester")
        .order_by("kind", "start_date", "pk"),
        to_attr="placements_here",
    )


def _main_first(placements: list[Placement]) -> list[Placement]:
    return sorted(placements, key=lambda p: (not p.is_main, p.start_date, p.pk))


def _goal_counts(goals: Iterable[GoalRow]) -> list[GoalCount]:
    counts: defaultdict[str, int] = defaultdict(int)
    for goal in goals:
        counts[goal.status] += 1
    return [(value, label, counts[value]) for value, label in GoalStatus.choices if counts[value]]


def workplace_trainees(user: AnyUser, today: date | None = None) -> list[WorkplaceTraineeRow]:
    """The workplace pages' list: each trainee with programme, group, phase, the placement here,
    practice hours of the last four weeks and the work goals' status counts (never their text).
    A fixed number of queries, whatever the number of trainees."""
    today = today or _today()
    employer = workplace_employer(user)
    recent_hours = (
        HoursWeek.objects.filter(
            route=OuterRef("current_route"),
            week_start__gte=today - timedelta(days=RECENT_HOURS_DAYS),
        )
        .order_by()
        .values("route")
        .annotate(total=Sum("practice_hours"))
        .values("total")
    )
    trainees = (
        participants_visible_to(user)
        .select_related("current_route__programme", "current_route__cohort")
        .annotate(
            **phase_annotations(),
            hours_recent=Coalesce(
                Subquery(recent_hours, output_field=DecimalField(max_digits=6, decimal_places=1)),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=6, decimal_places=1),
            ),
        )
        .prefetch_related(
            _placements_here(employer, today),
            Prefetch(
                "current_route__goals",
                # Work goals only: a support goal stays in the academy, its count too.
                queryset=Goal.objects.filter(kind=GoalKind.WORK)
                .only("pk", "route_id", "status")
                .order_by(),
            ),
        )
        .order_by("last_name", "first_name")
    )
    rows = []
    for p in trainees:
        route = p.current_route
        # placements_here and phase_name are set by the prefetch's to_attr and the
        # annotations above, which the type checker cannot follow.
        placements = _main_first(p.placements_here)  # type: ignore[attr-defined]
        rows.append(
            WorkplaceTraineeRow(
                pk=p.pk,
                name=p.full_name,
                programme=route.programme.name if route else "",
                cohort=route.cohort.name if route and route.cohort else "",
                phase=p.phase_name,  # type: ignore[attr-defined]
                placement=_workplace_placement(placements[0]) if placements else None,
                hours_recent=p.hours_recent,
                goal_counts=_goal_counts(route.goals.all()) if route else [],
            )
        )
    return rows


@dataclass(frozen=True)
class WorkplaceGoal:
    status: str
    status_label: str
    description: str | None  # None unless the participant shares their work status
    target_date: date | None


@dataclass(frozen=True)
class WorkplaceHoursWeek:
    """One week of a placement here: the practice hours logged (None: nothing logged), the
    leermeester's confirmation, and whether a finished week has no hours at all (``missing``)
    or is the week still running (``current``)."""

    week_start: date
    practice_hours: Decimal | None
    confirmed: bool
    confirmed_by: str
    confirmed_at: datetime | None
    missing: bool = False
    current: bool = False


@dataclass(frozen=True)
class WorkplaceCertificate:
    title: str
    kind: str
    issued_on: date
    issuer: str


@dataclass(frozen=True)
class WorkplaceAssessment:
    assessed_on: date
    leermeester_name: str
    work_attitude: str
    professional_skills: str
    cooperation: str
    safety: str
    remarks: str


@dataclass(frozen=True)
class WorkplaceHandelingswijzer:
    about_me: str
    what_helps: str
    what_is_hard: str
    instructions: str
    when_it_goes_wrong: str
    written_on: date


@dataclass(frozen=True)
class WorkplaceTrainee:
    pk: uuid.UUID
    name: str
    programme: str
    cohort: str
    phase: str
    placements: list[WorkplacePlacement]
    hours_weeks: list[WorkplaceHoursWeek]
    goals: list[WorkplaceGoal]
    shares_work_status: bool
    certificates: list[WorkplaceCertificate]
    assessments: list[WorkplaceAssessment]
    handelingswijzer: WorkplaceHandelingswijzer | None


def _workplace_goals(route: Route, shares: bool) -> list[WorkplaceGoal]:
    fields = ["pk", "status", "order"] + (["description", "target_date"] if shares else [])
    # Work goals only: support goals (debts, housing, care) never reach the employer.
    goals = (
        Goal.objects.filter(route=route, kind=GoalKind.WORK).only(*fields).order_by("order", "pk")
    )
    return [
        WorkplaceGoal(
            status=g.status,
            status_label=g.get_status_display(),
            description=g.description if shares else None,
            target_date=g.target_date if shares else None,
        )
        for g in goals
    ]


def _mondays_since(first: date, today: date) -> list[date]:
    """The Mondays of the weeks from the one holding ``first`` up to this one, newest first,
    at most PORTAL_HOURS_WEEKS."""
    monday = today - timedelta(days=today.weekday())
    weeks: list[date] = []
    while monday + timedelta(days=6) >= first and len(weeks) < PORTAL_HOURS_WEEKS:
        weeks.append(monday)
        monday -= timedelta(days=7)
    return weeks


def _workplace_hours(route: Route, mondays: list[date], today: date) -> list[WorkplaceHoursWeek]:
    """Every week of ``mondays``, also those without hours: a finished week nobody logged
    is shown as missing."""
    logged = {
        w.week_start: w
        for w in HoursWeek.objects.filter(route=route, week_start__in=mondays).select_related(
            "confirmed_by"
        )
    }
    this_monday = today - timedelta(days=today.weekday())
    weeks = []
    for monday in mondays:
        w = logged.get(monday)
        weeks.append(
            WorkplaceHoursWeek(
                week_start=monday,
                practice_hours=w.practice_hours if w else None,
                confirmed=w is not None and w.confirmed_at is not None,
                confirmed_by=str(w.confirmed_by) if w and w.confirmed_by else "",
                confirmed_at=w.confirmed_at if w else None,
                missing=w is None and monday < this_monday,
                current=monday == this_monday,
            )
        )
    return weeks


def _workplace_assessments(route: Route, employer: Employer) -> list[WorkplaceAssessment]:
    found = LeermeesterAssessment.objects.filter(route=route, employer=employer).order_by(
        "-assessed_on", "-created_at"
    )
    return [
        WorkplaceAssessment(
            assessed_on=a.assessed_on,
            leermeester_name=a.leermeester_name,
            work_attitude=a.get_work_attitude_display(),
            professional_skills=a.get_professional_skills_display(),
            cooperation=a.get_cooperation_display(),
            safety=a.get_safety_display(),
            remarks=a.remarks,
        )
        for a in found
    ]


def _workplace_handelingswijzer(
    user: AnyUser, participant: Participant
) -> WorkplaceHandelingswijzer | None:
    note = handelingswijzer_for_employer(user, participant)
    if note is None:
        return None
    return WorkplaceHandelingswijzer(
        about_me=note.about_me,
        what_helps=note.what_helps,
        what_is_hard=note.what_is_hard,
        instructions=note.instructions,
        when_it_goes_wrong=note.when_it_goes_wrong,
        written_on=note.written_on,
    )


def workplace_trainee_page(
    user: AnyUser, participant: Participant, today: date | None = None
) -> WorkplaceTrainee:
    """What the workplace pages show of one trainee (from workplace_trainee_get). The goals'
    text and the handelingswijzer only while the participant's consent holds today, checked now."""
    today = today or _today()
    employer = workplace_employer(user)
    placements = _main_first(
        list(
            Placement.objects.filter(
                running_on(today), participant=participant, employer=employer
            ).select_related("location", "leermeester")
        )
    )
    route = participant.current_route
    shares = consent_is_active(participant, ConsentScope.EMPLOYER_WORK_STATUS, today)
    mondays = _mondays_since(min((p.start_date for p in placements), default=today), today)
    phase = current_phase(route) if route else None
    return WorkplaceTrainee(
        pk=participant.pk,
        name=participant.full_name,
        programme=route.programme.name if route else "",
        cohort=route.cohort.name if route and route.cohort else "",
        phase=phase.name if phase else "",
        placements=[_workplace_placement(p) for p in placements],
        hours_weeks=_workplace_hours(route, mondays, today) if route else [],
        goals=_workplace_goals(route, shares) if route else [],
        shares_work_status=shares,
        certificates=[
            WorkplaceCertificate(c.title, c.get_kind_display(), c.issued_on, c.issuer)
            for c in Certificate.objects.filter(
                route=route, kind__in=WORK_CERTIFICATE_KINDS
            ).order_by("-issued_on", "-created_at")
        ]
        if route
        else [],
        assessments=_workplace_assessments(route, employer) if route else [],
        handelingswijzer=_workplace_handelingswijzer(user, participant),
    )


def workplace_hours_weeks(
    user: AnyUser, participant: Participant, today: date | None = None
) -> list[WorkplaceHoursWeek]:
    """The weeks a trainee (from workplace_trainee_get) worked here up to now, newest first, at
    most 8, each with the hours logged (for the leermeester to confirm several at once) and
    the finished weeks without hours marked missing."""
    today = today or _today()
    employer = workplace_employer(user)
    starts = Placement.objects.filter(
        running_on(today), participant=participant, employer=employer
    ).values_list("start_date", flat=True)
    route = participant.current_route
    if route is None:
        return []
    return _workplace_hours(route, _mondays_since(min(starts, default=today), today), today)


# --- SROI statement --------------------------------------------------------------------------

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SroiLine:
    number: int
    kind: str
    employed: bool
    start: date
    end: date
    hours_per_week: Decimal | None
    weeks: Decimal
    hours: Decimal


@dataclass(frozen=True)
class SroiStatement:
    employer_name: str
    kvk_number: str
    period_start: date
    period_end: date
    counted_until: date
    lines: list[SroiLine]
    people: int
    people_employed: int
    people_placed: int
    weeks: Decimal
    hours: Decimal
    hours_employed: Decimal
    hours_placed: Decimal


def sroi_statement(
    employer: Employer, start: date, end: date, today: date | None = None
) -> SroiStatement:
    """Target-group people employed (contract, secondment) or placed (trial, work experience,
    mini-stage) at the employer within the period, with their contract weeks and hours.

    Per placement: the days it ran inside the period (both ends inclusive, never past today),
    weeks = days / 7 and hours = hours per week x days / 7, each rounded to a tenth; the totals
    are the sums of the rounded lines. A person with both kinds counts once, as employed.
    No names: the statement is handed in with tenders.
    """
    today = today or _today()
    counted_until = min(end, today)
    placements = (
        Placement.objects.filter(employer=employer, start_date__lte=counted_until)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("start_date", "pk")
    )
    if counted_until < start:  # a period still to come: nothing counted yet
        placements = placements.none()
    lines: list[SroiLine] = []
    employed: set[uuid.UUID] = set()
    placed: set[uuid.UUID] = set()
    for number, p in enumerate(placements, start=1):
        first = max(p.start_date, start)
        last = min(p.end_date or counted_until, counted_until)
        days = Decimal((last - first).days + 1)
        hours = (p.hours_per_week or Decimal(0)) * days / 7
        is_employed = p.kind in EMPLOYED_KINDS
        (employed if is_employed else placed).add(p.participant_id)
        lines.append(
            SroiLine(
                number=number,
                kind=p.get_kind_display(),
                employed=is_employed,
                start=first,
                end=last,
                hours_per_week=p.hours_per_week,
                weeks=(days / 7).quantize(TENTH, ROUND_HALF_UP),
                hours=hours.quantize(TENTH, ROUND_HALF_UP),
            )
        )
    return SroiStatement(
        employer_name=employer.name,
        kvk_number=employer.kvk_number,
        period_start=start,
        period_end=end,
        counted_until=counted_until,
        lines=lines,
        people=len(employed | placed),
        people_employed=len(employed),
        people_placed=len(placed - employed),
        weeks=sum((line.weeks for line in lines), Decimal(0)),
        hours=sum((line.hours for line in lines), Decimal(0)),
        hours_employed=sum((line.hours for line in lines if line.employed), Decimal(0)),
        hours_placed=sum((line.hours for line in lines if not line.employed), Decimal(0)),
    )


# --- the social-return norm of a tender -----------------------------------------------------

CENT = Decimal("0.01")
DEFAULT_NORM_PERCENT = Decimal(5)


@dataclass(frozen=True)
class SroiNorm:
    """A tender's social-return norm against the statement's hours.

    ``basis``: the tender sum or the labour cost the norm is a share of; ``percent``: the
    norm (usually 5 %); ``hour_value``: what one hour of a target-group person counts for in
    money (the tender's own rate)."""

    basis: Decimal
    percent: Decimal
    hour_value: Decimal
    required_amount: Decimal
    required_hours: Decimal
    delivered_hours: Decimal
    delivered_amount: Decimal

    @property
    def met(self) -> bool:
        return self.delivered_amount >= self.required_amount

    @property
    def hours_short(self) -> Decimal:
        return max(self.required_hours - self.delivered_hours, Decimal(0))


def sroi_norm(
    statement: SroiStatement,
    *,
    basis: Decimal,
    hour_value: Decimal,
    percent: Decimal = DEFAULT_NORM_PERCENT,
) -> SroiNorm:
    """Required: basis x percent / 100 in money (to the cent), and that amount / hour_value
    in hours (to a tenth); delivered: the statement's hours, and those x hour_value in money.
    The norm is met when the delivered amount reaches the required one."""
    required_amount = (basis * percent / 100).quantize(CENT, ROUND_HALF_UP)
    return SroiNorm(
        basis=basis,
        percent=percent,
        hour_value=hour_value,
        required_amount=required_amount,
        required_hours=(required_amount / hour_value).quantize(TENTH, ROUND_HALF_UP),
        delivered_hours=statement.hours,
        delivered_amount=(statement.hours * hour_value).quantize(CENT, ROUND_HALF_UP),
    )
