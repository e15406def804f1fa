from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Role


class InvitationForm(forms.ModelForm):
    """Invite someone into the beheerder's own academy."""

    class Meta:
        model = Invitation
        fields = ["email", "role", "employer"]

    def __init__(self, *args, academy, **kwargs):
        super().__init__(*args, **kwargs)
        self.academy = academy
        # The field's own queryset (employers.Employer, named by the model's string key), so
        # accounts imports no employers module.
        employer = self.fields["employer"]
        employer.queryset = employer.queryset.filter(academy=academy)
        employer.required = False
        employer.help_text = _("Only for the role employer / leermeester.")
        # A participant is invited by their coach, from the participant's page.
        self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.DEELNEMER]

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.WERKGEVER and not data.get("employer"):
            self.add_error("employer", _("Choose the employer this person works for."))
        return data


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RoleChangeForm(forms.Form):
    """Change a membership's role among the roles a beheerder changes here (the others are
    given by invitation, so the other beheerders are told)."""

    role = forms.ChoiceField(label=_("Role"))
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Invitation._meta.get_field("employer").related_model._default_manager.none(),
        required=False,
        help_text=_("Only for the role employer / leermeester."),
    )

    def __init__(self, *args, academy, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Role.choices if c[0] in roles]
        model = Invitation._meta.get_field("employer").related_model
        self.fields["employer"].queryset = model._default_manager.filter(academy=academy)
