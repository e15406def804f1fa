"""Host employers, what they commit to, their people and places, and the placements of
participants with them.

An employer sees a participant only while a placement with them runs (participants.selectors
.participants_visible_to); everything an employer sees goes through employers.selectors.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Academy, Programme

MAX_PLACEMENT_HOURS = 40
DEFAULT_CONTRACT_HOURS = 32  # 0.8 fte, the contract after a passed trial period
TRIAL_MONTHS = 3
TRIAL_REMINDER_DAYS = 14
RUNS_OUT_SOON_DAYS = 30

validate_kvk = RegexValidator(
    r"^\d{8}\Z",
    _("A KvK number is exactly 8 digits."),
    code="invalid_kvk",
)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


class Employer(models.Model):
    """A company that hosts trainees, recognised by SBB as a learning company (erkend
    leerbedrijf) or not (yet)."""

    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="employers", verbose_name=_("academy")
    )
    name = models.CharField(_("name"), max_length=160)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[validate_kvk],
        help_text=_("Chamber of Commerce number: 8 digits."),
    )
    sector = models.CharField(_("sector / branch"), max_length=120, blank=True)
    sbb_number = models.CharField(
        _("SBB recognition number"),
        max_length=20,
        blank=True,
        help_text=_("The number under which SBB recognises the company as a learning company."),
    )
    sbb_valid_until = models.DateField(_("SBB recognition valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "name"], name="employer_unique_name"),
            models.UniqueConstraint(
                fields=["academy", "kvk_number"],
                condition=~Q(kvk_number=""),
                name="employer_unique_kvk",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def sbb_valid_on(self, day: date) -> bool:
        return bool(self.sbb_number) and (
            self.sbb_valid_until is not None and self.sbb_valid_until >= day
        )


class EmployerLocation(models.Model):
    """A site of the employer where trainees work (a yard, a depot, a client's building)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="locations", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=80)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["employer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="location_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class ContactRole(models.TextChoices):
    PROJECTLEIDER = "projectleider", _("Project leader")
    LEERMEESTER = "leermeester", _("Leermeester")
    HR = "hr", _("HR")


class EmployerContact(models.Model):
    """A person at the employer. A leermeester may log in: then ``user`` holds a werkgever
    membership with this employer."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_contacts",
        verbose_name=_("login"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["employer", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "role", "name"], name="contact_unique_role_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ParticipationWay(models.TextChoices):
    """The five ways an employer takes part (domain.md, Employers)."""

    TRENDSETTER = "trendsetter", _("Trendsetter: starts the first project of its branch")
    # Option 2 is a starter too (seed 001: options 1-2 start a project, 3-5 follow one); the
    # stored code keeps its old name.
    FOLLOWER = "volger", _("Regional starter: starts a project in its region after an existing one")
    PLACES = "plaatsen", _("Offers places in an existing project")
    BREADTH = "breedte", _("Further training in the breadth (another branch's project)")
    JOBS = "banen", _("Offers jobs after the diploma")


class JobCommitment(models.TextChoices):
    GUARANTEE = "garantie", _("Job guarantee")
    BEST_EFFORTS = "inspanning", _("Best-efforts intention")
    NONE = "geen", _("No job commitment")


class Commitment(models.Model):
    """How an employer takes part in a programme, what it committed to and the places it
    offers. Job guarantees sometimes become a best-efforts intention: record which one."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("employer")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="employer_commitments",
        verbose_name=_("programme"),
    )
    way = models.CharField(_("way of taking part"), max_length=20, choices=ParticipationWay.choices)
    job_commitment = models.CharField(
        _("job commitment"), max_length=20, choices=JobCommitment.choices
    )
    places = models.PositiveSmallIntegerField(
        _("places offered"), default=0, validators=[MaxValueValidator(100)]
    )
    since = models.DateField(_("since"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["employer", "programme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "programme"], name="commitment_unique_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} · {self.programme}"


class Vacancy(models.Model):
    """A future employee the employer needs: function, level, start and number of places."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("employer")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("programme")
    )
    function = models.CharField(_("function"), max_length=120)
    level = models.PositiveSmallIntegerField(
        _("MBO level"), default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField(_("start"))
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    min_phase = models.ForeignKey(
        "leerroutes.Phase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from phase"),
        help_text=_("Candidates are trainees of the programme in this phase or further."),
    )
    location = models.ForeignKey(
        EmployerLocation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("location"),
    )
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["employer", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4), name="vacancy_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function} ({self.employer})"


class PlacementKind(models.TextChoices):
    TRIAL = "proefplaatsing", _("Trial placement / internship")
    CONTRACT = "arbeidscontract", _("Employment contract")
    SECONDMENT = "detachering", _("Secondment")
    WORK_EXPERIENCE = "werkervaringsplek", _("Work-experience place")
    MINI_STAGE = "snuffelstage", _("Mini-stage at another company")


# A participant has at most one main placement at a time; mini-stages may overlap.
MINI_STAGE_KINDS = (PlacementKind.MINI_STAGE,)
# Employed (rather than placed) for the SROI statement.
EMPLOYED_KINDS = (PlacementKind.CONTRACT, PlacementKind.SECONDMENT)


class PlacementEndReason(models.TextChoices):
    COMPLETED = "afgerond", _("Route completed")
    TRIAL_NOT_PASSED = "proeftijd_niet_gehaald", _("Trial period not passed")
    CONTRACT_ENDED = "contract_afgelopen", _("Contract ended")
    DISMISSED = "ontslag", _("Dismissed by the employer")
    OWN_CHOICE = "eigen_keuze", _("The participant's own choice")
    OTHER_EMPLOYER = "andere_werkgever", _("Moved to another employer")
    DROPPED_OUT = "uitval", _("Dropped out of the route")
    MINI_STAGE_DONE = "snuffelstage_klaar", _("Mini-stage finished")
    OTHER = "anders", _("Other")


class Placement(models.Model):
    """A participant working at an employer (location), with a leermeester. An employer sees
    a participant only while a placement with them runs (start <= today <= end).

    URLs address a placement by ``public_id``, never by its counting primary key (which the
    arrangements and audit events reference)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("participant"),
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="placements", verbose_name=_("employer")
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=PlacementKind.choices, default=PlacementKind.TRIAL
    )
    location = models.ForeignKey(
        EmployerLocation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("location"),
    )
    leermeester = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("leermeester"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PLACEMENT_HOURS)],
    )
    trial_ends_on = models.DateField(_("trial period ends"), null=True, blank=True)
    trial_passed_on = models.DateField(_("trial period passed on"), null=True, blank=True)
    contract_hours = models.DecimalField(
        _("contract hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PLACEMENT_HOURS)],
    )
    trial_reminder_listed_on = models.DateField(
        _("trial reminder listed on"),
        null=True,
        blank=True,
        help_text=_("Set by the daily task two weeks before the trial period ends."),
    )
    end_reason = models.CharField(
        _("reason for ending"), max_length=30, choices=PlacementEndReason.choices, blank=True
    )
    end_note = models.TextField(_("note on ending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["employer", "start_date"], name="placement_employer_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gte=0) & Q(hours_per_week__lte=MAX_PLACEMENT_HOURS)),
                name="placement_hours_max_40",
            ),
            models.CheckConstraint(
                condition=Q(contract_hours__isnull=True)
                | (Q(contract_hours__gte=0) & Q(contract_hours__lte=MAX_PLACEMENT_HOURS)),
                name="placement_contract_hours_max_40",
            ),
            # At most one open-ended main placement per participant, on every database; on
            # PostgreSQL migration 0003 adds an exclusion constraint on overlapping dates too.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(end_date__isnull=True) & ~Q(kind=PlacementKind.MINI_STAGE),
                name="placement_one_open_main",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.employer}"

    @property
    def is_main(self) -> bool:
        return self.kind not in MINI_STAGE_KINDS

    def runs_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def trial_reminder_due_on(self) -> date | None:
        if self.trial_ends_on is None:
            return None
        return self.trial_ends_on - timedelta(days=TRIAL_REMINDER_DAYS)

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end comes before the start.")})


