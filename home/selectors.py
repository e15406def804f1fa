"""What each role sees first on the start page: a work queue, each item linking to the page
where it is acted on. Every read goes through a scoped selector of the app that owns the data,
and every count on the page is the length of the list it stands for (never a second query that
could disagree with it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from employers.models import MINI_STAGE_KINDS, Placement
from employers.selectors import running_on, workplace_trainees
from leerroutes.models import HoursWeek, LeermeesterAssessment, Plan
from leerroutes.selectors import CaseloadRow, caseload_for
from maatwerq.accounts.models import Academy, Membership, Programme, Role
from maatwerq.accounts.selectors import (
    memberships_managed_by,
    open_invitations_managed_by,
    role_grants_shown_to,
)
from participants.models import Handover, Participant, Status
from participants.selectors import (
    cohorts_visible_to,
    consent_requests_open_for,
    follow_ups_due_for,
    participants_visible_to,
)
from reporting.selectors import forecast_settings_of, programmes_for_forecast, staff_shortfall

from .agenda import AGENDA_ROLES, EVALUATION, TRIAL_END, agenda_for

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from maatwerq.accounts.access import AnyUser
    from participants.models import Cohort

SOON_DAYS = 14  # evaluations, trial ends: what falls in the next two weeks
HANDOVER_DAYS = 14  # handovers recorded in the last two weeks
COHORT_SOON_DAYS = 60  # groups starting or ending in the next two months
NO_LOGIN_DAYS = 90  # users who did not log in for three months
HOURS_WEEKS = 8  # the weeks a leermeester confirms (employers.selectors.PORTAL_HOURS_WEEKS)
ASSESSMENT_EVERY_DAYS = 91  # a workplace assessment at least once a quarter
RUNNING_STATUSES = (Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT)


@dataclass(frozen=True)
class QueueEntry:
    """One thing to do: about whom (or what), a short note, and the page to act on it."""

    name: str
    note: str
    url: str
    participant_id: UUID | None = None


@dataclass(frozen=True)
class QueueSection:
    """A card of the work queue. Its count is the length of its list, always."""

    key: str
    title: StrOrPromise
    entries: list[QueueEntry] = field(default_factory=list)
    all_url: str = ""  # the page with the whole list, where there is one

    @property
    def count(self) -> int:
        return len(self.entries)


def _day(on: date | None) -> str:
    return date_format(on, _("j M")) if on else ""


def queue_participant_ids(sections: list[QueueSection]) -> list[UUID]:
    """Everyone the queue names, in order, once: for the page's one audit READ."""
    ids = [e.participant_id for s in sections for e in s.entries if e.participant_id]
    return list(dict.fromkeys(ids))


# --- coach -----------------------------------------------------------------------------------


TRIAL_OVERDUE_DAYS = 60  # a trial end passed without a decision stays on the card this long


def _soon(user: AnyUser, today: date) -> tuple[QueueSection, QueueSection]:
    """Evaluations in the next SOON_DAYS days, and trial periods ending in them or ended in
    the last TRIAL_OVERDUE_DAYS without a decision (placement still running), from the
    agenda's selector."""
    soon = today + timedelta(days=SOON_DAYS)
    events = agenda_for(user, today - timedelta(days=TRIAL_OVERDUE_DAYS), soon)

    def section(kind: str, key: str, title: StrOrPromise, first: date) -> QueueSection:
        return QueueSection(
            key,
            title,
            [
                QueueEntry(e.name, _day(e.on), e.url, e.participant_id)
                for e in events
                if e.kind == kind and e.on >= first
            ],
            reverse("home:agenda"),
        )

    return (
        section(
            EVALUATION,
            "evaluations_soon",
            gettext_lazy("Evaluations in the next 14 days"),
            today,
        ),
        section(
            TRIAL_END,
            "trials_soon",
            gettext_lazy("Trial periods ending in 14 days or ended without a decision"),
            today - timedelta(days=TRIAL_OVERDUE_DAYS),
        ),
    )


