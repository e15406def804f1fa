"""State changes of a participant's record: one function per change.

Every function validates first, writes inside one transaction and records exactly one audit
event. Bad input raises ValidationError keyed to the form field that holds it, and leaves the
database as it was. Who may call which function is decided in rules.py; views check it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..models import (
    ROUTE_TYPE_AGES,
    CareNote,
    Cohort,
    Consent,
    ConsentScope,
    ContractType,
    Destination,
    DropoutReason,
    FollowUp,
    FollowUpSituation,
    Handover,
    IntakeOutcome,
    LeadOrganisation,
    NetworkContact,
    Participant,
    RouteType,
    Status,
    StatusChange,
    Traject,
)
from ..outcomes import outcome_derive

MIN_AGE, MAX_AGE = 16, 27
FOLLOW_UP_MONTHS = (6, 12)

# The running part of the pipeline, in order; each step's date field.
PIPELINE = [Status.AANGEMELD, Status.INTAKE, Status.GESTART, Status.PROEFPERIODE, Status.CONTRACT]
STEP_DATE_FIELD = {
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
UNDO_CLEARS = {
    Status.INTAKE: ["intake_date", "intake_outcome", "intake_outcome_reason"],
    Status.NIET_TOEGELATEN: ["intake_date", "intake_outcome", "intake_outcome_reason", "end_date"],
    Status.GESTART: ["start_date"],
    Status.PROEFPERIODE: ["trial_start_date"],
    Status.CONTRACT: ["contract_date"],
    Status.AFGEROND: OUTFLOW_FIELDS,
    Status.UITGEVALLEN: OUTFLOW_FIELDS,
}


@dataclass(frozen=True, kw_only=True)
class PersonData:
    """The person's own details, as the referral and the edit form give them."""

    first_name: str
    last_name: str
    date_of_birth: date
    email: str = ""
    phone: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    prior_education: str = ""
    funding_stream: str = "none"
    bsn: str = ""


@dataclass(frozen=True, kw_only=True)
class ReferralData:
    """What a referral of a route records: programme, route type and who referred."""

    programme: Programme
    route_type: str
    referral_date: date
    referral_source: str
    school: str = ""
    referring_organisation: str = ""
    referrer_contact: str = ""


# --- small helpers -------------------------------------------------------------------------


def _values(data: Any) -> dict[str, Any]:
    # Not dataclasses.asdict: that deep-copies model instances such as the programme.
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _today() -> date:
    return timezone.localdate()


def _day(value: date) -> str:
    return date_format(value)


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def _check_not_future(field: str, day: date) -> None:
    if day > _today():
        raise _refuse(field, _("This date is in the future."))


