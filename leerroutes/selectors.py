"""Reads of the route, scoped: the participant always comes from participant_get_for_user.

The route pages are for academy staff only. An employer may see a placed participant's name
elsewhere, but nothing of the route here (404), except the handelingswijzer through
``handelingswijzer_for_employer``, and only while the participant's consent holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.db.models import (
    Avg,
    Count,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Role
from maatwerq.queries import BuiltQueries
from participants.models import ENDED_STATUSES, ConsentScope, Participant, Route
from participants.selectors import (
    consent_is_active,
    participant_get_for_user,
    participants_visible_to,
    visibility_key,
)

from .models import (
    ACTIVE_GOAL_STATUSES,
    Analysis,
    AnalysisDomain,
    Arrangement,
    ArrangementDomain,
    Certificate,
    Evaluation,
    Goal,
    GoalStatus,
    GoalStatusChange,
    Handelingswijzer,
    HoursWeek,
    LeermeesterAssessment,
    LifeDomain,
    Phase,
    Plan,
    ProgressEntry,
    Reflection,
    RocResult,
    SelfReportedWellbeing,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from maatwerq.accounts.access import AnyUser
    from maatwerq.accounts.models import Academy, Programme

ROUTE_ROLES = {Role.COACH, Role.REGISSEUR, Role.PROJECTLEIDER}
SILENT_AFTER_DAYS = 14
# A participant's own check-in at or under this score (1-5) asks for the coach's attention,
# and keeps asking while no new check-in comes; after NO_CHECK_IN_DAYS the card says so.
LOW_SELF_SCORE = 2
NO_CHECK_IN_DAYS = 14
EVALUATION_SOON_DAYS = 7
# Without any evaluation yet, the first one is due when the trial period (~3 months) ends.
FIRST_EVALUATION_AFTER_DAYS = 91
LOG_LENGTH = 30


def route_participant_get(user: AnyUser, pk: UUID | str) -> Participant:
    """A participant for the route pages: academy staff only, inside their scope; 404
    otherwise (an employer, beheerder or national user sees nothing of a route here)."""
    membership = active_membership(user)
    if membership is None or membership.role not in ROUTE_ROLES:
        raise Http404
    return participant_get_for_user(user, pk)


def route_of(participant: Participant) -> Route:
    """The participant's current route; 404 when there is none yet."""
    if participant.current_route is None:
        raise Http404
    return participant.current_route


# --- configuration ---------------------------------------------------------------------------


def life_domains_for(academy: Academy | int) -> QuerySet[LifeDomain]:
    return LifeDomain.objects.filter(academy=academy, is_active=True).order_by("order", "pk")


def phases_for(programme: Programme | int) -> QuerySet[Phase]:
    return Phase.objects.filter(programme=programme).order_by("order", "pk")


def current_phase(route: Route) -> Phase | None:
    """The decision of the latest evaluation that made one; before any, the first phase."""
    decided = (
        Evaluation.objects.filter(route=route, phase_decision__isnull=False)
        .select_related("phase_decision")
        .order_by("-held_on", "-created_at")
        .first()
    )
    if decided is not None:
        return decided.phase_decision
    return phases_for(route.programme_id).first()


# --- analysis, arrangement, plan -------------------------------------------------------------


# One of the versioned documents of a route (numbered per route).
_Versioned = TypeVar("_Versioned", Analysis, Arrangement, Plan)


def _version(queryset: QuerySet[_Versioned], number: int | None) -> _Versioned | None:
    if number is None:
        return queryset.order_by("-number").first()
    return get_object_or_404(queryset, number=number)


def analysis_get(route: Route, number: int | None = None) -> Analysis | None:
    """One version (the latest by default) with its domains; 404 for a number that isn't there."""
    queryset = Analysis.objects.filter(route=route).select_related("made_by")
    queryset = queryset.prefetch_related(
        Prefetch("domains", queryset=AnalysisDomain.objects.select_related("domain"))
    )
    return _version(queryset, number)


def arrangement_get(route: Route, number: int | None = None) -> Arrangement | None:
    queryset = Arrangement.objects.filter(route=route).select_related("made_by")
    queryset = queryset.prefetch_related(
        Prefetch("domains", queryset=ArrangementDomain.objects.select_related("domain"))
    )
    return _version(queryset, number)


