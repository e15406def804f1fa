"""The participant's own voice in the route (written in the portal app): a short reflection on
a goal or an evaluation, and how they say they feel this week.

Self-reported well-being is kept apart from the coach's scores (ProgressEntry.wellbeing), on
the same 1-5 scale, so the two lines can be compared and never mixed up.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .qfit import Goal
from .tracking import Evaluation, Wellbeing

MAX_REFLECTION_LENGTH = 1000


class Reflection(models.Model):
    """A participant's own words on one goal or one evaluation of their route."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="reflections",
        verbose_name=_("route"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("goal"),
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("evaluation"),
    )
    # A varchar: the database holds the length limit too, not only the form.
    text = models.CharField(_("reflection"), max_length=MAX_REFLECTION_LENGTH)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["route", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, evaluation__isnull=True)
                | Q(goal__isnull=True, evaluation__isnull=False),
                name="reflection_on_goal_or_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} reflection {self.created_at:%Y-%m-%d}"


class SelfReportedWellbeing(models.Model):
    """How the participant says they feel in one week (the Monday it starts), 1-5."""

    route = models.ForeignKey(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="self_reported_wellbeing",
        verbose_name=_("route"),
    )
    week_start = models.DateField(_("week of"))
    score = models.PositiveSmallIntegerField(
        _("how I feel"),
        choices=Wellbeing.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    updated_at = models.DateTimeField(_("reported"), auto_now=True)

    class Meta:
        verbose_name = _("self-reported well-being")
        verbose_name_plural = _("self-reported well-being")
        ordering = ["route", "-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "week_start"], name="selfwellbeing_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="selfwellbeing_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id} week {self.week_start}: {self.score}"
