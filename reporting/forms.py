"""Forms of the reporting pages: the forecast period and the what-if planner's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import forecast as fc

MAX_MONTHS = 20 * 12
MAX_PLANNER_ROWS = 200


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker sends exactly that)."""

    widget = forms.TextInput(
        attrs={"type": "month", "placeholder": "YYYY-MM", "class": "form-control"}
    )
    default_error_messages = {"invalid": _("Give a month as YYYY-MM.")}

    def to_python(self, value) -> date | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return fc.parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return fc.format_month(value) if isinstance(value, date) else value


class PeriodForm(forms.Form):
    first = MonthField(label=_("From"))
    last = MonthField(label=_("To"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The end month lies before the start month."))
            elif fc.month_index(last) - fc.month_index(first) >= MAX_MONTHS:
                self.add_error("last", _("Choose a period of at most 20 years."))
        return cleaned


class IntakeMonthsField(forms.TypedMultipleChoiceField):
    """The months in which groups start, as twelve named boxes: "2,9" read as a number is
    2.9 in Dutch. A script may still send the months as numbers separated by commas
    (``months=2,9``, as the forecast command takes them)."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "intake-months"})

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(str(number), capfirst(name)) for number, name in MONTHS_3.items()],
            coerce=int,
            **kwargs,
        )

    def to_python(self, value):
        parts = (part.strip() for item in value or [] for part in str(item).split(","))
        return [part for part in parts if part]

    def clean(self, value):
        return sorted(set(super().clean(value)))


class PlannerForm(PeriodForm):
    months = IntakeMonthsField(
        label=_("Intake months"),
        help_text=_("Months in which groups start."),
        error_messages={
            "required": _("Tick at least one month in which groups start."),
            "invalid_choice": _("Give months as numbers from 1 to 12, separated by commas."),
        },
    )


PLAN_ERRORS = {
    "group": _("Give the group a name."),
    "start": _("Start must be a month (YYYY-MM)."),
    "size": _("Size must be a whole number from 1 to 999."),
    "duration": _("Duration must be 1 to 12 half-years."),
    "duplicate": _("Another row already has this group name."),
}


@dataclass
class PlannerRow:
    """One row of the what-if planner as typed, and what became of it."""

    key: str
    group: str
    start: str
    size: str
    duration: str
    planned: fc.PlannedGroup | None = None
    error: str = ""


def planner_rows(data) -> list[PlannerRow]:
    """The planner's rows from POST data (parallel lists key, group, start, size, duration).
    An empty row stays a row without a group; a bad row keeps its values and gets a message."""
    fields = ("group", "start", "size", "duration")
    columns = [data.getlist(name)[:MAX_PLANNER_ROWS] for name in fields]
    keys = data.getlist("key")
    rows, seen = [], set()
    for index, values in enumerate(zip(*columns, strict=False)):
        key = keys[index] if index < len(keys) and keys[index].isdecimal() else str(index)
        row = PlannerRow(key[:9], *(v[:80] for v in values))
        rows.append(row)
        if not any(v.strip() for v in values):
            continue  # an empty row: no group, no message
        try:
            row.planned = fc.parse_plan_row(row.group, row.start, row.size, row.duration)
        except fc.PlanError as error:
            row.error = str(PLAN_ERRORS[error.code])
        else:
            if row.planned.name in seen:
                row.planned, row.error = None, str(PLAN_ERRORS["duplicate"])
            else:
                seen.add(row.planned.name)
    return rows


class StaffAvailableForm(forms.Form):
    staff_available = forms.IntegerField(
        label=_("Staff available per half-day"),
        required=False,
        min_value=0,
        max_value=500,
        help_text=_(
            "How many staff the programme has per half-day. Leave empty if not known. Your "
            "start page shows the first month the forecast needs more."
        ),
    )