def plan_get(route: Route, number: int | None = None) -> Plan | None:
    queryset = Plan.objects.filter(route=route).select_related("made_by", "signed_off_by")
    return _version(queryset, number)


def versions_of(model: type[_Versioned], route: Route) -> QuerySet[_Versioned]:
    """The list of versions (number, date fields), newest first, without the texts."""
    return model.objects.filter(route=route).order_by("-number").only("pk", "number")


def plan_versions(route: Route) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(route=route)
        .order_by("-number")
        .only("pk", "number", "plan_date", "signed_off_on", "agreed_on", "route_id")
    )


def goals_for(route: Route) -> QuerySet[Goal]:
    return Goal.objects.filter(route=route).select_related("domain").order_by("order", "pk")


def goal_get(route: Route, pk: int) -> Goal:
    """One goal of this route, with its status history; 404 for any other."""
    return get_object_or_404(
        Goal.objects.select_related("domain").prefetch_related(
            Prefetch("status_changes", queryset=GoalStatusChange.objects.select_related("by"))
        ),
        route=route,
        pk=pk,
    )


def goal_status_counts(route: Route) -> list[tuple[str, StrOrPromise, int]]:
    """(status, label, count) for every status, in the status order: what a projectleider
    may see of the goals, without their text."""
    counts = dict(
        Goal.objects.filter(route=route)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in GoalStatus.choices]


# --- log, evaluations, results, certificates, hours ------------------------------------------


def progress_entries_for(route: Route, limit: int = LOG_LENGTH) -> list[ProgressEntry]:
    """The latest entries, newest first, with their goals, in a fixed number of queries."""
    return list(
        ProgressEntry.objects.filter(route=route)
        .select_related("author")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("pk", "description")))
        .order_by("-on", "-created_at")[:limit]
    )


@dataclass(frozen=True)
class VoiceItem:
    """One thing the young person said themselves: a reflection (``text``, on a goal or a
    talk named in ``about``) or a weekly check-in (``score`` 1-5)."""

    on: date
    kind: str  # "reflection" or "check_in"
    text: str = ""
    about: str = ""
    score: int | None = None
    score_label: str = ""

    @property
    def feels_low(self) -> bool:
        return self.score is not None and self.score <= LOW_SELF_SCORE


VOICE_LENGTH = 30


def participant_voice_for(route: Route, limit: int = VOICE_LENGTH) -> list[VoiceItem]:
    """The participant's own reflections and check-ins, newest first (at most ``limit``), in
    two queries. For the coach of the route and the regisseur only (the caller checks
    leerroutes.view_participant_voice); never for an employer."""
    reflections = (
        Reflection.objects.filter(route=route)
        .select_related("goal", "evaluation")
        .order_by("-created_at")[:limit]
    )
    check_ins = SelfReportedWellbeing.objects.filter(route=route).order_by("-week_start")[:limit]
    items = [
        VoiceItem(
            on=timezone.localdate(r.created_at),
            kind="reflection",
            text=r.text,
            about=str(r.goal)
            if r.goal
            # A reflection is about a goal or an evaluation (the model's check constraint).
            else _("evaluation of %(date)s") % {"date": date_format(r.evaluation.held_on)},  # type: ignore[union-attr]
        )
        for r in reflections
    ] + [
        VoiceItem(
            on=c.week_start,
            kind="check_in",
            score=c.score,
            score_label=c.get_score_display(),
        )
        for c in check_ins
    ]
    return sorted(items, key=lambda item: item.on, reverse=True)[:limit]


def evaluations_for(route: Route) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(route=route)
        .select_related("phase_before", "phase_decision", "recorded_by")
        .prefetch_related(
            Prefetch("goals_reviewed", queryset=Goal.objects.only("pk", "description"))
        )
        .order_by("-held_on", "-created_at")
    )


def assessments_for(route: Route) -> QuerySet[LeermeesterAssessment]:
    return LeermeesterAssessment.objects.filter(route=route).select_related("employer")


def roc_results_for(route: Route) -> QuerySet[RocResult]:
    return RocResult.objects.filter(route=route)