class ArrangementKind(models.TextChoices):
    TRIAL_PLACEMENT = "proefplaatsing", _("Trial placement (proefplaatsing)")
    WAGE_DISPENSATION = "loondispensatie", _("Wage dispensation")
    NO_RISK = "no_risk", _("No-risk policy")
    PREMIUM_DISCOUNT = "premiekorting", _("Premium discount")
    WAGE_COST_SUBSIDY = "loonkostensubsidie", _("Wage-cost subsidy")
    JOB_COACH = "jobcoach", _("Job coach")


class PlacementArrangement(models.Model):
    """An employer arrangement that supports a placement, with its dates, so the coach knows
    what runs out when. Never shown to the employer's workplace pages (it hints at a benefit)."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="arrangements",
        verbose_name=_("placement"),
    )
    kind = models.CharField(_("arrangement"), max_length=20, choices=ArrangementKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=120,
        blank=True,
        help_text=_("For example the UWV or municipality decision number."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer arrangement")
        verbose_name_plural = _("employer arrangements")
        ordering = ["placement", "ends_on", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="arrangement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on})"

    def runs_out_within(self, day: date, days: int = RUNS_OUT_SOON_DAYS) -> bool:
        return self.ends_on is not None and day <= self.ends_on <= day + timedelta(days=days)


class CandidateStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Proposed")
    INVITED = "uitgenodigd", _("Invited to a conversation")
    YES = "ja", _("Yes: the employer chose this candidate")
    NO = "nee", _("No")
    TRIAL = "proefplaatsing", _("Trial placement started")


# The statuses in which the employer still decides.
UNDECIDED_STATUSES = (CandidateStatus.PROPOSED, CandidateStatus.INVITED)


class Candidate(models.Model):
    """A participant the regisseur proposed for a vacancy ("de werkgever beslist", seed 002):
    the employer sees the candidate's work profile only while the participant's consent
    "kandidaatprofiel" holds, invites them to a conversation and says yes or no with a reason;
    the regisseur starts the trial placement from a yes.

    URLs address a candidate by ``public_id``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("vacancy")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="candidacies",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    conversation_on = models.DateField(_("conversation on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    placement = models.ForeignKey(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trial placement"),
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["vacancy", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "participant"], name="candidate_unique_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.vacancy}"


class CandidateDecision(models.Model):
    """One yes or no of the employer about a candidate, with its reason: the employer may change
    its mind until the regisseur starts the trial placement, and every decision is kept so the
    regisseur reads the history (the Candidate holds the latest)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("candidate")
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=[(CandidateStatus.YES, _("Yes")), (CandidateStatus.NO, _("No"))],
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("candidate decision")
        verbose_name_plural = _("candidate decisions")
        ordering = ["candidate", "-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.decision}"
