"""Following the route, the coach's work: the progress log, evaluations (which alone move the
phase), results (ROC, leermeester), certificates, hours and the handelingswijzer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .qfit import Goal, Phase

# --- 5. progress log -------------------------------------------------------------------------


class Wellbeing(models.IntegerChoices):
    VERY_BAD = 1, _("Very bad")
    BAD = 2, _("Not so good")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class ProgressEntry(models.Model):
    """A quick note by the coach, often made standing at a work site on a phone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("route"),
    )
    on = models.DateField(_("date"))
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="progress_entries", verbose_name=_("goals")
    )
    text = models.TextField(_("what happened"))
    wellbeing = models.PositiveSmallIntegerField(
        _("well-being"),
        choices=Wellbeing.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    hours_present = models.DecimalField(
        _("hours present"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    shareable = models.BooleanField(_("shareable with the participant"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Sent from the phone's offline queue: the id the phone gave it (a resend of the same id
    # never makes a second entry) and when it was made there, by the phone's clock.
    client_uuid = models.UUIDField(_("id given by the phone"), null=True, blank=True, unique=True)
    made_at = models.DateTimeField(_("made on the phone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["route", "-on", "-created_at"]
        indexes = [models.Index(fields=["route", "-on"], name="progress_route_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wellbeing__gte=1) & Q(wellbeing__lte=5), name="progress_wellbeing_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} {self.on}"


# --- 6. evaluations and results --------------------------------------------------------------


class Evaluation(models.Model):
    """A periodic evaluation meeting. Its phase decision is the only way a route's phase moves:
    the current phase is the decision of the latest evaluation that made one."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("route"),
    )
    held_on = models.DateField(_("held on"))
    participant_attended = models.BooleanField(_("the participant attended"), default=True)
    attendees = models.TextField(
        _("who else attended"), blank=True, help_text=_("For example: leermeester, teacher.")
    )
    goals_reviewed = models.ManyToManyField(
        Goal, blank=True, related_name="evaluations", verbose_name=_("goals reviewed")
    )
    summary = models.TextField(_("what was discussed"))
    phase_before = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase before"),
    )
    phase_decision = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase decision"),
    )
    next_on = models.DateField(_("next evaluation"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["route", "-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gt=F("held_on")),
                name="evaluation_next_after_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} evaluation {self.held_on}"

    @property
    def moved_phase(self) -> bool:
        return self.phase_decision_id is not None and self.phase_decision_id != self.phase_before_id


class RouteSummary(models.Model):
    """What the coach's caseload shows of a route's log and evaluations, kept on one row so
    the caseload reads it without a subquery per route: the latest entry's date and face,
    the latest evaluation's date and next date, the phase of the latest decision, and the
    participant's own latest check-in (week and score).

    Derived data only: ``leerroutes.services.route_summaries_refresh`` recomputes it from the
    entries and evaluations after every write to them (and after the demo's and the bench's
    bulk loads). A route without entries or evaluations may have no row."""

    route = models.OneToOneField(
        "participants.Route",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("route"),
    )
    last_entry_on = models.DateField(_("latest entry"), null=True)
    last_wellbeing = models.PositiveSmallIntegerField(_("latest well-being"), null=True)
    last_evaluation_on = models.DateField(_("latest evaluation"), null=True)
    next_evaluation_on = models.DateField(_("next evaluation"), null=True)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("phase decided"),
    )
    # The participant's own latest check-in (SelfReportedWellbeing): its week and score.
    last_self_week = models.DateField(_("latest own check-in"), null=True)
    last_self_score = models.PositiveSmallIntegerField(_("latest own score"), null=True)

    class Meta:
        verbose_name = _("route summary")
        verbose_name_plural = _("route summaries")

    def __str__(self) -> str:
        return f"{self.route_id} summary"


class AssessmentScore(models.IntegerChoices):
    POOR = 1, _("1 - insufficient")
    FAIR = 2, _("2 - moderate")
    GOOD = 3, _("3 - sufficient")
    VERY_GOOD = 4, _("4 - good")


class LeermeesterAssessment(models.Model):
    """A periodic assessment (periodieke beoordeling) by the employer's leermeester: entered
    by the regisseur or coach, or by the leermeester on the employer's workplace pages
    (employers app)."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("route"),
    )
    assessed_on = models.DateField(_("date"))
    leermeester_name = models.CharField(_("leermeester"), max_length=160)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    work_attitude = models.PositiveSmallIntegerField(
        _("work attitude"), choices=AssessmentScore.choices
    )
    professional_skills = models.PositiveSmallIntegerField(
        _("professional skills"), choices=AssessmentScore.choices
    )
    cooperation = models.PositiveSmallIntegerField(
        _("cooperation"), choices=AssessmentScore.choices
    )
    safety = models.PositiveSmallIntegerField(_("working safely"), choices=AssessmentScore.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("leermeester assessment")
        verbose_name_plural = _("leermeester assessments")
        ordering = ["route", "-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.route_id} assessment {self.assessed_on}"


class RocResultKind(models.TextChoices):
    THEORY_TEST = "toets", _("Theory test")
    MODULE = "module", _("Module")
    DIPLOMA_PROGRESS = "diploma", _("Diploma progress")


class RocResult(models.Model):
    """A result at the ROC: the "learning gain" line of the route."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="roc_results",
        verbose_name=_("route"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RocResultKind.choices)
    title = models.CharField(_("what"), max_length=160)
    on = models.DateField(_("date"))
    grade = models.CharField(_("grade or result"), max_length=40, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("diploma progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("ROC result")
        verbose_name_plural = _("ROC results")
        ordering = ["route", "-on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
                name="rocresult_progress_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.on})"


# --- 7. certificates -------------------------------------------------------------------------


class CertificateKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    PARTIAL = "deelcertificaat", _("Partial certificate (praktijkverklaring)")
    BRANCH = "branche", _("Branch certificate (e.g. VCA)")
    Q_CERTIFICATE = "q", _("Q-certificate")


def evidence_path(instance: Certificate, filename: str) -> str:
    """A random name: the uploaded name (which may hold a person's name) is not kept on disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class Certificate(models.Model):
    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("route"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    title = models.CharField(
        _("title"), max_length=160, help_text=_("For example: VCA Basis, paving machine.")
    )
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=160)
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    evidence_content_type = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["route", "-issued_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.issued_on})"


# --- 8. hours --------------------------------------------------------------------------------

MAX_WEEK_HOURS = 60


class HoursWeek(models.Model):
    """Practice and theory hours of one week (the Monday it starts)."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="hours_weeks",
        verbose_name=_("route"),
    )
    week_start = models.DateField(_("week of"))
    practice_hours = models.DecimalField(
        _("practice hours"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEEK_HOURS)],
    )
    theory_hours = models.DecimalField(
        _("theory hours"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEEK_HOURS)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("recorded"), auto_now=True)
    # The leermeester's confirmation of the practice hours (employer's workplace pages);
    # cleared when the practice hours are changed afterwards.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hours of a week")
        verbose_name_plural = _("hours per week")
        ordering = ["route", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["route", "week_start"], name="hoursweek_unique"),
            models.CheckConstraint(
                condition=Q(practice_hours__gte=0)
                & Q(theory_hours__gte=0)
                & Q(practice_hours__lte=MAX_WEEK_HOURS - F("theory_hours")),
                name="hoursweek_max_60",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} week {self.week_start}"

    @property
    def total_hours(self):
        return self.practice_hours + self.theory_hours


# --- 9. handelingswijzer ---------------------------------------------------------------------


class Handelingswijzer(models.Model):
    """A short "how to work with me" note, written with the participant for the employer.
    Shown to an employer only while the participant's consent holds (checked when shown)."""

    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="handelingswijzer",
        verbose_name=_("participant"),
    )
    about_me = models.TextField(_("who I am and what I am good at"))
    what_helps = models.TextField(_("what helps me at work"), blank=True)
    what_is_hard = models.TextField(_("what I find hard"), blank=True)
    instructions = models.TextField(_("how to give me instructions"), blank=True)
    when_it_goes_wrong = models.TextField(_("what to do when things go wrong"), blank=True)
    written_on = models.DateField(_("written with the participant on"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("handelingswijzer")
        verbose_name_plural = _("handelingswijzers")

    def __str__(self) -> str:
        return f"{self.participant_id} handelingswijzer"