def certificates_for(route: Route) -> QuerySet[Certificate]:
    return Certificate.objects.filter(route=route).order_by("-issued_on", "-created_at")


def certificate_get(route: Route, pk: int) -> Certificate:
    return get_object_or_404(Certificate, route=route, pk=pk)


def hours_weeks_for(route: Route, limit: int = 12) -> list[HoursWeek]:
    return list(HoursWeek.objects.filter(route=route).order_by("-week_start")[:limit])


@dataclass(frozen=True)
class MonthHours:
    month: date
    practice: Decimal
    theory: Decimal

    @property
    def total(self) -> Decimal:
        return self.practice + self.theory


def hours_per_month(route: Route) -> list[MonthHours]:
    """Practice and theory hours summed per month (by the week's Monday), newest first."""
    rows = (
        HoursWeek.objects.filter(route=route)
        .annotate(month=TruncMonth("week_start"))
        .values("month")
        .annotate(practice=Sum("practice_hours"), theory=Sum("theory_hours"))
        .order_by("-month")
    )
    return [MonthHours(r["month"], r["practice"], r["theory"]) for r in rows]


@dataclass(frozen=True)
class MonthWellbeing:
    month: date
    average: float
    entries: int

    @property
    def rounded(self) -> int:
        return round(self.average)


def wellbeing_per_month(route: Route, months: int = 12) -> list[MonthWellbeing]:
    """The well-being line: the average score of the log per month, oldest first."""
    rows = (
        ProgressEntry.objects.filter(route=route)
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(average=Avg("wellbeing"), entries=Count("pk"))
        .order_by("-month")[:months]
    )
    return [MonthWellbeing(r["month"], float(r["average"]), r["entries"]) for r in rows][::-1]


# --- handelingswijzer ------------------------------------------------------------------------


def handelingswijzer_of(participant: Participant) -> Handelingswijzer | None:
    """For the participant's own coach and the regisseur (the view checks the permission)."""
    return Handelingswijzer.objects.filter(participant=participant).first()


def handelingswijzer_for_employer(
    user: AnyUser, participant: Participant
) -> Handelingswijzer | None:
    """The handelingswijzer as an employer may see it: only for a participant placed with the
    user's employer now, and only while the participant's consent holds today. Checked at the
    moment of showing, so a withdrawn consent takes effect at once."""
    membership = active_membership(user)
    if membership is None or membership.role != Role.WERKGEVER:
        return None
    if not participants_visible_to(user).filter(pk=participant.pk).exists():
        return None
    if not consent_is_active(participant, ConsentScope.HANDELINGSWIJZER):
        return None
    return handelingswijzer_of(participant)


# --- the coach's caseload --------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    participant_id: UUID
    name: str
    programme: str
    cohort: str
    phase_name: str
    last_entry_on: date | None
    last_wellbeing: int | None
    overdue_goals: int
    next_evaluation_on: date | None
    is_silent: bool
    evaluation_due: bool
    last_self_week: date | None = None
    last_self_score: int | None = None
    feels_low: bool = False  # the own latest check-in is LOW_SELF_SCORE or lower
    no_check_in_since_low: bool = False  # ... and no check-in for NO_CHECK_IN_DAYS since


def caseload_for(user: AnyUser) -> list[CaseloadRow]:
    """The user's trainees with a running route and what needs attention: silent log (no
    entry for 14 days), goals past their date, evaluation due (next date within a week, or
    none yet after the trial period), and the young person's own latest check-in at 1-2
    (flagged too when two weeks passed without a new one).

    One query of plain values, however long the caseload: the trainees with their route's
    summary (latest entry, latest evaluation, phase decided; see RouteSummary), the count of
    overdue goals and the programme's first phase (for a route with no decision yet) as two
    small subqueries per row, on indexes. (A subquery per summary column cost more to build
    and plan than the page had left to spend, and a page of model objects more to make than
    to show; two round trips more cost more than the two subqueries.) The query is built once
    per user's scope and day and kept (maatwerq.queries): building it cost more than running it."""
    key = visibility_key(user)
    if key is None:
        return []
    today = timezone.localdate()
    people = _CASELOAD_QUERIES.rows(key, user, today)
    return [
        _caseload_row(p, today, overdue_goals=p["overdue"], phase_name=p["phase"]) for p in people
    ]


