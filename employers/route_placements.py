"""The placement side of a route's pipeline steps (issue 15: a status is backed by facts).

The route's status lives in participants, its placements here; the step services in
``participants.services`` move both in one transaction by calling these functions. They are
imported there inside the functions, not at module level: employers already imports
participants (models, selectors), and participants is the lower layer, so a module-level import
back would make a cycle (and break the layer rule of issue 16). Nothing here changes a route's
status; every function writes the audit events of the placements it changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from participants import services as route_steps
from participants.models import Participant, Status

from . import services
from .models import (
    EMPLOYED_KINDS,
    MINI_STAGE_KINDS,
    Employer,
    Placement,
    PlacementEndReason,
    PlacementKind,
)


def main_placements_running(participant: Participant, on: date) -> QuerySet[Placement]:
    """The participant's main placements (no mini-stages) that run on a day."""
    return (
        Placement.objects.filter(participant=participant, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .exclude(kind__in=MINI_STAGE_KINDS)
        .select_related("employer")
    )


def trial_placement_running(participant: Participant, on: date) -> Placement | None:
    """The trial placement at an employer that runs on a day and whose trial is not passed."""
    return (
        main_placements_running(participant, on)
        .filter(kind=PlacementKind.TRIAL, trial_passed_on__isnull=True)
        .order_by("-start_date")
        .first()
    )


def contract_placement_running(participant: Participant, on: date) -> Placement | None:
    """The placement with a contract (hours given, trial passed) that runs on a day."""
    return (
        main_placements_running(participant, on)
        .filter(kind__in=EMPLOYED_KINDS, contract_hours__gt=0, trial_passed_on__isnull=False)
        .order_by("-start_date")
        .first()
    )


def trial_placement_create(
    *,
    participant: Participant,
    employer: Employer,
    start_date: date,
    hours_per_week: Decimal | None,
    by: User,
) -> Placement:
    """A trial placement for the trial step (services.placement_create with kind trial).
    Side effects: creates the Placement; one CREATE audit event."""
    return services.placement_create(
        participant=participant,
        employer=employer,
        kind=PlacementKind.TRIAL,
        start_date=start_date,
        hours_per_week=hours_per_week,
        by=by,
    )


def contract_placement_record(
    *,
    participant: Participant,
    contract_date: date,
    employer: Employer | None,
    contract_hours: Decimal,
    by: User,
) -> Placement:
    """The placement side of the contract step: the running trial is passed, and the contract
    (``contract_hours`` a week) runs at the same employer or at another one from the date.

    Same employer (or none chosen): the trial placement becomes the contract placement
    (services.placement_trial_pass). Another employer: the trial placement is marked passed and
    ends the day before, reason "moved to another employer", and a contract placement starts
    there. A contract already arranged at the employer (trial passed on the employer's page)
    is accepted as it is. Side effects: updates or creates Placements; their audit events.
    Refuses (ValidationError at ``employer`` or ``contract_date``) when no trial is running.
    """
    services._check_hours("contract_hours", contract_hours)
    trial = trial_placement_running(participant, contract_date)
    if trial is None:
        arranged = contract_placement_running(participant, contract_date)
        if arranged is not None and employer in (None, arranged.employer):
            return arranged
        raise services.refuse(
            "employer",
            _("There is no passed trial period: no running trial placement at an employer."),
        )
    if employer is None or employer.pk == trial.employer_id:
        return services.placement_trial_pass(
            placement=trial, passed_on=contract_date, contract_hours=contract_hours, by=by
        )
    return _contract_elsewhere(trial, employer, contract_date, contract_hours, by)


def _contract_elsewhere(
    trial: Placement, employer: Employer, contract_date: date, hours: Decimal, by: User
) -> Placement:
    last_trial_day = contract_date - timedelta(days=1)
    if last_trial_day < trial.start_date:
        raise services.refuse(
            "contract_date",
            _("A contract at another employer starts after the first day of the trial."),
        )
    with transaction.atomic():
        trial.trial_passed_on = last_trial_day
        trial.end_date = last_trial_day
        trial.end_reason = PlacementEndReason.OTHER_EMPLOYER
        trial.save(update_fields=["trial_passed_on", "end_date", "end_reason"])
        services._audit(
            by, Action.UPDATE, trial, participant=trial.participant, change="trial_passed_moved"
        )
        placement = services.placement_create(
            participant=trial.participant,
            employer=employer,
            kind=PlacementKind.CONTRACT,
            start_date=contract_date,
            hours_per_week=hours,
            by=by,
        )
        placement.contract_hours = hours
        placement.trial_passed_on = last_trial_day
        placement.save(update_fields=["contract_hours", "trial_passed_on"])
    return placement


def placements_end_with_route(
    *, participant: Participant, end_date: date, reason: str, by: User
) -> int:
    """End the main placements still running after a route's end on its end date (a route
    that ended leaves no employer seeing the participant). Returns how many were ended.
    Side effects: updates those Placements; one UPDATE audit event each."""
    running = (
        Placement.objects.filter(participant=participant, start_date__lte=end_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date))
        .exclude(kind__in=MINI_STAGE_KINDS)
    )
    count = 0
    for placement in running:
        placement.end_date = end_date
        placement.end_reason = reason
        placement.save(update_fields=["end_date", "end_reason"])
        services._audit(by, Action.UPDATE, placement, participant=participant, change="ended")
        count += 1
    return count


