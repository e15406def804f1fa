"""What goes into a progress dossier, per variant: explicit field lists, never "everything
minus a blacklist".

A variant (``VariantSpec``) names its sections in order and, per section, the fields it
carries. ``dossier_build`` reads only those sections and returns plain data (dicts, lists,
strings and dates) holding only the named fields, so the PDF template cannot reach a model
instance, nor anything the variant does not list. Care notes are never read here at all, and
the analysis only by the section of that name.

Three variants:

- internal: the academy's own copy for the regisseur: the Q-fit analysis summary, the
  arrangement and the support plan, the whole log; never a care note or the BSN;
- participant: the young person's own copy, in plain language, to take along to a next
  situation: goals, results, certificates, places, hours, evaluations, the handelingswijzer;
  from the log only what was marked shareable;
- employer: work status only, and only while the participant's consent to share it holds:
  name, programme, phase, the running placement at this employer (never one elsewhere),
  hours, the work goals and their status (never a support goal), work certificates, the
  handelingswijzer only with its own consent. The consents a copy was made with are kept
  with its run (``consents_depended_on``); a download checks them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, gettext_noop

from employers.models import Placement
from leerroutes import selectors as route_selectors
from leerroutes.models import (
    Certificate,
    CertificateKind,
    Evaluation,
    Goal,
    GoalKind,
    GoalStatusChange,
    HoursWeek,
    ProgressEntry,
    SelfReportedWellbeing,
)
from participants.models import ConsentScope, Participant, Route
from participants.selectors import consent_is_active

INTERNAL = "internal"
PARTICIPANT = "participant"
EMPLOYER = "employer"

LOG_ALL = "all"
LOG_SHAREABLE = "shareable"

# Certificates an employer sees: vocational ones. Q-certificates (such as SOVA) hint at
# support needs. The same rule as the employer's workplace pages (employers.selectors).
WORK_CERTIFICATE_KINDS = (CertificateKind.BRANCH, CertificateKind.PARTIAL, CertificateKind.DIPLOMA)
ALL_CERTIFICATE_KINDS = tuple(CertificateKind.values)

# What the guard checks a variant's text against (reporting.dossier.guard).
GUARD_CARE_NOTES = "care_notes"
GUARD_ANALYSIS = "analysis"
GUARD_BSN = "bsn"
GUARD_SUPPORT_GOALS = "support_goals"  # the texts of support goals
GUARD_VOICE = "participant_voice"  # what the young person wrote (reflections)

ALL_GOAL_KINDS = tuple(GoalKind.values)

MONTHS_IN_SUMMARY = 24
VOICE_IN_DOSSIER = 60


@dataclass(frozen=True)
class VariantSpec:
    """One variant of the dossier: every section and field it carries, named explicitly."""

    name: str
    slug: str  # in URLs
    kind: str  # the ReportRun kind (reporting.dossier.kinds)
    permission: str  # object permission on the participant; also the kind's permission
    title: str  # msgid
    audience: str  # msgid, printed on the cover
    plain_language: bool
    personal: tuple[str, ...]
    sections: tuple[str, ...]
    goal_fields: tuple[str, ...] = ()
    goal_kinds: tuple[str, ...] = ALL_GOAL_KINDS
    log_scope: str = LOG_SHAREABLE
    recent_entries: int = 5
    evaluation_fields: tuple[str, ...] = ()
    placement_fields: tuple[str, ...] = ()
    running_placements_only: bool = False
    # Placements at the employer the copy is for only (Source.employer_id).
    own_employer_placements_only: bool = False
    # Section headings other than HEADINGS' (section -> msgid).
    heading_overrides: tuple[tuple[str, str], ...] = ()
    certificate_kinds: tuple[str, ...] = ALL_CERTIFICATE_KINDS
    needs_work_status_consent: bool = False
    handelingswijzer_needs_consent: bool = False
    # The well-being chart also draws the participant's own check-ins (as the first line).
    wellbeing_own: bool = False
    guard: tuple[str, ...] = (GUARD_CARE_NOTES, GUARD_ANALYSIS, GUARD_BSN)


INTERNAL_SPEC = VariantSpec(
    name=INTERNAL,
    slug="intern",
    kind="dossier_internal",
    permission="reporting.dossier_internal",
    title=gettext_noop("Progress dossier (internal)"),
    audience=gettext_noop("For the academy's team only. Contains no care notes."),
    plain_language=False,
    personal=(
        "full_name",
        "date_of_birth",
        "programme",
        "cohort",
        "route_type",
        "status",
        "start_date",
        "phase",
        "coach",
        "lead_organisation",
    ),
    sections=(
        "personal",
        "perspective",
        "analysis",
        "arrangement",
        "support_plan",
        "goals",
        "progress",
        "wellbeing",
        "voice",
        "evaluations",
        "assessments",
        "roc_results",
        "certificates",
        "placements",
        "hours",
        "handelingswijzer",
    ),
    goal_fields=(
        "description",
        "kind",
        "domain",
        "target_date",
        "status",
        "history",
        "history_notes",
    ),
    log_scope=LOG_ALL,
    wellbeing_own=True,
    evaluation_fields=(
        "held_on",
        "participant_attended",
        "attendees",
        "phase",
        "summary",
        "goals_reviewed",
        "next_on",
    ),
    placement_fields=(
        "employer",
        "location",
        "kind",
        "start_date",
        "end_date",
        "hours_per_week",
        "leermeester",
        "trial_ends_on",
        "trial_passed_on",
        "end_reason",
    ),
    # The internal copy legitimately holds the analysis; it must still never hold a care
    # note or the BSN.
    guard=(GUARD_CARE_NOTES, GUARD_BSN),
)

PARTICIPANT_SPEC = VariantSpec(
    name=PARTICIPANT,
    slug="deelnemer",
    kind="dossier_participant",
    permission="reporting.dossier_participant",
    title=gettext_noop("My dossier"),
    audience=gettext_noop(
        "This is your own dossier. It shows what you learned and did. Take it with you to a "
        "new job or school."
    ),
    plain_language=True,
    personal=("full_name", "date_of_birth", "programme", "cohort", "start_date", "phase", "coach"),
    sections=(
        "personal",
        "perspective",
        "goals",
        "progress",
        "wellbeing",
        "evaluations",
        "roc_results",
        "certificates",
        "placements",
        "hours",
        "handelingswijzer",
    ),
    goal_fields=("description", "target_date", "status", "history"),
    log_scope=LOG_SHAREABLE,
    wellbeing_own=True,
    evaluation_fields=("held_on", "phase", "summary"),
    placement_fields=("employer", "kind", "start_date", "end_date", "hours_per_week"),
)

EMPLOYER_SPEC = VariantSpec(
    name=EMPLOYER,
    slug="werkgever",
    kind="dossier_employer",
    permission="reporting.dossier_employer",
    title=gettext_noop("Work status"),
    audience=gettext_noop(
        "Shared with the employer with the participant's consent. Work status only."
    ),
    plain_language=False,
    personal=("full_name", "programme", "cohort", "phase"),
    sections=("personal", "placements", "hours", "goals", "certificates", "handelingswijzer"),
    goal_fields=("description", "target_date", "status"),
    goal_kinds=(GoalKind.WORK,),
    heading_overrides=(("goals", gettext_noop("Work goals")),),
    evaluation_fields=(),
    placement_fields=(
        "employer",
        "location",
        "kind",
        "start_date",
        "hours_per_week",
        "contract_hours",
        "leermeester",
        "trial_ends_on",
        "trial_passed_on",
    ),
    running_placements_only=True,
    own_employer_placements_only=True,
    certificate_kinds=WORK_CERTIFICATE_KINDS,
    needs_work_status_consent=True,
    handelingswijzer_needs_consent=True,
    guard=(GUARD_CARE_NOTES, GUARD_ANALYSIS, GUARD_BSN, GUARD_SUPPORT_GOALS, GUARD_VOICE),
)

VARIANTS = {spec.name: spec for spec in (INTERNAL_SPEC, PARTICIPANT_SPEC, EMPLOYER_SPEC)}
VARIANTS_BY_SLUG = {spec.slug: spec for spec in VARIANTS.values()}

# Section headings: (regular, plain language for the participant's own copy). msgids.
HEADINGS = {
    "personal": (gettext_noop("Personal details"), gettext_noop("About me")),
    "perspective": (gettext_noop("Perspective"), gettext_noop("Where I am heading")),
    "analysis": (gettext_noop("Analysis (summary)"), gettext_noop("Analysis (summary)")),
    "arrangement": (gettext_noop("Arrangement"), gettext_noop("Arrangement")),
    "support_plan": (gettext_noop("Support plan"), gettext_noop("Support plan")),
    "goals": (gettext_noop("Goals"), gettext_noop("My goals")),
    "progress": (gettext_noop("Progress log"), gettext_noop("How it went")),
    "wellbeing": (gettext_noop("Well-being over time"), gettext_noop("How I felt")),
    "voice": (
        gettext_noop("In the participant's own words"),
        gettext_noop("In my own words"),
    ),
    "evaluations": (gettext_noop("Evaluations"), gettext_noop("Talks about how it goes")),
    "assessments": (gettext_noop("Leermeester assessments"), gettext_noop("What my boss said")),
    "roc_results": (gettext_noop("Results at the ROC"), gettext_noop("My results at school")),
    "certificates": (gettext_noop("Certificates"), gettext_noop("My certificates")),
    "placements": (gettext_noop("Placements"), gettext_noop("Where I worked")),
    "hours": (gettext_noop("Hours"), gettext_noop("My hours")),
    "handelingswijzer": (
        gettext_noop("Handelingswijzer"),
        gettext_noop("How to work with me"),
    ),
}


@dataclass
class Source:
    """The route a dossier is about. ``today`` is the date of issue."""

    participant: Participant
    route: Route
    today: date
    employer_id: int | None = None  # the employer the copy is for (the employer's copy)
    _phase: Any = field(default=None, repr=False)

    @property
    def phase_name(self) -> str:
        if self._phase is None:
            phase = route_selectors.current_phase(self.route)
            self._phase = phase.name if phase else ""
        return self._phase


@dataclass(frozen=True)
class Dossier:
    """The plain data of one dossier. ``sections`` holds only the variant's sections."""

    variant: str
    plain_language: bool
    title: str
    audience: str
    academy: str
    participant_name: str
    programme: str
    issued_on: date
    headings: dict[str, str]
    sections: dict[str, Any]
    recipient: str = ""  # the employer the copy is for, printed on the cover

    @property
    def parts(self) -> list[dict[str, Any]]:
        """The sections in the variant's order, each with its heading and template."""
        return [
            {
                "name": name,
                "heading": self.headings[name],
                "data": data,
                "template": f"reporting/dossier/sections/{name}.html",
            }
            for name, data in self.sections.items()
        ]


