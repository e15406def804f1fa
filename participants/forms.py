"""Forms of the participant record. They only parse input: the services validate the rules
and save. Field names equal the services' keyword arguments, so a service's ValidationError
lands beside the field it is about."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maatwerq.accounts.models import Programme, Role, User

from .models import (
    CareNote,
    Cohort,
    Consent,
    FollowUp,
    FundingStream,
    Handover,
    NetworkContact,
    Participant,
    Route,
)
from .services import (
    INDIVIDUAL_ROUTE_TYPES,
    PersonData,
    ReferralData,
    route_type_age_warning,
)


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field(model: type[Model], name: str, **overrides) -> forms.Field:
    """The model field's own form field (label, choices, help text), with overrides."""
    model_field = model._meta.get_field(name)
    if model_field.get_internal_type() == "DateField":
        overrides.setdefault("widget", _date_widget())
    return model_field.formfield(**overrides)


def _text(model: type[Model], name: str, **overrides) -> forms.Field:
    overrides.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return _field(model, name, **overrides)


class PersonForm(forms.Form):
    """The person's details. The BSN only for the regisseur; the coach only for who assigns."""

    first_name = _field(Participant, "first_name")
    last_name = _field(Participant, "last_name")
    date_of_birth = _field(Participant, "date_of_birth")
    phone = _field(Participant, "phone", widget=forms.TextInput(attrs={"type": "tel"}))
    email = _field(Participant, "email")
    street = _field(Participant, "street")
    postcode = _field(Participant, "postcode")
    city = _field(Participant, "city")
    prior_education = _field(Participant, "prior_education")
    funding_stream = _field(Participant, "funding_stream")
    bsn = _field(Participant, "bsn", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    coach = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Coach"))

    def __init__(self, *args, academy, can_see_bsn: bool, can_assign_coach: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_see_bsn:
            del self.fields["bsn"]
        if can_assign_coach:
            self.fields["coach"].queryset = User.objects.filter(
                memberships__academy=academy,
                memberships__role=Role.COACH,
                memberships__is_active=True,
            ).order_by("full_name", "email")
        else:
            del self.fields["coach"]

    def person(self, *, bsn: str = "") -> PersonData:
        """The cleaned details; ``bsn`` is kept as it was when the form has no BSN field."""
        data = self.cleaned_data
        return PersonData(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"].strip(),
            street=data["street"].strip(),
            postcode=data["postcode"].strip().upper(),
            city=data["city"].strip(),
            prior_education=data["prior_education"],
            funding_stream=data["funding_stream"],
            bsn=data["bsn"].strip() if "bsn" in data else bsn,
        )


class ReferralForm(forms.Form):
    """A route's referral. The route type's usual age range is a warning, not an error: the
    first submit shows it with a tick box, ticking it saves anyway."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    route_type = _field(Route, "route_type")
    school = _field(Route, "school")
    referral_date = _field(Route, "referral_date", initial=timezone.localdate)
    referral_source = _field(Route, "referral_source")
    referring_organisation = _field(Route, "referring_organisation")
    referrer_contact = _field(Route, "referrer_contact")
    accept_age_warning = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label=_("Save anyway")
    )

    def __init__(self, *args, academy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(academy=academy)

    def check_age_warning(self, date_of_birth) -> bool:
        """After is_valid(): False (with the warning at the tick box) when the age is outside
        the route type's range and the warning was not accepted yet."""
        data = self.cleaned_data
        warning = route_type_age_warning(
            date_of_birth=date_of_birth,
            route_type=data["route_type"],
            on=data["referral_date"],
            programme=data["programme"],
        )
        if not warning or data["accept_age_warning"]:
            return True
        self.fields["accept_age_warning"].widget = forms.CheckboxInput()
        self.add_error(
            "accept_age_warning", _("%(warning)s Tick to save anyway.") % {"warning": warning}
        )
        return False

    def referral(self) -> ReferralData:
        data = self.cleaned_data
        return ReferralData(
            programme=data["programme"],
            route_type=data["route_type"],
            referral_date=data["referral_date"],
            referral_source=data["referral_source"],
            school=data["school"].strip(),
            referring_organisation=data["referring_organisation"].strip(),
            referrer_contact=data["referrer_contact"].strip(),
        )


class StepForm(forms.Form):
    """A step of a route: every step form knows the route it is for."""

    def __init__(self, *args, route: Route, **kwargs):
        self.route = route
        super().__init__(*args, **kwargs)


class IntakeForm(StepForm):
    intake_date = _field(Route, "intake_date", required=True, initial=timezone.localdate)
    intake_outcome = _field(Route, "intake_outcome", required=True)
    intake_outcome_reason = _text(
        Route,
        "intake_outcome_reason",
        help_text=_("Needed when the person is not admitted."),
    )


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cohort) -> str:
        # Not str(cohort): that reads the programme, one query per option.
        return f"{obj.name} ({date_format(obj.start_date)})"


class StartForm(StepForm):
    start_date = _field(Route, "start_date", required=True, initial=timezone.localdate)
    cohort = CohortChoiceField(
        queryset=Cohort.objects.none(),
        label=_("Group"),
        required=False,
        help_text=_("For a group route (2). An individual route (1a, 1b) starts without a group."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.route.route_type in INDIVIDUAL_ROUTE_TYPES:
            del self.fields["cohort"]  # an individual route starts on its own date
            return
        self.fields["cohort"].queryset = Cohort.objects.filter(
            programme=self.route.programme_id
        ).order_by("-start_date")
        if self.route.cohort_id:
            self.fields["cohort"].initial = self.route.cohort_id


class EmployerStepForm(StepForm):
    """A step that places the participant at an employer of their academy. The employer
    model is looked up by name: employers sits above participants (see route_placements)."""

    employer = forms.ModelChoiceField(queryset=None, required=False, label=_("Employer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        employer_model = apps.get_model("employers", "Employer")
        self.fields["employer"].queryset = employer_model.objects.filter(
            academy=self.route.participant.academy_id
        ).order_by("name")


class TrialForm(EmployerStepForm):
    trial_start_date = _field(Route, "trial_start_date", required=True, initial=timezone.localdate)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), required=False, min_value=0, max_value=40, decimal_places=1
    )
    field_order = ["trial_start_date", "employer", "hours_per_week"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].help_text = _(
            "The employer of the trial placement, which starts on the trial date. Leave empty "
            "when the trial placement has already been recorded."
        )


class ContractForm(EmployerStepForm):
    contract_date = _field(Route, "contract_date", required=True, initial=timezone.localdate)
    contract_hours = forms.DecimalField(
        label=_("Contract hours per week"),
        initial=32,
        required=False,
        help_text=_("32 (0.8 fte) when left empty."),
        min_value=1,
        max_value=40,
        decimal_places=1,
    )
    field_order = ["contract_date", "employer", "contract_hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].help_text = _(
            "Leave empty for a contract at the employer of the trial placement; choose another "
            "employer when the contract is there."
        )


class OutflowForm(StepForm):
    end_date = _field(Route, "end_date", required=True, initial=timezone.localdate)
    destination = _field(Route, "destination", required=True)
    contract_type = _field(Route, "contract_type")
    contract_hours = _field(Route, "contract_hours")
    still_on_benefit = forms.NullBooleanField(
        required=False,
        label=_("Still receives a benefit"),
        widget=forms.NullBooleanSelect,
    )
    wajong_granted = forms.BooleanField(required=False, label=_("A Wajong benefit was granted"))
    outflow_notes = _text(Route, "outflow_notes")


class DropOutForm(OutflowForm):
    dropout_reason = _field(Route, "dropout_reason", required=True)
    field_order = ["end_date", "dropout_reason", "destination"]


class UndoForm(StepForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this step is undone. It stays in the route's history."),
    )


class HandoverForm(forms.Form):
    on_date = _field(Handover, "on_date", initial=timezone.localdate)
    to_organisation = _field(Handover, "to_organisation", label=_("New lead"))
    to_name = _field(Handover, "to_name", label=_("Name of the organisation"))
    notes = _text(Handover, "notes")


class CareNoteForm(forms.Form):
    written_on = _field(CareNote, "written_on", initial=timezone.localdate)
    text = _text(CareNote, "text", widget=forms.Textarea(attrs={"rows": 5}))


class NetworkContactForm(forms.Form):
    role = _field(NetworkContact, "role")
    name = _field(NetworkContact, "name")
    organisation = _field(NetworkContact, "organisation")
    phone = _field(NetworkContact, "phone", widget=forms.TextInput(attrs={"type": "tel"}))
    email = _field(NetworkContact, "email")
    involved_in_goals = _field(NetworkContact, "involved_in_goals")


class ConsentForm(forms.Form):
    scope = _field(Consent, "scope")
    organisation = _field(Consent, "organisation")
    given_on = _field(Consent, "given_on", initial=timezone.localdate)
    given_by = _field(Consent, "given_by")
    given_by_name = _field(Consent, "given_by_name")


class ConsentRequestForm(forms.Form):
    scope = _field(Consent, "scope")
    organisation = _field(Consent, "organisation")


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = _field(Consent, "withdrawn_on", required=True, initial=timezone.localdate)


class FollowUpForm(forms.Form):
    done_on = _field(FollowUp, "done_on", required=True, initial=timezone.localdate)
    situation = _field(FollowUp, "situation", required=True)
    notes = _text(FollowUp, "notes")


class RouteFundingForm(forms.Form):
    """Co-funding: a share (percent) per funding stream; empty streams do not pay. The
    shares must add up to 100 (checked by participants.services.route_funding_set, which
    puts its refusal beside the first share filled in); none at all: the participant's own
    stream pays all."""

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        current = {f.stream: f.share_percent for f in route.fundings.all()}
        for stream, label in FundingStream.choices:
            if stream == FundingStream.NONE:
                continue
            self.fields[f"share_{stream}"] = forms.IntegerField(
                label=_("%(stream)s (share in %%)") % {"stream": label},
                required=False,
                min_value=0,
                max_value=100,
                initial=current.get(stream),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def shares(self) -> dict[str, int | None]:
        return {name.removeprefix("share_"): value for name, value in self.cleaned_data.items()}
