"""The status pipeline of a route: aangemeld, intake, gestart, proefperiode, contract, and its
end (afgerond, uitgevallen, niet toegelaten); one function per step, and the undo of a step.

A step that has a placement side (trial, contract, end, undo) moves the placements with it
through employers.route_placements, in the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..figures import Unit, cohort_figures_refresh, route_unit
from ..models import (
    Cohort,
    ContractType,
    Destination,
    DropoutReason,
    FollowUp,
    IntakeOutcome,
    Route,
    RouteType,
    Status,
    StatusChange,
)
from ..outcomes import outcome_derive
from ._common import add_months, check_age, check_not_future, format_day, refuse, today
from .follow_up import FOLLOW_UP_MONTHS

if TYPE_CHECKING:
    from django.db.models import Field

# The running part of the pipeline, in order; each step's date field.
PIPELINE: list[str] = [
    Status.AANGEMELD,
    Status.INTAKE,
    Status.GESTART,
    Status.PROEFPERIODE,
    Status.CONTRACT,
]
STEP_DATE_FIELD: dict[str, str] = {
    Status.AANGEMELD: "referral_date",
    Status.INTAKE: "intake_date",
    Status.GESTART: "start_date",
    Status.PROEFPERIODE: "trial_start_date",
    Status.CONTRACT: "contract_date",
}
STARTED = {Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT}
OUTFLOW_FIELDS = [
    "end_date",
    "destination",
    "contract_type",
    "contract_hours",
    "still_on_benefit",
    "outcome_category",
    "outcome_reason",
    "outflow_notes",
    "dropout_reason",
    "dropout_phase",
]
# What undoing a status clears: the fields its step filled in.
UNDO_CLEARS: dict[str, list[str]] = {
    Status.INTAKE: ["intake_date", "intake_outcome", "intake_outcome_reason"],
    Status.NIET_TOEGELATEN: ["intake_date", "intake_outcome", "intake_outcome_reason", "end_date"],
    Status.GESTART: ["start_date"],
    Status.PROEFPERIODE: ["trial_start_date"],
    Status.CONTRACT: ["contract_date"],
    Status.AFGEROND: OUTFLOW_FIELDS,
    Status.UITGEVALLEN: OUTFLOW_FIELDS,
}


def _lock(route: Route) -> Route:
    return (
        Route.objects.select_for_update(of=("self",))
        .select_related("participant", "cohort")
        .get(pk=route.pk)
    )


def _status_date(route: Route) -> date:
    """The date of the step the route is at now: new steps can't be dated earlier."""
    days: list[date | None] = [getattr(route, name) for name in STEP_DATE_FIELD.values()]
    return max(day for day in days if day is not None)


def _require_step(route: Route, to_status: str, field: str) -> None:
    """Refuse a step that is not the next one, with a message at the step's date field."""
    _require_not_ended(route, field)
    position, wanted = PIPELINE.index(route.status), PIPELINE.index(to_status)
    if position >= wanted:
        raise refuse(field, _("This step has already been recorded."))
    if position < wanted - 1:
        raise refuse(
            field,
            _("First record the step '%(step)s'. The route is now at '%(status)s'.")
            % {"step": Status(PIPELINE[wanted - 1]).label, "status": route.get_status_display()},
        )


def _check_step_date(route: Route, field: str, day: date) -> None:
    previous = _status_date(route)
    if day < previous:
        raise refuse(
            field,
            _("This date is before the previous step (%(date)s).") % {"date": format_day(previous)},
        )
    check_not_future(field, day)


def _step(
    route: Route,
    *,
    to_status: str,
    on: date,
    by: User,
    changed: list[str],
    reason: str = "",
    left_unit: Unit | None = None,
) -> Route:
    """Save a step: the route's new status and fields, a StatusChange, the kept dashboard
    figures of its cohort (and of ``left_unit``, the one it left) and the audit event."""
    from_status = route.status
    route.status = to_status
    route.save(update_fields=[*changed, "status"])
    cohort_figures_refresh([route_unit(route), *([left_unit] if left_unit else [])])
    StatusChange.objects.create(
        route=route,
        from_status=from_status,
        to_status=to_status,
        on_date=on,
        reason=reason,
        by=by,
    )
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=route,
        detail={"step": to_status, "from": from_status},
    )
    return route