def age_on(date_of_birth: date, day: date) -> int:
    born = (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - ((day.month, day.day) < born)


def _check_age(date_of_birth: date, day: date, field: str) -> None:
    age = age_on(date_of_birth, day)
    if not MIN_AGE <= age <= MAX_AGE:
        raise _refuse(
            field,
            _("On %(date)s this person is %(age)s. The academy is for ages 16 to 27.")
            % {"date": _day(day), "age": age},
        )


def route_type_age_warning(
    *, date_of_birth: date, route_type: str, on: date, programme: Programme | None = None
) -> str:
    """A warning (not an error) when the age on a day is outside the route type's usual
    range; an empty string when it is inside, or outside 16-27 (that is an error elsewhere).
    The group route's range is the programme's own (16-27 when no programme is given)."""
    if route_type == RouteType.GROUP:
        low, high = (programme.min_age, programme.max_age) if programme else (MIN_AGE, MAX_AGE)
    elif route_type in ROUTE_TYPE_AGES:
        low, high = ROUTE_TYPE_AGES[route_type]
    else:
        return ""
    age = age_on(date_of_birth, on)
    if low <= age <= high or not MIN_AGE <= age <= MAX_AGE:
        return ""
    return _("Age %(age)s is outside the usual %(low)s-%(high)s for this route type.") % {
        "age": age,
        "low": low,
        "high": high,
    }


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check_coach(coach: User | None, academy: Academy) -> None:
    if coach is None:
        return
    is_coach_here = Membership.objects.filter(
        user=coach, academy=academy, role=Role.COACH, is_active=True
    ).exists()
    if not is_coach_here:
        raise _refuse("coach", _("Choose a coach of this academy."))


def _build_traject(participant: Participant, referral: ReferralData) -> Traject:
    """A new route in memory, fully validated against the referral rules."""
    if referral.programme.academy_id != participant.academy_id:
        raise _refuse("programme", _("Choose a programme of this academy."))
    traject = Traject(participant=participant, status=Status.AANGEMELD, **_values(referral))
    traject.full_clean(exclude=["participant", "cohort"])
    _check_not_future("referral_date", referral.referral_date)
    return traject


def _save_new_traject(traject: Traject, *, by: User) -> None:
    traject.save()
    StatusChange.objects.create(
        traject=traject, to_status=Status.AANGEMELD, on_date=traject.referral_date, by=by
    )
    participant = traject.participant
    participant.current_traject = traject
    participant.save(update_fields=["current_traject"])


# --- the person and their routes -----------------------------------------------------------


def participant_create(
    *,
    academy: Academy,
    person: PersonData,
    referral: ReferralData,
    coach: User | None,
    by: User,
) -> Participant:
    """Register a referred young person with their first route.

    Side effects: creates the Participant, its first Traject (status aangemeld, set as the
    current route) and the StatusChange of the referral; writes one CREATE audit event.
    Refuses an invalid BSN (11-test), an age outside 16-27 on the referral date, a programme
    of another academy and a coach who is not a coach in the academy. The route type's own age
    range is only a warning (route_type_age_warning), for the form to show.
    """
    participant = Participant(academy=academy, coach=coach, **_values(person))
    participant.full_clean(exclude=["current_traject", "coach"])
    _check_coach(coach, academy)
    _check_age(person.date_of_birth, referral.referral_date, "date_of_birth")
    traject = _build_traject(participant, referral)
    with transaction.atomic():
        participant.save()
        _save_new_traject(traject, by=by)
        audit_log(
            actor=by, action=Action.CREATE, obj=participant, detail={"traject": str(traject.pk)}
        )
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, person: PersonData, coach: User | None, by: User
) -> Participant:
    """Change the person's details and (for the regisseur's form) the coach.

    Side effects: saves the Participant; writes one UPDATE audit event naming the changed
    fields (never their values). Refuses what participant_create refuses; the age rule is
    checked on the current route's referral date.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    new_values = {**_values(person), "coach_id": coach.pk if coach else None}
    changed = [name for name, value in new_values.items() if getattr(participant, name) != value]
    for name, value in new_values.items():
        setattr(participant, name, value)
    participant.full_clean(exclude=["current_traject", "coach"])
    if "coach_id" in changed:
        _check_coach(coach, participant.academy)
    current = participant.current_traject
    if current is not None:
        _check_age(person.date_of_birth, current.referral_date, "date_of_birth")
    participant.save()
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=participant,
        detail={"fields": [name.removesuffix("_id") for name in changed]},
    )
    return participant


@transaction.atomic
def traject_create(*, participant: Participant, referral: ReferralData, by: User) -> Traject:
    """A new route for a person who comes back; it becomes their current route.

    Side effects: creates the Traject (status aangemeld) and its StatusChange, points
    participant.current_traject at it; writes one CREATE audit event. Refuses while another
    route runs, and a referral dated before the previous route ended.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    previous = participant.current_traject
    if previous is not None and not previous.is_ended:
        raise _refuse(None, _("This person still has a running route. End it first."))
    if previous is not None and previous.end_date and referral.referral_date < previous.end_date:
        raise _refuse(
            "referral_date",
            _("The previous route ended on %(date)s; the new referral can't be earlier.")
            % {"date": _day(previous.end_date)},
        )
    _check_age(participant.date_of_birth, referral.referral_date, "referral_date")
    traject = _build_traject(participant, referral)
    _save_new_traject(traject, by=by)
    audit_log(actor=by, action=Action.CREATE, obj=traject)
    return traject