def _caseload_query(user: AnyUser, today: date) -> QuerySet[Participant, Any]:
    """The caseload's one query (built once per user's scope and day: _CASELOAD_QUERIES)."""
    overdue = (
        Goal.objects.filter(
            route=OuterRef("current_route"),
            status__in=ACTIVE_GOAL_STATUSES,
            target_date__lt=today,
        )
        .order_by()
        .values("route")
        .annotate(n=Count("pk"))
        .values("n")
    )
    first_phase = (
        Phase.objects.filter(programme=OuterRef("current_route__programme"))
        .order_by("order", "pk")
        .values("name")[:1]
    )
    return (
        participants_visible_to(user)
        .filter(current_route__isnull=False)
        .exclude(current_route__status__in=ENDED_STATUSES)
        .order_by("last_name", "first_name")
        .values(
            "pk",
            "first_name",
            "last_name",
            route=F("current_route"),
            programme=F("current_route__programme__name"),
            cohort=F("current_route__cohort__name"),
            started=F("current_route__start_date"),
            last_entry_on=F("current_route__summary__last_entry_on"),
            last_wellbeing=F("current_route__summary__last_wellbeing"),
            last_evaluation_on=F("current_route__summary__last_evaluation_on"),
            next_evaluation_on=F("current_route__summary__next_evaluation_on"),
            phase=Coalesce(
                F("current_route__summary__phase__name"), Subquery(first_phase), Value("")
            ),
            last_self_week=F("current_route__summary__last_self_week"),
            last_self_score=F("current_route__summary__last_self_score"),
            overdue=Coalesce(Subquery(overdue), 0),
        )
    )


_CASELOAD_QUERIES = BuiltQueries(_caseload_query)


def _caseload_row(
    p: Mapping[str, Any], today: date, *, overdue_goals: int, phase_name: str
) -> CaseloadRow:
    started, last_entry_on = p["started"], p["last_entry_on"]
    next_evaluation_on = p["next_evaluation_on"]
    if p["last_evaluation_on"] is not None:
        due = next_evaluation_on is not None and next_evaluation_on <= today + timedelta(
            days=EVALUATION_SOON_DAYS
        )
    else:
        due = started is not None and started <= today - timedelta(days=FIRST_EVALUATION_AFTER_DAYS)
    silent_since = today - timedelta(days=SILENT_AFTER_DAYS)
    self_score, self_week = p["last_self_score"], p["last_self_week"]
    feels_low = self_score is not None and self_score <= LOW_SELF_SCORE
    return CaseloadRow(
        participant_id=p["pk"],
        name=Participant.name_of(p["first_name"], p["last_name"]),
        programme=p["programme"],
        cohort=p["cohort"] or "",
        phase_name=phase_name,
        last_entry_on=last_entry_on,
        last_wellbeing=p["last_wellbeing"],
        overdue_goals=overdue_goals,
        next_evaluation_on=next_evaluation_on,
        is_silent=(
            last_entry_on <= silent_since
            if last_entry_on is not None
            else started is not None and started <= silent_since
        ),
        evaluation_due=due,
        last_self_week=self_week,
        last_self_score=self_score,
        feels_low=feels_low,
        # The week's Monday plus its seven days: no newer check-in for NO_CHECK_IN_DAYS since.
        no_check_in_since_low=feels_low
        and self_week + timedelta(days=7 + NO_CHECK_IN_DAYS) <= today,
    )


def caseload_filter(
    rows: list[CaseloadRow], *, search: str = "", attention_only: bool = False
) -> list[CaseloadRow]:
    """The caseload's rows whose name, programme or group holds ``search`` (any case), and
    with ``attention_only`` those on one of the attention cards only."""
    needle = search.casefold()
    return [
        r
        for r in rows
        if (
            not needle
            or needle in r.name.casefold()
            or needle in r.programme.casefold()
            or needle in r.cohort.casefold()
        )
        and (
            not attention_only or r.is_silent or r.overdue_goals or r.evaluation_due or r.feels_low
        )
    ]
