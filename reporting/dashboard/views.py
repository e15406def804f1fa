"""The cohort dashboard (projectleider, regisseur), the names behind its numbers, its Excel
exports, the funder list (regisseur) and the national view (landelijk, counts only).

Every view is declared with maatwerq.web. Every programme, group and route comes from a
selector scoped to the acting academy: a programme or group outside it is a 404, never a hint
that it exists.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerq import web
from maatwerq.accounts.access import acting_role
from maatwerq.accounts.models import Role
from maatwerq.replica import reporting_reads

from ..funder import funder_routes, funder_run_request
from ..services import report_run_request
from ..small_numbers import national_build, national_cache_key
from .drill import drill_group, drill_target
from .exports import dashboard_parameters
from .figures import (
    Dashboard,
    Filters,
    Group,
    dashboard_build_cached,
    dashboard_cohorts,
    dashboard_names_routes,
    dashboard_scope,
    national_scope,
)
from .forms import (
    DashboardFilterForm,
    FunderListForm,
    NationalFilterForm,
    default_funder_period,
)
from .metrics import WORK_OR_SCHOOL, share_text, small_cell

NAMES_PAGE_SIZE = 50


def _language() -> str:
    return get_language() or "nl"


def _filter_form(request, data, *, always_bound: bool = False) -> DashboardFilterForm:
    form = DashboardFilterForm(data if always_bound else data or None, user=request.user)
    if form.out_of_scope:
        raise Http404
    return form


def _scope(scope: Q | None) -> Q:
    """The selectors answer None to anyone without the role; the views' permissions already
    keep those out, so this is the second lock."""
    if scope is None:
        raise PermissionDenied
    return scope


def _attach_urls(result: Dashboard, request, filters: Filters) -> None:
    """Link each number to the names behind it, where the person may see them: names and
    status for the planners, behind a sensitive number for the regisseur only."""
    if not web.may(request, "reporting.view_dashboard_names"):
        return
    sensitive_ok = web.may(request, "reporting.view_dashboard_sensitive_names")
    # The filters are the same in every link: encoded once (a hundred groups have a link on
    # every row), then each link adds what to show.
    filter_query = urlencode(filters.as_params())
    base = reverse("reporting:dashboard_names") + (f"?{filter_query}&" if filter_query else "?")

    # A few dozen tokens and a hundred groups, each encoded once (not once per cell).
    shows: dict[str, str] = {}
    groups: dict[str, str] = {}

    def url(drill: str, group: str = "") -> str:
        show = shows.get(drill) or shows.setdefault(drill, urlencode({"show": drill}))
        if not group:
            return base + show
        return (
            base
            + show
            + (groups.get(group) or groups.setdefault(group, "&" + urlencode({"group": group})))
        )

    for row, group in result.all_rows():
        if row.drill and (sensitive_ok or not row.sensitive):
            row.url = url(row.drill, group.key if group else "")
    for breakdown in result.all_breakdowns():
        target = drill_target(breakdown.total_drill)
        if target is not None and (sensitive_ok or not target.sensitive):
            breakdown.total_url = url(breakdown.total_drill)


def groups_present(groups: list[Group], *, suppress: bool) -> list[Group]:
    """The per-group table's texts, made once here: a hundred cohorts through template
    filters and tags would cost more than all the dashboard's queries."""
    for group in groups:
        group.cells = [(small_cell(row.count, suppress=suppress), row.url) for row in group.rows]
        group.shares = [
            share_text(p.counts[WORK_OR_SCHOOL], p.known, suppress=suppress) for p in group.survival
        ]
    return groups


@web.view("reporting.view_dashboard")
def dashboard(request):
    """The academy's figures per cohort, programme and period, with the names one click away
    for those who may see them."""
    form = _filter_form(request, request.GET)
    result = None
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        with reporting_reads():  # on the read replica, where one is configured
            result = dashboard_build_cached(_scope(dashboard_scope(request.user)) & filters.q())
        _attach_urls(result, request, filters)
        result.scales_share()
        groups_present(result.groups, suppress=False)
    return render(
        request,
        "reporting/dashboard/dashboard.html",
        {
            "form": form,
            "result": result,
            "suppress": False,
            "export_params": form.filters().as_params() if result else {},
            "can_export_groups": web.may(request, "reporting.export_cohort_participants"),
            "can_funder": web.may(request, "reporting.export_funder_list"),
        },
    )