def _follow_ups(user: AnyUser) -> QueueSection:
    """The follow-up checks on the user's list (the same selector as the list page)."""
    rows = follow_ups_due_for(user).values_list(
        "pk",
        "route__participant",
        "route__participant__first_name",
        "route__participant__last_name",
        "months_after",
        "due_on",
    )
    return QueueSection(
        "follow_ups",
        gettext_lazy("Follow-up checks due"),
        [
            QueueEntry(
                Participant.name_of(first, last),
                _("%(months)s months, due %(day)s") % {"months": months, "day": _day(due)},
                reverse("participants:follow_up_record", args=[participant, pk]),
                participant,
            )
            for pk, participant, first, last, months, due in rows
        ],
        reverse("participants:follow_ups_due"),
    )


def coach_queue(user: AnyUser, rows: list[CaseloadRow], today: date) -> list[QueueSection]:
    """The caseload's attention cards (the same rows as the caseload page), the follow-up
    checks due, and evaluations and trial ends in the next 14 days."""

    def card(
        key: str, title: StrOrPromise, chosen: list[tuple[CaseloadRow, str, str]]
    ) -> QueueSection:
        return QueueSection(
            key,
            title,
            [QueueEntry(r.name, note, url, r.participant_id) for r, note, url in chosen],
            reverse("leerroutes:caseload"),
        )

    def log(row: CaseloadRow) -> str:
        return reverse("leerroutes:progress_log", args=[row.participant_id])

    evaluations_soon, trials_soon = _soon(user, today)
    return [
        card(
            "silent",
            gettext_lazy("Log silent for 14 days"),
            [(r, _day(r.last_entry_on) or _("no entries"), log(r)) for r in rows if r.is_silent],
        ),
        card(
            "overdue_goals",
            gettext_lazy("Goals past their date"),
            [
                (
                    r,
                    ngettext("%(n)s goal", "%(n)s goals", r.overdue_goals) % {"n": r.overdue_goals},
                    reverse("leerroutes:route_overview", args=[r.participant_id]),
                )
                for r in rows
                if r.overdue_goals
            ],
        ),
        card(
            "evaluations_due",
            gettext_lazy("Evaluations due"),
            [
                (
                    r,
                    _day(r.next_evaluation_on) or _("first one"),
                    reverse("leerroutes:evaluation_new", args=[r.participant_id]),
                )
                for r in rows
                if r.evaluation_due
            ],
        ),
        card(
            "feels_low",
            gettext_lazy("Feels low (own check-in)"),
            [
                (r, _("score %(score)s") % {"score": r.last_self_score}, log(r))
                for r in rows
                if r.feels_low
            ],
        ),
        _follow_ups(user),
        evaluations_soon,
        trials_soon,
    ]


# --- regisseur -------------------------------------------------------------------------------


def _people_section(
    key: str, title: StrOrPromise, rows: Any, note: Any, url: Any, all_url: str = ""
) -> QueueSection:
    return QueueSection(
        key,
        title,
        [
            QueueEntry(
                Participant.name_of(r["first_name"], r["last_name"]), note(r), url(r), r["pk"]
            )
            for r in rows
        ],
        all_url,
    )


def _detail(r: dict[str, Any]) -> str:
    return reverse("participants:participant_detail", args=[r["pk"]])