# --- the status pipeline -------------------------------------------------------------------


def _lock(traject: Traject) -> Traject:
    return (
        Traject.objects.select_for_update(of=("self",))
        .select_related("participant", "cohort")
        .get(pk=traject.pk)
    )


def _status_date(traject: Traject) -> date:
    """The date of the step the route is at now: new steps can't be dated earlier."""
    days = [getattr(traject, name) for name in STEP_DATE_FIELD.values()]
    return max(day for day in days if day is not None)


def _require_step(traject: Traject, to_status: str, field: str) -> None:
    """Refuse a step that is not the next one, with a message at the step's date field."""
    _require_not_ended(traject, field)
    position, wanted = PIPELINE.index(traject.status), PIPELINE.index(to_status)
    if position >= wanted:
        raise _refuse(field, _("This step has already been recorded."))
    if position < wanted - 1:
        raise _refuse(
            field,
            _("First record the step '%(step)s'. The route is now at '%(status)s'.")
            % {"step": Status(PIPELINE[wanted - 1]).label, "status": traject.get_status_display()},
        )


def _check_step_date(traject: Traject, field: str, day: date) -> None:
    previous = _status_date(traject)
    if day < previous:
        raise _refuse(
            field,
            _("This date is before the previous step (%(date)s).") % {"date": _day(previous)},
        )
    _check_not_future(field, day)


def _step(
    traject: Traject,
    *,
    to_status: str,
    on: date,
    by: User,
    changed: list[str],
    reason: str = "",
) -> Traject:
    """Save a step: the route's new status and fields, a StatusChange and the audit event."""
    from_status = traject.status
    traject.status = to_status
    traject.save(update_fields=[*changed, "status"])
    StatusChange.objects.create(
        traject=traject,
        from_status=from_status,
        to_status=to_status,
        on_date=on,
        reason=reason,
        by=by,
    )
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=traject,
        detail={"step": to_status, "from": from_status},
    )
    return traject


@transaction.atomic
def traject_intake_record(
    *,
    traject: Traject,
    intake_date: date,
    intake_outcome: str,
    intake_outcome_reason: str = "",
    by: User,
) -> Traject:
    """Record the intake conversation and its outcome.

    Side effects: sets intake date, outcome and reason; status becomes intake (admitted or on
    the waiting list) or niet_toegelaten, which ends the route on the intake date; one
    StatusChange; one UPDATE audit event. A person on the waiting list gets their intake
    outcome recorded again (admitted or not), on a later date: only admitted people start.
    """
    traject = _lock(traject)
    on_waiting_list = (
        traject.status == Status.INTAKE and traject.intake_outcome == IntakeOutcome.WAITING_LIST
    )
    if not on_waiting_list:
        _require_step(traject, Status.INTAKE, "intake_date")
    _check_step_date(traject, "intake_date", intake_date)
    reason = intake_outcome_reason.strip()
    if intake_outcome not in IntakeOutcome.values:
        raise _refuse("intake_outcome", _("Choose the outcome of the intake."))
    if intake_outcome == IntakeOutcome.NOT_ADMITTED and not reason:
        raise _refuse(
            "intake_outcome_reason", _("Give the reason why this person is not admitted.")
        )
    traject.intake_date = intake_date
    traject.intake_outcome = intake_outcome
    traject.intake_outcome_reason = reason
    changed = ["intake_date", "intake_outcome", "intake_outcome_reason"]
    to_status = Status.INTAKE
    if intake_outcome == IntakeOutcome.NOT_ADMITTED:
        to_status = Status.NIET_TOEGELATEN
        traject.end_date = intake_date
        changed.append("end_date")
    return _step(
        traject, to_status=to_status, on=intake_date, by=by, changed=changed, reason=reason
    )


