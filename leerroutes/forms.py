"""Forms of the route. They parse input; the services validate the rules and save. Field names
equal the services' keyword arguments, so a service's ValidationError lands beside its field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    MAX_WEEK_HOURS,
    Certificate,
    Evaluation,
    Goal,
    GoalKind,
    GoalStatus,
    Handelingswijzer,
    HoursWeek,
    Intensity,
    LeermeesterAssessment,
    Plan,
    ProgressEntry,
    RocResult,
    Supporter,
    SupportNeed,
    Wellbeing,
)
from .services import MAX_EVIDENCE_BYTES, DomainAnalysis, DomainSupport, GoalData


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field(model: type[Model], name: str, **overrides) -> forms.Field:
    """The model field's own form field (label, choices, help text), with overrides."""
    model_field = model._meta.get_field(name)
    if model_field.get_internal_type() == "DateField":
        overrides.setdefault("widget", _date_widget())
    return model_field.formfield(**overrides)


def _text(model: type[Model], name: str, rows: int = 3, **overrides) -> forms.Field:
    overrides.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    return _field(model, name, **overrides)


def _today():
    return timezone.localdate()


# --- analysis and arrangement: one group of fields per life domain ---------------------------


class _PerDomainForm(forms.Form):
    """Adds fields named ``d<pk>_<name>`` for every life domain; ``domain_rows`` groups them
    for the template."""

    per_domain: tuple[str, ...] = ()

    def __init__(self, *args, domains, **kwargs):
        self.domains = list(domains)
        super().__init__(*args, **kwargs)
        for domain in self.domains:
            for name, field in self.domain_fields().items():
                self.fields[f"d{domain.pk}_{name}"] = field

    def domain_fields(self) -> dict[str, forms.Field]:
        raise NotImplementedError

    def domain_rows(self):
        return [
            (domain, [self[f"d{domain.pk}_{name}"] for name in self.per_domain])
            for domain in self.domains
        ]

    def _domain_value(self, domain, name):
        return self.cleaned_data.get(f"d{domain.pk}_{name}")


