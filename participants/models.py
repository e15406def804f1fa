"""Participants (the young people) and the cohorts (groups) they learn in."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Academy, Programme


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
        return f"{self.programme.name} {self.name}"

    @property
    def end_date(self) -> date:
        """The first day the group no longer counts: start + duration half-years."""
        months = self.start_date.month - 1 + 6 * self.duration_half_years
        return self.start_date.replace(
            year=self.start_date.year + months // 12, month=months % 12 + 1, day=1
        )


class Participant(models.Model):
    """A young person (16-27) in the academy. Ids are UUIDs: never a guessable sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="participants", verbose_name=_("academy")
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("programme"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("cohort"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("coach"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["academy", "coach"], name="participant_academy_coach")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


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
