"""Every read of the reporting app, scoped to the acting membership (404 outside it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from maatwerq.accounts.access import active_membership
from maatwerq.accounts.models import Programme
from participants.models import Cohort, Route

from . import forecast as fc
from .models import ForecastSettings, ReportRun
from .registry import report_kind_get, report_kinds_shared_with_role

if TYPE_CHECKING:
    from maatwerq.accounts.access import AnyUser

# --- background runs -----------------------------------------------------------------------


def report_runs_visible_to(user: AnyUser) -> QuerySet[ReportRun]:
    """Runs in the acting academy and role: one's own, and others' of kinds shared with the
    same role in the same academy."""
    membership = active_membership(user)
    if membership is None:
        return ReportRun.objects.none()
    return ReportRun.objects.filter(
        Q(requested_by=user) | Q(kind__in=report_kinds_shared_with_role()),
        academy_id=membership.academy_id,
        role=membership.role,
    )


def report_run_get_for_user(user: AnyUser, pk: UUID | str) -> ReportRun:
    """One run the user may see and download, checked again now: the scope above and the
    permission of its kind. 404 otherwise, never revealing that it exists."""
    run = get_object_or_404(report_runs_visible_to(user), pk=pk)
    kind = report_kind_get(run.kind)
    if kind is None or not user.has_perm(kind.permission):
        raise Http404
    return run


def report_runs_of(user: AnyUser) -> QuerySet[ReportRun]:
    """ "My exports": the user's own runs in the acting academy and role, newest first."""
    membership = active_membership(user)
    if membership is None:
        return ReportRun.objects.none()
    return ReportRun.objects.filter(
        requested_by_id=user.pk, academy_id=membership.academy_id, role=membership.role
    ).order_by("-created")


# --- the intake forecast -------------------------------------------------------------------


def programmes_for_forecast(user: AnyUser) -> QuerySet[Programme]:
    """The acting academy's programmes, for those who may see the forecast."""
    membership = active_membership(user)
    if membership is None or not user.has_perm("reporting.view_forecast"):
        return Programme.objects.none()
    return Programme.objects.filter(academy_id=membership.academy_id).order_by("name")


def programme_get_for_forecast(user: AnyUser, pk: int | str) -> Programme:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(programmes_for_forecast(user), pk=pk)


def forecast_staff_ratio(programme: Programme) -> Decimal:
    found = ForecastSettings.objects.filter(programme=programme).first()
    return found.staff_per_ten_after_trial if found else fc.DEFAULT_STAFF_PER_TEN_AFTER_TRIAL


def forecast_settings_of(programme: Programme) -> ForecastSettings:
    """The programme's forecast settings; an unsaved row with the defaults when none exist
    (a GET writes nothing)."""
    found = ForecastSettings.objects.filter(programme=programme).first()
    return found or ForecastSettings(programme=programme)


SHORTFALL_MONTHS = 24


def staff_shortfall(programme: Programme, today: date) -> fc.Shortfall | None:
    """The first month from this one, within SHORTFALL_MONTHS, in which the projected staff
    needed per half-day (every month, not only the intake moments) exceeds the staff the
    programme has available; None when it never does or nothing is available is set."""
    available = forecast_settings_of(programme).staff_available
    if available is None:
        return None
    moments, needed = staff_needed(programme, today)
    return fc.first_shortfall(moments, needed, available)


def staff_needed(programme: Programme, today: date) -> tuple[list[date], list[int]]:
    """Each month from this one, within SHORTFALL_MONTHS, and the staff per half-day the
    forecast projects for it."""
    first = today.replace(day=1)
    forecast = forecast_for_programme(
        programme,
        first=first,
        last=fc.month_start(fc.month_index(first) + SHORTFALL_MONTHS - 1),
        today=today,
        months=range(1, 13),
    )
    return forecast.moments, forecast.staffing_projected


def forecast_inputs(
    programme: Programme,
) -> tuple[list[fc.PlannedGroup], dict[object, list[fc.Span]]]:
    """The programme's cohorts as planned groups (keyed by cohort id) and their routes as
    (start, end) spans by cohort id: two queries, no names."""
    groups = [
        fc.PlannedGroup(name, start, size, duration, key=pk)
        for pk, name, start, size, duration in Cohort.objects.filter(programme=programme)
        .order_by("start_date", "name")
        .values_list("pk", "name", "start_date", "planned_size", "duration_half_years")
    ]
    spans: dict[object, list[fc.Span]] = defaultdict(list)
    for cohort_id, start, end in Route.objects.filter(cohort__programme=programme).values_list(
        "cohort_id", "start_date", "end_date"
    ):
        spans[cohort_id].append((start, end))
    return groups, spans


def forecast_for_programme(
    programme: Programme,
    *,
    first: date,
    last: date,
    today: date,
    months: Sequence[int] | None = None,
) -> fc.Forecast:
    """The forecast of one programme's cohorts between two months: the cohorts that count at
    some moment of the period are the rows; all its cohorts feed the observed retention."""
    groups, spans = forecast_inputs(programme)
    moments = fc.intake_moments(first, last, months or programme.intake_months)
    histories = [fc.CohortHistory(g.start, spans.get(g.key, ())) for g in groups]
    return fc.forecast_build(
        [g for g in groups if g.overlaps(first, last)],
        moments,
        today=today,
        histories=histories,
        spans_by_key=spans,
        staff_per_ten_after_trial=forecast_staff_ratio(programme),
    )
