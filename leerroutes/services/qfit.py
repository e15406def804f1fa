"""Services of the route's design (Q-fit): defaults, analysis, arrangement, plan and goals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq.accounts.models import Academy, Programme, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import Participant, Route

from .. import defaults
from ..models import (
    Analysis,
    AnalysisDomain,
    Arrangement,
    ArrangementDomain,
    Goal,
    GoalKind,
    GoalStatus,
    GoalStatusChange,
    Intensity,
    LifeDomain,
    Phase,
    Plan,
    Supporter,
    SupportNeed,
)
from ._common import (
    check_domains,
    check_not_future,
    current_route,
    lock_route,
    next_number,
    refuse,
    sent_detail,
    today,
)

# --- configuration ---------------------------------------------------------------------------


def life_domains_ensure(*, academy: Academy) -> list[LifeDomain]:
    """Give an academy the default life domains if it has none. Side effects: creates them.
    An academy that changed its list keeps it."""
    existing = list(LifeDomain.objects.filter(academy=academy).order_by("order", "pk"))
    if existing:
        return existing
    return LifeDomain.objects.bulk_create(
        LifeDomain(academy=academy, name=name, order=index)
        for index, name in enumerate(defaults.LIFE_DOMAINS, start=1)
    )


def phases_ensure(*, programme: Programme) -> list[Phase]:
    """Give a programme the default phases if it has none. Side effects: creates them."""
    existing = list(Phase.objects.filter(programme=programme).order_by("order", "pk"))
    if existing:
        return existing
    return Phase.objects.bulk_create(
        Phase(programme=programme, name=name, description=text, order=index)
        for index, (name, text) in enumerate(defaults.PHASES, start=1)
    )


# --- 1. analysis -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DomainAnalysis:
    domain: LifeDomain
    talents: str = ""
    support_questions: str = ""
    support_need: int = SupportNeed.NONE


def analysis_create(
    *,
    participant: Participant,
    made_on: date,
    summary: str,
    domains: Sequence[DomainAnalysis],
    by: User,
) -> Analysis:
    """Record a new version of the analysis; earlier versions stay as they were.
    Side effects: creates the Analysis and its domain rows; one CREATE audit event (without
    the text)."""
    route = current_route(participant)
    summary = summary.strip()
    if not summary:
        raise refuse("summary", _("Write a short summary of the analysis."))
    check_not_future("made_on", made_on)
    check_domains(domains, participant.academy_id)
    for item in domains:
        if item.support_need not in SupportNeed.values:
            raise refuse(None, _("The support need is a number from 0 to 3."))
    with transaction.atomic():
        lock_route(route)
        analysis = Analysis.objects.create(
            route=route,
            number=next_number(Analysis, route),
            made_on=made_on,
            summary=summary,
            made_by=by,
        )
        AnalysisDomain.objects.bulk_create(
            AnalysisDomain(
                analysis=analysis,
                domain=item.domain,
                talents=item.talents.strip(),
                support_questions=item.support_questions.strip(),
                support_need=item.support_need,
            )
            for item in domains
        )
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=analysis,
            participant=participant,
            detail={"version": analysis.number},
        )
    return analysis


# --- 2. arrangement --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DomainSupport:
    domain: LifeDomain
    intensity: str
    supporters: Sequence[str] = ()
    hours_per_week: Decimal = Decimal(0)


def arrangement_create(
    *,
    participant: Participant,
    decided_on: date,
    is_24_hour: bool,
    outside_work: str,
    domains: Sequence[DomainSupport],
    by: User,
) -> Arrangement:
    """Record a new version of the arrangement. Side effects: creates the Arrangement and its
    domain rows; one CREATE audit event."""
    route = current_route(participant)
    check_not_future("decided_on", decided_on)
    outside_work = outside_work.strip()
    if is_24_hour and not outside_work:
        raise refuse("outside_work", _("Say what a 24-hour arrangement covers outside work."))
    check_domains(domains, participant.academy_id)
    for item in domains:
        if item.intensity not in Intensity.values:
            raise refuse(None, _("Choose light, medium or heavy."))
        if not set(item.supporters) <= set(Supporter.values):
            raise refuse(None, _("Choose who supports from the list."))
        if not Decimal(0) <= item.hours_per_week <= Decimal(40):
            raise refuse(None, _("Support hours are between 0 and 40 a week."))
    with transaction.atomic():
        lock_route(route)
        arrangement = Arrangement.objects.create(
            route=route,
            number=next_number(Arrangement, route),
            decided_on=decided_on,
            is_24_hour=is_24_hour,
            outside_work=outside_work if is_24_hour else "",
            made_by=by,
        )
        ArrangementDomain.objects.bulk_create(
            ArrangementDomain(
                arrangement=arrangement,
                domain=item.domain,
                intensity=item.intensity,
                supporters=list(item.supporters),
                hours_per_week=item.hours_per_week,
            )
            for item in domains
        )
        audit_log(
            actor=by,
            action=Action.CREATE,
            obj=arrangement,
            participant=participant,
            detail={"version": arrangement.number},
        )
    return arrangement


# --- 3. plan and goals -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoalData:
    """A goal as the plan form gives it. ``pk`` is None for a new goal; ``row`` is its place in
    the form, so an error lands beside the right row."""

    description: str
    target_date: date | None
    domain: LifeDomain | None = None
    # GoalKind; None keeps an existing goal's kind and gives a new one its domain's kind.
    kind: str | None = None
    pk: int | None = None
    row: int = 0


def goal_snapshot(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "description": goal.description,
        "domain": goal.domain.name if goal.domain else "",
        "kind": goal.kind,
        "target_date": goal.target_date.isoformat(),
        "status": goal.status,
    }


def _check_goals(
    goals: Sequence[GoalData], existing: dict[int, Goal], plan_date: date, academy_id: int
) -> None:
    for item in goals:
        prefix = f"goals-{item.row}-"
        if not item.description.strip():
            raise refuse(f"{prefix}description", _("Describe the goal."))
        if item.target_date is None:
            raise refuse(f"{prefix}target_date", _("Give a target date."))
        if item.pk is not None and item.pk not in existing:
            raise refuse(None, _("A goal of another route was given."))
        if item.domain is not None and item.domain.academy_id != academy_id:
            raise refuse(f"{prefix}domain", _("A life domain of another academy was given."))
        if item.kind is not None and item.kind not in GoalKind.values:
            raise refuse(f"{prefix}kind", _("Choose work goal or support goal."))
        moved = item.pk is None or existing[item.pk].target_date != item.target_date
        if moved and item.target_date < plan_date:
            raise refuse(
                f"{prefix}target_date",
                _("The target date is before the plan date (%(date)s).")
                % {"date": date_format(plan_date)},
            )


def _goal_changes(
    route: Route, goals: Sequence[GoalData], existing: dict[int, Goal]
) -> tuple[list[Goal], list[Goal]]:
    """(changed goals, new goals), not yet saved; new goals get their plan when it exists."""
    changed, new = [], []
    next_order = max((g.order for g in existing.values()), default=0) + 1
    for item in goals:
        values = {
            "description": item.description.strip(),
            "target_date": item.target_date,
            "domain": item.domain,
        }
        if item.pk is None:
            domain_name = item.domain.name if item.domain else None
            kind = item.kind or defaults.goal_kind_for_domain(domain_name)
            new.append(Goal(route=route, order=next_order, kind=kind, **values))
            next_order += 1
            continue
        goal = existing[item.pk]
        if item.kind is not None:
            values["kind"] = item.kind
        before = (goal.description, goal.target_date, goal.domain_id, goal.kind)
        for name, value in values.items():
            setattr(goal, name, value)
        if before != (goal.description, goal.target_date, goal.domain_id, goal.kind):
            changed.append(goal)
    return changed, new


def plan_save(
    *,
    participant: Participant,
    based_on: int,
    plan_date: date,
    perspective: str,
    support_plan: str,
    goals: Sequence[GoalData],
    by: User,
) -> Plan:
    """Save a changed plan as a new version (the first save makes version 1).

    ``based_on`` is the version number the editor started from (0 for none). If someone saved
    another version meanwhile, the save is refused: nothing is lost silently (optimistic
    locking, compared under a row lock on the route). Goals given with a pk are changed, those
    without are added; status changes go through goal_status_change.
    Side effects: creates the Plan, changes/creates Goals; one audit event.
    """
    route = current_route(participant)
    perspective, support_plan = perspective.strip(), support_plan.strip()
    if not perspective:
        raise refuse("perspective", _("Write the perspective: where this person is heading."))
    check_not_future("plan_date", plan_date)
    with transaction.atomic():
        lock_route(route)
        latest = Plan.objects.filter(route=route).order_by("-number").first()
        latest_number = latest.number if latest else 0
        if based_on != latest_number:
            raise refuse(
                None,
                _(
                    "Someone else saved version %(number)s of this plan while you were editing. "
                    "Your changes were not saved: open the plan again to see theirs."
                )
                % {"number": latest_number},
            )
        if latest is not None and plan_date < latest.plan_date:
            raise refuse("plan_date", _("The plan date is before that of the previous version."))
        existing = {g.pk: g for g in Goal.objects.filter(route=route).select_related("domain")}
        _check_goals(goals, existing, plan_date, participant.academy_id)
        changed, new = _goal_changes(route, goals, existing)
        if (
            latest is not None
            and not changed
            and not new
            and (latest.perspective, latest.support_plan) == (perspective, support_plan)
        ):
            raise refuse(
                None,
                _("Nothing changed: the plan stays at version %(number)s.")
                % {"number": latest_number},
            )
        plan = Plan.objects.create(
            route=route,
            number=latest_number + 1,
            plan_date=plan_date,
            perspective=perspective,
            support_plan=support_plan,
            made_by=by,
        )
        for goal in new:
            goal.created_in = plan
        Goal.objects.bulk_update(changed, ["description", "target_date", "domain", "kind"])
        # A changed goal moves on a version: a status change made on the old one is held.
        Goal.objects.filter(pk__in=[g.pk for g in changed]).update(version=F("version") + 1)
        Goal.objects.bulk_create(new)
        plan.goals_snapshot = [
            goal_snapshot(g)
            for g in Goal.objects.filter(route=route)
            .select_related("domain")
            .order_by("order", "pk")
        ]
        plan.save(update_fields=["goals_snapshot"])
        audit_log(
            actor=by,
            action=Action.CREATE if latest is None else Action.UPDATE,
            obj=plan,
            participant=participant,
            detail={"version": plan.number},
        )
    return plan


def plan_sign_off(*, participant: Participant, plan: Plan, by: User) -> Plan:
    """The regisseur signs off the latest version of the plan, once.
    Side effects: sets signed_off_by/on; one UPDATE audit event."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk, route=current_route(participant))
        if plan.signed_off_on is not None:  # plan.is_signed_off, spelt out for the type
            raise refuse(
                None,
                _("Version %(number)s was already signed off on %(date)s.")
                % {"number": plan.number, "date": date_format(plan.signed_off_on)},
            )
        if Plan.objects.filter(route=plan.route_id, number__gt=plan.number).exists():
            raise refuse(None, _("Only the latest version of the plan can be signed off."))
        plan.signed_off_by = by
        plan.signed_off_on = today()
        plan.save(update_fields=["signed_off_by", "signed_off_on"])
        audit_log(
            actor=by,
            action=Action.UPDATE,
            obj=plan,
            participant=participant,
            detail={"version": plan.number, "signed_off": True},
        )
    return plan


