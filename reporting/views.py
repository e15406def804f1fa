"""Reporting pages: the start page, the intake forecast and its what-if planner, and the
background exports ("My exports", a status page that polls, the download).

Every view is declared with maatwerq.web. Every programme and run comes from a selector scoped
to the acting membership (RUN and the programme selectors: 404 outside it); a download
re-checks access and writes exactly one audit EXPORT event.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerq import web
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log, audit_log_list
from participants.models import Participant

from . import forecast as fc
from .dashboard.metrics import share_text
from .dossier.content import VARIANTS
from .exports import forecast_parameters
from .forms import PeriodForm, PlannerForm, PlannerRow, StaffAvailableForm, planner_rows
from .registry import report_kind_get
from .selectors import (
    forecast_for_programme,
    forecast_inputs,
    forecast_settings_of,
    forecast_staff_ratio,
    programme_get_for_forecast,
    programmes_for_forecast,
    report_run_get_for_user,
    report_runs_of,
    staff_shortfall,
)
from .services import (
    LISTED,
    forecast_staff_available_set,
    report_object_storage,
    report_run_consents_lapsed,
    report_run_path,
    report_run_request,
    report_run_revoke,
    reports_root,
)

# A background run of the user's (their own, in the acting academy and role, of a kind they
# may still have): 404 otherwise. Its pages show its status; the download writes its EXPORT.
RUN = web.Scope("report run", fetch=report_run_get_for_user)


def _default_period(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year + 2, 12, 1)


def _programme_from(request, data):
    """The chosen programme (404 outside the academy) or the academy's first one."""
    if data.get("programme"):
        return programme_get_for_forecast(request.user, data["programme"])
    return programmes_for_forecast(request.user).first()


@web.view("reporting.view_reports")
def index(request):
    return render(
        request,
        "reporting/index.html",
        {
            "programmes": programmes_for_forecast(request.user),
            "recent_runs": report_runs_of(request.user)[:5],
        },
    )


# --- the forecast --------------------------------------------------------------------------


def _cell(value: int | None, diff: int | None = None) -> dict:
    return {
        "value": value,
        "diff": diff or 0,
        "diff_text": f"{diff:+d}" if diff else "",
    }


def _comparison(result: fc.Forecast) -> list[dict]:
    """Per group (and the total): planned, projected and actual lines side by side, the last
    two with their difference to planned."""

    def lines(planned, projected, projected_diff, actual, actual_diff) -> list[dict]:
        return [
            {"label": _("Planned"), "kind": "planned", "cells": [_cell(v) for v in planned]},
            {
                "label": _("Projected"),
                "kind": "projected",
                "cells": [_cell(v, d) for v, d in zip(projected, projected_diff, strict=True)],
            },
            {
                "label": _("Actual"),
                "kind": "actual",
                "cells": [_cell(v, d) for v, d in zip(actual, actual_diff, strict=True)],
            },
        ]

    blocks = []
    for i, (name, planned) in enumerate(result.planned.rows):
        blocks.append(
            {
                "name": name,
                "total": False,
                "lines": lines(
                    planned,
                    result.projected.rows[i][1],
                    result.projected_minus_planned.rows[i][1],
                    result.actual.rows[i][1],
                    result.actual_minus_planned.rows[i][1],
                ),
            }
        )
    blocks.append(
        {
            "name": _("Total"),
            "total": True,
            "lines": lines(
                result.planned.totals,
                result.projected.totals,
                result.projected_minus_planned.totals,
                result.actual.totals,
                result.actual_minus_planned.totals,
            ),
        }
    )
    return blocks


@web.view("reporting.view_forecast")
def forecast(request):
    """The programme's groups per intake moment: planned, projected and actual, and the
    staffing need. Counts only, no names."""
    programme = _programme_from(request, request.GET)
    first, last = _default_period(timezone.localdate())
    bound = "first" in request.GET or "last" in request.GET
    form = PeriodForm(request.GET if bound else None, initial={"first": first, "last": last})
    result = None
    if programme is not None and (not bound or form.is_valid()):
        if bound:
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        result = forecast_for_programme(
            programme, first=first, last=last, today=timezone.localdate()
        )
    return render(
        request,
        "reporting/forecast.html",
        {
            "programmes": programmes_for_forecast(request.user),
            "programme": programme,
            "form": form,
            "result": result,
            "blocks": _comparison(result) if result else [],
            "moments": [fc.format_month(m) for m in result.moments] if result else [],
            "retention": _retention_display(result) if result else [],
            "period": {"first": fc.format_month(first), "last": fc.format_month(last)},
            "staff_available": forecast_settings_of(programme).staff_available
            if programme
            else None,
            "shortfall": staff_shortfall(programme, timezone.localdate()) if programme else None,
        },
    )