def regisseur_queue(user: AnyUser, today: date) -> list[QueueSection]:
    """New referrals without an intake, intakes without a start, follow-up checks due, trial
    periods ending within 14 days, running routes without a signed plan, consent requests the
    young person has not answered (oldest first, with their age), recent handovers."""
    people = participants_visible_to(user).order_by("last_name", "first_name")
    referred = people.filter(
        current_route__status=Status.AANGEMELD, current_route__intake_date__isnull=True
    ).values("pk", "first_name", "last_name", on=F("current_route__referral_date"))
    intakes = people.filter(
        current_route__status=Status.INTAKE, current_route__start_date__isnull=True
    ).values("pk", "first_name", "last_name", on=F("current_route__intake_date"))
    weeks = settings.PLAN_UNSIGNED_WARNING_WEEKS
    unsigned = (
        people.filter(
            current_route__status__in=RUNNING_STATUSES,
            current_route__start_date__lte=today - timedelta(weeks=weeks),
        )
        .exclude(
            Exists(
                Plan.objects.filter(route=OuterRef("current_route"), signed_off_on__isnull=False)
            )
        )
        .values("pk", "first_name", "last_name", on=F("current_route__start_date"))
    )
    handovers = (
        Handover.objects.filter(
            participant__in=participants_visible_to(user),
            on_date__gte=today - timedelta(days=HANDOVER_DAYS),
        )
        .order_by("-on_date", "-created_at")
        .values_list("participant", "participant__first_name", "participant__last_name", "on_date")
    )
    trials_soon = _soon(user, today)[1]
    return [
        _people_section(
            "referrals",
            gettext_lazy("New referrals without an intake"),
            referred,
            lambda r: _("referred %(day)s") % {"day": _day(r["on"])},
            _detail,
        ),
        _people_section(
            "intakes",
            gettext_lazy("Intakes without a start"),
            intakes,
            lambda r: _("intake %(day)s") % {"day": _day(r["on"])} if r["on"] else "",
            _detail,
        ),
        _follow_ups(user),
        trials_soon,
        _people_section(
            "plans_unsigned",
            gettext_lazy("Running routes without a signed plan"),
            unsigned,
            lambda r: _("started %(day)s") % {"day": _day(r["on"])},
            lambda r: reverse("leerroutes:plan", args=[r["pk"]]),
        ),
        QueueSection(
            "consent_requests",
            gettext_lazy("Consent requests without an answer"),
            [
                QueueEntry(
                    r.participant.full_name,
                    ngettext(
                        "%(scope)s, asked %(days)s day ago",
                        "%(scope)s, asked %(days)s days ago",
                        r.days_open,
                    )
                    % {"scope": r.get_scope_display(), "days": r.days_open},
                    reverse("participants:participant_consents", args=[r.participant_id])
                    + "#consent-requests",
                    r.participant_id,
                )
                for r in consent_requests_open_for(user)
            ],
        ),
        QueueSection(
            "handovers",
            gettext_lazy("Handovers in the last 14 days"),
            [
                QueueEntry(Participant.name_of(first, last), _day(on), _detail({"pk": pk}), pk)
                for pk, first, last, on in handovers
            ],
        ),
    ]


# --- projectleider ---------------------------------------------------------------------------


def _group_url(cohort: Cohort) -> str:
    return f"{reverse('participants:participant_list')}?cohort={cohort.pk}"


def cohorts_counted(user: AnyUser) -> QuerySet[Cohort]:
    """The academy's groups with ``participant_count`` (everyone who was ever in it) and
    ``active`` (routes running now): one annotation for the queue and the table alike."""
    return cohorts_visible_to(user).annotate(
        participant_count=Count("routes", distinct=True),
        active=Count("routes", filter=Q(routes__status__in=RUNNING_STATUSES), distinct=True),
    )


def projectleider_queue(user: AnyUser, today: date) -> list[QueueSection]:
    """Groups starting or ending in the next 60 days, and running groups with fewer active
    trainees than planned. Counts only, no names."""
    cohorts = list(cohorts_counted(user).order_by("start_date", "programme__name", "name"))
    soon = today + timedelta(days=COHORT_SOON_DAYS)

    def entry(c: Cohort, note: str) -> QueueEntry:
        return QueueEntry(str(c), note, _group_url(c))

    reverse("reporting:forecast")
    return [
        QueueSection(
            "staff_shortfall",
            gettext_lazy("Staff short (forecast)"),
            staff_shortfall_entries(user, today),
        ),
        QueueSection(
            "groups_starting",
            gettext_lazy("Groups starting in the next 60 days"),
            [
                entry(c, _("starts %(day)s") % {"day": _day(c.start_date)})
                for c in cohorts
                if today <= c.start_date <= soon
            ],
        ),
        QueueSection(
            "groups_ending",
            gettext_lazy("Groups ending in the next 60 days"),
            [
                entry(c, _("ends %(day)s") % {"day": _day(c.end_date)})
                for c in cohorts
                if today <= c.end_date <= soon
            ],
        ),
        QueueSection(
            "groups_small",
            gettext_lazy("Running groups under their planned size"),
            [
                entry(
                    c,
                    # annotated above: the type checker cannot follow it
                    _("%(active)s of %(planned)s")
                    % {"active": c.active, "planned": c.planned_size},  # type: ignore[attr-defined]
                )
                for c in cohorts
                if c.start_date <= today < c.end_date and c.active < c.planned_size  # type: ignore[attr-defined]
            ],
        ),
    ]


