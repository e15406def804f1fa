"""The funder reports page: pick a kind (those the person may run), a project and a period,
see who it covers, and have the file made in the background (ReportRun, downloaded from
"My exports" with its audit event). The kinds with BSNs are requested through their own
URL, which asks for the password again, as the funder list does."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq import web

from ..dashboard.forms import default_funder_period
from ..funder import funder_run_request
from .forms import FunderReportForm
from .shares import funder_rows, weighted_participants

TEMPLATE = "reporting/funders/funder_reports.html"


def _form(request, data) -> FunderReportForm:
    first, last = default_funder_period(timezone.localdate())
    form = FunderReportForm(
        data, user=request.user, initial={"start_from": first, "start_to": last}
    )
    if form.out_of_scope:
        raise Http404
    return form


@web.view("reporting.view_results")
def funder_reports(request):
    """The form and, once valid, the chosen report's fields and the routes it covers (for a
    report with shares: how many, and the participants weighted by share)."""
    form = _form(request, request.GET or None)
    report = rows = None
    if form.is_bound and form.is_valid():
        report = form.chosen()
        values = form.cleaned_data
        if report.streams is not None:
            rows = funder_rows(
                report,
                academy_id=values["programme"].academy_id,
                programme=values["programme"],
                start_from=values["start_from"],
                start_to=values["start_to"],
            )
    return render(
        request,
        TEMPLATE,
        {
            "form": form,
            "report": report,
            "rows": rows,
            "weighted": weighted_participants(rows) if rows is not None else None,
        },
    )


def _request_run(request, *, personal: bool):
    form = _form(request, request.POST)
    if form.is_valid() and form.chosen().reauthenticate != personal:
        # Each kind through its own door: a file with BSNs only after the password.
        form.add_error("report", _("Make this report with its own button on the page."))
    if not form.is_valid():
        return render(
            request,
            TEMPLATE,
            {"form": form, "report": None, "rows": None, "weighted": None},
            status=400,
        )
    run = funder_run_request(kind=form.chosen().kind, values=form.cleaned_data, by=request.user)
    return redirect("reporting:run_detail", run.pk)


@web.view("reporting.view_results", methods=["POST"])
def funder_report_request(request):
    """Start a report without personal data (counts)."""
    return _request_run(request, personal=False)


@web.view("reporting.export_funder_list", methods=["POST"], reauthenticate=True)
def funder_report_request_personal(request):
    """Start a per-person report with BSNs: the password is asked again first (allauth's
    reauthentication, which replays this POST)."""
    return _request_run(request, personal=True)