def _retention_display(result: fc.Forecast) -> list[dict]:
    """Per half-year the observed retention with the starters it rests on ("89% (n = 19)",
    "3 of 4" for fewer than five starters) and the value the projection used."""
    return [
        {
            "half_year": k,
            "observed": None
            if observed is None
            else share_text(round(observed * starters), starters),
            "used": round(used * 100),
        }
        for k, (observed, starters, used) in enumerate(
            zip(
                result.retention_observed,
                result.retention_starters,
                result.retention,
                strict=True,
            ),
            start=1,
        )
    ]


# A programme of the acting academy, for those who may see the forecast (404 otherwise).
FORECAST_PROGRAMME = web.Scope("forecast programme", fetch=programme_get_for_forecast)


@web.view("reporting.change_forecast_settings", scope=FORECAST_PROGRAMME)
def forecast_staff(request, programme):
    """How many staff per half-day the programme has: the forecast's need above it is a
    shortfall on the projectleider's start page."""
    done = reverse("reporting:forecast") + f"?programme={programme.pk}"
    form = StaffAvailableForm(
        web.form_data(request),
        initial={"staff_available": forecast_settings_of(programme).staff_available},
    )
    return web.form_page(
        request,
        form,
        save=lambda: forecast_staff_available_set(
            programme=programme, by=request.user, **form.cleaned_data
        ),
        done=done,
        message=_("Saved."),
        template="form_page.html",
        context={
            "title": _("Staff available"),
            "cancel_url": done,
            "intro": programme.name,
        },
    )


@web.view("reporting.export_forecast", methods=["POST"])
def forecast_export(request):
    """Start the Excel export of the forecast in the background; show its status page."""
    programme = programme_get_for_forecast(request.user, request.POST.get("programme"))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid period first."))
        return redirect("reporting:forecast")
    run = report_run_request(
        kind="forecast_xlsx",
        parameters=forecast_parameters(
            programme=programme,
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
            language=get_language() or "nl",
        ),
        by=request.user,
    )
    return redirect("reporting:run_detail", run.pk)


# --- the what-if planner -------------------------------------------------------------------


def _rows_from_programme(programme, first: date, last: date) -> list[PlannerRow]:
    groups, _spans = forecast_inputs(programme)
    return [
        PlannerRow(
            str(i),
            g.name,
            fc.format_month(g.start),
            str(g.size),
            str(g.duration),
            planned=g,
        )
        for i, g in enumerate(g for g in groups if g.overlaps(first, last))
    ]


def _planner_result(form, rows: list[PlannerRow], programme) -> dict:
    """The what-if table from the good rows; bad rows only get their message."""
    if not form.is_valid():
        return {"result": None, "moments": []}
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    today = timezone.localdate()
    histories, ratio = [], fc.DEFAULT_STAFF_PER_TEN_AFTER_TRIAL
    if programme is not None:
        groups, spans = forecast_inputs(programme)
        histories = [fc.CohortHistory(g.start, spans.get(g.key, ())) for g in groups]
        ratio = forecast_staff_ratio(programme)
    result = fc.forecast_build(
        [row.planned for row in rows if row.planned is not None],
        fc.intake_moments(first, last, form.cleaned_data["months"]),
        today=today,
        histories=histories,
        staff_per_ten_after_trial=ratio,
    )
    return {"result": result, "moments": [fc.format_month(m) for m in result.moments]}


def _planner_context(request, data):
    programme = _programme_from(request, data)
    if request.method == "POST":
        form = PlannerForm(data)
        rows = planner_rows(data)
    else:
        first, last = _default_period(timezone.localdate())
        months = programme.intake_months if programme else [2, 9]
        form = PlannerForm(
            {
                "first": fc.format_month(first),
                "last": fc.format_month(last),
                "months": [str(m) for m in months],
            }
        )
        rows = _rows_from_programme(programme, first, last) if programme else []
    next_key = max((int(r.key) for r in rows), default=-1) + 1
    # Without JavaScript the add and remove buttons submit the whole form.
    if "remove" in data:
        rows = [row for row in rows if row.key != data["remove"]]
    if "add_row" in data:
        rows.append(PlannerRow(str(next_key), "", "", "", ""))
        next_key += 1
    return {
        "programme": programme,
        "programmes": programmes_for_forecast(request.user),
        "form": form,
        "rows": rows,
        "next_key": next_key,
        "empty_row": PlannerRow("__key__", "", "", "", ""),
        **_planner_result(form, rows, programme),
    }


@web.view("reporting.view_forecast")
def planner(request):
    """Edit planned groups and see the forecast change, without saving anything."""
    data = request.POST if request.method == "POST" else request.GET
    return render(request, "reporting/planner.html", _planner_context(request, data))


