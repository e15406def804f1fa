"""The Q-fit design of a route, under the regisseur's lead: the academy's life domains and the
programme's phases, then analysis -> arrangement -> plan (with its work goals).

Analyses, arrangements and plans are versioned: a new one is a new row with the next number;
the old ones stay readable.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Academy, Programme

# --- configuration: per academy and per programme --------------------------------------------


class LifeDomain(models.Model):
    """A life domain of the analysis (work skills, money/debts, ...). Configurable per academy."""

    academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="life_domains", verbose_name=_("academy")
    )
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["academy", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "name"], name="lifedomain_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """A phase of a programme's route, from "samen in veiligheid" towards "zelfstandig in de
    werkelijkheid". A route moves to another phase only by an evaluation decision."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="phase_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


# --- 1. analysis (beeldvorming) --------------------------------------------------------------


class SupportNeed(models.IntegerChoices):
    NONE = 0, _("0 - none")
    LITTLE = 1, _("1 - a little")
    CLEAR = 2, _("2 - clear")
    MUCH = 3, _("3 - much")


class Analysis(models.Model):
    """One version of the analysis of a route. A new analysis is a new row; numbers count up."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="analyses",
        verbose_name=_("route"),
    )
    number = models.PositiveIntegerField(_("version"))
    made_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        ordering = ["route", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["route", "number"], name="analysis_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} analysis v{self.number}"


class AnalysisDomain(models.Model):
    """Talents, support questions and support need (0-3) in one life domain."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="domains", verbose_name=_("analysis")
    )
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("life domain")
    )
    talents = models.TextField(_("talents"), blank=True)
    support_questions = models.TextField(_("support questions"), blank=True)
    support_need = models.PositiveSmallIntegerField(
        _("support need"), choices=SupportNeed.choices, default=SupportNeed.NONE
    )

    class Meta:
        verbose_name = _("analysis per life domain")
        verbose_name_plural = _("analysis per life domain")
        ordering = ["analysis", "domain__order", "domain_id"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "domain"], name="analysisdomain_unique"),
            models.CheckConstraint(
                condition=Q(support_need__lte=3), name="analysisdomain_need_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.support_need}"


# --- 2. arrangement --------------------------------------------------------------------------


class Intensity(models.TextChoices):
    LIGHT = "licht", _("Light")
    MEDIUM = "middel", _("Medium")
    HEAVY = "zwaar", _("Heavy")


class Supporter(models.TextChoices):
    TALENT_TRAINER = "talenttrainer", _("Talent trainer (SOVA)")
    LEARNING_GUIDE = "leren_leren", _("Learning-to-learn guide")
    COACH = "coach", _("Coach")
    EXTERNAL_CARE = "externe_zorg", _("External care")


class Arrangement(models.Model):
    """One version of the learning-work arrangement: the support per life domain."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="arrangements",
        verbose_name=_("route"),
    )
    number = models.PositiveIntegerField(_("version"))
    decided_on = models.DateField(_("date"))
    is_24_hour = models.BooleanField(_("24-hour arrangement"), default=False)
    outside_work = models.TextField(
        _("what it covers outside work"),
        blank=True,
        help_text=_("For a 24-hour arrangement: living, free time, nights, weekends."),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangements")
        ordering = ["route", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["route", "number"], name="arrangement_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} arrangement v{self.number}"


class ArrangementDomain(models.Model):
    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="domains", verbose_name=_("arrangement")
    )
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("life domain")
    )
    intensity = models.CharField(_("intensity"), max_length=10, choices=Intensity.choices)
    supporters = models.JSONField(_("who supports"), default=list, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )

    class Meta:
        verbose_name = _("arrangement per life domain")
        verbose_name_plural = _("arrangement per life domain")
        ordering = ["arrangement", "domain__order", "domain_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "domain"], name="arrangementdomain_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.intensity}"

    def get_supporters_display(self) -> str:
        labels = dict(Supporter.choices)
        return ", ".join(str(labels.get(s, s)) for s in self.supporters)


# --- 3. plan (leerwerkplan) and goals --------------------------------------------------------


class Plan(models.Model):
    """One version of the learning-work plan. A changed plan is a new version; the goals as
    they stood are kept in ``goals_snapshot`` so an old version reads as it was."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("route"),
    )
    number = models.PositiveIntegerField(_("version"))
    plan_date = models.DateField(_("plan date"))
    perspective = models.TextField(_("perspective"))
    support_plan = models.TextField(_("support plan"), blank=True)
    goals_snapshot = models.JSONField(_("goals as in this version"), default=list)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    agreed_on = models.DateField(_("participant agreed on"), null=True, blank=True)
    parent_name = models.CharField(_("parent or guardian"), max_length=160, blank=True)
    parent_agreed_on = models.DateField(_("parent agreed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning-work plan")
        verbose_name_plural = _("learning-work plans")
        ordering = ["route", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["route", "number"], name="plan_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} plan v{self.number}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_on is not None


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "bezig", _("In progress")
    REACHED = "behaald", _("Reached")
    DROPPED = "vervallen", _("Dropped")


ACTIVE_GOAL_STATUSES = (GoalStatus.OPEN, GoalStatus.IN_PROGRESS)
GOAL_TITLE_WORDS = 12


class GoalKind(models.TextChoices):
    """A work goal is what the employer and the leermeester work on with the trainee; a
    support goal belongs to the other life domains (debts, housing, care, family) and stays
    in the academy: only work goals ever reach the employer."""

    WORK = "werkdoel", _("Work goal")
    SUPPORT = "ondersteuningsdoel", _("Support goal")


class Goal(models.Model):
    """A goal of the plan: a work goal or a support goal (``kind``). Text, kind and target
    date change with a new plan version; the status changes on its own, with a history
    (GoalStatusChange). A goal of unknown kind is a support goal: the safe side."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("route"),
    )
    description = models.TextField(_("description"))
    domain = models.ForeignKey(
        LifeDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("life domain"),
    )
    kind = models.CharField(
        _("kind of goal"), max_length=20, choices=GoalKind.choices, default=GoalKind.SUPPORT
    )
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_in = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("since plan version"),
    )
    # Moves on with every status change and every plan change of this goal: a change made on
    # a phone carries the version it was made on, and is not applied over a newer one.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["route", "order", "pk"]
        indexes = [models.Index(fields=["route", "status"], name="goal_route_status")]

    def __str__(self) -> str:
        # Shown in tags and form choices: shortened at a word, never in the middle of one.
        return Truncator(self.description).words(GOAL_TITLE_WORDS, truncate="…")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_GOAL_STATUSES


class GoalStatusChange(models.Model):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("goal")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=GoalStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=GoalStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # Sent from the phone's offline queue (see ProgressEntry).
    client_uuid = models.UUIDField(_("id given by the phone"), null=True, blank=True, unique=True)
    made_at = models.DateTimeField(_("made on the phone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("goal status change")
        verbose_name_plural = _("goal status changes")
        ordering = ["goal", "on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.from_status} -> {self.to_status}"
