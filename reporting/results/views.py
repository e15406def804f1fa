"""The results pages (issue 18). Every view is declared with maatwerq.web; every figure comes
from a selector scoped to the acting academy (or, for the national role, to all academies,
counted and rounded, never named)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq import web
from maatwerq.accounts.access import active_membership
from participants.views import PARTICIPANT

from ..dashboard.figures import (
    dashboard_scope,
    national_academies,
    national_branches,
    national_scope,
)
from ..dashboard.forms import default_funder_period
from ..funder import funder_run_request
from . import services
from .comparison import MEDIAN_MIN_ACADEMIES, RATES, medians, rate_rows
from .esf import HEADINGS, esf_indicators
from .forms import ComparisonFilterForm, EsfRecordForm, EsfReportForm, ResultsFilterForm
from .lines import LINE_DIMENSIONS, result_lines
from .outcomes import DIMENSIONS, EQUAL_CHANCES, route_facts, share_tables
from .selectors import esf_record_of, esf_route_get_for_user

# The categories whose figures come from the ESF+ data: counted with the small-number rule.
PROTECTED_DIMENSIONS = {"sex"}


def _scope(scope: Q | None) -> Q:
    """None means the role has no scope here (the permission keeps them out already): the
    second lock is an empty scope, not a figure."""
    return Q(pk__in=[]) if scope is None else scope


@web.view("reporting.view_results")
def results(request):
    """Outcomes as shares of a stated denominator, split by group, route type, year or an
    equal-chances category. Counts only: no name on this page."""
    form = ResultsFilterForm(request.GET or None, user=request.user)
    if form.out_of_scope:
        raise Http404
    tables = []
    per = form.split_by()
    if not form.is_bound or form.is_valid():
        facts = route_facts(
            _scope(dashboard_scope(request.user)) & form.filters().q(),
            today=timezone.localdate(),
        )
        tables = share_tables(facts, per, protected=per in PROTECTED_DIMENSIONS)
    return render(
        request,
        "reporting/results/results.html",
        {
            "form": form,
            "tables": tables,
            "dimension": DIMENSIONS[per],
            "equal_chances": per in EQUAL_CHANCES,
            "protected": per in PROTECTED_DIMENSIONS,
        },
    )


# --- the ESF+ record of one route (the regisseur) -------------------------------------------


@web.view("reporting.change_esf_record", scope=PARTICIPANT)
def esf_record_edit(request, participant, route):
    """The ESF+ data of one route: at entry, at exit and six months after. The regisseur
    only (the self-declared categories are seen per person by nobody else)."""
    route = esf_route_get_for_user(request.user, participant, route)
    form = EsfRecordForm(web.form_data(request), instance=esf_record_of(route))
    return web.form_page(
        request,
        form,
        save=lambda: services.esf_record_save(route=route, by=request.user, **form.cleaned_data),
        done=reverse("participants:participant_detail", args=[participant.pk]),
        message=_("ESF+ data saved."),
        template="reporting/results/esf_record.html",
        context={"participant": participant, "route": route},
    )


# --- the ESF+ indicators for the funder -----------------------------------------------------


@web.view("reporting.export_esf", methods=["GET", "POST"])
def esf_report(request):
    """Choose a project and a funding period; see the indicators (men, women, total), and
    have them as the funder's Excel sheet (made in the background)."""
    first, last = default_funder_period(timezone.localdate())
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = EsfReportForm(data, user=request.user, initial={"start_from": first, "start_to": last})
    if form.out_of_scope:
        raise Http404
    rows = None
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        if request.method == "POST":
            run = funder_run_request(kind="esf_xlsx", values=values, by=request.user)
            return redirect("reporting:run_detail", run.pk)
        rows = esf_indicators(
            academy_id=values["programme"].academy_id,
            programme=values["programme"],
            start_from=values["start_from"],
            start_to=values["start_to"],
        )
    return render(
        request,
        "reporting/results/esf_report.html",
        {"form": form, "rows": rows, "headings": HEADINGS},
        status=400 if request.method == "POST" else 200,
    )


# --- the comparison across academies --------------------------------------------------------


def _comparison_facts(form: ComparisonFilterForm, scope: Q) -> list:
    return route_facts(scope & form.filters().q(), today=timezone.localdate())


@web.view("reporting.view_national")
def national_comparison(request):
    """Academies and branches side by side: rates with their n, every count rounded by the
    small-number rule before a rate is made; every academy and branch has a row. No name of
    a person anywhere."""
    form = ComparisonFilterForm(request.GET or None)
    academies = branches = None
    academy_medians: list = []
    if not form.is_bound or form.is_valid():
        facts = _comparison_facts(form, _scope(national_scope(request.user)))
        academies = rate_rows(
            facts,
            "academy",
            protected=True,
            every=national_academies().values_list("pk", flat=True),
        )
        branches = rate_rows(facts, "branch", protected=True, every=national_branches())
        academy_medians = medians(academies)
    return render(
        request,
        "reporting/results/comparison.html",
        {
            "form": form,
            "rates": RATES,
            "sections": [
                ("academies", _("Per academy"), _("Academy"), academies),
                ("branches", _("Per project (branch)"), _("Project (branch)"), branches),
            ]
            if academies is not None
            else [],
            "medians": academy_medians,
            "national": True,
        },
    )


@web.view("reporting.view_comparison")
def comparison(request):
    """The academy's own rates against the national median of the academies' rates (made
    from rounded counts, as the national view publishes them). The other academies are not
    named here."""
    form = ComparisonFilterForm(request.GET or None)
    own: list = []
    academy_medians: list = []
    if not form.is_bound or form.is_valid():
        everyone = _comparison_facts(form, Q())
        academy_medians = medians(
            rate_rows(everyone, "academy", protected=True), at_least=MEDIAN_MIN_ACADEMIES
        )
        ours = _comparison_facts(form, _scope(dashboard_scope(request.user)))
        own_rows = rate_rows(
            ours, "academy", protected=False, every=[active_membership(request.user).academy_id]
        )
        own = own_rows[0].cells if own_rows else []
    return render(
        request,
        "reporting/results/comparison_own.html",
        {"form": form, "rows": list(zip(RATES, own, academy_medians, strict=False))},
    )


# --- the two result lines per group ---------------------------------------------------------


@web.view("reporting.view_results")
def result_lines_page(request):
    """Learning gain and well-being per group (or route type, or start year) and quarter of
    the route: means over routes with the n behind them, none resting on fewer than 5 routes."""
    form = ResultsFilterForm(request.GET or None, user=request.user)
    if form.out_of_scope:
        raise Http404
    per = form.split_by() if form.split_by() in LINE_DIMENSIONS else "cohort"
    tables = []
    if not form.is_bound or form.is_valid():
        tables = result_lines(
            _scope(dashboard_scope(request.user)) & form.filters().q(),
            per,
            today=timezone.localdate(),
        )
    return render(
        request,
        "reporting/results/lines.html",
        {"form": form, "tables": tables, "dimension": DIMENSIONS[per]},
    )