def placements_reopen_after_undo(*, participant: Participant, end_date: date, by: User) -> None:
    """Undo of a route's end: the placements its end closed run again.
    Side effects: updates them; one UPDATE audit event each."""
    closed = Placement.objects.filter(
        participant=participant,
        end_date=end_date,
        end_reason__in=[PlacementEndReason.COMPLETED, PlacementEndReason.DROPPED_OUT],
    ).exclude(kind__in=MINI_STAGE_KINDS)
    for placement in closed:
        placement.end_date = None
        placement.end_reason = ""
        placement.save(update_fields=["end_date", "end_reason"])
        services._audit(by, Action.UPDATE, placement, participant=participant, change="reopened")


def contract_undo(*, participant: Participant, contract_date: date, by: User) -> None:
    """Undo of the contract step: the trial placement runs again as it was before the step.
    Side effects: updates (and for a contract elsewhere deletes) Placements; audit events."""
    for placement in Placement.objects.filter(
        participant=participant, trial_passed_on=contract_date, end_date__isnull=True
    ):
        placement.trial_passed_on = None
        placement.contract_hours = None
        placement.kind = PlacementKind.TRIAL
        placement.save(update_fields=["trial_passed_on", "contract_hours", "kind"])
        services._audit(by, Action.UPDATE, placement, participant=participant, change="undo")
    elsewhere = Placement.objects.filter(
        participant=participant, start_date=contract_date, kind=PlacementKind.CONTRACT
    ).first()
    moved = Placement.objects.filter(
        participant=participant,
        end_date=contract_date - timedelta(days=1),
        end_reason=PlacementEndReason.OTHER_EMPLOYER,
        kind=PlacementKind.TRIAL,
    ).first()
    if elsewhere is not None and moved is not None:
        services._audit(by, Action.DELETE, elsewhere, participant=participant, change="undo")
        elsewhere.delete()
        moved.end_date, moved.end_reason, moved.trial_passed_on = None, "", None
        moved.save(update_fields=["end_date", "end_reason", "trial_passed_on"])
        services._audit(by, Action.UPDATE, moved, participant=participant, change="undo")


BEFORE_TRIAL = frozenset({Status.AANGEMELD, Status.INTAKE, Status.GESTART})


def trial_pass_with_route(
    *, placement: Placement, passed_on: date, contract_hours: Decimal, by: User
) -> Placement:
    """A trial passed on the employer's page. When it is the running trial of a route in its
    trial period, the route's contract step records it (participants.services
    .route_contract_record, which passes this placement's trial in the same transaction),
    so the placement and the status never disagree; otherwise only the placement changes
    (services.placement_trial_pass). Side effects: those of the service called. A refusal of
    the route's step lands at ``passed_on``.
    """
    route = placement.participant.current_route
    trial = trial_placement_running(placement.participant, passed_on)
    if route is not None and route.status in BEFORE_TRIAL and trial == placement:
        # Passing it here would make it a contract the route's trial step could never use.
        raise ValidationError(
            {
                "passed_on": _(
                    "Record the trial period on the participant page first: the route is "
                    "not yet in its trial period."
                )
            }
        )
    if route is None or route.status != Status.PROEFPERIODE or trial != placement:
        return services.placement_trial_pass(
            placement=placement, passed_on=passed_on, contract_hours=contract_hours, by=by
        )
    try:
        route_steps.route_contract_record(
            route=route, contract_date=passed_on, contract_hours=contract_hours, by=by
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renames = {"contract_date": "passed_on"}
        raise ValidationError(
            {renames.get(f, f): e for f, e in error.error_dict.items()}
        ) from error
    placement.refresh_from_db()
    return placement
