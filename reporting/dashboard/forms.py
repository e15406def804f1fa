"""Forms of the dashboard, the national view and the funder list: what the figures are
narrowed to. Every choice comes from a scoped selector; a programme or group outside it is
not a form error but a 404 (the views check ``out_of_scope``)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerq.forms import FastSelect
from participants.models import Route, RouteType

from .figures import (
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


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)


def national_periods(today: date) -> list[tuple[str, str]]:
    """The periods the national view offers: each year since the first route, newest first,
    and its quarters ("2025", "2025-Q1" ... "2025-Q4")."""
    first = Route.objects.aggregate(referred=Min("referral_date"), started=Min("start_date"))
    years = [d.year for d in first.values() if d] or [today.year]
    choices = []
    for year in range(today.year, min(years) - 1, -1):
        choices.append((str(year), str(year)))
        choices.extend(
            (f"{year}-Q{q}", _("%(year)d, quarter %(quarter)d") % {"year": year, "quarter": q})
            for q in range(1, 5)
        )
    return choices


def national_period_dates(value: str) -> tuple[date | None, date | None]:
    """A period value of ``national_periods`` as its first and last day; "" is all time."""
    if not value:
        return None, None
    year, _sep, quarter = value.partition("-Q")
    if quarter:
        return _quarter(int(year), int(quarter))
    return date(int(year), 1, 1), date(int(year), 12, 31)


def national_period_value(first: date | None, last: date | None) -> str | None:
    """The inverse of ``national_period_dates``: the period value of a first and last day, or
    None when they are not a whole quarter or year (an export checks its stored dates)."""
    if first is None and last is None:
        return ""
    if first is None or last is None:
        return None
    candidates = [str(first.year), *(f"{first.year}-Q{q}" for q in range(1, 5))]
    return next((v for v in candidates if national_period_dates(v) == (first, last)), None)


class NationalFilterForm(forms.Form):
    """The national view's filters. The period is a whole quarter or year from a list, never
    typed dates (reporting.small_numbers: a window slid a week at a time would single out
    the routes that came in that week)."""

    period = forms.ChoiceField(label=_("Period (start)"), required=False, widget=_select())
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
        self.fields["period"].choices = [("", ALL), *national_periods(timezone.localdate())]
        self.fields["academy"].queryset = national_academies()
        self.fields["branch"].choices = [("", ALL), *((n, n) for n in national_branches())]

    def clean(self):
        cleaned = super().clean()
        if self.data.get("start_from") or self.data.get("start_to"):
            self.add_error(
                "period",
                _(
                    "The national figures take a whole quarter or year, not loose dates, so "
                    "that nobody can be singled out. Choose a period from the list."
                ),
            )
        return cleaned

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        start_from, start_to = national_period_dates(data["period"])
        return Filters(
            start_from=start_from,
            start_to=start_to,
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