def plan_agreement_record(
    *,
    participant: Participant,
    plan: Plan,
    agreed_on: date,
    parent_name: str = "",
    parent_agreed_on: date | None = None,
    by: User,
) -> Plan:
    """Record that the participant (and a parent, when under 18) agreed with a plan version.
    Side effects: sets the agreement fields; one UPDATE audit event."""
    check_not_future("agreed_on", agreed_on)
    parent_name = parent_name.strip()
    minor = participant.age_on(agreed_on) < 18
    if minor and not parent_name:
        raise refuse("parent_name", _("Under 18: a parent or guardian agrees as well."))
    if minor and parent_agreed_on is None:
        raise refuse("parent_agreed_on", _("Give the date the parent or guardian agreed."))
    if parent_agreed_on is not None:
        check_not_future("parent_agreed_on", parent_agreed_on)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk, route=current_route(participant))
        if agreed_on < plan.plan_date:
            raise refuse("agreed_on", _("This date is before the plan date."))
        if plan.agreed_on is not None:
            raise refuse(None, _("The agreement with this version is already recorded."))
        plan.agreed_on = agreed_on
        plan.parent_name = parent_name
        plan.parent_agreed_on = parent_agreed_on if parent_name else None
        plan.save(update_fields=["agreed_on", "parent_name", "parent_agreed_on"])
        audit_log(
            actor=by,
            action=Action.UPDATE,
            obj=plan,
            participant=participant,
            detail={"version": plan.number, "agreed": True},
        )
    return plan