INDIVIDUAL_ROUTE_TYPES = {RouteType.WERKSCHOOL, RouteType.ZIJ_INSTROOM}
INDIVIDUAL_ROUTE_MAX_MONTHS = 36  # an individual route lasts at most 3 years (seed rule)


def individual_route_last_day(traject: Traject) -> date | None:
    """The last day an individual route (1a, 1b) may end: 3 years after its start."""
    if traject.route_type not in INDIVIDUAL_ROUTE_TYPES or traject.start_date is None:
        return None
    return add_months(traject.start_date, INDIVIDUAL_ROUTE_MAX_MONTHS)


def _check_group(traject: Traject, start_date: date, cohort: Cohort | None) -> None:
    """A group route (2) starts in a group of its programme, on or after the group's start;
    an individual route (1a, 1b) starts without a group, on its own date."""
    if traject.route_type in INDIVIDUAL_ROUTE_TYPES:
        if cohort is not None:
            raise _refuse(
                "cohort", _("An individual route (1a, 1b) starts without a group: leave it empty.")
            )
        return
    if cohort is None:
        raise _refuse("cohort", _("Choose the group this person starts in."))
    if cohort.programme_id != traject.programme_id:
        raise _refuse("cohort", _("This group belongs to another programme."))
    if start_date < cohort.start_date:
        raise _refuse(
            "start_date",
            _("The group starts on %(date)s; the start can't be earlier.")
            % {"date": _day(cohort.start_date)},
        )
    if start_date >= cohort.end_date:
        raise _refuse(
            "start_date",
            _("The group ended on %(date)s.") % {"date": _day(cohort.end_date)},
        )


@transaction.atomic
def traject_start(
    *, traject: Traject, start_date: date, cohort: Cohort | None = None, by: User
) -> Traject:
    """Record the start: a group route (2) in a group (cohort), where a start after the
    group's start date makes a late entrant (allowed; before it or after the group ended is
    not); an individual route (1a, 1b) without a group, on its own start date.

    Side effects: sets start date and cohort; status gestart; one StatusChange; one UPDATE
    audit event. Refuses a start unless the intake admitted the person.
    """
    traject = _lock(traject)
    _require_step(traject, Status.GESTART, "start_date")
    _check_step_date(traject, "start_date", start_date)
    if traject.intake_outcome != IntakeOutcome.ADMITTED:
        raise _refuse(
            "start_date",
            _("The intake has not admitted this person (outcome: %(outcome)s).")
            % {"outcome": traject.get_intake_outcome_display() or "-"},
        )
    _check_group(traject, start_date, cohort)
    _check_age(traject.participant.date_of_birth, start_date, "start_date")
    traject.start_date = start_date
    traject.cohort = cohort
    return _step(
        traject, to_status=Status.GESTART, on=start_date, by=by, changed=["start_date", "cohort"]
    )


