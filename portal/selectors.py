"""Every read of the participant portal starts here.

The portal has its own scope, apart from participants.selectors.participants_visible_to: that
one is the staff scope every staff page builds on, so a deelnemer stays outside it (and gets a
404 on every staff page). Here a deelnemer login sees exactly one participant: their own record
(``Participant.user``), or, read-only, the one a GuardianAccess gives a parent or guardian.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from employers.models import Placement
from leerroutes.models import (
    Certificate,
    Evaluation,
    Goal,
    GoalStatus,
    Phase,
    Plan,
    ProgressEntry,
    Reflection,
    SelfReportedWellbeing,
)
from leerroutes.selectors import current_phase, hours_per_month, phases_for
from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Membership, Role
from maatwerq.audit.models import Action, AuditEvent
from maatwerq.audit.selectors import audit_events_about, audit_listings_about
from participants.models import (
    Consent,
    ConsentRequest,
    ConsentScope,
    GuardianAccess,
    Participant,
    Route,
)

if TYPE_CHECKING:
    from leerroutes.selectors import MonthHours
    from maatwerq.accounts.access import AnyUser
    from maatwerq.accounts.models import User

_CACHE_ATTR = "_portal_access"
ADULT_AGE = 18


def access_years_after_leaving() -> int:
    return getattr(settings, "PORTAL_ACCESS_YEARS_AFTER_LEAVING", 2)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class PortalAccess:
    """What one deelnemer login may open: one participant, as themselves or as a guardian."""

    participant: Participant
    is_guardian: bool
    # The last day the view stays open after the route ended; None while it runs.
    open_until: date | None
    is_open: bool

    @property
    def acts_for_self(self) -> bool:
        """The participant themselves: reflections, well-being, consents, dossier."""
        return self.is_open and not self.is_guardian


def open_until(participant: Participant) -> date | None:
    """The last day of access: PORTAL_ACCESS_YEARS_AFTER_LEAVING after the route ended."""
    route = participant.current_route
    if route is None or not route.is_ended or route.end_date is None:
        return None
    return add_years(route.end_date, access_years_after_leaving())


def _access(participant: Participant, *, is_guardian: bool, today: date) -> PortalAccess:
    until = open_until(participant)
    return PortalAccess(participant, is_guardian, until, until is None or today <= until)


def _with_route(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    return queryset.filter(anonymised_at__isnull=True).select_related(
        "academy", "coach", "current_route__programme", "current_route__cohort"
    )


def portal_access_for(user: AnyUser, today: date | None = None) -> PortalAccess | None:
    """The participant a deelnemer login may open, or None (anyone else, or nothing linked).

    Their own record first; else the newest guardian access that holds today: both agreed,
    not revoked, and the participant under 18. Cached on the user for the request."""
    if today is not None:
        return _portal_access(user, today)
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, _portal_access(user, timezone.localdate()))
    access: PortalAccess | None = getattr(user, _CACHE_ATTR)
    return access


def _portal_access(user: AnyUser, today: date) -> PortalAccess | None:
    membership = active_membership(user)
    if membership is None or membership.role != Role.DEELNEMER:
        return None
    in_academy = Participant.objects.filter(academy_id=membership.academy_id)
    own = _with_route(in_academy.filter(user_id=membership.user_id)).first()
    if own is not None:
        return _access(own, is_guardian=False, today=today)
    accesses = (
        GuardianAccess.objects.filter(
            guardian_id=membership.user_id,
            revoked_on__isnull=True,
            agreed_by_regisseur__isnull=False,
        )
        .filter(participant__in=_with_route(in_academy))
        .select_related("participant__current_route__programme", "participant__coach")
        .order_by("-created_at")
    )
    for access in accesses:
        if access.participant.age_on(today) < ADULT_AGE:
            return _access(access.participant, is_guardian=True, today=today)
    return None


# --- my route --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseTrack:
    current: Phase | None
    phases: list[Phase]

    @property
    def number(self) -> int:
        ids = [p.pk for p in self.phases]
        return ids.index(self.current.pk) + 1 if self.current and self.current.pk in ids else 0

    @property
    def total(self) -> int:
        return len(self.phases)


def my_phase(route: Route) -> PhaseTrack:
    return PhaseTrack(current_phase(route), list(phases_for(route.programme_id)))


def my_perspective(route: Route) -> str:
    """The perspective of the latest plan version (where the plan works towards)."""
    plan = Plan.objects.filter(route=route).order_by("-number").only("perspective").first()
    return plan.perspective if plan else ""


def _own_reflections() -> Prefetch[str, QuerySet[Reflection], str]:
    return Prefetch(
        "reflections", queryset=Reflection.objects.only("pk", "text", "created_at", "goal_id",
                                                        "evaluation_id").order_by("created_at")
    )  # fmt: skip


def my_goals(route: Route) -> list[Goal]:
    """The goals of the plan with the participant's own reflections; dropped goals last."""
    goals = list(
        Goal.objects.filter(route=route)
        .only("pk", "description", "status", "target_date", "order", "route_id")
        .prefetch_related(_own_reflections())
        .order_by("order", "pk")
    )
    return sorted(goals, key=lambda g: g.status == GoalStatus.DROPPED)


