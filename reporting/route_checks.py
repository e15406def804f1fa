"""Route integrity: every route whose status, placements, dates or plan disagree.

The pipeline services (participants.services) refuse a step without its facts; this module
finds routes that disagree anyway (data from before those checks, a bulk load, a change made
past the services). ``manage.py check_routes`` prints what it finds. It reads participants,
employers and leerroutes, so it sits in reporting, the layer above them.

Lines are English and carry ids only (route and participant), never a name: the output ends up
in operators' logs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from employers.models import EMPLOYED_KINDS, MINI_STAGE_KINDS, Placement, PlacementKind
from leerroutes.models import Plan
from participants.models import IntakeOutcome, Route, Status
from participants.services import INDIVIDUAL_ROUTE_TYPES, individual_route_last_day

DATE_ORDER = ["referral_date", "intake_date", "start_date", "trial_start_date", "contract_date"]
# The dates a status needs, and the ones it must not have yet.
NEEDS = {
    Status.AANGEMELD: ([], ["intake_date", "start_date", "trial_start_date", "contract_date"]),
    Status.INTAKE: (["intake_date"], ["start_date", "trial_start_date", "contract_date"]),
    Status.NIET_TOEGELATEN: (["intake_date", "end_date"], ["start_date"]),
    Status.GESTART: (["start_date"], ["trial_start_date", "contract_date"]),
    Status.PROEFPERIODE: (["start_date", "trial_start_date"], ["contract_date"]),
    Status.CONTRACT: (["start_date", "trial_start_date", "contract_date"], []),
    Status.AFGEROND: (["start_date", "end_date"], []),
    Status.UITGEVALLEN: (["end_date"], []),
}
RUNNING = {Status.AANGEMELD, Status.INTAKE, Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one route; a warning does not make the check fail."""

    route_id: object
    participant_id: object
    status: str
    message: str
    warning: bool = False

    def line(self) -> str:
        kind = "warning" if self.warning else "problem"
        return (
            f"{kind}: route {self.route_id} (participant {self.participant_id}, "
            f"status {self.status}): {self.message}"
        )


@dataclass
class _Facts:
    """What one route's check reads besides the route itself."""

    placements: list[Placement]
    signed_plan: bool
    first_plan_date: date | None
    today: date


def _dates(route: Route) -> list[str]:
    problems = []
    for name in NEEDS[route.status][0]:
        if getattr(route, name) is None:
            problems.append(f"{name} is missing for this status")
    for name in NEEDS[route.status][1]:
        if getattr(route, name) is not None:
            problems.append(f"{name} is set, but the status is still {route.status}")
    if route.status in RUNNING and route.end_date is not None:
        problems.append("end_date is set on a running route")
    present = [(n, getattr(route, n)) for n in [*DATE_ORDER, "end_date"] if getattr(route, n)]
    for (first, day), (second, later) in pairwise(present):
        if later < day:
            problems.append(f"{second} ({later}) is before {first} ({day})")
    return problems


def _intake_and_group(route: Route, today: date) -> list[str]:
    problems = []
    if route.start_date is not None and route.intake_outcome != IntakeOutcome.ADMITTED:
        problems.append("started without an admitting intake")
    if route.status == Status.NIET_TOEGELATEN and route.intake_outcome != "niet_toegelaten":
        problems.append("not admitted, but the intake outcome says otherwise")
    if route.start_date is None:
        return problems
    if route.route_type in INDIVIDUAL_ROUTE_TYPES:
        if route.cohort_id is not None:
            problems.append("an individual route (1a, 1b) is in a group")
        last_day = individual_route_last_day(route)
        end = route.end_date or today
        if last_day is not None and end > last_day:
            problems.append(f"an individual route runs past 3 years (until {last_day} at most)")
    elif route.cohort_id is None:
        problems.append("a group route (2) started without a group")
    return problems


def _outflow(route: Route) -> list[str]:
    if route.status not in {Status.AFGEROND, Status.UITGEVALLEN}:
        return []
    problems = []
    if not route.destination:
        problems.append("ended without a destination")
    if not route.outcome_category:
        problems.append("ended without an outcome")
    if route.status == Status.UITGEVALLEN and not route.dropout_reason:
        problems.append("dropped out without a reason")
    return problems