@web.view("reporting.view_dashboard_names")
def dashboard_names(request):
    """The routes behind one number: name (to the participant's page), programme, group and
    status. Nothing else of the person is read."""
    form = _filter_form(request, request.GET)
    target = drill_target(request.GET.get("show", ""))
    if target is None or (form.is_bound and not form.is_valid()):
        raise Http404
    if target.sensitive:
        web.require(request, "reporting.view_dashboard_sensitive_names")
    routes = form.filters().apply(dashboard_names_routes(request.user)).filter(target.q)
    if request.GET.get("group"):
        in_group = drill_group(request.GET["group"])
        if in_group is None:
            raise Http404
        routes = routes.filter(in_group)
    rows = (
        routes.select_related("participant", "programme", "cohort")
        .only(
            "status",
            "participant__id",
            "participant__first_name",
            "participant__last_name",
            "programme__name",
            "cohort__name",
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    page = Paginator(rows, NAMES_PAGE_SIZE).get_page(request.GET.get("page"))
    web.audit_list(
        request,
        [route.participant_id for route in page],
        what="dashboard_names",
        show=request.GET["show"][:100],
        page=page.number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/dashboard/names.html",
        {
            "target": target,
            "page_obj": page,
            "query": query.urlencode(),
            "back": f"{reverse('reporting:dashboard')}?{urlencode(form.filters().as_params())}",
        },
    )


@web.view("reporting.export_dashboard", methods=["POST"])
def dashboard_export(request):
    """Start the Excel export of the dashboard (or of the national view) in the background."""
    national = acting_role(request.user) == Role.LANDELIJK
    form = (
        NationalFilterForm(request.POST)
        if national
        else _filter_form(request, request.POST, always_bound=True)
    )
    if not form.is_valid():
        messages.error(request, _("Choose valid filters first."))
        return redirect("reporting:national" if national else "reporting:dashboard")
    run = report_run_request(
        kind="dashboard_xlsx",
        parameters=dashboard_parameters(form.filters(), language=_language()),
        by=request.user,
    )
    return redirect("reporting:run_detail", run.pk)


@web.view("reporting.export_cohort_participants", methods=["POST"])
def cohort_participants_export(request, pk):
    """Start the Excel list of one group's participants (names and status)."""
    cohort = get_object_or_404(dashboard_cohorts(request.user), pk=pk)
    run = report_run_request(
        kind="cohort_participants_xlsx",
        parameters={"cohort": cohort.pk, "language": _language()},
        by=request.user,
    )
    return redirect("reporting:run_detail", run.pk)


# --- the funder list -----------------------------------------------------------------------


@web.view("reporting.export_funder_list")
def funder_list(request):
    """Choose a project and a period; see how many routes the list will hold."""
    first, last = default_funder_period(timezone.localdate())
    form = FunderListForm(
        request.GET or None, user=request.user, initial={"start_from": first, "start_to": last}
    )
    if form.out_of_scope:
        raise Http404
    count = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        count = funder_routes(
            academy_id=data["programme"].academy_id,
            programme=data["programme"],
            start_from=data["start_from"],
            start_to=data["start_to"],
        ).count()
    return render(request, "reporting/dashboard/funder.html", {"form": form, "count": count})


@web.view("reporting.export_funder_list", methods=["POST"], reauthenticate=True)
def funder_export(request):
    """A bulk export with BSNs: the password is asked again first (allauth's
    reauthentication, which replays this POST). The download writes the audit event."""
    form = FunderListForm(request.POST, user=request.user)
    if form.out_of_scope:
        raise Http404
    if not form.is_valid():
        return render(
            request, "reporting/dashboard/funder.html", {"form": form, "count": None}, status=400
        )
    run = funder_run_request(kind="funder_xlsx", values=form.cleaned_data, by=request.user)
    return redirect("reporting:run_detail", run.pk)


# --- the national view ---------------------------------------------------------------------


@web.view("reporting.view_national")
def national(request):
    """The same figures across academies and branches: counts only, never a name, no
    drill-down, and nothing that singles anyone out, whatever the filters (the method is in
    reporting.small_numbers and docs/architecture.md, "Small numbers"): the period is a whole
    quarter or year from a list (typed dates are refused at the field), every count is
    rounded to a multiple of 5 with 0 to 4 shown as "<5", shares and bars are made from the
    rounded counts only, and every academy and branch has a row, empty or not."""
    form = NationalFilterForm(request.GET or None)
    result = branches = key = None
    if not form.is_bound or form.is_valid():
        scope, filters = _scope(national_scope(request.user)), form.filters()
        with reporting_reads():  # on the read replica, where one is configured
            key = national_cache_key(scope, filters)
            result, branches = national_build(scope, filters, key=key)
        result.scales_share()
        groups_present(branches, suppress=True)
        groups_present(result.groups, suppress=True)
    return render(
        request,
        "reporting/dashboard/national.html",
        {
            "form": form,
            "result": result,
            "branches": branches,
            "suppress": True,
            # The tables are the same for every national user: kept rendered under the
            # figures' own key (filters, language, kept version); a row per academy and
            # branch, so the page no longer grows with the number of academies.
            "tables_key": key,
        },
    )