def my_goal_get(route: Route, pk: int) -> Goal | None:
    return Goal.objects.filter(route=route, pk=pk).first()


@dataclass(frozen=True)
class GoalProgress:
    reached: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.total) if self.total else 0


def goal_progress(goals: list[Goal]) -> GoalProgress:
    counted = [g for g in goals if g.status != GoalStatus.DROPPED]
    return GoalProgress(sum(g.status == GoalStatus.REACHED for g in counted), len(counted))


def my_evaluations(route: Route) -> list[Evaluation]:
    """The evaluation meetings, newest first: the date, the phase and the participant's own
    reflections. The staff's summary and attendee list are not loaded."""
    return list(
        Evaluation.objects.filter(route=route)
        .select_related("phase_decision")
        .only("pk", "held_on", "next_on", "route_id", "phase_decision__name")
        .prefetch_related(_own_reflections())
        .order_by("-held_on", "-created_at")
    )


def my_evaluation_get(route: Route, pk: int) -> Evaluation | None:
    return Evaluation.objects.filter(route=route, pk=pk).only("pk", "route_id").first()


def next_evaluation_on(route: Route, today: date | None = None) -> date | None:
    today = today or timezone.localdate()
    latest = (
        Evaluation.objects.filter(route=route)
        .order_by("-held_on", "-created_at")
        .values_list("next_on", flat=True)
        .first()
    )
    return latest if latest is not None and latest >= today else None


def shared_entries(route: Route, limit: int = 20) -> list[ProgressEntry]:
    """Only what the coach marked as shareable: the date, the text and who wrote it (never the
    coach's well-being score, never a care note: those live elsewhere)."""
    return list(
        ProgressEntry.objects.filter(route=route, shareable=True)
        .select_related("author")
        .only("pk", "on", "text", "created_at", "author__full_name", "author__email")
        .order_by("-on", "-created_at")[:limit]
    )


def my_certificates(route: Route) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(route=route)
        .only("pk", "kind", "title", "issued_on", "issuer")
        .order_by("-issued_on", "-created_at")
    )


@dataclass(frozen=True)
class HoursSummary:
    practice: Decimal
    theory: Decimal
    months: list[MonthHours] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.practice + self.theory


def my_hours(route: Route, months: int = 3) -> HoursSummary:
    totals = route.hours_weeks.aggregate(p=Sum("practice_hours"), t=Sum("theory_hours"))
    return HoursSummary(
        totals["p"] or Decimal(0), totals["t"] or Decimal(0), hours_per_month(route)[:months]
    )


def my_wellbeing_this_week(route: Route, today: date | None = None) -> int | None:
    week = monday_of(today or timezone.localdate())
    return (
        SelfReportedWellbeing.objects.filter(route=route, week_start=week)
        .values_list("score", flat=True)
        .first()
    )


def my_wellbeing_weeks(route: Route, weeks: int = 8) -> list[SelfReportedWellbeing]:
    """The participant's own answers, oldest first (the coach's scores are not in here)."""
    found = SelfReportedWellbeing.objects.filter(route=route).order_by("-week_start")[:weeks]
    return list(found)[::-1]


# --- who sees my data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """One person or organisation that can see the participant's data, what and why."""

    kind: str  # coach, regisseur, projectleider, employer, candidate_employer, guardian
    names: list[str]
    organisation: str = ""


def _names(memberships: QuerySet[Membership]) -> list[str]:
    return [m.user.get_full_name() for m in memberships]