@web.view("reporting.view_forecast", methods=["POST"])
def planner_table(request):
    """htmx: the table for the posted rows, and each row's message out of band."""
    return render(
        request, "reporting/planner_response.html", _planner_context(request, request.POST)
    )


# --- background exports --------------------------------------------------------------------


@web.view("reporting.list_runs")
def run_list(request):
    """My exports: the newest fifty of one's own runs in the acting academy and role."""
    return render(request, "reporting/run_list.html", {"runs": report_runs_of(request.user)[:50]})


@web.view(scope=RUN)
def run_detail(request, run):
    return render(request, "reporting/run_detail.html", {"run": run})


@web.view(scope=RUN)
def run_status(request, run):
    """htmx, every second while the run is queued or running: the bar and the message."""
    return render(request, "reporting/run_detail.html#status", {"run": run})


@web.view(scope=RUN)
def run_download(request, run):
    """The finished file, to whoever may still see the run. One audit EXPORT event."""
    # First the consents the file relied on (the run is the person's own): a withdrawn one
    # removes the file, whatever else changed. Who may no longer have the participant's
    # copy at all (the work-status consent is part of the werkgever's permission) gets the
    # 404 of _run_participant; the others a message and a way to make a new copy.
    named = _named_participant(run)
    if named is not None and run.is_downloadable and run.consents_used:
        lapsed = report_run_consents_lapsed(run=run, participant=named)
        if lapsed:
            report_run_revoke(run=run, participant=named, lapsed=lapsed, by=request.user)
            _run_participant(request, run)
            return _consent_withdrawn(request, run, named)
    participant = _run_participant(request, run)
    if run.is_active:
        return redirect("reporting:run_detail", run.pk)
    handle = _open_file(run)
    if handle is None:
        return render(request, "reporting/run_unavailable.html", {"run": run}, status=410)
    _audit_download(request, run, participant)
    response = FileResponse(
        handle, as_attachment=True, filename=run.filename, content_type=run.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _audit_download(request, run, participant) -> None:
    """One EXPORT event: naming the participant of a run about one, or each young person a
    list's file names (recorded by its generator, reporting.services.report_run_record_listed)."""
    parameters = {k: v for k, v in run.parameters.items() if k != LISTED}
    detail = {"kind": run.kind, "parameters": parameters}
    if LISTED in run.parameters and participant is None:
        audit_log_list(
            actor=request.user,
            action=Action.EXPORT,
            participant_ids=run.parameters[LISTED],
            obj=run,
            request=request,
            detail=detail,
        )
        return
    audit_log(
        actor=request.user,
        action=Action.EXPORT,
        obj=run,
        participant=participant,
        request=request,
        detail=detail,
    )


def _consent_withdrawn(request, run, participant):
    """The file relied on a consent that was withdrawn: refused (410), with a button to make a
    new copy when the person may ask for one (which leaves out what the consent covered)."""
    spec = next((s for s in VARIANTS.values() if s.kind == run.kind), None)
    can_remake = spec is not None and web.may(request, spec.permission, participant)
    return render(
        request,
        "reporting/run_consent_withdrawn.html",
        {"run": run, "participant": participant, "remake_variant": spec.slug if can_remake else ""},
        status=410,
    )


def _run_participant(request, run):
    """A run about one participant names them in parameters["participant"] (the dossier).
    Checked again now: the kind's permission, asked with the participant as its object, must
    still hold (their coach may have changed, a consent been withdrawn); 404 otherwise. The
    permission carries the scope, so a kind whose runs name a participant takes the
    participant as its permission's object. The audit event names them. None for runs about
    no one participant."""
    if not run.parameters.get("participant"):
        return None
    participant = _named_participant(run)
    kind = report_kind_get(run.kind)
    if participant is None or kind is None or not web.may(request, kind.permission, participant):
        raise Http404
    return participant


def _named_participant(run):
    """The participant a run names in parameters["participant"], in the run's academy (no
    permission checked here), or None."""
    pk = run.parameters.get("participant")
    if not pk:
        return None
    try:
        return Participant.objects.filter(pk=uuid.UUID(str(pk)), academy_id=run.academy_id).first()
    except ValueError:
        return None


def _open_file(run):
    store = report_object_storage()
    if store is not None:  # an object store: the name comes from the run's own row
        if not run.is_downloadable or not run.file:
            return None
        try:
            return store.open(run.file, "rb")
        except FileNotFoundError:
            return None
    path = report_run_path(run) if run.is_downloadable else None
    if path is None:
        return None
    root = reports_root().resolve()
    if root not in path.resolve().parents:
        raise Http404
    try:
        return path.open("rb")
    except FileNotFoundError:
        return None