def staff_shortfall_entries(user: AnyUser, today: date) -> list[QueueEntry]:
    """Per programme, the forecast's first month (from this one, within two years) in which
    the projected staff needed per half-day exceeds the staff available, with the gap,
    linking to the forecast; a programme whose staff available is not set yet links to where
    it is set. Counts only."""
    forecast = reverse("reporting:forecast")
    entries = []
    for programme in programmes_for_forecast(user):
        if forecast_settings_of(programme).staff_available is None:
            entries.append(
                QueueEntry(
                    str(programme),
                    _("staff available not set: the shortfall cannot be shown"),
                    reverse("reporting:forecast_staff", args=[programme.pk]),
                )
            )
            continue
        shortfall = staff_shortfall(programme, today)
        if shortfall is not None:
            entries.append(
                QueueEntry(
                    str(programme),
                    _("from %(month)s: %(needed)s needed, %(available)s available (%(gap)s short)")
                    % {
                        "month": date_format(shortfall.month, _("M Y")),
                        "needed": shortfall.needed,
                        "available": shortfall.available,
                        "gap": shortfall.gap,
                    },
                    f"{forecast}?programme={programme.pk}#staff-available",
                )
            )
    return entries


# --- werkgever -------------------------------------------------------------------------------


def _weeks_to_confirm(starts: date, today: date) -> list[date]:
    """The Mondays of the whole weeks (before this one) of the last HOURS_WEEKS weeks that a
    placement starting on ``starts`` ran in."""
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=i) for i in range(1, HOURS_WEEKS + 1)]
    return [w for w in weeks if w + timedelta(days=6) >= starts]


def werkgever_queue(user: AnyUser, today: date, employer_id: int) -> list[QueueSection]:
    """Hours to confirm (whole weeks of the last eight without a confirmation, a week with
    no hours at all counted too), trial periods ending in the next 14 days and workplace
    assessments due (none by this employer in the last quarter, once the placement ran that
    long). Only the employer's own trainees (placement running today)."""
    placements = list(
        Placement.objects.filter(
            running_on(today),
            employer_id=employer_id,
            participant__in=participants_visible_to(user),
        )
        .exclude(kind__in=MINI_STAGE_KINDS)
        .order_by("participant__last_name", "participant__first_name", "start_date")
        .values_list(
            "participant",
            "participant__first_name",
            "participant__last_name",
            "participant__current_route",
            "start_date",
        )
    )
    first_start: dict[UUID, tuple[str, str, Any, date]] = {}
    for participant, first, last, route, start in placements:
        first_start.setdefault(participant, (first, last, route, start))
    routes = [route for (_f, _l, route, _s) in first_start.values() if route]
    confirmed = defaultdict(set)
    for route, week in HoursWeek.objects.filter(
        route__in=routes,
        confirmed_at__isnull=False,
        week_start__gte=today - timedelta(weeks=HOURS_WEEKS + 1),
    ).values_list("route", "week_start"):
        confirmed[route].add(week)
    assessed = set(
        LeermeesterAssessment.objects.filter(
            route__in=routes,
            employer_id=employer_id,
            assessed_on__gt=today - timedelta(days=ASSESSMENT_EVERY_DAYS),
        ).values_list("route", flat=True)
    )
    hours, assessments = [], []
    for participant, (first, last, route, start) in first_start.items():
        name = Participant.name_of(first, last)
        missing = [w for w in _weeks_to_confirm(start, today) if w not in confirmed[route]]
        if route and missing:
            hours.append(
                QueueEntry(
                    name,
                    ngettext("%(n)s week", "%(n)s weeks", len(missing)) % {"n": len(missing)},
                    reverse("employers:workplace_hours", args=[participant]),
                    participant,
                )
            )
        if (
            route
            and route not in assessed
            and start <= today - timedelta(days=ASSESSMENT_EVERY_DAYS)
        ):
            assessments.append(
                QueueEntry(
                    name,
                    "",
                    reverse("employers:workplace_assessment", args=[participant]),
                    participant,
                )
            )
    trials_soon = _soon(user, today)[1]
    return [
        QueueSection("hours", gettext_lazy("Hours to confirm"), hours),
        trials_soon,
        QueueSection("assessments", gettext_lazy("Workplace assessments due"), assessments),
    ]