def _only(fields: tuple[str, ...], getters: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """The named fields, each computed only when asked for. An unknown name is a KeyError:
    a variant can only list fields that exist."""
    return {name: getters[name]() for name in fields}


# --- sections --------------------------------------------------------------------------------


def _personal(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    p, t = source.participant, source.route
    rows = {
        "full_name": (gettext("Name"), lambda: p.full_name),
        "date_of_birth": (gettext("Date of birth"), lambda: p.date_of_birth),
        "programme": (gettext("Programme"), lambda: t.programme.name),
        "cohort": (gettext("Group"), lambda: t.cohort.name if t.cohort else ""),
        "route_type": (gettext("Route type"), lambda: t.get_route_type_display()),
        "status": (gettext("Status"), lambda: t.get_status_display()),
        "start_date": (gettext("Started on"), lambda: t.start_date),
        "phase": (gettext("Phase"), lambda: source.phase_name),
        "coach": (gettext("Coach"), lambda: p.coach.get_full_name() if p.coach else ""),
        "lead_organisation": (
            gettext("Lead organisation"),
            lambda: p.get_lead_organisation_display(),
        ),
    }
    return [{"label": rows[name][0], "value": rows[name][1]()} for name in spec.personal]


def _perspective(source: Source, spec: VariantSpec) -> str:
    plan = route_selectors.plan_get(source.route)
    return plan.perspective if plan else ""


def _analysis(source: Source, spec: VariantSpec) -> dict[str, Any] | None:
    """The latest analysis: its summary and the support need per life domain (a number, not
    the talents' or support questions' text)."""
    analysis = route_selectors.analysis_get(source.route)
    if analysis is None:
        return None
    return {
        "number": analysis.number,
        "made_on": analysis.made_on,
        "summary": analysis.summary,
        "domains": [
            {"domain": d.domain.name, "need": d.get_support_need_display()}
            for d in analysis.domains.all()
        ],
    }


def _arrangement(source: Source, spec: VariantSpec) -> dict[str, Any] | None:
    arrangement = route_selectors.arrangement_get(source.route)
    if arrangement is None:
        return None
    return {
        "number": arrangement.number,
        "decided_on": arrangement.decided_on,
        "is_24_hour": arrangement.is_24_hour,
        "outside_work": arrangement.outside_work,
        "domains": [
            {
                "domain": d.domain.name,
                "intensity": d.get_intensity_display(),
                "supporters": d.get_supporters_display(),
                "hours_per_week": d.hours_per_week,
            }
            for d in arrangement.domains.all()
        ],
    }


def _support_plan(source: Source, spec: VariantSpec) -> dict[str, Any] | None:
    plan = route_selectors.plan_get(source.route)
    if plan is None:
        return None
    return {
        "number": plan.number,
        "plan_date": plan.plan_date,
        "signed_off_on": plan.signed_off_on,
        "text": plan.support_plan,
    }


def _goal_history(goal: Goal, with_notes: bool) -> list[dict[str, Any]]:
    return [
        {
            "on": change.on,
            "from": change.get_from_status_display() if change.from_status else "",
            "to": change.get_to_status_display(),
            "note": change.note if with_notes else "",
        }
        for change in goal.status_changes.all()
    ]


def _goals(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    goals = route_selectors.goals_for(source.route).filter(kind__in=spec.goal_kinds)
    goals = goals.prefetch_related(
        Prefetch("status_changes", queryset=GoalStatusChange.objects.order_by("on", "pk"))
    )
    fields = spec.goal_fields
    return [
        {
            "status_code": goal.status,
            **_only(
                tuple(f for f in fields if f != "history_notes"),
                {
                    "description": lambda g=goal: g.description,
                    "kind": lambda g=goal: g.get_kind_display(),
                    "domain": lambda g=goal: g.domain.name if g.domain else "",
                    "target_date": lambda g=goal: g.target_date,
                    "status": lambda g=goal: g.get_status_display(),
                    "history": lambda g=goal: _goal_history(g, "history_notes" in fields),
                },
            ),
        }
        for goal in goals
    ]


def _log(source: Source, spec: VariantSpec) -> QuerySet[ProgressEntry]:
    """The progress entries the variant may draw on: all, or only those marked shareable.
    Counts, hours, well-being and the recent entries all come from this one set."""
    entries = ProgressEntry.objects.filter(route=source.route)
    if spec.log_scope != LOG_ALL:
        entries = entries.filter(shareable=True)
    return entries


def _log_months(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    rows = (
        _log(source, spec)
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(entries=Count("pk"), hours=Sum("hours_present"), wellbeing=Avg("wellbeing"))
        .order_by("-month")[:MONTHS_IN_SUMMARY]
    )
    return [
        {
            "month": r["month"],
            "entries": r["entries"],
            "hours": r["hours"],
            "wellbeing": round(float(r["wellbeing"]), 1) if r["wellbeing"] is not None else None,
        }
        for r in rows
    ][::-1]


def _progress(source: Source, spec: VariantSpec) -> dict[str, Any]:
    months = _log_months(source, spec)
    recent = _log(source, spec).order_by("-on", "-created_at")[: spec.recent_entries]
    return {
        "months": months,
        "total_entries": sum(m["entries"] for m in months),
        "total_hours": sum((m["hours"] or Decimal(0) for m in months), Decimal(0)),
        "shareable_only": spec.log_scope != LOG_ALL,
        "recent": [
            {
                "on": e.on,
                "text": e.text,
                "wellbeing": e.get_wellbeing_display(),
                "shareable": e.shareable,
            }
            for e in recent
        ],
    }


def _own_months(source: Source) -> list[dict[str, Any]]:
    """The participant's own check-ins: the average score per month, oldest first."""
    rows = (
        SelfReportedWellbeing.objects.filter(route=source.route)
        .annotate(month=TruncMonth("week_start"))
        .values("month")
        .annotate(score=Avg("score"))
        .order_by("-month")[:MONTHS_IN_SUMMARY]
    )
    return [{"month": r["month"], "score": round(float(r["score"]), 1)} for r in rows][::-1]


def _wellbeing(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    """The lines of the well-being chart, each the average score per month, oldest first:
    the participant's own check-ins first (when the variant has them), then the coach's
    scores from the log the variant may draw on. A line without points is left out."""
    coach = [
        {"month": m["month"], "score": m["wellbeing"]}
        for m in _log_months(source, spec)
        if m["wellbeing"] is not None
    ]
    lines = []
    if spec.wellbeing_own:
        label = gettext("How I said I felt") if spec.plain_language else gettext("Own check-ins")
        lines.append({"label": label, "points": _own_months(source)})
    label = gettext("What my coach noted") if spec.plain_language else gettext("Coach's scores")
    lines.append({"label": label, "points": coach})
    return [line for line in lines if line["points"]]


def _voice(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    """What the young person wrote and how they said they felt, newest first."""
    return [
        {
            "on": item.on,
            "kind": item.kind,
            "text": item.text,
            "about": item.about,
            "score": item.score_label,
        }
        for item in route_selectors.participant_voice_for(source.route, limit=VOICE_IN_DOSSIER)
    ]


def _evaluations(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    evaluations = (
        Evaluation.objects.filter(route=source.route)
        .select_related("phase_before", "phase_decision")
        .annotate(goals_count=Count("goals_reviewed"))
        .order_by("-held_on", "-created_at")
    )
    return [
        _only(
            spec.evaluation_fields,
            {
                "held_on": lambda e=e: e.held_on,
                "participant_attended": lambda e=e: e.participant_attended,
                "attendees": lambda e=e: e.attendees,
                "phase": lambda e=e: _phase_text(e),
                "summary": lambda e=e: e.summary,
                "goals_reviewed": lambda e=e: e.goals_count,
                "next_on": lambda e=e: e.next_on,
            },
        )
        for e in evaluations
    ]


def _phase_text(evaluation: Evaluation) -> str:
    if evaluation.phase_decision is None:
        return ""
    if evaluation.moved_phase:
        return gettext("Moved to the phase “%(phase)s”") % {"phase": evaluation.phase_decision.name}
    return gettext("Stays in the phase “%(phase)s”") % {"phase": evaluation.phase_decision.name}


def _assessments(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    return [
        {
            "assessed_on": a.assessed_on,
            "leermeester": a.leermeester_name,
            "employer": a.employer.name if a.employer else "",
            "work_attitude": a.get_work_attitude_display(),
            "professional_skills": a.get_professional_skills_display(),
            "cooperation": a.get_cooperation_display(),
            "safety": a.get_safety_display(),
            "remarks": a.remarks,
        }
        for a in route_selectors.assessments_for(source.route).order_by(
            "-assessed_on", "-created_at"
        )
    ]


def _roc_results(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    return [
        {
            "title": r.title,
            "kind": r.get_kind_display(),
            "on": r.on,
            "grade": r.grade,
            "passed": r.passed,
            "progress_percent": r.progress_percent,
        }
        for r in route_selectors.roc_results_for(source.route).order_by("-on", "-created_at")
    ]


def _certificates(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    certificates = Certificate.objects.filter(
        route=source.route, kind__in=spec.certificate_kinds
    ).order_by("-issued_on", "-created_at")
    return [
        {
            "title": c.title,
            "kind": c.get_kind_display(),
            "issued_on": c.issued_on,
            "issuer": c.issuer,
        }
        for c in certificates
    ]


def _placements(source: Source, spec: VariantSpec) -> list[dict[str, Any]]:
    placements = Placement.objects.filter(participant=source.participant).select_related(
        "employer", "location", "leermeester"
    )
    if spec.own_employer_placements_only:
        # No employer named: nothing to show rather than every employer's placement.
        placements = placements.filter(employer_id=source.employer_id)
    if spec.running_placements_only:
        today = source.today
        placements = placements.filter(start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
    return [
        _only(
            spec.placement_fields,
            {
                "employer": lambda p=p: p.employer.name,
                "location": lambda p=p: str(p.location) if p.location else "",
                "kind": lambda p=p: p.get_kind_display(),
                "start_date": lambda p=p: p.start_date,
                "end_date": lambda p=p: p.end_date,
                "hours_per_week": lambda p=p: p.hours_per_week,
                "contract_hours": lambda p=p: p.contract_hours,
                "leermeester": lambda p=p: p.leermeester.name if p.leermeester else "",
                "trial_ends_on": lambda p=p: p.trial_ends_on,
                "trial_passed_on": lambda p=p: p.trial_passed_on,
                "end_reason": lambda p=p: p.get_end_reason_display(),
            },
        )
        for p in placements.order_by("-start_date", "pk")
    ]


def _hours(source: Source, spec: VariantSpec) -> dict[str, Any]:
    months = route_selectors.hours_per_month(source.route)[::-1][-MONTHS_IN_SUMMARY:]
    totals = HoursWeek.objects.filter(route=source.route).aggregate(
        practice=Sum("practice_hours"), theory=Sum("theory_hours"), weeks=Count("pk")
    )
    practice = totals["practice"] or Decimal(0)
    theory = totals["theory"] or Decimal(0)
    return {
        "months": [
            {"month": m.month, "practice": m.practice, "theory": m.theory, "total": m.total}
            for m in months
        ],
        "weeks": totals["weeks"],
        "practice": practice,
        "theory": theory,
        "total": practice + theory,
    }


def _handelingswijzer(source: Source, spec: VariantSpec) -> dict[str, Any] | None:
    """The whole note, or {"withheld": True} when the variant needs a consent that does not
    hold today (checked now, at the moment of making the copy), or None when none is written."""
    if spec.handelingswijzer_needs_consent and not consent_is_active(
        source.participant, ConsentScope.HANDELINGSWIJZER, source.today
    ):
        return {"withheld": True}
    note = route_selectors.handelingswijzer_of(source.participant)
    if note is None:
        return None
    return {
        "withheld": False,
        "about_me": note.about_me,
        "what_helps": note.what_helps,
        "what_is_hard": note.what_is_hard,
        "instructions": note.instructions,
        "when_it_goes_wrong": note.when_it_goes_wrong,
        "written_on": note.written_on,
    }


SECTIONS: dict[str, Callable[[Source, VariantSpec], Any]] = {
    "personal": _personal,
    "perspective": _perspective,
    "analysis": _analysis,
    "arrangement": _arrangement,
    "support_plan": _support_plan,
    "goals": _goals,
    "progress": _progress,
    "wellbeing": _wellbeing,
    "voice": _voice,
    "evaluations": _evaluations,
    "assessments": _assessments,
    "roc_results": _roc_results,
    "certificates": _certificates,
    "placements": _placements,
    "hours": _hours,
    "handelingswijzer": _handelingswijzer,
}


def consents_depended_on(dossier: Dossier, spec: VariantSpec) -> list[str]:
    """The consent scopes (ConsentScope values) a made copy relied on: the employer's copy on
    the consent to share the work status, and on the handelingswijzer consent when it carries
    the handelingswijzer. A download checks each again (reporting.views.run_download)."""
    scopes = []
    if spec.needs_work_status_consent:
        scopes.append(ConsentScope.EMPLOYER_WORK_STATUS.value)
    note = dossier.sections.get("handelingswijzer")
    if spec.handelingswijzer_needs_consent and note and not note.get("withheld"):
        scopes.append(ConsentScope.HANDELINGSWIJZER.value)
    return scopes


def dossier_build(
    *,
    participant: Participant,
    route: Route,
    spec: VariantSpec,
    today: date,
    employer: Any = None,
) -> Dossier:
    """The data of one dossier of ``spec`` about ``route`` (a route of ``participant``),
    issued ``today``; ``employer`` is the one the employer's copy is for (its placements only).
    Only the variant's sections are read. Call it inside the language the dossier is written
    in: labels and headings are translated here."""
    source = Source(
        participant=participant,
        route=route,
        today=today,
        employer_id=employer.pk if employer is not None else None,
    )
    plain = 1 if spec.plain_language else 0
    overrides = dict(spec.heading_overrides)
    return Dossier(
        variant=spec.name,
        plain_language=spec.plain_language,
        title=gettext(spec.title),
        audience=gettext(spec.audience),
        academy=participant.academy.name,
        participant_name=participant.full_name,
        programme=route.programme.name,
        issued_on=today,
        headings={
            name: gettext(overrides.get(name, HEADINGS[name][plain])) for name in spec.sections
        },
        sections={name: SECTIONS[name](source, spec) for name in spec.sections},
        recipient=employer.name if employer is not None else "",
    )
