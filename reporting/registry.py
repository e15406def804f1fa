"""Which background reports exist: kind -> how to make it and who may have it.

An app registers a generator once, at import time of a module its AppConfig.ready() loads::

    @report_kind_register("forecast_xlsx", label=_("Intake forecast (Excel)"),
                          permission="reporting.view_forecast")
    def forecast_xlsx(run, progress):
        progress(50, gettext_noop("Making the sheets"))
        return "prognose.xlsx", workbook_bytes

A generator gets the ReportRun (read ``run.parameters``, scope every query to ``run.academy``)
and a progress callback ``progress(percent, msgid=None)``; it returns ``(filename, content)``
where content is bytes or the Path of a file it wrote (moved into place, then removed). It
raises ReportUnavailable with a message for the person when the report cannot be made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import ReportRun

ProgressCallback = Callable[..., None]
Generator = Callable[["ReportRun", ProgressCallback], tuple[str, bytes | Path]]


@dataclass(frozen=True)
class ReportKind:
    name: str
    label: Promise | str
    generate: Generator
    # The permission a person needs to request the report and, again, to download it.
    permission: str
    # Whether others with the same role in the same academy may download the file too.
    shared_with_role: bool = False


class ReportUnavailable(Exception):  # noqa: N818 - reads as a state, like Http404
    """The report cannot be made (its data is gone). ``message`` is an English msgid
    (gettext_noop) shown to the person, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_KINDS: dict[str, ReportKind] = {}


def report_kind_register(
    name: str, *, label: Promise | str, permission: str, shared_with_role: bool = False
) -> Callable[[Generator], Generator]:
    def decorator(generate: Generator) -> Generator:
        if name in _KINDS and _KINDS[name].generate is not generate:
            raise ValueError(f"Report kind {name!r} is registered twice")
        _KINDS[name] = ReportKind(name, label, generate, permission, shared_with_role)
        return generate

    return decorator


def report_kind_get(name: str) -> ReportKind | None:
    return _KINDS.get(name)


def report_kinds_shared_with_role() -> list[str]:
    return [name for name, kind in _KINDS.items() if kind.shared_with_role]