def _placement_errors(error: ValidationError, renames: dict[str, str]) -> ValidationError:
    """A placement service's error, with its field names as the step form calls them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {renames.get(field, field): errors for field, errors in error.error_dict.items()}
    )


@transaction.atomic
def traject_trial_start(
    *,
    traject: Traject,
    trial_start_date: date,
    employer: Any = None,
    hours_per_week: Decimal | None = None,
    by: User,
) -> Traject:
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

    traject = _lock(traject)
    _require_step(traject, Status.PROEFPERIODE, "trial_start_date")
    _check_step_date(traject, "trial_start_date", trial_start_date)
    participant = traject.participant
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
        raise _refuse(
            "employer",
            _("There is no running trial placement at an employer. Choose the employer."),
        )
    traject.trial_start_date = trial_start_date
    return _step(
        traject,
        to_status=Status.PROEFPERIODE,
        on=trial_start_date,
        by=by,
        changed=["trial_start_date"],
    )


@transaction.atomic
def traject_contract_record(
    *,
    traject: Traject,
    contract_date: date,
    employer: Any = None,
    contract_hours: Decimal | None = None,
    by: User,
) -> Traject:
    """Record the contract after a passed trial period: the running trial placement is
    passed and a contract placement of ``contract_hours`` a week (32 by default) runs from the
    date, at the same employer (``employer`` empty) or another one
    (employers.route_placements.contract_placement_record; imported here for the reason
    traject_trial_start gives).

    Side effects: sets contract_date; status contract; one StatusChange; one UPDATE audit
    event; the Placement changes with their audit events. Refuses without a running trial.
    """
    from employers import route_placements
    from employers.models import DEFAULT_CONTRACT_HOURS

    traject = _lock(traject)
    _require_step(traject, Status.CONTRACT, "contract_date")
    _check_step_date(traject, "contract_date", contract_date)
    hours = Decimal(DEFAULT_CONTRACT_HOURS) if contract_hours is None else Decimal(contract_hours)
    if not 1 <= hours <= 40:
        raise _refuse("contract_hours", _("Give the hours per week, from 1 to 40."))
    route_placements.contract_placement_record(
        participant=traject.participant,
        contract_date=contract_date,
        employer=employer,
        contract_hours=hours,
        by=by,
    )
    traject.contract_date = contract_date
    return _step(
        traject, to_status=Status.CONTRACT, on=contract_date, by=by, changed=["contract_date"]
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
    traject: Traject,
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
) -> Traject:
    """Shared end of traject_complete and traject_drop_out: check and set the outflow,
    derive the outcome, plan the follow-up checks, end the main placements still running
    (employers.route_placements, imported here for the reason traject_trial_start gives),
    save the step. An individual route ends within 3 years of its start."""
    from employers import route_placements
    from employers.models import PlacementEndReason

    errors = _check_outflow(
        destination=destination, contract_type=contract_type, contract_hours=contract_hours
    )
    last_day = individual_route_last_day(traject)
    if last_day is not None and end_date > last_day:
        errors["end_date"] = _(
            "An individual route lasts at most 3 years: it ends on %(date)s at the latest."
        ) % {"date": _day(last_day)}
    if to_status == Status.UITGEVALLEN and dropout_reason not in DropoutReason.values:
        errors["dropout_reason"] = _("Choose the reason for the drop-out.")
    if errors:
        raise ValidationError(errors)
    traject.end_date = end_date
    traject.destination = destination
    traject.contract_type = contract_type
    traject.contract_hours = contract_hours
    traject.still_on_benefit = still_on_benefit
    traject.outflow_notes = outflow_notes.strip()
    traject.outcome_category, traject.outcome_reason = outcome_derive(
        destination=destination, dropout_reason=dropout_reason, wajong_granted=wajong_granted
    )
    if to_status == Status.UITGEVALLEN:
        traject.dropout_reason = dropout_reason
        traject.dropout_phase = traject.status
    # Follow-up (nazorg) is for people who took part: not for a referral that never started.
    if traject.start_date is not None:
        FollowUp.objects.bulk_create(
            FollowUp(traject=traject, months_after=m, due_on=add_months(end_date, m))
            for m in FOLLOW_UP_MONTHS
        )
    route_placements.placements_end_with_route(
        participant=traject.participant,
        end_date=end_date,
        reason=PlacementEndReason.COMPLETED
        if to_status == Status.AFGEROND
        else PlacementEndReason.DROPPED_OUT,
        by=by,
    )
    return _step(
        traject,
        to_status=to_status,
        on=end_date,
        by=by,
        changed=OUTFLOW_FIELDS,
        reason=traject.get_dropout_reason_display() if dropout_reason else "",
    )


def _require_not_ended(traject: Traject, field: str) -> None:
    if traject.is_ended:
        raise _refuse(
            field,
            _("This route has ended (%(status)s).") % {"status": traject.get_status_display()},
        )


@transaction.atomic
def traject_complete(
    *,
    traject: Traject,
    end_date: date,
    destination: str,
    contract_type: str = "",
    contract_hours: int | None = None,
    still_on_benefit: bool | None = None,
    wajong_granted: bool = False,
    outflow_notes: str = "",
    by: User,
) -> Traject:
    """Complete a started route (outflow).

    Side effects: sets end date and outflow (destination, contract type and hours, still on a
    benefit), derives outcome_category and outcome_reason (outcomes.outcome_derive); status
    afgerond; creates the follow-up checks due 6 and 12 months later; one StatusChange; one
    UPDATE audit event. ``wajong_granted`` only feeds the outcome reason.
    """
    traject = _lock(traject)
    _require_not_ended(traject, "end_date")
    if traject.status not in STARTED:
        raise _refuse("end_date", _("A route can be completed only after the start."))
    _check_step_date(traject, "end_date", end_date)
    return _end_route(
        traject,
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
def traject_drop_out(
    *,
    traject: Traject,
    end_date: date,
    dropout_reason: str,
    destination: str = Destination.UNKNOWN,
    contract_type: str = "",
    contract_hours: int | None = None,
    still_on_benefit: bool | None = None,
    wajong_granted: bool = False,
    outflow_notes: str = "",
    by: User,
) -> Traject:
    """Record a drop-out (uitval) in any running phase; the phase is the status before.

    Side effects: as traject_complete, plus dropout_reason and dropout_phase; status
    uitgevallen. Follow-up checks only when the route had started.
    """
    traject = _lock(traject)
    _require_not_ended(traject, "end_date")
    _check_step_date(traject, "end_date", end_date)
    return _end_route(
        traject,
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


def _status_before_undo(traject: Traject) -> str:
    """The status the route falls back to: the last running step whose date remains."""
    for status in reversed(PIPELINE):
        if getattr(traject, STEP_DATE_FIELD[status]) is not None:
            return status
    return Status.AANGEMELD


def _undo_placements(traject: Traject, undone: str, by: User) -> None:
    """The placements follow an undone step: an undone end reopens the placements it closed,
    an undone contract makes the trial placement run again (employers.route_placements,
    imported here for the reason traject_trial_start gives). An undone trial keeps its
    placement: a match with an employer may come before the route's step."""
    from employers import route_placements

    if undone in {Status.AFGEROND, Status.UITGEVALLEN} and traject.end_date:
        route_placements.placements_reopen_after_undo(
            participant=traject.participant, end_date=traject.end_date, by=by
        )
    elif undone == Status.CONTRACT and traject.contract_date:
        route_placements.contract_undo(
            participant=traject.participant, contract_date=traject.contract_date, by=by
        )


