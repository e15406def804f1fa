"""Funder reports: one dataset, several funders (issue 18 item 5).

Each funder's report is a registered kind (a FunderReport) over the same routes: it declares
its columns, which routes it covers (the funding streams it pays for, or every route of the
project), its workbook writer and the background report kind that makes it. Adding a funder
is one module that calls ``register()`` at import (reporting.apps loads the modules).

A route that several funders pay for together (participants.RouteFunding) counts in each
report with its share: a share column, and totals weighted by it where the report sums
(reporting.funders.shares). The report page (reporting.funders.views) offers every kind the
person may have; a run goes through the background reports (ReportRun) and its download
writes the one audit event, as for the funder list and the ESF+ sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from ..registry import Generator, report_kind_get, report_kind_register

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser


@dataclass(frozen=True)
class FunderReport:
    key: str  # the kind's code on the page and in URLs
    label: Promise | str
    description: Promise | str
    kind: str  # the background report kind (reporting.registry) that makes the file
    columns: Sequence[Any]  # the fields it declares: the headers of its sheet
    # The funding streams whose routes it covers (with their share); None: every route of
    # the project, as ESF+ counts a project's participants.
    streams: frozenset[str] | None
    writer: Callable[..., Any]  # its workbook writer
    # A per-person file with BSNs: the password is asked again before it is made.
    reauthenticate: bool = False
    order: int = 50  # its place in the page's list

    @property
    def headers(self) -> list[str]:
        return [str(getattr(column, "header", column)) for column in self.columns]

    @property
    def permission(self) -> str:
        kind = report_kind_get(self.kind)
        if kind is None:
            raise LookupError(f"Funder report {self.key!r}: no report kind {self.kind!r}")
        return kind.permission


REGISTRY: dict[str, FunderReport] = {}


def register(
    report: FunderReport, *, generate: Generator | None = None, permission: str = ""
) -> FunderReport:
    """Add a funder's report. With ``generate``, its background report kind is registered
    too (with ``permission``); without, it wraps a kind that exists already."""
    if report.key in REGISTRY and REGISTRY[report.key] != report:
        raise ValueError(f"Funder report {report.key!r} is registered twice")
    if generate is not None:
        report_kind_register(report.kind, label=report.label, permission=permission)(generate)
    report.permission  # noqa: B018 - fails loudly now for a kind that does not exist
    REGISTRY[report.key] = report
    return report


def funder_reports_for(user: AnyUser) -> list[FunderReport]:
    """The kinds this person may run, in their order."""
    reports = sorted(REGISTRY.values(), key=lambda report: (report.order, report.key))
    return [report for report in reports if user.has_perm(report.permission)]