class AnalysisForm(_PerDomainForm):
    per_domain = ("talents", "support_questions", "support_need")

    made_on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def domain_fields(self):
        return {
            "talents": forms.CharField(
                label=_("Talents"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            ),
            "support_questions": forms.CharField(
                label=_("Support questions"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
            "support_need": forms.TypedChoiceField(
                label=_("Support need"),
                choices=SupportNeed.choices,
                coerce=int,
                initial=SupportNeed.NONE,
            ),
        }

    @staticmethod
    def initial_from(analysis) -> dict:
        if analysis is None:
            return {}
        initial = {"summary": analysis.summary}
        for row in analysis.domains.all():
            initial[f"d{row.domain_id}_talents"] = row.talents
            initial[f"d{row.domain_id}_support_questions"] = row.support_questions
            initial[f"d{row.domain_id}_support_need"] = row.support_need
        return initial

    def domain_data(self) -> list[DomainAnalysis]:
        return [
            DomainAnalysis(
                domain=domain,
                talents=self._domain_value(domain, "talents") or "",
                support_questions=self._domain_value(domain, "support_questions") or "",
                support_need=self._domain_value(domain, "support_need") or 0,
            )
            for domain in self.domains
        ]


class ArrangementForm(_PerDomainForm):
    per_domain = ("intensity", "supporters", "hours_per_week")

    decided_on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    is_24_hour = forms.BooleanField(label=_("24-hour arrangement"), required=False)
    outside_work = forms.CharField(
        label=_("What it covers outside work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a 24-hour arrangement: living, free time, nights, weekends."),
    )

    def domain_fields(self):
        return {
            "intensity": forms.ChoiceField(
                label=_("Intensity"),
                choices=[("", _("No support needed")), *Intensity.choices],
                required=False,
            ),
            "supporters": forms.MultipleChoiceField(
                label=_("Who supports"),
                choices=Supporter.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
            "hours_per_week": forms.DecimalField(
                label=_("Hours per week"),
                required=False,
                min_value=0,
                max_value=40,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            ),
        }

    @staticmethod
    def initial_from(arrangement) -> dict:
        if arrangement is None:
            return {}
        initial = {
            "is_24_hour": arrangement.is_24_hour,
            "outside_work": arrangement.outside_work,
        }
        for row in arrangement.domains.all():
            initial[f"d{row.domain_id}_intensity"] = row.intensity
            initial[f"d{row.domain_id}_supporters"] = row.supporters
            initial[f"d{row.domain_id}_hours_per_week"] = row.hours_per_week
        return initial

    def domain_data(self) -> list[DomainSupport]:
        """Only the domains that get support (an intensity was chosen)."""
        return [
            DomainSupport(
                domain=domain,
                intensity=self._domain_value(domain, "intensity"),
                supporters=self._domain_value(domain, "supporters") or [],
                hours_per_week=self._domain_value(domain, "hours_per_week") or Decimal(0),
            )
            for domain in self.domains
            if self._domain_value(domain, "intensity")
        ]


# --- plan ------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    # The version the editor started from; the service refuses the save if it moved on.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    plan_date = forms.DateField(label=_("Plan date"), widget=_date_widget(), initial=_today)
    perspective = _text(Plan, "perspective", rows=3)
    support_plan = _text(Plan, "support_plan", rows=5)


class GoalForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Blank for a new goal: its life domain decides (work domains make a work goal, the rest
    # a support goal: leerroutes.defaults.goal_kind_for_domain).
    kind = forms.ChoiceField(
        label=_("Kind of goal"),
        choices=[("", _("As its life domain says")), *GoalKind.choices],
        required=False,
        help_text=_("Only work goals are shared with the employer."),
    )
    domain = forms.ModelChoiceField(queryset=None, label=_("Life domain"), required=False)
    target_date = forms.DateField(label=_("Target date"), widget=_date_widget(), required=False)

    def __init__(self, *args, domains=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains

    def clean(self):
        data = super().clean()
        if not self.has_changed() and not data.get("pk"):
            return data
        if not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the goal."))
        if data.get("target_date") is None and "target_date" not in self.errors:
            self.add_error("target_date", _("Give a target date."))
        return data


class BaseGoalFormSet(forms.BaseFormSet):
    def goal_data(self) -> list[GoalData]:
        """The goals in form order; untouched empty rows are left out."""
        goals = []
        for row, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or (not data.get("pk") and not form.has_changed()):
                continue
            goals.append(
                GoalData(
                    pk=data.get("pk"),
                    description=data.get("description") or "",
                    domain=data.get("domain"),
                    kind=data.get("kind") or None,
                    target_date=data.get("target_date"),
                    row=row,
                )
            )
        return goals


GoalFormSet = forms.formset_factory(GoalForm, formset=BaseGoalFormSet, extra=2, max_num=40)


def goal_initial(goal: Goal) -> dict:
    return {
        "pk": goal.pk,
        "description": goal.description,
        "kind": goal.kind,
        "domain": goal.domain_id,
        "target_date": goal.target_date,
    }


class PlanAgreementForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("The participant agreed on"), widget=_date_widget(), initial=_today
    )
    parent_name = _field(Plan, "parent_name", required=False)
    parent_agreed_on = forms.DateField(
        label=_("The parent or guardian agreed on"), widget=_date_widget(), required=False
    )


class SentFromPhone(forms.Form):
    """What a change made on a phone carries (static/js/offline.js fills them): the id the
    phone gave it, so a resend is recognised, and when it was made there."""

    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    made_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    # Who was logged in on the phone when it was made: a queue is never sent as another.
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        account = cleaned.pop("account", None)
        if account is not None and (self.user is None or account != self.user.pk):
            raise forms.ValidationError(
                _(
                    "This was made while another account was logged in on this phone. "
                    "Log in as that account to send it."
                )
            )
        return cleaned


class GoalStatusForm(SentFromPhone):
    to_status = forms.ChoiceField(label=_("New status"), choices=GoalStatus.choices)
    on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    # The goal's version the change was made on: not applied over a newer one.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


# --- progress log ----------------------------------------------------------------------------


class ProgressEntryForm(SentFromPhone):
    on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    wellbeing = forms.TypedChoiceField(
        label=_("How is it going?"),
        choices=Wellbeing.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a face."),
            "invalid_choice": _("Choose a face from 1 to 5."),
        },
    )
    text = _text(
        ProgressEntry,
        "text",
        rows=3,
        error_messages={"required": _("Write what happened.")},
    )
    goals = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Goals it touches"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours_present = forms.DecimalField(
        label=_("Hours present"),
        required=False,
        min_value=0,
        max_value=24,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    shareable = _field(ProgressEntry, "shareable", required=False)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals


# --- evaluations and results -----------------------------------------------------------------


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=_date_widget(), initial=_today)
    participant_attended = _field(Evaluation, "participant_attended", required=False)
    attendees = _text(Evaluation, "attendees", rows=2)
    goals_reviewed = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Goals reviewed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = _text(Evaluation, "summary", rows=4)
    phase_decision = forms.ModelChoiceField(
        queryset=None,
        label=_("Phase decision"),
        required=False,
        empty_label=None,
        help_text=_("Stay in the current phase, or move: only this decision moves the route."),
    )
    next_on = _field(Evaluation, "next_on", required=False)

    def __init__(self, *args, goals, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals_reviewed"].queryset = goals
        self.fields["phase_decision"].queryset = phases


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    leermeester_name = _field(LeermeesterAssessment, "leermeester_name")
    employer = forms.ModelChoiceField(queryset=None, label=_("Employer"), required=False)
    work_attitude = _field(LeermeesterAssessment, "work_attitude")
    professional_skills = _field(LeermeesterAssessment, "professional_skills")
    cooperation = _field(LeermeesterAssessment, "cooperation")
    safety = _field(LeermeesterAssessment, "safety")
    remarks = _text(LeermeesterAssessment, "remarks", rows=3)

    def __init__(self, *args, academy, **kwargs):
        super().__init__(*args, **kwargs)
        # The academy's employers, through the assessment's own foreign key: leerroutes sits
        # below employers and names its model only by the key's label.
        employer = LeermeesterAssessment._meta.get_field("employer").related_model
        self.fields["employer"].queryset = employer.objects.filter(academy=academy)
        for name in ("work_attitude", "professional_skills", "cooperation", "safety"):
            self.fields[name].coerce = int


class RocResultForm(forms.Form):
    kind = _field(RocResult, "kind")
    title = _field(RocResult, "title")
    on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    grade = _field(RocResult, "grade", required=False)
    passed = forms.NullBooleanField(
        label=_("Passed"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Not known yet")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    progress_percent = _field(RocResult, "progress_percent", required=False)


# --- certificates, hours, handelingswijzer ---------------------------------------------------


class CertificateForm(forms.Form):
    kind = _field(Certificate, "kind")
    title = _field(Certificate, "title")
    issued_on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    issuer = _field(Certificate, "issuer")
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("Optional. A PDF or an image (PNG or JPEG), at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class HoursForm(forms.Form):
    week_start = forms.DateField(
        label=_("Week of"),
        widget=_date_widget(),
        initial=_today,
        help_text=_("Any day of the week will do."),
    )
    practice_hours = _field(
        HoursWeek,
        "practice_hours",
        min_value=0,
        max_value=MAX_WEEK_HOURS,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    theory_hours = _field(
        HoursWeek,
        "theory_hours",
        min_value=0,
        max_value=MAX_WEEK_HOURS,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def clean(self):
        data = super().clean()
        practice, theory = data.get("practice_hours"), data.get("theory_hours")
        if practice is not None and theory is not None and practice + theory > MAX_WEEK_HOURS:
            self.add_error(
                "practice_hours",
                _("Practice and theory together are more than %(max)s hours a week.")
                % {"max": MAX_WEEK_HOURS},
            )
        return data


class HandelingswijzerForm(forms.Form):
    written_on = forms.DateField(
        label=_("Written with the participant on"), widget=_date_widget(), initial=_today
    )
    about_me = _text(Handelingswijzer, "about_me", rows=3)
    what_helps = _text(Handelingswijzer, "what_helps", rows=3)
    what_is_hard = _text(Handelingswijzer, "what_is_hard", rows=3)
    instructions = _text(Handelingswijzer, "instructions", rows=3)
    when_it_goes_wrong = _text(Handelingswijzer, "when_it_goes_wrong", rows=3)
