"""Forms of the employers app. They only parse input: the services validate the rules and
save. Field names equal the services' keyword arguments, so a service's ValidationError lands
beside its field. Every form lists its fields one by one (never "__all__"); the employer
workplace forms hold only what a leermeester fills in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from leerroutes.models import AssessmentScore, LeermeesterAssessment

from .models import (
    DEFAULT_CONTRACT_HOURS,
    MAX_PLACEMENT_HOURS,
    Commitment,
    Employer,
    EmployerContact,
    EmployerLocation,
    Placement,
    PlacementArrangement,
    PlacementEndReason,
    Vacancy,
)


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


def _hours(model: type[Model], name: str, **overrides) -> forms.Field:
    overrides.setdefault("widget", forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}))
    # The model's 0-40 validators are not copied into the form field: the service refuses
    # more than 40 hours with its own message, beside the field.
    return _field(model, name, **overrides)


def _today():
    return timezone.localdate()


class LabelledChoiceField(forms.ModelChoiceField):
    """A model choice shown with its employer, e.g. "Jan Visser · Nijland Infra"."""

    def label_from_instance(self, obj) -> str:
        return f"{obj} · {obj.employer}"


# --- staff: employers ------------------------------------------------------------------------


class EmployerForm(forms.Form):
    name = _field(Employer, "name")
    kvk_number = _field(
        Employer,
        "kvk_number",
        max_length=20,  # longer input reaches the service, which says what a KvK number is
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sector = _field(Employer, "sector")
    sbb_number = _field(Employer, "sbb_number")
    sbb_valid_until = _field(Employer, "sbb_valid_until", required=False)

    @classmethod
    def initial_from(cls, employer: Employer) -> dict:
        return {name: getattr(employer, name) for name in cls.base_fields}


class LocationForm(forms.Form):
    name = _field(EmployerLocation, "name")
    street = _field(EmployerLocation, "street")
    postcode = _field(EmployerLocation, "postcode")
    city = _field(EmployerLocation, "city")


class ContactForm(forms.Form):
    role = _field(EmployerContact, "role")
    name = _field(EmployerContact, "name")
    email = _field(EmployerContact, "email")
    phone = _field(EmployerContact, "phone")
    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Login"),
        help_text=_(
            "A leermeester who logs in: an employer login of this company, invited by the "
            "administrator."
        ),
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class CommitmentForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"))
    way = _field(Commitment, "way")
    job_commitment = _field(Commitment, "job_commitment")
    places = _field(Commitment, "places", min_value=0, max_value=100)
    since = forms.DateField(label=_("Since"), widget=_date_widget(), initial=_today)
    notes = _text(Commitment, "notes", rows=2)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class VacancyForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"))
    function = _field(Vacancy, "function")
    level = _field(Vacancy, "level")
    starts_on = _field(Vacancy, "starts_on")
    places = _field(Vacancy, "places", max_value=50)
    min_phase = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("From phase"),
        help_text=Vacancy._meta.get_field("min_phase").help_text,
    )
    location = forms.ModelChoiceField(queryset=None, required=False, label=_("Location"))
    description = _text(Vacancy, "description", rows=3)

    def __init__(self, *args, programmes, phases, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["min_phase"].queryset = phases
        self.fields["min_phase"].label_from_instance = lambda p: f"{p.programme.name}: {p.name}"
        self.fields["location"].queryset = locations


# --- staff: placements -----------------------------------------------------------------------


def _plausible_date(value) -> None:
    """A placement starts within fifty years of today: beyond that it is a typing error (and
    the trial end computed from it would not be a date)."""
    if abs(value.year - _today().year) > 50:
        raise forms.ValidationError(_("Give a date within fifty years of today."))


class PlacementForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=None, label=_("Participant"))
    employer = forms.ModelChoiceField(queryset=None, label=_("Employer"))
    kind = _field(Placement, "kind")
    location = LabelledChoiceField(queryset=None, required=False, label=_("Location"))
    leermeester = LabelledChoiceField(queryset=None, required=False, label=_("Leermeester"))
    start_date = forms.DateField(
        label=_("Start"), widget=_date_widget(), initial=_today, validators=[_plausible_date]
    )
    end_date = forms.DateField(
        label=_("End"),
        widget=_date_widget(),
        required=False,
        help_text=_("Leave empty while the end is not known."),
    )
    hours_per_week = _hours(Placement, "hours_per_week", required=False)
    trial_ends_on = forms.DateField(
        label=_("Trial period ends"),
        widget=_date_widget(),
        required=False,
        help_text=_("For a trial placement: three months after the start unless given here."),
    )

    def __init__(self, *args, participants, employers, locations, leermeesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: p.full_name
        self.fields["employer"].queryset = employers
        self.fields["location"].queryset = locations
        self.fields["leermeester"].queryset = leermeesters


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Last day"), widget=_date_widget(), initial=_today)
    reason = forms.ChoiceField(label=_("Reason"), choices=PlacementEndReason.choices)
    note = _text(Placement, "end_note", rows=2, label=_("Note"))


class TrialPassForm(forms.Form):
    passed_on = forms.DateField(
        label=_("Trial period passed on"), widget=_date_widget(), initial=_today
    )
    contract_hours = _hours(
        Placement,
        "contract_hours",
        initial=Decimal(DEFAULT_CONTRACT_HOURS),
        help_text=_("Usually 32 hours (0.8 fte)."),
    )


class ArrangementForm(forms.Form):
    kind = _field(PlacementArrangement, "kind")
    starts_on = _field(PlacementArrangement, "starts_on")
    ends_on = _field(PlacementArrangement, "ends_on", required=False)
    reference = _field(PlacementArrangement, "reference")


# --- SROI ------------------------------------------------------------------------------------


class SroiPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=_date_widget())
    end = forms.DateField(label=_("To"), widget=_date_widget())

    @staticmethod
    def default_period() -> dict:
        today = _today()
        return {"start": today.replace(month=1, day=1), "end": today.replace(month=12, day=31)}

    # The tender's social-return norm (optional): its basis, the norm and the value of an hour.
    basis = forms.DecimalField(
        label=_("Tender sum or labour cost (EUR)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    norm_percent = forms.DecimalField(
        label=_("Social-return norm (%)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        initial=Decimal(5),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    hour_value = forms.DecimalField(
        label=_("Value of one hour (EUR)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        if data.get("basis") and not data.get("hour_value"):
            self.add_error(
                "hour_value", _("Give the value of one hour to set the hours against the norm.")
            )
        return data

    def norm_values(self) -> dict | None:
        """The norm's inputs for employers.selectors.sroi_norm, or None when none is asked."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("basis"):
            return None
        data = self.cleaned_data
        return {
            "basis": data["basis"],
            "hour_value": data["hour_value"],
            "percent": data["norm_percent"] or Decimal(5),
        }