@transaction.atomic
def traject_step_undo(*, traject: Traject, reason: str, by: User) -> Traject:
    """Undo the route's last step (regisseur only). Never silent: the undo is a StatusChange
    with is_undo=True and the reason.

    Side effects: clears the fields the undone step filled in (an undone end also deletes its
    open follow-up checks); the status falls back to the step before; one StatusChange; one
    UPDATE audit event. Refuses the referral itself, a route that is not the current one, and
    an end whose follow-up has already been recorded.
    """
    traject = _lock(traject)
    if not by.has_perm("participants.undo_step", traject.participant):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", _("Give the reason for the undo."))
    if traject.participant.current_traject_id != traject.pk:
        raise _refuse(None, _("Only the current route can be changed."))
    if traject.status == Status.AANGEMELD:
        raise _refuse(None, _("There is no step to undo."))
    if traject.is_ended and traject.follow_ups.filter(done_on__isnull=False).exists():
        raise _refuse(None, _("A follow-up check has been recorded for this route; its end stays."))
    undone = traject.status
    _undo_placements(traject, undone, by)
    cleared = UNDO_CLEARS[undone]
    for name in cleared:
        setattr(traject, name, traject._meta.get_field(name).get_default())
    if undone in {Status.AFGEROND, Status.UITGEVALLEN}:
        traject.follow_ups.all().delete()
    traject.status = _status_before_undo(traject)
    traject.save(update_fields=[*cleared, "status"])
    StatusChange.objects.create(
        traject=traject,
        from_status=undone,
        to_status=traject.status,
        on_date=_today(),
        is_undo=True,
        reason=reason,
        by=by,
    )
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=traject,
        detail={"undo": undone, "to": traject.status},
    )
    return traject


