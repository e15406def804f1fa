"""The forms of the results pages: the dashboard's filters and what to split by; the ESF+
record; the ESF+ report's project and period."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerq.forms import FastSelect
from participants.models import RouteType

from ..dashboard.figures import Filters
from ..dashboard.forms import (
    DashboardFilterForm,
    FunderListForm,
    national_period_dates,
    national_periods,
)
from ..models import EsfRecord
from .outcomes import ACADEMY_DIMENSIONS, DIMENSIONS


class ResultsFilterForm(DashboardFilterForm):
    per = forms.ChoiceField(
        label=_("Split by"),
        choices=[(key, DIMENSIONS[key].title) for key in ACADEMY_DIMENSIONS],
        required=False,
        widget=FastSelect(attrs={"class": "form-select"}),
    )

    def split_by(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data["per"]:
            return str(self.cleaned_data["per"])
        return ACADEMY_DIMENSIONS[0]


ESF_ENTRY_FIELDS = [
    "entry_on",
    "sex",
    "labour_market_status",
    "isced_level",
    "disability",
    "foreign_background",
    "minority",
    "homeless",
]
ESF_EXIT_FIELDS = [
    "exit_on",
    "exit_education",
    "exit_qualification",
    "exit_employed",
    "exit_better",
]
ESF_M6_FIELDS = ["m6_on", "m6_education", "m6_qualification", "m6_employed", "m6_better"]


class _Date(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(attrs={"class": "form-control"}, format="%Y-%m-%d")


class _YesNo(forms.NullBooleanSelect):
    def __init__(self):
        super().__init__(attrs={"class": "form-select"})


class EsfRecordForm(forms.ModelForm):
    """The regisseur's ESF+ form: entry, exit and six months after, each optional. The
    fields are listed explicitly (never ``__all__``)."""

    class Meta:
        model = EsfRecord
        fields = [*ESF_ENTRY_FIELDS, *ESF_EXIT_FIELDS, *ESF_M6_FIELDS]
        widgets = {
            **{name: _Date() for name in ("entry_on", "exit_on", "m6_on")},
            **{name: _YesNo() for name in ESF_EXIT_FIELDS[1:] + ESF_M6_FIELDS[1:]},
            **{name: FastSelect() for name in ESF_ENTRY_FIELDS[1:]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ESF_ENTRY_FIELDS[1:]:
            self.fields[name].choices = [("", _("Not asked")), *self.fields[name].choices[1:]]

    def sections(self):
        """The three moments, each with its fields (for the template)."""
        return [
            (_("At entry"), [self[name] for name in ESF_ENTRY_FIELDS]),
            (_("At exit"), [self[name] for name in ESF_EXIT_FIELDS]),
            (_("Six months after exit"), [self[name] for name in ESF_M6_FIELDS]),
        ]


class EsfReportForm(FunderListForm):
    """A project (programme) of the academy and a funding period, as for the funder list."""


class ComparisonFilterForm(forms.Form):
    """The comparison's filters: a whole quarter or year from a list (never loose dates, as
    in the national view: reporting.small_numbers) and a route type."""

    period = forms.ChoiceField(
        label=_("Period (start)"), required=False, widget=FastSelect(attrs={"class": "form-select"})
    )
    route_type = forms.ChoiceField(
        label=_("Route type"),
        choices=[("", _("All")), *RouteType.choices],
        required=False,
        widget=FastSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["period"].choices = [("", _("All")), *national_periods(timezone.localdate())]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        start_from, start_to = national_period_dates(self.cleaned_data["period"])
        return Filters(
            start_from=start_from, start_to=start_to, route_type=self.cleaned_data["route_type"]
        )
