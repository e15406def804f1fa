"""Forms of the dashboard, the national view and the funder list: what the figures are
narrowed to. Every choice comes from a scoped selector; a programme or group outside it is
not a form error but a 404 (the views check ``out_of_scope``)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerq.forms import FastSelect
from participants.models import RouteType

from .dashboard import (
    Filters,
    dashboard_cohorts,
    dashboard_programmes,
    national_academies,
    national_branches,
)

ALL = _("All")
MAX_PERIOD_DAYS = 50 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%d")


def _select():
    return FastSelect(attrs={"class": "form-select"})


class _PeriodMixin(forms.Form):
    start_from = forms.DateField(label=_("Started from"), required=False, widget=DateInput())
    start_to = forms.DateField(label=_("Started up to"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("start_from"), cleaned.get("start_to")
        if first and last and last < first:
            self.add_error("start_to", _("The end of the period lies before its start."))
        elif first and last and (last - first).days > MAX_PERIOD_DAYS:
            self.add_error("start_to", _("Choose a shorter period."))
        return cleaned


class DashboardFilterForm(_PeriodMixin):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=ALL, widget=_select()
    )
    cohort = forms.ModelChoiceField(
        label=_("Group"), queryset=None, required=False, empty_label=ALL, widget=_select()
    )
    route_type = forms.ChoiceField(
        label=_("Route type"),
        choices=[("", ALL), *RouteType.choices],
        required=False,
        widget=_select(),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["programme"].queryset = dashboard_programmes(user)
        self.fields["cohort"].queryset = dashboard_cohorts(user)
        self.fields["cohort"].label_from_instance = lambda c: f"{c.programme.name} · {c.name}"

    @property
    def out_of_scope(self) -> bool:
        """A programme or group that is not the academy's (or does not exist): a 404."""
        return self.is_bound and any(name in self.errors for name in ("programme", "cohort"))

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            start_from=data["start_from"],
            start_to=data["start_to"],
            programme=data["programme"].pk if data["programme"] else None,
            cohort=data["cohort"].pk if data["cohort"] else None,
            route_type=data["route_type"],
        )


class NationalFilterForm(_PeriodMixin):
    academy = forms.ModelChoiceField(
        label=_("Academy"), queryset=None, required=False, empty_label=ALL, widget=_select()
    )
    branch = forms.ChoiceField(label=_("Project (branch)"), required=False, widget=_select())
    route_type = forms.ChoiceField(
        label=_("Route type"),
        choices=[("", ALL), *RouteType.choices],
        required=False,
        widget=_select(),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["academy"].queryset = national_academies()
        self.fields["branch"].choices = [("", ALL), *((n, n) for n in national_branches())]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            start_from=data["start_from"],
            start_to=data["start_to"],
            academy=data["academy"].pk if data["academy"] else None,
            branch=data["branch"],
            route_type=data["route_type"],
        )


class FunderListForm(_PeriodMixin):
    """The funder's participant list: one programme (project) and a period, both required."""

    programme = forms.ModelChoiceField(
        label=_("Project (programme)"), queryset=None, empty_label=None, widget=_select()
    )
    start_from = forms.DateField(label=_("Period from"), widget=DateInput())
    start_to = forms.DateField(label=_("Period up to"), widget=DateInput())
    field_order = ["programme", "start_from", "start_to"]

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["programme"].queryset = dashboard_programmes(user)

    @property
    def out_of_scope(self) -> bool:
        return self.is_bound and "programme" in self.errors


def default_funder_period(today: date) -> tuple[date, date]:
    """The last full calendar year, the period funders usually ask about."""
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
