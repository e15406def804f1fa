"""What every participant service shares: refusals keyed to a field, dates, the age rule."""

from __future__ import annotations

import calendar
from dataclasses import fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MIN_AGE, MAX_AGE = 16, 27


def values_of(data: Any) -> dict[str, Any]:
    # Not dataclasses.asdict: that deep-copies model instances such as the programme.
    return {f.name: getattr(data, f.name) for f in fields(data)}


def today() -> date:
    return timezone.localdate()


def format_day(value: date) -> str:
    return date_format(value)


def refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def check_not_future(field: str, day: date) -> None:
    if day > today():
        raise refuse(field, _("This date is in the future."))


def age_on(date_of_birth: date, day: date) -> int:
    born = (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - ((day.month, day.day) < born)


def check_age(date_of_birth: date, day: date, field: str) -> None:
    age = age_on(date_of_birth, day)
    if not MIN_AGE <= age <= MAX_AGE:
        raise refuse(
            field,
            _("On %(date)s this person is %(age)s. The academy is for ages 16 to 27.")
            % {"date": format_day(day), "age": age},
        )


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