@transaction.atomic
def route_intake_record(
    *,
    route: Route,
    intake_date: date,
    intake_outcome: str,
    intake_outcome_reason: str = "",
    by: User,
) -> Route:
    """Record the intake conversation and its outcome.

    Side effects: sets intake date, outcome and reason; status becomes intake (admitted or on
    the waiting list) or niet_toegelaten, which ends the route on the intake date; one
    StatusChange; one UPDATE audit event. A person on the waiting list gets their intake
    outcome recorded again (admitted or not), on a later date: only admitted people start.
    """
    route = _lock(route)
    on_waiting_list = (
        route.status == Status.INTAKE and route.intake_outcome == IntakeOutcome.WAITING_LIST
    )
    if not on_waiting_list:
        _require_step(route, Status.INTAKE, "intake_date")
    _check_step_date(route, "intake_date", intake_date)
    reason = intake_outcome_reason.strip()
    if intake_outcome not in IntakeOutcome.values:
        raise refuse("intake_outcome", _("Choose the outcome of the intake."))
    if intake_outcome == IntakeOutcome.NOT_ADMITTED and not reason:
        raise refuse("intake_outcome_reason", _("Give the reason why this person is not admitted."))
    route.intake_date = intake_date
    route.intake_outcome = intake_outcome
    route.intake_outcome_reason = reason
    changed = ["intake_date", "intake_outcome", "intake_outcome_reason"]
    to_status = Status.INTAKE
    if intake_outcome == IntakeOutcome.NOT_ADMITTED:
        to_status = Status.NIET_TOEGELATEN
        route.end_date = intake_date
        changed.append("end_date")
    return _step(route, to_status=to_status, on=intake_date, by=by, changed=changed, reason=reason)


INDIVIDUAL_ROUTE_TYPES = {RouteType.WERKSCHOOL, RouteType.ZIJ_INSTROOM}
INDIVIDUAL_ROUTE_MAX_MONTHS = 36  # an individual route lasts at most 3 years (seed rule)


def individual_route_last_day(route: Route) -> date | None:
    """The last day an individual route (1a, 1b) may end: 3 years after its start."""
    if route.route_type not in INDIVIDUAL_ROUTE_TYPES or route.start_date is None:
        return None
    return add_months(route.start_date, INDIVIDUAL_ROUTE_MAX_MONTHS)


def _check_group(route: Route, start_date: date, cohort: Cohort | None) -> None:
    """A group route (2) starts in a group of its programme, on or after the group's start;
    an individual route (1a, 1b) starts without a group, on its own date."""
    if route.route_type in INDIVIDUAL_ROUTE_TYPES:
        if cohort is not None:
            raise refuse(
                "cohort", _("An individual route (1a, 1b) starts without a group: leave it empty.")
            )
        return
    if cohort is None:
        raise refuse("cohort", _("Choose the group this person starts in."))
    if cohort.programme_id != route.programme_id:
        raise refuse("cohort", _("This group belongs to another programme."))
    if start_date < cohort.start_date:
        raise refuse(
            "start_date",
            _("The group starts on %(date)s; the start can't be earlier.")
            % {"date": format_day(cohort.start_date)},
        )
    if start_date >= cohort.end_date:
        raise refuse(
            "start_date",
            _("The group ended on %(date)s.") % {"date": format_day(cohort.end_date)},
        )


@transaction.atomic
def route_start(*, route: Route, start_date: date, cohort: Cohort | None = None, by: User) -> Route:
    """Record the start: a group route (2) in a group (cohort), where a start after the
    group's start date makes a late entrant (allowed; before it or after the group ended is
    not); an individual route (1a, 1b) without a group, on its own start date.

    Side effects: sets start date and cohort; status gestart; one StatusChange; one UPDATE
    audit event. Refuses a start unless the intake admitted the person.
    """
    route = _lock(route)
    _require_step(route, Status.GESTART, "start_date")
    _check_step_date(route, "start_date", start_date)
    if route.intake_outcome != IntakeOutcome.ADMITTED:
        raise refuse(
            "start_date",
            _("The intake has not admitted this person (outcome: %(outcome)s).")
            % {"outcome": route.get_intake_outcome_display() or "-"},
        )
    _check_group(route, start_date, cohort)
    check_age(route.participant.date_of_birth, start_date, "start_date")
    left_unit = route_unit(route)
    route.start_date = start_date
    route.cohort = cohort
    return _step(
        route,
        to_status=Status.GESTART,
        on=start_date,
        by=by,
        changed=["start_date", "cohort"],
        left_unit=left_unit,
    )