def _main(placements: Iterable[Placement]) -> list[Placement]:
    return [p for p in placements if p.kind not in MINI_STAGE_KINDS]


def _runs(placement: Placement, first: date, last: date) -> bool:
    return placement.start_date <= last and (
        placement.end_date is None or placement.end_date >= first
    )


def _placements(route: Route, facts: _Facts) -> list[str]:
    main, today = _main(facts.placements), facts.today
    problems = []
    if route.status == Status.PROEFPERIODE and not any(
        p.kind == PlacementKind.TRIAL and p.trial_passed_on is None and p.runs_on(today)
        for p in main
    ):
        problems.append("trial period without a running trial placement at an employer")
    if route.status == Status.CONTRACT and not any(
        _is_contract(p) and p.runs_on(today) for p in main
    ):
        problems.append("contract without a running contract placement with hours")
    if route.status in {Status.AFGEROND, Status.UITGEVALLEN} and route.end_date:
        problems += _ended_placements(route, main)
    return problems


def _is_contract(placement: Placement) -> bool:
    return (
        placement.kind in EMPLOYED_KINDS
        and bool(placement.contract_hours)
        and placement.trial_passed_on is not None
    )


def _ended_placements(route: Route, main: list[Placement]) -> list[str]:
    problems = []
    end = route.end_date
    if route.trial_start_date and not any(_runs(p, route.trial_start_date, end) for p in main):
        problems.append("a trial period was recorded, but no placement ran in it")
    if route.contract_date and not any(
        _is_contract(p) and _runs(p, route.contract_date, end) for p in main
    ):
        problems.append("a contract was recorded, but no contract placement with hours ran")
    if any(p.start_date <= end and (p.end_date is None or p.end_date > end) for p in main):
        problems.append(f"a placement still runs after the route ended on {end}")
    return problems


def _plan(route: Route, facts: _Facts) -> list[Finding]:
    findings = []
    if facts.first_plan_date is not None and facts.first_plan_date < route.referral_date:
        findings.append(_finding(route, "the plan is dated before the referral"))
    if route.status in RUNNING and route.start_date and not facts.signed_plan:
        weeks = (facts.today - route.start_date).days // 7
        if weeks >= settings.PLAN_UNSIGNED_WARNING_WEEKS:
            findings.append(
                _finding(route, f"started {weeks} weeks ago without a signed plan", warning=True)
            )
    return findings


def _finding(route: Route, message: str, *, warning: bool = False) -> Finding:
    return Finding(route.pk, route.participant_id, route.status, message, warning)


def route_findings(route: Route, facts: _Facts) -> list[Finding]:
    """Every problem (and warning) of one route, in a stable order."""
    messages = [*_dates(route), *_intake_and_group(route, facts.today), *_outflow(route)]
    messages += _placements(route, facts)
    return [_finding(route, m) for m in messages] + _plan(route, facts)


def routes_check(
    routes: QuerySet[Route] | None = None, *, today: date | None = None
) -> list[Finding]:
    """The findings of every route (or of ``routes``), ordered by participant and referral.
    A fixed number of queries: the routes, their participants' placements, their plans."""
    today = today or timezone.localdate()
    selected = (routes if routes is not None else Route.objects.all()).order_by(
        "participant_id", "referral_date", "pk"
    )
    routes = list(selected)
    placements = defaultdict(list)
    for placement in Placement.objects.filter(participant__in=selected.values("participant_id")):
        placements[placement.participant_id].append(placement)
    signed, first_plan = set(), {}
    plans = Plan.objects.filter(route__in=selected.values("pk")).values_list(
        "route_id", "plan_date", "signed_off_on"
    )
    for route_id, plan_date, signed_off_on in plans:
        if signed_off_on is not None:
            signed.add(route_id)
        if route_id not in first_plan or plan_date < first_plan[route_id]:
            first_plan[route_id] = plan_date
    findings = []
    for route in routes:
        facts = _Facts(
            placements=placements[route.participant_id],
            signed_plan=route.pk in signed,
            first_plan_date=first_plan.get(route.pk),
            today=today,
        )
        findings += route_findings(route, facts)
    return findings
