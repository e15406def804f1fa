"""State changes of employers and placements: one function per change.

Every function validates first, writes inside one transaction and records one audit event.
Bad input raises ValidationError keyed to the form field that holds it and leaves the
database as it was. Who may call which function is decided in rules.py; views check it, and
the objects passed in come from scoped selectors.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from leerroutes import services as route_services
from leerroutes.models import HoursWeek, LeermeesterAssessment, Phase
from maatwerq.accounts.models import Academy, Membership, Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import Participant

from .models import (
    DEFAULT_CONTRACT_HOURS,
    MAX_PLACEMENT_HOURS,
    MINI_STAGE_KINDS,
    TRIAL_MONTHS,
    TRIAL_REMINDER_DAYS,
    ArrangementKind,
    Commitment,
    ContactRole,
    Employer,
    EmployerContact,
    EmployerLocation,
    JobCommitment,
    ParticipationWay,
    Placement,
    PlacementArrangement,
    PlacementEndReason,
    PlacementKind,
    Vacancy,
    add_months,
    validate_kvk,
)


def _today() -> date:
    return timezone.localdate()


def refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def _required(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise refuse(field, message)
    return value


def _choice(field: str, value: str, choices: type[TextChoices]) -> None:
    if value not in choices.values:
        raise refuse(field, _("Choose one of the options."))


def _audit(
    by: User,
    action: str,
    obj: Model,
    *,
    participant: Participant | None = None,
    academy: Academy | None = None,
    **detail: Any,
) -> None:
    audit_log(
        actor=by,
        action=action,
        obj=obj,
        participant=participant,
        academy=academy,
        detail=detail or None,
    )


# --- employers -------------------------------------------------------------------------------


def employer_save(
    *,
    academy: Academy,
    name: str,
    kvk_number: str = "",
    sector: str = "",
    sbb_number: str = "",
    sbb_valid_until: date | None = None,
    employer: Employer | None = None,
    by: User,
) -> Employer:
    """Create an employer in the academy, or change one (``employer``).
    Side effects: creates or updates the Employer; one CREATE or UPDATE audit event."""
    name = _required("name", name, _("Give the employer's name."))
    kvk_number = (kvk_number or "").strip()
    if kvk_number:
        try:
            validate_kvk(kvk_number)
        except ValidationError as error:
            raise refuse("kvk_number", error.messages[0]) from error
    others = Employer.objects.filter(academy=academy)
    if employer is not None:
        others = others.exclude(pk=employer.pk)
    if others.filter(name__iexact=name).exists():
        raise refuse("name", _("An employer with this name already exists."))
    if kvk_number and others.filter(kvk_number=kvk_number).exists():
        raise refuse("kvk_number", _("Another employer already has this KvK number."))
    if sbb_valid_until and not sbb_number.strip():
        raise refuse("sbb_number", _("Give the SBB number that goes with the date."))
    created = employer is None
    employer = employer or Employer(academy=academy)
    employer.name = name
    employer.kvk_number = kvk_number
    employer.sector = sector.strip()
    employer.sbb_number = sbb_number.strip()
    employer.sbb_valid_until = sbb_valid_until
    with transaction.atomic():
        employer.save()
        _audit(by, Action.CREATE if created else Action.UPDATE, employer, academy=academy)
    return employer


def location_add(
    *,
    employer: Employer,
    name: str,
    city: str,
    street: str = "",
    postcode: str = "",
    by: User,
) -> EmployerLocation:
    """Add a site of the employer. Side effects: creates the location; one audit event."""
    name = _required("name", name, _("Give the location a name."))
    city = _required("city", city, _("Give the city."))
    if employer.locations.filter(name__iexact=name).exists():
        raise refuse("name", _("This employer already has a location with this name."))
    with transaction.atomic():
        location = EmployerLocation.objects.create(
            employer=employer, name=name, city=city, street=street.strip(), postcode=postcode
        )
        _audit(by, Action.CREATE, location, academy=employer.academy)
    return location


def contact_add(
    *,
    employer: Employer,
    role: str,
    name: str,
    email: str = "",
    phone: str = "",
    user: User | None = None,
    by: User,
) -> EmployerContact:
    """Add a person at the employer. A login (``user``) must be a werkgever membership with
    this same employer. Side effects: creates the contact; one audit event."""
    _choice("role", role, ContactRole)
    name = _required("name", name, _("Give the person's name."))
    if employer.contacts.filter(role=role, name__iexact=name).exists():
        raise refuse("name", _("This person is already a contact in this role."))
    if (
        user is not None
        and not Membership.objects.filter(
            user=user, role=Role.WERKGEVER, employer=employer, is_active=True
        ).exists()
    ):
        raise refuse("user", _("This login does not belong to this employer."))
    with transaction.atomic():
        contact = EmployerContact.objects.create(
            employer=employer,
            role=role,
            name=name,
            email=email.strip(),
            phone=phone.strip(),
            user=user,
        )
        _audit(by, Action.CREATE, contact, academy=employer.academy)
    return contact


def commitment_save(
    *,
    employer: Employer,
    programme: Programme,
    way: str,
    job_commitment: str,
    places: int,
    since: date,
    notes: str = "",
    by: User,
) -> Commitment:
    """Record (or change) how the employer takes part in a programme, its job commitment
    (guarantee or best efforts) and the places it offers.
    Side effects: creates or updates the Commitment; one audit event."""
    if programme.academy_id != employer.academy_id:
        raise refuse("programme", _("Choose a programme of this academy."))
    _choice("way", way, ParticipationWay)
    _choice("job_commitment", job_commitment, JobCommitment)
    if places < 0:
        raise refuse("places", _("The number of places cannot be negative."))
    with transaction.atomic():
        commitment, created = Commitment.objects.update_or_create(
            employer=employer,
            programme=programme,
            defaults={
                "way": way,
                "job_commitment": job_commitment,
                "places": places,
                "since": since,
                "notes": notes.strip(),
            },
        )
        _audit(
            by, Action.CREATE if created else Action.UPDATE, commitment, academy=employer.academy
        )
    return commitment


def vacancy_add(
    *,
    employer: Employer,
    programme: Programme,
    function: str,
    level: int,
    starts_on: date,
    places: int = 1,
    min_phase: Phase | None = None,
    location: EmployerLocation | None = None,
    description: str = "",
    by: User,
) -> Vacancy:
    """Record a future employee the employer needs.
    Side effects: creates the Vacancy; one audit event."""
    if programme.academy_id != employer.academy_id:
        raise refuse("programme", _("Choose a programme of this academy."))
    function = _required("function", function, _("Say which function this is."))
    if not 1 <= level <= 4:
        raise refuse("level", _("The MBO level is 1, 2, 3 or 4."))
    if places < 1:
        raise refuse("places", _("A vacancy has at least one place."))
    if min_phase is not None and min_phase.programme_id != programme.pk:
        raise refuse("min_phase", _("Choose a phase of this programme."))
    if location is not None and location.employer_id != employer.pk:
        raise refuse("location", _("Choose a location of this employer."))
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            employer=employer,
            programme=programme,
            function=function,
            level=level,
            starts_on=starts_on,
            places=places,
            min_phase=min_phase,
            location=location,
            description=description.strip(),
        )
        _audit(by, Action.CREATE, vacancy, academy=employer.academy)
    return vacancy


# --- placements ------------------------------------------------------------------------------


def _check_hours(field: str, hours: Decimal | None) -> None:
    if hours is not None and not Decimal(0) <= hours <= MAX_PLACEMENT_HOURS:
        raise refuse(
            field,
            _("Hours per week are between 0 and %(max)s.") % {"max": MAX_PLACEMENT_HOURS},
        )


def overlapping_main_placement(
    participant: Participant, start: date, end: date | None, exclude_pk: int | None = None
) -> Placement | None:
    """A main placement of the participant that shares a day with [start, end] (an open end
    runs on forever); mini-stages never overlap anything."""
    found = Placement.objects.filter(participant=participant).exclude(kind__in=MINI_STAGE_KINDS)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    found = found.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        found = found.filter(start_date__lte=end)
    return found.select_related("employer").order_by("start_date").first()


def _overlap_error(other: Placement) -> ValidationError:
    if other.end_date:
        message = _(
            "This overlaps the main placement at %(employer)s from %(start)s to %(end)s. "
            "A participant has one main placement at a time; a mini-stage may overlap."
        ) % {"employer": other.employer, "start": other.start_date, "end": other.end_date}
    else:
        message = _(
            "This overlaps the running main placement at %(employer)s (since %(start)s). "
            "End that one first; a mini-stage may overlap."
        ) % {"employer": other.employer, "start": other.start_date}
    return refuse("start_date", message)


def _check_placement_parts(
    *,
    participant: Participant,
    employer: Employer,
    kind: str,
    location: EmployerLocation | None,
    leermeester: EmployerContact | None,
    start_date: date,
    end_date: date | None,
    trial_ends_on: date | None,
) -> None:
    _choice("kind", kind, PlacementKind)
    if employer.academy_id != participant.academy_id:
        raise refuse("employer", _("Choose an employer of the participant's academy."))
    if location is not None and location.employer_id != employer.pk:
        raise refuse("location", _("This location belongs to another employer."))
    if leermeester is not None and (
        leermeester.employer_id != employer.pk or leermeester.role != ContactRole.LEERMEESTER
    ):
        raise refuse("leermeester", _("Choose a leermeester of this employer."))
    if end_date is not None and end_date < start_date:
        raise refuse("end_date", _("The end comes before the start."))
    if trial_ends_on is not None and trial_ends_on < start_date:
        raise refuse("trial_ends_on", _("The trial period ends after the start."))


def placement_create(
    *,
    participant: Participant,
    employer: Employer,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    location: EmployerLocation | None = None,
    leermeester: EmployerContact | None = None,
    hours_per_week: Decimal | None = None,
    trial_ends_on: date | None = None,
    by: User,
) -> Placement:
    """Place a participant at an employer (location) with a leermeester. A trial placement's
    trial period ends three months after the start unless given. A participant has at most
    one main placement at a time (mini-stages may overlap): checked here under a lock on the
    participant, and by the database (placement_one_open_main; on PostgreSQL an exclusion
    constraint on the dates).
    Side effects: creates the Placement; one CREATE audit event. From its start the employer
    sees the participant on the workplace pages."""
    _check_placement_parts(
        participant=participant,
        employer=employer,
        kind=kind,
        location=location,
        leermeester=leermeester,
        start_date=start_date,
        end_date=end_date,
        trial_ends_on=trial_ends_on,
    )
    _check_hours("hours_per_week", hours_per_week)
    if trial_ends_on is None and kind == PlacementKind.TRIAL:
        trial_ends_on = add_months(start_date, TRIAL_MONTHS)
        if end_date is not None:
            trial_ends_on = min(trial_ends_on, end_date)
    with transaction.atomic():
        # Serialise placements of one participant, so two requests cannot both pass the check.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if kind not in MINI_STAGE_KINDS:
            other = overlapping_main_placement(participant, start_date, end_date)
            if other is not None:
                raise _overlap_error(other)
        try:
            with transaction.atomic():
                placement = Placement.objects.create(
                    participant=participant,
                    employer=employer,
                    kind=kind,
                    location=location,
                    leermeester=leermeester,
                    start_date=start_date,
                    end_date=end_date,
                    hours_per_week=hours_per_week,
                    trial_ends_on=trial_ends_on,
                    created_by=by,
                )
        except IntegrityError as error:
            # Only reachable in a race the lock did not cover; the database said no.
            raise refuse(
                "start_date", _("This overlaps another main placement of the participant.")
            ) from error
        _audit(
            by,
            Action.CREATE,
            placement,
            participant=participant,
            employer=employer.pk,
            kind=kind,
        )
    return placement


def placement_end(
    *,
    placement: Placement,
    ended_on: date,
    reason: str,
    note: str = "",
    by: User,
) -> Placement:
    """End a placement on a day, with a reason. From the day after, the employer no longer
    sees the participant. Side effects: updates the Placement; one UPDATE audit event."""
    if placement.end_reason:
        raise refuse(None, _("This placement has already been ended."))
    _choice("reason", reason, PlacementEndReason)
    if ended_on < placement.start_date:
        raise refuse("ended_on", _("The end comes before the start."))
    if ended_on > _today() + timedelta(days=366):
        raise refuse("ended_on", _("Give an end date within a year from today."))
    with transaction.atomic():
        placement.end_date = ended_on
        placement.end_reason = reason
        placement.end_note = note.strip()
        placement.save(update_fields=["end_date", "end_reason", "end_note"])
        _audit(
            by,
            Action.UPDATE,
            placement,
            participant=placement.participant,
            change="ended",
            reason=reason,
        )
    return placement


def placement_trial_pass(
    *,
    placement: Placement,
    passed_on: date,
    contract_hours: Decimal = Decimal(DEFAULT_CONTRACT_HOURS),
    by: User,
) -> Placement:
    """Record a passed trial period: the contract hours (32 h, 0.8 fte, by default) become the
    placement's hours, and a trial placement becomes an employment contract. The route's own
    status (contract) is recorded on the participant page.
    Side effects: updates the Placement; one UPDATE audit event; it leaves the coach's list."""
    if placement.trial_passed_on is not None:
        raise refuse(None, _("The trial period has already been recorded as passed."))
    if placement.end_reason:
        raise refuse(None, _("This placement has ended."))
    if not placement.is_main:
        raise refuse(None, _("A mini-stage has no trial period."))
    if passed_on < placement.start_date:
        raise refuse("passed_on", _("The trial period is passed after the start."))
    if passed_on > _today():
        raise refuse("passed_on", _("This date is in the future."))
    _check_hours("contract_hours", contract_hours)
    with transaction.atomic():
        placement.trial_passed_on = passed_on
        placement.contract_hours = contract_hours
        placement.hours_per_week = contract_hours
        if placement.kind == PlacementKind.TRIAL:
            placement.kind = PlacementKind.CONTRACT
        placement.save(
            update_fields=["trial_passed_on", "contract_hours", "hours_per_week", "kind"]
        )
        _audit(
            by,
            Action.UPDATE,
            placement,
            participant=placement.participant,
            change="trial_passed",
        )
    return placement