def _placement_errors(error: ValidationError, renames: dict[str, str]) -> ValidationError:
    """A placement service's error, with its field names as the step form calls them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {renames.get(field, field): errors for field, errors in error.error_dict.items()}
    )


@transaction.atomic
def route_trial_start(
    *,
    route: Route,
    trial_start_date: date,
    employer: Any = None,
    hours_per_week: Decimal | None = None,
    by: User,
) -> Route:
    """Record the start of the trial period (proefperiode). It needs a trial placement at an
    employer running on the date: the one that runs, or one created here when ``employer`` is
    given (from the trial date, ``hours_per_week`` a week).

    The placement side lives in employers.route_placements, imported inside this function:
    employers imports participants, so a module-level import back would be a cycle (and the
    wrong way through the layers). Side effects: sets trial_start_date; status proefperiode;
    one StatusChange; one UPDATE audit event; with ``employer`` also the Placement and its
    CREATE audit event.
    """
    from employers import route_placements

    route = _lock(route)
    _require_step(route, Status.PROEFPERIODE, "trial_start_date")
    _check_step_date(route, "trial_start_date", trial_start_date)
    participant = route.participant
    if employer is not None:
        try:
            route_placements.trial_placement_create(
                participant=participant,
                employer=employer,
                start_date=trial_start_date,
                hours_per_week=hours_per_week,
                by=by,
            )
        except ValidationError as error:
            raise _placement_errors(error, {"start_date": "trial_start_date"}) from error
    elif route_placements.trial_placement_running(participant, trial_start_date) is None:
        raise refuse(
            "employer",
            _("There is no running trial placement at an employer. Choose the employer."),
        )
    route.trial_start_date = trial_start_date
    return _step(
        route,
        to_status=Status.PROEFPERIODE,
        on=trial_start_date,
        by=by,
        changed=["trial_start_date"],
    )


@transaction.atomic
def route_contract_record(
    *,
    route: Route,
    contract_date: date,
    employer: Any = None,
    contract_hours: Decimal | None = None,
    by: User,
) -> Route:
    """Record the contract after a passed trial period: the running trial placement is
    passed and a contract placement of ``contract_hours`` a week (32 by default) runs from the
    date, at the same employer (``employer`` empty) or another one
    (employers.route_placements.contract_placement_record; imported here for the reason
    route_trial_start gives).

    Side effects: sets contract_date; status contract; one StatusChange; one UPDATE audit
    event; the Placement changes with their audit events. Refuses without a running trial.
    """
    from employers import route_placements
    from employers.models import DEFAULT_CONTRACT_HOURS

    route = _lock(route)
    _require_step(route, Status.CONTRACT, "contract_date")
    _check_step_date(route, "contract_date", contract_date)
    hours = Decimal(DEFAULT_CONTRACT_HOURS) if contract_hours is None else Decimal(contract_hours)
    if not 1 <= hours <= 40:
        raise refuse("contract_hours", _("Give the hours per week, from 1 to 40."))
    route_placements.contract_placement_record(
        participant=route.participant,
        contract_date=contract_date,
        employer=employer,
        contract_hours=hours,
        by=by,
    )
    route.contract_date = contract_date
    return _step(
        route, to_status=Status.CONTRACT, on=contract_date, by=by, changed=["contract_date"]
    )


def _check_outflow(
    *, destination: str, contract_type: str, contract_hours: int | None
) -> dict[str, str]:
    errors = {}
    if destination not in Destination.values:
        errors["destination"] = _("Choose where this person went.")
    is_job = destination in {Destination.JOB_HOST, Destination.JOB_ELSEWHERE}
    if contract_type and contract_type not in ContractType.values:
        errors["contract_type"] = _("Choose a contract type from the list.")
    elif is_job and not contract_type:
        errors["contract_type"] = _("Choose the contract type of the job.")
    if contract_hours is not None and not 1 <= contract_hours <= 40:
        errors["contract_hours"] = _("Give the hours per week, from 1 to 40.")
    return errors


def _end_route(
    route: Route,
    *,
    to_status: str,
    end_date: date,
    destination: str,
    contract_type: str,
    contract_hours: int | None,
    still_on_benefit: bool | None,
    wajong_granted: bool,
    outflow_notes: str,
    dropout_reason: str,
    by: User,
) -> Route:
    """Shared end of route_complete and route_drop_out: check and set the outflow,
    derive the outcome, plan the follow-up checks, end the main placements still running
    (employers.route_placements, imported here for the reason route_trial_start gives),
    save the step. An individual route ends within 3 years of its start."""
    from employers import route_placements
    from employers.models import PlacementEndReason

    errors = _check_outflow(
        destination=destination, contract_type=contract_type, contract_hours=contract_hours
    )
    last_day = individual_route_last_day(route)
    if last_day is not None and end_date > last_day:
        errors["end_date"] = _(
            "An individual route lasts at most 3 years: it ends on %(date)s at the latest."
        ) % {"date": format_day(last_day)}
    if to_status == Status.UITGEVALLEN and dropout_reason not in DropoutReason.values:
        errors["dropout_reason"] = _("Choose the reason for the drop-out.")
    if errors:
        raise ValidationError(errors)
    route.end_date = end_date
    route.destination = destination
    route.contract_type = contract_type
    route.contract_hours = contract_hours
    route.still_on_benefit = still_on_benefit
    route.outflow_notes = outflow_notes.strip()
    route.outcome_category, route.outcome_reason = outcome_derive(
        destination=destination, dropout_reason=dropout_reason, wajong_granted=wajong_granted
    )
    if to_status == Status.UITGEVALLEN:
        route.dropout_reason = dropout_reason
        route.dropout_phase = route.status
    # Follow-up (nazorg) is for people who took part: not for a referral that never started.
    if route.start_date is not None:
        FollowUp.objects.bulk_create(
            FollowUp(route=route, months_after=m, due_on=add_months(end_date, m))
            for m in FOLLOW_UP_MONTHS
        )
    route_placements.placements_end_with_route(
        participant=route.participant,
        end_date=end_date,
        reason=PlacementEndReason.COMPLETED
        if to_status == Status.AFGEROND
        else PlacementEndReason.DROPPED_OUT,
        by=by,
    )
    return _step(
        route,
        to_status=to_status,
        on=end_date,
        by=by,
        changed=OUTFLOW_FIELDS,
        reason=route.get_dropout_reason_display() if dropout_reason else "",
    )


def _require_not_ended(route: Route, field: str) -> None:
    if route.is_ended:
        raise refuse(
            field,
            _("This route has ended (%(status)s).") % {"status": route.get_status_display()},
        )


@transaction.atomic
def route_complete(
    *,
    route: Route,
    end_date: date,
    destination: str,
    contract_type: str = "",
    contract_hours: int | None = None,
    still_on_benefit: bool | None = None,
    wajong_granted: bool = False,
    outflow_notes: str = "",
    by: User,
) -> Route:
    """Complete a started route (outflow).

    Side effects: sets end date and outflow (destination, contract type and hours, still on a
    benefit), derives outcome_category and outcome_reason (outcomes.outcome_derive); status
    afgerond; creates the follow-up checks due 6 and 12 months later; one StatusChange; one
    UPDATE audit event. ``wajong_granted`` only feeds the outcome reason.
    """
    route = _lock(route)
    _require_not_ended(route, "end_date")
    if route.status not in STARTED:
        raise refuse("end_date", _("A route can be completed only after the start."))
    _check_step_date(route, "end_date", end_date)
    return _end_route(
        route,
        to_status=Status.AFGEROND,
        end_date=end_date,
        destination=destination,
        contract_type=contract_type,
        contract_hours=contract_hours,
        still_on_benefit=still_on_benefit,
        wajong_granted=wajong_granted,
        outflow_notes=outflow_notes,
        dropout_reason="",
        by=by,
    )


@transaction.atomic
def route_drop_out(
    *,
    route: Route,
    end_date: date,
    dropout_reason: str,
    destination: str = Destination.UNKNOWN,
    contract_type: str = "",
    contract_hours: int | None = None,
    still_on_benefit: bool | None = None,
    wajong_granted: bool = False,
    outflow_notes: str = "",
    by: User,
) -> Route:
    """Record a drop-out (uitval) in any running phase; the phase is the status before.

    Side effects: as route_complete, plus dropout_reason and dropout_phase; status
    uitgevallen. Follow-up checks only when the route had started.
    """
    route = _lock(route)
    _require_not_ended(route, "end_date")
    _check_step_date(route, "end_date", end_date)
    return _end_route(
        route,
        to_status=Status.UITGEVALLEN,
        end_date=end_date,
        destination=destination,
        contract_type=contract_type,
        contract_hours=contract_hours,
        still_on_benefit=still_on_benefit,
        wajong_granted=wajong_granted,
        outflow_notes=outflow_notes,
        dropout_reason=dropout_reason,
        by=by,
    )


def _status_before_undo(route: Route) -> str:
    """The status the route falls back to: the last running step whose date remains."""
    for status in reversed(PIPELINE):
        if getattr(route, STEP_DATE_FIELD[status]) is not None:
            return status
    return Status.AANGEMELD


def _undo_placements(route: Route, undone: str, by: User) -> None:
    """The placements follow an undone step: an undone end reopens the placements it closed,
    an undone contract makes the trial placement run again (employers.route_placements,
    imported here for the reason route_trial_start gives). An undone trial keeps its
    placement: a match with an employer may come before the route's step."""
    from employers import route_placements

    if undone in {Status.AFGEROND, Status.UITGEVALLEN} and route.end_date:
        route_placements.placements_reopen_after_undo(
            participant=route.participant, end_date=route.end_date, by=by
        )
    elif undone == Status.CONTRACT and route.contract_date:
        route_placements.contract_undo(
            participant=route.participant, contract_date=route.contract_date, by=by
        )


