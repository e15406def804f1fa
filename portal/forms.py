"""Forms of the participant portal: short, one question each, fields listed explicitly."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerroutes.models import MAX_REFLECTION_LENGTH, Wellbeing
from participants.models import ConsentScope


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("What do you think about it?"),
        max_length=MAX_REFLECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REFLECTION_LENGTH}),
        help_text=_("At most 1000 characters. Your coach reads this."),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("Keep it short: at most %(limit_value)d characters."),
        },
    )


class WellbeingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How do you feel this week?"),
        choices=Wellbeing.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a face."), "invalid_choice": _("Choose a face.")},
    )


# What a participant may give here, in the order they most often need it.
OWN_CONSENT_SCOPES = [
    ConsentScope.EMPLOYER_WORK_STATUS,
    ConsentScope.HANDELINGSWIJZER,
    ConsentScope.CANDIDATE_PROFILE,
    ConsentScope.CONTACT_PARENTS,
    ConsentScope.PHOTO,
    ConsentScope.REQUEST_INFORMATION,
]


class ConsentGiveForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("I give permission for"),
        choices=[(s.value, s.label) for s in OWN_CONSENT_SCOPES],
        help_text=_(
            "Work profile: when the academy proposes you for a job, that employer sees your "
            "first name, your programme and phase, your certificates and your work goals."
        ),
    )
    organisation = forms.CharField(
        label=_("Organisation (only for asking information)"),
        max_length=160,
        required=False,
    )


class GuardianInviteForm(forms.Form):
    guardian_name = forms.CharField(label=_("Name of the parent or guardian"), max_length=160)
    email = forms.EmailField(label=_("Email address of the parent or guardian"))
    agreed_by_participant_on = forms.DateField(
        label=_("The participant agreed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
