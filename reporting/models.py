"""Background report jobs (ReportRun) and the per-programme forecast setting.

A ReportRun is the row a person's browser polls while a worker makes their file: status,
progress, a message, and at the end the file itself, stored under MEDIA_ROOT/reports/ (outside
the web root) and served only by a view that checks access again. Files expire.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Academy, Programme, Role

REPORT_FILE_LIFETIME = timedelta(hours=24)


def report_run_expires_default():
    return timezone.now() + REPORT_FILE_LIFETIME


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class ReportRun(models.Model):
    """One requested export. ``parameters`` hold ids, months and codes only, never personal
    data (the broker and the logs see them). ``message`` holds an English msgid that is
    translated when shown, so a person reads it in their own language."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_runs",
        verbose_name=_("requested by"),
    )
    academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="report_runs", verbose_name=_("academy")
    )
    role = models.CharField(
        _("requested as"),
        max_length=20,
        choices=Role.choices,
        help_text=_("The role the requester acted in; access to the file is checked against it."),
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    message = models.CharField(_("message"), max_length=200, blank=True)
    file = models.CharField(
        _("file"), max_length=200, blank=True, help_text=_("Path under MEDIA_ROOT.")
    )
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), default=report_run_expires_default)
    # The consent scopes (participants.ConsentScope) the file relied on when it was made
    # (reporting.dossier.content.consents_depended_on); a download refuses the file when one
    # of them is no longer in force (reporting.views.run_download).
    consents_used = models.JSONField(_("consents relied on"), default=list, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["requested_by", "-created"], name="reportrun_requester_created"),
            models.Index(fields=["status", "expires"], name="reportrun_status_expires"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_max"),
            # At most one queued or running run per fingerprint: a second identical request
            # reuses it (reporting.services.report_run_request).
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(status__in=["queued", "running"]),
                name="reportrun_one_active_per_fingerprint",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == RunStatus.DONE and bool(self.file)

    @property
    def progress_step(self) -> int:
        """The progress rounded down to a step of 5, for the width classes of the bar."""
        return min(100, max(0, self.progress)) // 5 * 5

    @property
    def message_text(self) -> str:
        return gettext(self.message) if self.message else ""

    @property
    def kind_label(self) -> str:
        from .registry import report_kind_get

        kind = report_kind_get(self.kind)
        return str(kind.label) if kind else self.kind


class ForecastSettings(models.Model):
    """Per-programme settings of the intake forecast. Kept here rather than on Programme,
    which belongs to the accounts app."""

    programme = models.OneToOneField(
        Programme,
        on_delete=models.CASCADE,
        related_name="forecast_settings",
        verbose_name=_("programme"),
    )
    staff_per_ten_after_trial = models.DecimalField(
        _("staff per half-day per ten trainees after the trial period"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    # What the programme has: the forecast's need above it is a shortfall (the projectleider's
    # work queue). Empty until a planner says it.
    staff_available = models.PositiveSmallIntegerField(
        _("staff available per half-day"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
    )

    class Meta:
        verbose_name = _("forecast settings")
        verbose_name_plural = _("forecast settings")

    def __str__(self) -> str:
        return f"{self.programme}: {self.staff_per_ten_after_trial}"


# --- ESF+ participant data (issue 18) ---------------------------------------------------------
# What the European Social Fund's common indicators ask about a participation: at entry
# (output indicators), at exit and six months later (result indicators). Kept apart from the
# person record, one row per route (a participation in a project), so that no query for
# anything else carries it. Per person only the regisseur sees it (reporting.rules
# "reporting.view_esf_record"); everyone else gets aggregates (reporting.esf), the sensitive
# categories with the small-number rule.


class EsfSex(models.TextChoices):
    MAN = "man", _("Man")
    WOMAN = "vrouw", _("Woman")
    NON_BINARY = "non_binair", _("Non-binary")
    DECLINED = "wil_niet_zeggen", _("I'd rather not say")


class EsfAnswer(models.TextChoices):
    """A self-declared sensitive category: optional, and "rather not say" is an answer."""

    YES = "ja", _("Yes")
    NO = "nee", _("No")
    DECLINED = "wil_niet_zeggen", _("I'd rather not say")


class LabourMarketStatus(models.TextChoices):
    UNEMPLOYED = "werkloos", _("Unemployed (less than 12 months)")
    LONG_TERM_UNEMPLOYED = "langdurig_werkloos", _("Long-term unemployed (12 months or more)")
    INACTIVE = "inactief", _("Inactive (not working, not looking)")
    IN_EDUCATION = "onderwijs", _("In education or training")
    EMPLOYED = "werkend", _("Employed, including self-employed")


class IscedLevel(models.TextChoices):
    LOW = "isced_0_2", _("ISCED 0-2: at most lower secondary (VSO, PRO, VMBO, MBO 1)")
    MIDDLE = "isced_3_4", _("ISCED 3-4: upper secondary (MBO 2-4, HAVO, VWO)")
    HIGH = "isced_5_8", _("ISCED 5-8: higher education")


# The fields whose per-person value is a special category of personal data (AVG art. 9) or
# close to one: self-declared, optional, aggregated with the small-number rule only.
ESF_SENSITIVE_FIELDS = ("disability", "foreign_background", "minority", "homeless")


def _answer(label):
    return models.CharField(label, max_length=20, choices=EsfAnswer.choices, blank=True)


class EsfRecord(models.Model):
    """The ESF+ data of one route: entered by the regisseur at entry, at exit and six months
    after. A blank answer is "not asked"; a None result is "not known"."""

    route = models.OneToOneField(
        "participants.Route",
        on_delete=models.CASCADE,
        related_name="esf_record",
        verbose_name=_("route"),
    )
    # At entry: the common output indicators.
    entry_on = models.DateField(_("recorded at entry on"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=EsfSex.choices, blank=True)
    labour_market_status = models.CharField(
        _("labour-market status at entry"),
        max_length=20,
        choices=LabourMarketStatus.choices,
        blank=True,
    )
    isced_level = models.CharField(
        _("education level (ISCED)"), max_length=10, choices=IscedLevel.choices, blank=True
    )
    disability = _answer(_("has a disability"))
    foreign_background = _answer(_("has a foreign background"))
    minority = _answer(_("belongs to a minority"))
    homeless = _answer(_("homeless or excluded from housing"))
    # At exit and six months later: the common result indicators.
    exit_on = models.DateField(_("recorded at exit on"), null=True, blank=True)
    exit_education = models.BooleanField(_("in education or training"), null=True, blank=True)
    exit_qualification = models.BooleanField(_("gained a qualification"), null=True, blank=True)
    exit_employed = models.BooleanField(
        _("in employment, including self-employment"), null=True, blank=True
    )
    exit_better = models.BooleanField(_("better labour-market situation"), null=True, blank=True)
    m6_on = models.DateField(_("recorded six months after exit on"), null=True, blank=True)
    m6_education = models.BooleanField(_("in education or training"), null=True, blank=True)
    m6_qualification = models.BooleanField(_("gained a qualification"), null=True, blank=True)
    m6_employed = models.BooleanField(
        _("in employment, including self-employment"), null=True, blank=True
    )
    m6_better = models.BooleanField(_("better labour-market situation"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("ESF+ record")
        verbose_name_plural = _("ESF+ records")

    def __str__(self) -> str:
        return f"ESF+ {self.route_id}"


# The kept dashboard counts (reporting.dashboard.kept), one integer column each on
# AcademyMonthFigures ("d:status:gestart" -> column "d_status_gestart"). Written out, since a
# model cannot import the metrics (they build querysets); reporting.dashboard.kept refuses to
# start when its counter can write a key missing here, and a change here needs a migration.
# fmt: off
KEPT_KEYS: tuple[str, ...] = (
    "m:referred", "m:intake", "m:not_admitted", "m:started", "m:trial", "m:trial_passed",
    "m:contract", "m:active", "m:completed", "m:dropped_out", "m:outflow", "m:left_after_start",
    "m:certified", "m:outcome_succesvol", "m:outcome_negatief", "m:outcome_overig",
    "m:outcome_unknown", "m:m0_work_school", "m:m0_neither", "m:m0_unknown",
    "d:status:aangemeld", "d:status:intake", "d:status:gestart", "d:status:proefperiode",
    "d:status:contract", "d:status:afgerond", "d:status:uitgevallen", "d:status:niet_toegelaten",
    "d:status:unknown",
    "d:source:vso", "d:source:pro", "d:source:mbo1", "d:source:jeugdzorg", "d:source:gemeente",
    "d:source:uwv", "d:source:reintegratie", "d:source:zelf", "d:source:unknown",
    "d:reason:motivatie", "d:reason:problematiek", "d:reason:ontslag", "d:reason:gezondheid",
    "d:reason:verhuisd", "d:reason:ander_werk", "d:reason:zwangerschap", "d:reason:detentie",
    "d:reason:anders", "d:reason:unknown",
    "d:phase:aangemeld", "d:phase:intake", "d:phase:gestart", "d:phase:proefperiode",
    "d:phase:contract", "d:phase:unknown",
    "d:destination:werk_leerbedrijf", "d:destination:werk_elders", "d:destination:opleiding",
    "d:destination:dagbesteding", "d:destination:uitkering", "d:destination:unknown",
    "d:outcome:succesvol", "d:outcome:negatief", "d:outcome:overig", "d:outcome:unknown",
    "d:reason_succesvol:werk", "d:reason_succesvol:opleiding", "d:reason_succesvol:ontslag",
    "d:reason_succesvol:motivatie", "d:reason_succesvol:problematiek",
    "d:reason_succesvol:verhuisd", "d:reason_succesvol:zwangerschap", "d:reason_succesvol:wajong",
    "d:reason_succesvol:dagbesteding", "d:reason_succesvol:anders", "d:reason_succesvol:unknown",
    "d:reason_negatief:werk", "d:reason_negatief:opleiding", "d:reason_negatief:ontslag",
    "d:reason_negatief:motivatie", "d:reason_negatief:problematiek", "d:reason_negatief:verhuisd",
    "d:reason_negatief:zwangerschap", "d:reason_negatief:wajong",
    "d:reason_negatief:dagbesteding", "d:reason_negatief:anders", "d:reason_negatief:unknown",
    "d:reason_overig:werk", "d:reason_overig:opleiding", "d:reason_overig:ontslag",
    "d:reason_overig:motivatie", "d:reason_overig:problematiek", "d:reason_overig:verhuisd",
    "d:reason_overig:zwangerschap", "d:reason_overig:wajong", "d:reason_overig:dagbesteding",
    "d:reason_overig:anders", "d:reason_overig:unknown",
    "f:6:work_school", "f:6:neither", "f:6:unknown", "f:12:work_school", "f:12:neither",
    "f:12:unknown",
    "c:diploma",
    "cr:diploma",
    "c:deelcertificaat",
    "cr:deelcertificaat",
    "c:branche",
    "cr:branche",
    "c:q",
    "cr:q",
    "c:unknown",
)
# fmt: on
KEPT_COLUMNS: dict[str, str] = {key: re.sub(r"\W", "_", key) for key in KEPT_KEYS}


class AcademyMonthFigures(models.Model):
    """Derived data: the kept dashboard figures (participants.CohortFigures) added up per
    programme, month, started or not, and route type, one integer column per count
    (``reporting.dashboard.kept.KEPT_COLUMNS``). The national view sums these columns (a
    plain SUM over a few rows per academy and month, however many routes and cohorts)
    instead of unpacking every cohort's counts. ``month`` is the first day of the month of
    the period day, so a whole month, quarter or year reads exact figures.

    Kept by ``reporting.dashboard.kept.kept_months_refresh``, which participants.figures
    calls in the same transaction after every refresh of the cohort rows (and after their
    rebuild): idempotent, recomputed from the cohort rows of the touched months.
    """

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    started = models.BooleanField()
    route_type = models.CharField(max_length=2)

    class Meta:
        verbose_name = _("kept national figures")
        verbose_name_plural = _("kept national figures")
        indexes = [
            models.Index(fields=["academy", "month"], name="academymonth_academy_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "month", "started", "route_type"],
                name="academymonth_unique_slice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.month:%Y-%m} {self.route_type}"


for _column in KEPT_COLUMNS.values():
    AcademyMonthFigures.add_to_class(_column, models.PositiveIntegerField(default=0))