@transaction.atomic
def route_step_undo(*, route: Route, reason: str, by: User) -> Route:
    """Undo the route's last step (regisseur only). Never silent: the undo is a StatusChange
    with is_undo=True and the reason.

    Side effects: clears the fields the undone step filled in (an undone end also deletes its
    open follow-up checks); the status falls back to the step before; one StatusChange; one
    UPDATE audit event. Refuses the referral itself, a route that is not the current one, and
    an end whose follow-up has already been recorded.
    """
    route = _lock(route)
    if not by.has_perm("participants.undo_step", route.participant):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise refuse("reason", _("Give the reason for the undo."))
    if route.participant.current_route_id != route.pk:
        raise refuse(None, _("Only the current route can be changed."))
    if route.status == Status.AANGEMELD:
        raise refuse(None, _("There is no step to undo."))
    if route.is_ended and route.follow_ups.filter(done_on__isnull=False).exists():
        raise refuse(None, _("A follow-up check has been recorded for this route; its end stays."))
    undone = route.status
    _undo_placements(route, undone, by)
    cleared = UNDO_CLEARS[undone]
    for name in cleared:
        # A step fills in concrete columns only, never a relation: each has a default.
        field = cast("Field[Any, Any]", route._meta.get_field(name))
        setattr(route, name, field.get_default())
    if undone in {Status.AFGEROND, Status.UITGEVALLEN}:
        route.follow_ups.all().delete()
    route.status = _status_before_undo(route)
    route.save(update_fields=[*cleared, "status"])
    cohort_figures_refresh([route_unit(route)])
    StatusChange.objects.create(
        route=route,
        from_status=undone,
        to_status=route.status,
        on_date=today(),
        is_undo=True,
        reason=reason,
        by=by,
    )
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=route,
        detail={"undo": undone, "to": route.status},
    )
    return route