def who_sees_my_data(participant: Participant, today: date | None = None) -> list[Viewer]:
    """The people who can see the data by their role: the coach by name, the regisseur(s),
    the projectleider(s) (names and status only), the employer of a placement that runs today
    (work status), an employer who sees the young person as a candidate for a vacancy (the
    work profile), and parents or guardians with read access."""
    today = today or timezone.localdate()
    staff = (
        Membership.objects.filter(academy_id=participant.academy_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    viewers = []
    if participant.coach is not None:
        viewers.append(Viewer("coach", [participant.coach.get_full_name()]))
    for role, kind in ((Role.REGISSEUR, "regisseur"), (Role.PROJECTLEIDER, "projectleider")):
        names = _names(staff.filter(role=role))
        if names:
            viewers.append(Viewer(kind, names))
    placements = (
        Placement.objects.filter(participant=participant, start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("employer", "leermeester")
        .order_by("start_date")
    )
    for placement in placements:
        names = [placement.leermeester.name] if placement.leermeester else []
        viewers.append(Viewer("employer", names, placement.employer.name))
    viewers.extend(_candidate_employers(participant, today))
    guardians = [
        a.guardian_name for a in guardian_accesses_of(participant) if a.guardian_id is not None
    ]
    if guardians:
        viewers.append(Viewer("guardian", guardians))
    return viewers


def _candidate_employers(participant: Participant, today: date) -> list[Viewer]:
    """An employer to whom the regisseur proposed the young person for a vacancy and who sees
    their work profile today (consent "kandidaatprofiel"): one viewer per employer, the
    vacancies' functions as names."""
    from employers.candidates import candidacies_shown_of

    functions: dict[str, list[str]] = {}
    for candidate in candidacies_shown_of(participant, today):
        functions.setdefault(candidate.vacancy.employer.name, []).append(candidate.vacancy.function)
    return [
        Viewer("candidate_employer", names, organisation)
        for organisation, names in functions.items()
    ]


def my_consents(participant: Participant) -> QuerySet[Consent]:
    return participant.consents.order_by("withdrawn_on", "-given_on", "-created_at")


def my_open_consent_requests(participant: Participant) -> QuerySet[ConsentRequest]:
    """What the academy asked the young person's permission for and is still unanswered."""
    return participant.consent_requests.filter(answered_at__isnull=True).order_by("asked_at", "pk")


def my_open_consent_request_get(participant: Participant, pk: int) -> ConsentRequest | None:
    return my_open_consent_requests(participant).filter(pk=pk).first()


def my_consent_get(participant: Participant, pk: int) -> Consent | None:
    return participant.consents.filter(pk=pk).first()


def shares_with_employer(participant: Participant) -> dict[str, bool]:
    """Which consents that open something to the employer hold now (checked at reading)."""
    from participants.selectors import consent_is_active

    return {
        scope: consent_is_active(participant, scope)
        for scope in (ConsentScope.EMPLOYER_WORK_STATUS, ConsentScope.HANDELINGSWIJZER)
    }


def guardian_accesses_of(participant: Participant) -> QuerySet[GuardianAccess]:
    """Parents or guardians whose read access is not revoked (invited or active)."""
    return participant.guardian_accesses.filter(revoked_on__isnull=True).select_related(
        "guardian", "agreed_by_regisseur"
    )


def guardian_access_get(participant: Participant, pk: int) -> GuardianAccess | None:
    return guardian_accesses_of(participant).filter(pk=pk).first()


@dataclass
class Opening:
    at: datetime
    name: str
    role: str
    action: str
    times: int = 1


ROLE_LABELS = dict(Role.choices)
ACTION_LABELS = dict(Action.choices)


def who_opened_my_record(participant: Participant, user: User, limit: int = 50) -> list[Opening]:
    """From the audit log: who opened, changed or downloaded the record, in what role and
    when, the latest ``limit`` events; one's own visits left out. Never the detail of an
    event. Events in a row by the same person, role and kind on one day show as one line."""
    events: QuerySet[AuditEvent] = audit_events_about(participant).exclude(actor=user)
    openings: list[Opening] = []
    for e in events[:limit]:
        opening = Opening(
            e.at,
            e.actor.get_full_name(),  # type: ignore[union-attr]  # events with an actor only
            str(ROLE_LABELS.get(e.acting_role, "")),
            str(ACTION_LABELS.get(e.action, e.action)),
        )
        last = openings[-1] if openings else None
        if last is not None and _same_line(last, opening):
            last.times += 1
        else:
            openings.append(opening)
    return openings


def _same_line(a: Opening, b: Opening) -> bool:
    same_day = timezone.localtime(a.at).date() == timezone.localtime(b.at).date()
    return same_day and (a.name, a.role, a.action) == (b.name, b.role, b.action)


@dataclass
class Listing:
    at: datetime
    name: str
    role: str
    export: bool


def lists_and_exports_with_me(
    participant: Participant, user: User, limit: int = 50
) -> list[Listing]:
    """From the audit log: the lists and exports that named the participant among others
    (the participant list, the names behind a dashboard number, a group's Excel, the funder
    list...), one line each, the latest ``limit``; one's own left out."""
    events = audit_listings_about(participant).exclude(actor=user)[:limit]
    return [
        Listing(
            e.at,
            e.actor.get_full_name(),  # type: ignore[union-attr]  # events with an actor only
            str(ROLE_LABELS.get(e.acting_role, "")),
            e.action == Action.EXPORT,
        )
        for e in events
    ]
