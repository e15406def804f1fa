"""The funder report page's form: a kind the person may run, a project and a period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerq.forms import FastSelect

from ..dashboard.forms import FunderListForm
from . import REGISTRY, FunderReport, funder_reports_for


class FunderReportForm(FunderListForm):
    report = forms.ChoiceField(
        label=_("Report for"), widget=FastSelect(attrs={"class": "form-select"})
    )
    field_order = ["report", "programme", "start_from", "start_to"]

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["report"].choices = [(r.key, r.label) for r in funder_reports_for(user)]

    def chosen(self) -> FunderReport:
        return REGISTRY[self.cleaned_data["report"]]