# --- handover, care, network, consent ------------------------------------------------------


@transaction.atomic
def handover_record(
    *,
    participant: Participant,
    on_date: date,
    to_organisation: str,
    to_name: str = "",
    notes: str = "",
    by: User,
) -> Handover:
    """Record that the lead over the young person's support moves ("overdragen").

    Side effects: creates a Handover (from = the lead until now), moves
    participant.lead_organisation and lead_organisation_name; one CREATE audit event.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    to_name = to_name.strip()
    if to_organisation not in LeadOrganisation.values:
        raise _refuse("to_organisation", _("Choose who takes over the lead."))
    if (to_organisation, to_name) == (
        participant.lead_organisation,
        participant.lead_organisation_name,
    ):
        raise _refuse("to_organisation", _("The lead is already there."))
    _check_not_future("on_date", on_date)
    last = participant.handovers.order_by("-on_date").first()
    if last is not None and on_date < last.on_date:
        raise _refuse(
            "on_date",
            _("The previous handover was on %(date)s; this one can't be earlier.")
            % {"date": _day(last.on_date)},
        )
    handover = Handover.objects.create(
        participant=participant,
        on_date=on_date,
        from_organisation=participant.lead_organisation,
        from_name=participant.lead_organisation_name,
        to_organisation=to_organisation,
        to_name=to_name,
        notes=notes.strip(),
        by=by,
    )
    participant.lead_organisation = to_organisation
    participant.lead_organisation_name = to_name
    participant.save(update_fields=["lead_organisation", "lead_organisation_name"])
    audit_log(actor=by, action=Action.CREATE, obj=handover)
    return handover


@transaction.atomic
def care_note_add(
    *, participant: Participant, text: str, written_on: date | None = None, by: User
) -> CareNote:
    """Add a care note. Side effects: creates the CareNote; one CREATE audit event (which
    never holds the note's text)."""
    text = text.strip()
    if not text:
        raise _refuse("text", _("Write the note."))
    written_on = written_on or _today()
    _check_not_future("written_on", written_on)
    note = CareNote.objects.create(
        participant=participant, author=by, written_on=written_on, text=text
    )
    audit_log(actor=by, action=Action.CREATE, obj=note)
    return note


def _contact_fill(contact: NetworkContact, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(contact, name) != value]
    for name, value in values.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.full_clean(exclude=["participant"])
    return changed


@transaction.atomic
def network_contact_add(
    *,
    participant: Participant,
    role: str,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    involved_in_goals: bool = False,
    by: User,
) -> NetworkContact:
    """Add someone around the participant. Side effects: creates the NetworkContact; one
    CREATE audit event."""
    contact = NetworkContact(participant=participant)
    _contact_fill(
        contact,
        {
            "role": role,
            "name": name,
            "organisation": organisation,
            "phone": phone,
            "email": email,
            "involved_in_goals": involved_in_goals,
        },
    )
    contact.save()
    audit_log(actor=by, action=Action.CREATE, obj=contact, detail={"role": contact.role})
    return contact


@transaction.atomic
def network_contact_update(
    *,
    contact: NetworkContact,
    role: str,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    involved_in_goals: bool = False,
    by: User,
) -> NetworkContact:
    """Change a network contact. Side effects: saves it; one UPDATE audit event naming the
    changed fields."""
    contact = NetworkContact.objects.select_for_update().get(pk=contact.pk)
    changed = _contact_fill(
        contact,
        {
            "role": role,
            "name": name,
            "organisation": organisation,
            "phone": phone,
            "email": email,
            "involved_in_goals": involved_in_goals,
        },
    )
    contact.save()
    audit_log(actor=by, action=Action.UPDATE, obj=contact, detail={"fields": changed})
    return contact


@transaction.atomic
def network_contact_remove(*, contact: NetworkContact, by: User) -> None:
    """Remove a network contact. Side effects: deletes it; one DELETE audit event (written
    first, while the row still has its id)."""
    audit_log(actor=by, action=Action.DELETE, obj=contact, detail={"role": contact.role})
    contact.delete()


@transaction.atomic
def consent_give(
    *,
    participant: Participant,
    scope: str,
    given_on: date,
    given_by: str,
    given_by_name: str = "",
    organisation: str = "",
    by: User,
) -> Consent:
    """Record a consent as given. Side effects: creates the Consent; one CREATE audit event.
    Refuses a second active consent for the same scope (and organisation)."""
    organisation = organisation.strip()
    consent = Consent(
        participant=participant,
        scope=scope,
        organisation=organisation,
        given_on=given_on,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        recorded_by=by,
    )
    consent.full_clean(exclude=["participant", "recorded_by"])
    _check_not_future("given_on", given_on)
    if scope == ConsentScope.REQUEST_INFORMATION and not organisation:
        raise _refuse("organisation", _("Name the organisation this consent is for."))
    already = participant.consents.filter(
        scope=scope, organisation__iexact=organisation, withdrawn_on__isnull=True
    )
    if already.exists():
        raise _refuse("scope", _("This consent is already active."))
    consent.save()
    audit_log(actor=by, action=Action.CREATE, obj=consent, detail={"scope": scope})
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date, by: User) -> Consent:
    """Withdraw a consent from a day on. Side effects: sets withdrawn_on; one UPDATE audit
    event. Refuses a second withdrawal and a date before the consent was given."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise _refuse(
            "withdrawn_on",
            _("This consent was already withdrawn on %(date)s.")
            % {"date": _day(consent.withdrawn_on)},
        )
    if withdrawn_on < consent.given_on:
        raise _refuse(
            "withdrawn_on",
            _("The consent was given on %(date)s; it can't be withdrawn earlier.")
            % {"date": _day(consent.given_on)},
        )
    _check_not_future("withdrawn_on", withdrawn_on)
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=consent,
        detail={"scope": consent.scope, "withdrawn": True},
    )
    return consent


# --- follow-up (nazorg) --------------------------------------------------------------------


@transaction.atomic
def follow_up_record(
    *, follow_up: FollowUp, situation: str, done_on: date, notes: str = "", by: User
) -> FollowUp:
    """Record a follow-up check: is the person in work or school? May correct an earlier
    record. Side effects: saves the FollowUp (done, so it leaves the coach's list); one
    UPDATE audit event."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("traject__participant")
        .get(pk=follow_up.pk)
    )
    if situation not in FollowUpSituation.values:
        raise _refuse("situation", _("Choose the situation."))
    ended = follow_up.traject.end_date
    if ended is not None and done_on < ended:
        raise _refuse(
            "done_on",
            _("The route ended on %(date)s; the check can't be earlier.") % {"date": _day(ended)},
        )
    _check_not_future("done_on", done_on)
    follow_up.situation = situation
    follow_up.done_on = done_on
    follow_up.notes = notes.strip()
    follow_up.recorded_by = by
    follow_up.save(update_fields=["situation", "done_on", "notes", "recorded_by"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=follow_up,
        participant=follow_up.traject.participant,
        detail={"months_after": follow_up.months_after},
    )
    return follow_up


def follow_ups_mark_due(*, today: date | None = None) -> int:
    """Put the checks that fell due on their coach's list; idempotent (a listed check keeps
    its first listing date). Returns how many were listed now.

    No audit event: no person reads or changes participant data here, only a list flag.
    """
    today = today or _today()
    return FollowUp.objects.filter(
        due_on__lte=today, done_on__isnull=True, listed_for_coach_on__isnull=True
    ).update(listed_for_coach_on=today)