# --- beheerder -------------------------------------------------------------------------------


def beheerder_queue(user: AnyUser, now: Any) -> list[QueueSection]:
    """Open invitations, and users of the academy who did not log in for 90 days (or never,
    while their account is older than that)."""
    members = reverse("accounts:member_list")
    invitations = open_invitations_managed_by(user).order_by("created_at")
    since = now - timedelta(days=NO_LOGIN_DAYS)
    idle = (
        memberships_managed_by(user)
        .filter(user__is_active=True, is_active=True)
        .filter(
            Q(user__last_login__lt=since)
            | Q(user__last_login__isnull=True, user__date_joined__lt=since)
        )
        .order_by("user__full_name", "user__email")
        .values_list("user__full_name", "user__email", "user__last_login", "role")
    )
    roles = dict(Role.choices)
    seen: dict[str, QueueEntry] = {}
    for full_name, email, last_login, role in idle:
        note = (
            _("last login %(day)s") % {"day": _day(timezone.localdate(last_login))}
            if last_login
            else _("never logged in")
        )
        seen.setdefault(
            email, QueueEntry(full_name or email, f"{roles.get(role, role)} · {note}", members)
        )
    return [
        QueueSection(
            "invitations",
            gettext_lazy("Open invitations"),
            [
                QueueEntry(
                    i.email,
                    _("%(role)s, sent %(day)s")
                    % {"role": i.get_role_display(), "day": _day(timezone.localdate(i.created_at))},
                    members,
                )
                for i in invitations
            ],
            members,
        ),
        QueueSection(
            "no_login",
            gettext_lazy("No login for 90 days"),
            list(seen.values()),
            members,
        ),
    ]


# --- the start page --------------------------------------------------------------------------


def home_context(user: AnyUser, membership: Membership) -> dict[str, Any]:
    role = membership.role
    today = timezone.localdate()
    context: dict[str, Any] = {"membership": membership, "queue": []}
    if role == Role.COACH:
        rows = caseload_for(user)  # the caseload page's own selector: the counts agree
        context["caseload_count"] = len(rows)
        context["queue"] = coach_queue(user, rows, today)
    if role == Role.REGISSEUR:
        context["participant_count"] = participants_visible_to(user).count()
        context["queue"] = regisseur_queue(user, today)
    if role == Role.WERKGEVER and membership.employer_id is not None:
        # The workplace page's own selector, every trainee (no cut): the count is its length.
        context["trainees"] = workplace_trainees(user, today)
        context["queue"] = werkgever_queue(user, today, membership.employer_id)
    if role == Role.PROJECTLEIDER:
        context["queue"] = projectleider_queue(user, today)
    if role in {Role.REGISSEUR, Role.PROJECTLEIDER, Role.BEHEERDER}:
        context["cohorts"] = cohorts_counted(user).order_by("-start_date")[:12]
    if role == Role.BEHEERDER:
        context["queue"] = beheerder_queue(user, timezone.now())
        context["member_count"] = memberships_managed_by(user).count()
        context["role_grants"] = role_grants_shown_to(user)
        context["programmes"] = Programme.objects.filter(academy=membership.academy).annotate(
            cohort_count=Count("cohorts")
        )
    if role == Role.LANDELIJK:
        # Aggregates across academies, never a name of a participant.
        context["academies"] = Academy.objects.annotate(
            participant_count=Count("participants", distinct=True),
            programme_count=Count("programmes", distinct=True),
        )
    context["queue_total"] = sum(s.count for s in context["queue"])
    context["queue_empty"] = [str(s.title) for s in context["queue"] if not s.count]
    context["agenda_link"] = role in AGENDA_ROLES
    return context