# --- the employer's workplace pages ---------------------------------------------------------------


class HoursConfirmForm(forms.Form):
    """Several weeks at once: one field per week the trainee worked here (newest first),
    prefilled with the hours the academy logged. A week left empty is skipped; the service
    confirms the rest (``hours`` in cleaned_data: {monday: hours})."""

    def __init__(self, *args, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.weeks = weeks
        for week in weeks:
            self.fields[self.field_name(week.week_start)] = forms.DecimalField(
                label=_("Week of %(day)s") % {"day": date_format(week.week_start, "j F Y")},
                required=False,
                min_value=0,
                max_digits=4,
                decimal_places=1,
                initial=week.practice_hours,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )

    @staticmethod
    def field_name(monday: date) -> str:
        return f"hours_{monday.isoformat()}"

    def rows(self):
        """(week, bound field) for the template, newest week first."""
        return [(week, self[self.field_name(week.week_start)]) for week in self.weeks]

    def clean(self):
        cleaned = super().clean()
        cleaned["hours"] = {
            week.week_start: cleaned[name]
            for week in self.weeks
            if cleaned.get(name := self.field_name(week.week_start)) is not None
        }
        return cleaned


class CandidateInviteForm(forms.Form):
    conversation_on = forms.DateField(
        label=_("Conversation on"), widget=_date_widget(), initial=_today
    )


class CandidateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("ja", _("Yes, this candidate may start with us")),
            ("nee", _("No")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("The academy reads it, and tells the young person."),
    )


class CandidateTrialForm(forms.Form):
    trial_start_date = forms.DateField(
        label=_("Trial period starts on"), widget=_date_widget(), initial=_today
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=0,
        max_value=MAX_PLACEMENT_HOURS,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def _score(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=capfirst(LeermeesterAssessment._meta.get_field(name).verbose_name),
        choices=[("", "—"), *AssessmentScore.choices],
        coerce=int,
    )


class WorkplaceAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date"), widget=_date_widget(), initial=_today)
    work_attitude = _score("work_attitude")
    professional_skills = _score("professional_skills")
    cooperation = _score("cooperation")
    safety = _score("safety")
    remarks = _text(LeermeesterAssessment, "remarks", rows=3)