class GoalVersionMovedError(ValidationError):
    """A goal status change made on an older version of the goal: someone changed the goal
    meanwhile. Nothing is applied; ``goal`` is the goal as it is now, so the person sees both
    and chooses."""

    def __init__(self, goal: Goal) -> None:
        self.goal = goal
        super().__init__(
            {
                "to_status": _(
                    "Someone changed this goal meanwhile: it is now %(status)s. Your change "
                    "was not saved. Choose which status holds."
                )
                % {"status": goal.get_status_display()}
            }
        )


def goal_status_change(
    *,
    participant: Participant,
    goal: Goal,
    to_status: str,
    on: date,
    note: str = "",
    version: int | None = None,
    client_uuid: UUID | None = None,
    made_at: datetime | None = None,
    by: User,
) -> Goal:
    """Move a goal to another status, keeping the history (see goal_status_receive).
    Side effects: updates Goal.status and its version, creates a GoalStatusChange; one UPDATE
    audit event."""
    changed, _created = goal_status_receive(
        participant=participant,
        goal=goal,
        to_status=to_status,
        on=on,
        note=note,
        version=version,
        client_uuid=client_uuid,
        made_at=made_at,
        by=by,
    )
    return changed


def goal_status_receive(
    *,
    participant: Participant,
    goal: Goal,
    to_status: str,
    on: date,
    note: str = "",
    version: int | None = None,
    client_uuid: UUID | None = None,
    made_at: datetime | None = None,
    by: User,
) -> tuple[Goal, bool]:
    """Move a goal to another status, keeping the history; made online or on a phone.

    ``version`` is the goal's version the change was made on: when the goal moved on since
    (another status change, a plan change), GoalVersionMovedError is raised and nothing changes,
    never a silent overwrite. A change from a phone's queue carries its ``client_uuid`` and
    ``made_at`` (the phone's clock): a resend of a change already received returns the goal
    untouched (False).
    Side effects: updates Goal.status and its version, creates a GoalStatusChange; one UPDATE
    audit event (for a phone's change naming when it was made and when it arrived)."""
    if to_status not in GoalStatus.values:
        raise refuse("to_status", _("Choose a status from the list."))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().get(pk=goal.pk, route=current_route(participant))
        if client_uuid is not None:
            sent = GoalStatusChange.objects.filter(client_uuid=client_uuid).first()
            if sent is not None:
                if sent.goal_id != goal.pk or sent.by_id != by.pk:
                    raise refuse(None, _("This change was already sent for another goal."))
                return goal, False
        check_not_future("on", on)
        if version is not None and version != goal.version:
            raise GoalVersionMovedError(goal)
        if goal.status == to_status:
            raise refuse("to_status", _("The goal already has this status."))
        last = goal.status_changes.order_by("-on").values_list("on", flat=True).first()
        if last is not None and on < last:
            raise refuse("on", _("This date is before the goal's last status change."))
        GoalStatusChange.objects.create(
            goal=goal,
            from_status=goal.status,
            to_status=to_status,
            on=on,
            note=note.strip(),
            by=by,
            client_uuid=client_uuid,
            made_at=made_at if client_uuid is not None else None,
        )
        before, goal.status = goal.status, to_status
        goal.version += 1  # under the row lock
        goal.save(update_fields=["status", "version"])
        detail: dict[str, Any] = {"from": before, "to": to_status}
        detail.update(sent_detail(client_uuid, made_at) or {})
        audit_log(actor=by, action=Action.UPDATE, obj=goal, participant=participant, detail=detail)
    return goal, True
