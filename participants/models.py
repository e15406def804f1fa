"""Participants (the young people), their routes (routes) and what surrounds them.

A person and each of their routes are separate records: people come back years later.
Care notes are a model of their own so that no query for anything else can carry them.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maatwerq.accounts.models import Academy, Programme


def bsn_is_valid(value: str) -> bool:
    """The Dutch 11-test: 9 digits, sum of digit x weight (9..2, and -1 for the last) % 11 == 0."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11 == 0


def validate_bsn(value: str) -> None:
    if not bsn_is_valid(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be 9 digits and pass the 11-test."),
            code="invalid_bsn",
        )


def add_half_years(start: date, half_years: int) -> date:
    months = start.month - 1 + 6 * half_years
    return start.replace(year=start.year + months // 12, month=months % 12 + 1, day=1)


class Cohort(models.Model):
    """A group of a programme that starts together, e.g. BinQ "Groep 3", February 2013."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=80)
    start_date = models.DateField(_("start date"))
    planned_size = models.PositiveSmallIntegerField(
        _("planned size"), validators=[MaxValueValidator(60)]
    )
    duration_half_years = models.PositiveSmallIntegerField(
        _("duration in half-years"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["programme__name", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_unique_name"),
        ]

    def __str__(self) -> str:
        return self.label(self.programme.name, self.name)

    @staticmethod
    def label(programme_name: str, name: str) -> str:
        """How a group is named, from plain values too (lists that read values, not objects)."""
        return f"{programme_name} {name}"

    @property
    def end_date(self) -> date:
        """The first day the group no longer counts: start + duration half-years."""
        return add_half_years(self.start_date, self.duration_half_years)


class PriorEducation(models.TextChoices):
    VSO = "vso", _("VSO (special secondary education)")
    PRO = "pro", _("PRO (practical education)")
    LWOO = "lwoo", _("VMBO with LWOO")
    VMBO = "vmbo", _("VMBO")
    MBO1 = "mbo1", _("MBO level 1 / entree")
    MBO2 = "mbo2", _("MBO level 2 (not finished)")
    OTHER = "other", _("Other")
    NONE = "none", _("None")


class FundingStream(models.TextChoices):
    WAJONG = "wajong", _("Wajong")
    PARTICIPATIEWET = "participatiewet", _("Participatiewet (municipality)")
    UWV = "uwv", _("UWV")
    YOUTH_CARE = "jeugdzorg", _("Youth care")
    WERKSCHOOL = "werkschool", _("Werkschool")
    ESF = "esf", _("ESF project")
    NONE = "none", _("None")


class LeadOrganisation(models.TextChoices):
    """Who has the young person in their care now: the lead moves by handover."""

    ACADEMY = "academy", _("The academy")
    SCHOOL = "school", _("School")
    YOUTH_CARE = "jeugdzorg", _("Youth care")
    UWV = "uwv", _("UWV")
    MUNICIPALITY = "gemeente", _("Municipality")
    REINTEGRATION = "reintegratie", _("Re-integration company")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """A young person (16-27). Ids are UUIDs: never a guessable sequence.

    ``current_route`` points at the route that is running or ran last; the services that
    create routes keep it up to date, so lists can filter on it without a subquery.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="participants", verbose_name=_("academy")
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    prior_education = models.CharField(
        _("prior education"), max_length=10, choices=PriorEducation.choices, blank=True
    )
    funding_stream = models.CharField(
        _("funding stream"), max_length=20, choices=FundingStream.choices, default="none"
    )
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        blank=True,
        validators=[validate_bsn],
        help_text=_("Citizen service number. Optional; only the regisseur sees it."),
    )
    lead_organisation = models.CharField(
        _("lead organisation"),
        max_length=20,
        choices=LeadOrganisation.choices,
        default=LeadOrganisation.ACADEMY,
    )
    lead_organisation_name = models.CharField(
        _("lead organisation (name)"), max_length=160, blank=True
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("coach"),
    )
    current_route = models.ForeignKey(
        "Route",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current route"),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The participant's own login for the plain view (portal app), set when they accept the
    # invitation of their coach.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant_record",
        verbose_name=_("own login"),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["academy", "coach"], name="participant_academy_coach"),
            models.Index(fields=["academy", "last_name"], name="participant_academy_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.name_of(self.first_name, self.last_name)

    @staticmethod
    def name_of(first_name: str, last_name: str) -> str:
        """The full name from plain values too (lists that read values, not objects)."""
        return f"{first_name} {last_name}"

    @property
    def bsn_masked(self) -> str:
        return f"*****{self.bsn[-4:]}" if self.bsn else ""

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class RouteType(models.TextChoices):
    WERKSCHOOL = "1a", _("1a Werkschool route (16-21, enrolled at VSO, PRO or MBO1)")
    ZIJ_INSTROOM = "1b", _("1b Lateral entry (16+, not enrolled)")
    GROUP = "2", _("2 Group route")


# The age range each individual route type is meant for; outside it the form warns (16-27 is
# the hard rule). The group route's range is its programme's own (Programme.min_age/max_age).
ROUTE_TYPE_AGES: dict[str, tuple[int, int]] = {
    RouteType.WERKSCHOOL: (16, 21),
    RouteType.ZIJ_INSTROOM: (16, 27),
}


class ReferralSource(models.TextChoices):
    VSO = "vso", _("VSO school")
    PRO = "pro", _("PRO school")
    MBO1 = "mbo1", _("MBO1 / entree")
    YOUTH_CARE = "jeugdzorg", _("Youth care")
    MUNICIPALITY = "gemeente", _("Municipality")
    UWV = "uwv", _("UWV")
    REINTEGRATION = "reintegratie", _("Re-integration company")
    SELF = "zelf", _("Self / parents")


class Status(models.TextChoices):
    """The route's pipeline, in order. afgerond and uitgevallen end a route."""

    AANGEMELD = "aangemeld", _("Referred")
    INTAKE = "intake", _("Intake")
    GESTART = "gestart", _("Started")
    PROEFPERIODE = "proefperiode", _("Trial period")
    CONTRACT = "contract", _("Contract")
    AFGEROND = "afgerond", _("Completed")
    UITGEVALLEN = "uitgevallen", _("Dropped out")
    NIET_TOEGELATEN = "niet_toegelaten", _("Not admitted")


ENDED_STATUSES = {Status.AFGEROND, Status.UITGEVALLEN, Status.NIET_TOEGELATEN}


class IntakeOutcome(models.TextChoices):
    ADMITTED = "toegelaten", _("Admitted")
    NOT_ADMITTED = "niet_toegelaten", _("Not admitted")
    WAITING_LIST = "wachtlijst", _("Waiting list")


class DropoutReason(models.TextChoices):
    MOTIVATION = "motivatie", _("Too little motivation")
    PROBLEMS = "problematiek", _("Problems got worse")
    DISMISSED = "ontslag", _("Dismissed by the employer")
    HEALTH = "gezondheid", _("Health")
    MOVED = "verhuisd", _("Moved")
    OTHER_JOB = "ander_werk", _("Found other work")
    PREGNANCY = "zwangerschap", _("Pregnancy")
    DETENTION = "detentie", _("Detention")
    OTHER = "anders", _("Other")


class Destination(models.TextChoices):
    JOB_HOST = "werk_leerbedrijf", _("Job at the host employer")
    JOB_ELSEWHERE = "werk_elders", _("Job elsewhere")
    EDUCATION = "opleiding", _("Further education")
    DAY_ACTIVITIES = "dagbesteding", _("Day activities or sheltered work")
    BENEFIT = "uitkering", _("Benefit / none")
    UNKNOWN = "onbekend", _("Unknown")


class ContractType(models.TextChoices):
    PERMANENT = "vast", _("Permanent contract")
    ONE_YEAR = "jaar", _("One-year contract")
    TEMPORARY = "tijdelijk", _("Temporary contract")
    WITH_BENEFIT = "met_aanvulling", _("Job with benefit top-up")
    NONE = "geen", _("No contract")


class OutcomeCategory(models.TextChoices):
    SUCCESSFUL = "succesvol", _("Successful")
    NEGATIVE = "negatief", _("Negative")
    # Its own context: "Other" elsewhere is "Anders", the evaluations call this one "Overig".
    OTHER = "overig", pgettext_lazy("outcome category", "Other")


class OutcomeReason(models.TextChoices):
    JOB = "werk", _("Has a job")
    EDUCATION = "opleiding", _("Follows education")
    DISMISSED = "ontslag", _("Dismissed")
    MOTIVATION = "motivatie", _("Too little motivation")
    PROBLEMS = "problematiek", _("Problems got worse")
    MOVED = "verhuisd", _("Moved")
    PREGNANCY = "zwangerschap", _("Pregnancy")
    WAJONG = "wajong", _("Wajong granted")
    DAY_ACTIVITIES = "dagbesteding", _("Day activities or sheltered work")
    OTHER = "anders", _("Other")
    UNKNOWN = "onbekend", _("Unknown")


class Route(models.Model):
    """One route of a participant through a programme, from referral to outflow."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("participant"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="routes", verbose_name=_("programme")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("cohort"),
    )
    route_type = models.CharField(_("route type"), max_length=2, choices=RouteType.choices)
    school = models.CharField(
        _("school"),
        max_length=160,
        blank=True,
        help_text=_("For route 1a: the VSO, PRO or MBO1 school the participant is enrolled at."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AANGEMELD
    )
    # Referral
    referral_date = models.DateField(_("referral date"))
    referral_source = models.CharField(
        _("referred by (type)"), max_length=20, choices=ReferralSource.choices
    )
    referring_organisation = models.CharField(
        _("referring organisation"), max_length=160, blank=True
    )
    referrer_contact = models.CharField(_("contact at the referrer"), max_length=160, blank=True)
    # Intake
    intake_date = models.DateField(_("intake conversation"), null=True, blank=True)
    intake_outcome = models.CharField(
        _("intake outcome"), max_length=20, choices=IntakeOutcome.choices, blank=True
    )
    intake_outcome_reason = models.TextField(_("reason"), blank=True)
    # Pipeline dates
    start_date = models.DateField(_("start date"), null=True, blank=True)
    trial_start_date = models.DateField(_("trial period from"), null=True, blank=True)
    contract_date = models.DateField(_("contract from"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Drop-out
    dropout_reason = models.CharField(
        _("drop-out reason"), max_length=20, choices=DropoutReason.choices, blank=True
    )
    dropout_phase = models.CharField(
        _("phase at drop-out"), max_length=20, choices=Status.choices, blank=True
    )
    # Outflow
    destination = models.CharField(
        _("destination"), max_length=20, choices=Destination.choices, blank=True
    )
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, blank=True
    )
    contract_hours = models.PositiveSmallIntegerField(
        _("contract hours per week"), null=True, blank=True, validators=[MaxValueValidator(40)]
    )
    still_on_benefit = models.BooleanField(_("still receives a benefit"), null=True, blank=True)
    outcome_category = models.CharField(
        _("outcome"), max_length=10, choices=OutcomeCategory.choices, blank=True
    )
    outcome_reason = models.CharField(
        _("outcome reason"), max_length=20, choices=OutcomeReason.choices, blank=True
    )
    outflow_notes = models.TextField(_("notes on outflow"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["-referral_date"]
        indexes = [
            models.Index(fields=["programme", "status"], name="route_programme_status"),
            models.Index(fields=["cohort", "status"], name="route_cohort_status"),
            # The national view's periods start in the year of the first route (a Min over
            # each, read on every view): an index answers it without reading every route.
            models.Index(fields=["referral_date"], name="route_referral_date"),
            models.Index(fields=["start_date"], name="route_start_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="route_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.programme} ({self.get_status_display()})"

    @property
    def is_late_entrant(self) -> bool:
        return bool(self.cohort and self.start_date and self.start_date > self.cohort.start_date)

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES


class StatusChange(models.Model):
    """The history of a route's status: every step and every undo, never rewritten."""

    route = models.ForeignKey(
        Route,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("route"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    on_date = models.DateField(_("date"))
    is_undo = models.BooleanField(_("undo"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.route_id}: {self.from_status} -> {self.to_status}"


class Handover(models.Model):
    """A recorded moment where the lead over a young person's support moves."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="handovers",
        verbose_name=_("participant"),
    )
    on_date = models.DateField(_("date"))
    from_organisation = models.CharField(_("from"), max_length=20, choices=LeadOrganisation.choices)
    from_name = models.CharField(_("from (name)"), max_length=160, blank=True)
    to_organisation = models.CharField(_("to"), max_length=20, choices=LeadOrganisation.choices)
    to_name = models.CharField(_("to (name)"), max_length=160, blank=True)
    notes = models.TextField(_("what was handed over"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-on_date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.from_organisation} -> {self.to_organisation}"


class CareNote(models.Model):
    """Care and support notes (zorg): only the regisseur and the participant's own coach."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="care_notes",
        verbose_name=_("participant"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    written_on = models.DateField(_("date"), default=date.today)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("care note")
        verbose_name_plural = _("care notes")
        ordering = ["-written_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.participant} {self.written_on}"


class NetworkRole(models.TextChoices):
    PARENT = "ouder", _("Parent / guardian")
    SCHOOL_MENTOR = "mentor", _("School mentor")
    TRAJECTBEGELEIDER_UWV = "tb_uwv", _("Trajectbegeleider UWV")
    TRAJECTBEGELEIDER_GEMEENTE = "tb_gemeente", _("Trajectbegeleider municipality")
    YOUTH_CARE = "jeugdzorg", _("Youth care worker")
    OTHER = "anders", _("Other")


class NetworkContact(models.Model):
    """Someone around the participant: parent, mentor, trajectbegeleider, youth care."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="network",
        verbose_name=_("participant"),
    )
    role = models.CharField(_("role"), max_length=20, choices=NetworkRole.choices)
    name = models.CharField(_("name"), max_length=160)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    involved_in_goals = models.BooleanField(_("involved in the goals"), default=False)

    class Meta:
        verbose_name = _("network contact")
        verbose_name_plural = _("network contacts")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ConsentScope(models.TextChoices):
    EMPLOYER_WORK_STATUS = "werkgever_werkstatus", _("Share work status with the employer")
    HANDELINGSWIJZER = "handelingswijzer", _("Share the handelingswijzer with the employer")
    REQUEST_INFORMATION = "informatie_opvragen", _("Ask information from an organisation")
    CONTACT_PARENTS = "contact_ouders", _("Contact with parents")
    PHOTO = "foto", _("Photo")
    # The work-related profile (first name, programme, phase, work certificates, work goals)
    # a candidate employer may read while choosing whom to invite (employers.Candidate).
    CANDIDATE_PROFILE = "kandidaatprofiel", _("Share my work profile with a candidate employer")


class ConsentGivenBy(models.TextChoices):
    PARTICIPANT = "deelnemer", _("The participant")
    PARENT = "ouder", _("A parent or guardian")


class Consent(models.Model):
    """A consent as given, and withdrawn. What depends on it checks it at the moment of
    sharing (participants.selectors.consent_is_active)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("participant"),
    )
    scope = models.CharField(_("for"), max_length=30, choices=ConsentScope.choices)
    organisation = models.CharField(
        _("organisation"),
        max_length=160,
        blank=True,
        help_text=_("For asking information: the school, youth care or UWV it concerns."),
    )
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGivenBy.choices)
    given_by_name = models.CharField(_("name of who gave it"), max_length=160, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_scope_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class ConsentAnswer(models.TextChoices):
    GIVEN = "gegeven", _("Given")
    REFUSED = "geweigerd", _("Not given")
    WITHDRAWN = "vervallen", _("Withdrawn by the academy")  # asked no longer; not an answer


class ConsentRequest(models.Model):
    """A consent the academy asked the young person for, in their own app, and their answer:
    open until they answer or the academy withdraws the question (the regisseur's work queue
    lists the open ones). A yes records the Consent (given by the participant) and links it
    here."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="consent_requests",
        verbose_name=_("participant"),
    )
    scope = models.CharField(_("for"), max_length=30, choices=ConsentScope.choices)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.CharField(_("answer"), max_length=10, choices=ConsentAnswer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )

    class Meta:
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "scope", "organisation"],
                condition=Q(answered_at__isnull=True),
                name="consent_request_one_open",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="consent_request_answer_with_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_scope_display()}"

    @property
    def days_open(self) -> int:
        """Whole days since it was asked (0 today)."""
        return (timezone.localdate() - timezone.localdate(self.asked_at)).days


class FollowUpSituation(models.TextChoices):
    WORK = "werk", _("In work")
    SCHOOL = "school", _("In school")
    WORK_AND_SCHOOL = "werk_school", _("In work and school")
    NEITHER = "geen", _("Neither work nor school")
    UNKNOWN = "onbekend", _("Unknown / not reached")


class FollowUp(models.Model):
    """A nazorg check, due 6 and 12 months after outflow: still in work or school?"""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("route")
    )
    months_after = models.PositiveSmallIntegerField(_("months after outflow"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    situation = models.CharField(
        _("situation"), max_length=20, choices=FollowUpSituation.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    listed_for_coach_on = models.DateField(
        _("put on the coach's list on"),
        null=True,
        blank=True,
        help_text=_("Set by the daily task once the check is due."),
    )

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "months_after"], name="followup_unique_moment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} +{self.months_after}m"

    @property
    def still_in_work_or_school(self) -> bool | None:
        if not self.situation or self.situation == FollowUpSituation.UNKNOWN:
            return None
        return self.situation != FollowUpSituation.NEITHER


class GuardianAccess(models.Model):
    """Read access of a parent or guardian to the plain view of a participant under 18.

    It holds only while both the participant and the regisseur agreed, it is not revoked and
    the participant is under 18 on the day of reading (portal.selectors). The guardian logs in
    with a deelnemer membership; ``guardian`` is set when they accept the invitation.
    """

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="guardian_accesses",
        verbose_name=_("participant"),
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guardian_accesses",
        verbose_name=_("parent or guardian"),
    )
    guardian_name = models.CharField(_("name of the parent or guardian"), max_length=160)
    invitation = models.OneToOneField(
        "accounts.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian_access",
        verbose_name=_("invitation"),
    )
    agreed_by_participant_on = models.DateField(_("the participant agreed on"))
    agreed_by_regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("regisseur who agreed"),
    )
    agreed_by_regisseur_on = models.DateField(_("the regisseur agreed on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardian access")
        verbose_name_plural = _("guardian accesses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True)
                | Q(revoked_on__gte=models.F("agreed_by_participant_on")),
                name="guardianaccess_revoked_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_name} -> {self.participant_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


class CohortFigures(models.Model):
    """Derived data: the dashboard's counts of one slice of routes, kept so that the cohort
    dashboard and the national view add up a few rows per cohort instead of counting every
    route on every view (docs/architecture.md, "Derived data").

    One row per programme, cohort (or none), period day (the start date, or the referral date
    of a route that never started: the day the dashboard's period filter reads), whether the
    routes started, and route type. ``counts`` holds what the registered counters count over
    those routes (reporting's metrics, breakdowns, follow-up checks and certificates), by
    key. ``participants.figures.cohort_figures_refresh`` recomputes a cohort's rows; the
    services that change a route, its follow-ups or certificates call it in their
    transaction. Idempotent: ``manage.py cohort_figures_rebuild`` recomputes all rows.
    """

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.DateField()
    started = models.BooleanField()
    route_type = models.CharField(max_length=2)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("kept dashboard figures")
        verbose_name_plural = _("kept dashboard figures")
        indexes = [
            models.Index(fields=["academy", "period"], name="cohortfigures_academy_period"),
            models.Index(fields=["programme", "cohort"], name="cohortfigures_unit"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cohort", "period", "started", "route_type"],
                name="cohortfigures_unique_slice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.cohort_id} {self.period} {self.route_type}"


class RouteFunding(models.Model):
    """One funding stream's share of a route that several funders pay for together
    (co-funding). A route without rows is paid 100 % by its participant's funding stream;
    with rows, their shares add up to 100 (participants.services.route_funding_set)."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("route")
    )
    stream = models.CharField(_("funding stream"), max_length=20, choices=FundingStream.choices)
    share_percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("funding share")
        verbose_name_plural = _("funding shares")
        ordering = ["-share_percent", "stream"]
        constraints = [
            models.UniqueConstraint(fields=["route", "stream"], name="routefunding_one_per_stream"),
            models.CheckConstraint(
                condition=Q(share_percent__gte=1) & Q(share_percent__lte=100),
                name="routefunding_share_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id}: {self.stream} {self.share_percent}%"