def arrangement_add(
    *,
    placement: Placement,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    reference: str = "",
    by: User,
) -> PlacementArrangement:
    """Record an employer arrangement supporting a placement (trial placement, wage
    dispensation, no-risk policy, premium discount, wage-cost subsidy, job coach) with its
    dates. Side effects: creates the arrangement; one CREATE audit event."""
    _choice("kind", kind, ArrangementKind)
    if ends_on is not None and ends_on < starts_on:
        raise refuse("ends_on", _("The end comes before the start."))
    with transaction.atomic():
        arrangement = PlacementArrangement.objects.create(
            placement=placement,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            reference=reference.strip(),
            created_by=by,
        )
        _audit(by, Action.CREATE, arrangement, participant=placement.participant, kind=kind)
    return arrangement


def placement_trial_reminders_list(*, today: date | None = None) -> int:
    """Put placements whose trial period ends within two weeks on their coach's list
    (employers.selectors.watchlist_for); idempotent: a listed placement keeps its first date.
    Returns how many were listed now.

    No audit event: no person reads or changes participant data here, only a list flag."""
    today = today or _today()
    return (
        Placement.objects.filter(
            trial_ends_on__isnull=False,
            trial_ends_on__lte=today + timedelta(days=TRIAL_REMINDER_DAYS),
            trial_ends_on__gte=today,
            trial_passed_on__isnull=True,
            trial_reminder_listed_on__isnull=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(kind__in=MINI_STAGE_KINDS)
        .update(trial_reminder_listed_on=today)
    )


# --- the employer's workplace pages ---------------------------------------------------------------


def _placed_here(participant: Participant, employer: Employer, first: date, last: date) -> bool:
    """Whether a placement of the participant at the employer runs on a day in [first, last]."""
    return (
        Placement.objects.filter(participant=participant, employer=employer, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exists()
    )


def trainee_hours_confirm(
    *,
    participant: Participant,
    employer: Employer,
    week_start: date,
    practice_hours: Decimal,
    by: User,
) -> HoursWeek:
    """A leermeester (werkgever login) confirms a trainee's practice hours of one week at
    their company; the week must fall in a placement with this employer.
    Side effects: through leerroutes.services.hours_confirm: creates or updates the HoursWeek
    with confirmed_by/confirmed_at; one audit event."""
    monday = route_services.monday_of(week_start)
    if not _placed_here(participant, employer, monday, monday + timedelta(days=6)):
        raise refuse("week_start", _("The trainee did not work with you in this week."))
    _check_hours("practice_hours", practice_hours)
    return route_services.hours_confirm(
        participant=participant, week_start=monday, practice_hours=practice_hours, by=by
    )


def trainee_hours_confirm_weeks(
    *,
    participant: Participant,
    employer: Employer,
    hours: dict[date, Decimal],
    by: User,
) -> int:
    """A leermeester confirms several weeks at once ({monday: practice hours}); a week already
    confirmed with the same hours is left as it is. All or nothing: a refused week leaves every
    week as it was, the refusal beside that week's field (``hours_<monday>``).
    Side effects: per week written, those of trainee_hours_confirm (the HoursWeek, one audit
    event). Returns the number of weeks confirmed now."""
    if not hours:
        raise refuse(None, _("Fill in the hours of at least one week."))
    route = participant.current_route
    confirmed = {
        w.week_start: w.practice_hours
        for w in HoursWeek.objects.filter(
            route=route, week_start__in=list(hours), confirmed_at__isnull=False
        )
    }
    written = 0
    with transaction.atomic():
        for monday, practice_hours in sorted(hours.items()):
            if confirmed.get(monday) == practice_hours:
                continue
            try:
                trainee_hours_confirm(
                    participant=participant,
                    employer=employer,
                    week_start=monday,
                    practice_hours=practice_hours,
                    by=by,
                )
            except ValidationError as error:
                raise refuse(f"hours_{monday.isoformat()}", " ".join(error.messages)) from error
            written += 1
    return written


def workplace_assessment_add(
    *,
    participant: Participant,
    employer: Employer,
    assessed_on: date,
    work_attitude: int,
    professional_skills: int,
    cooperation: int,
    safety: int,
    remarks: str = "",
    by: User,
) -> LeermeesterAssessment:
    """A leermeester's workplace assessment from the employer's workplace pages, for a
    trainee placed with their employer today; recorded under the leermeester's contact name
    (or login name).
    Side effects: through leerroutes.services.assessment_record: creates the assessment with
    this employer; one CREATE audit event."""
    today = _today()
    if not _placed_here(participant, employer, today, today):
        raise refuse("participant", _("This trainee is not placed with your company."))
    contact = EmployerContact.objects.filter(employer=employer, user=by).order_by("role").first()
    return route_services.assessment_record(
        participant=participant,
        assessed_on=assessed_on,
        leermeester_name=contact.name if contact else by.get_full_name(),
        work_attitude=work_attitude,
        professional_skills=professional_skills,
        cooperation=cooperation,
        safety=safety,
        remarks=remarks,
        employer=employer,
        by=by,
    )
