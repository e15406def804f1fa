"""Views of the employers app: the staff screens (/werkgevers/) and the employer portal
(/werkgever/).

Every object comes from a scoped selector (404 outside the user's scope); each view checks
its permission (403 when visible but not allowed); a page that shows participant data writes
one audit READ event; a change goes through one service and ends in a redirect.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maatwerq.accounts.models import Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log, audit_log_list
from participants.selectors import participants_visible_to

from . import route_placements, selectors, services
from .exports import XLSX_CONTENT_TYPE, sroi_workbook
from .filters import EmployerFilter, PlacementFilter
from .forms import (
    ArrangementForm,
    CommitmentForm,
    ContactForm,
    EmployerForm,
    HoursConfirmForm,
    LocationForm,
    PlacementEndForm,
    PlacementForm,
    SroiPeriodForm,
    TrialPassForm,
    VacancyForm,
    WorkplaceAssessmentForm,
    add_service_error,
)
from .models import RUNS_OUT_SOON_DAYS, EmployerLocation

PAGE_SIZE = 50


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _read(request, *, participant=None, obj=None, listed=None, **detail) -> None:
    """One READ event; a page listing several young people names them (``listed``: their
    ids), so each sees it on their "who opened my record"."""
    if listed is not None:
        audit_log_list(
            actor=request.user,
            action=Action.READ,
            participant_ids=listed,
            obj=obj,
            request=request,
            detail=detail or None,
        )
        return
    audit_log(
        actor=request.user,
        action=Action.READ,
        obj=obj,
        participant=participant,
        request=request,
        detail=detail or None,
    )


def _form_page(
    request,
    form,
    save: Callable,
    *,
    title: str,
    done_url: str | Callable,
    cancel_url: str,
    template: str = "form_page.html",
    **context,
):
    """Bind on POST, call the service, put its error beside the field, or redirect (to
    ``done_url``, or to ``done_url(result)`` when it is a callable)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(**form.cleaned_data)
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect(done_url(result) if callable(done_url) else done_url)
    context.update(form=form, title=title, cancel_url=cancel_url)
    return render(request, template, context)


def _data(request):
    return request.POST if request.method == "POST" else None


def _dates() -> dict:
    """For "runs out within 30 days" and "SBB expired" badges."""
    today = timezone.localdate()
    return {"today": today, "soon": today + timedelta(days=RUNS_OUT_SOON_DAYS)}


# --- staff: employers ------------------------------------------------------------------------


@login_required
def employer_list(request):
    _require(request, "employers.view_employers")
    academy = request.membership.academy
    filterset = EmployerFilter(
        request.GET or None, queryset=selectors.employers_visible_to(request.user), academy=academy
    )
    employers = selectors.employer_list(filterset.qs.order_by("name", "pk"))
    page = Paginator(employers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/employer_list.html",
        {"filter": filterset, "page_obj": page, **_dates()},
    )


@login_required
def employer_create(request):
    _require(request, "employers.add_employer")
    academy = request.membership.academy
    return _form_page(
        request,
        EmployerForm(_data(request)),
        lambda **data: services.employer_save(academy=academy, by=request.user, **data),
        title=_("New employer"),
        done_url=lambda employer: reverse("employers:employer_detail", args=[employer.pk]),
        cancel_url=reverse("employers:employer_list"),
    )


@login_required
def employer_detail(request, pk: int):
    employer = selectors.employer_get_for_user(request.user, pk)
    _require(request, "employers.view_employer", employer)
    page = selectors.employer_page(request.user, employer)
    _read(
        request,
        obj=employer,
        listed=[p.participant_id for p in page.placements],
        page="employer",
        placements=len(page.placements),
    )
    return render(
        request,
        "employers/employer_detail.html",
        {"employer": employer, "page": page, **_dates()},
    )


@login_required
def employer_edit(request, pk: int):
    employer = selectors.employer_get_for_user(request.user, pk)
    _require(request, "employers.change_employer", employer)
    form = EmployerForm(_data(request), initial=EmployerForm.initial_from(employer))
    url = reverse("employers:employer_detail", args=[employer.pk])
    return _form_page(
        request,
        form,
        lambda **data: services.employer_save(
            academy=employer.academy, employer=employer, by=request.user, **data
        ),
        title=_("Change employer"),
        done_url=url,
        cancel_url=url,
        employer=employer,
    )


def _employer_form(request, pk: int, make_form: Callable, service: Callable, title: str):
    """A form page that adds something to one employer (location, contact, ...)."""
    employer = selectors.employer_get_for_user(request.user, pk)
    _require(request, "employers.change_employer", employer)
    url = reverse("employers:employer_detail", args=[employer.pk])
    return _form_page(
        request,
        make_form(employer),
        lambda **data: service(employer=employer, by=request.user, **data),
        title=title,
        done_url=url,
        cancel_url=url,
        employer=employer,
    )


@login_required
def location_add(request, pk: int):
    return _employer_form(
        request,
        pk,
        lambda employer: LocationForm(_data(request)),
        services.location_add,
        _("New location"),
    )


@login_required
def contact_add(request, pk: int):
    def make(employer):
        users = User.objects.filter(
            memberships__employer=employer,
            memberships__role=Role.WERKGEVER,
            memberships__is_active=True,
        ).distinct()
        return ContactForm(_data(request), users=users)

    return _employer_form(request, pk, make, services.contact_add, _("New contact person"))


@login_required
def commitment_add(request, pk: int):
    def make(employer):
        return CommitmentForm(
            _data(request), programmes=Programme.objects.filter(academy=employer.academy)
        )

    return _employer_form(
        request, pk, make, services.commitment_save, _("How this employer takes part")
    )


@login_required
def vacancy_add(request, pk: int):
    from leerroutes.models import Phase

    def make(employer):
        return VacancyForm(
            _data(request),
            programmes=Programme.objects.filter(academy=employer.academy),
            phases=Phase.objects.filter(programme__academy=employer.academy).select_related(
                "programme"
            ),
            locations=employer.locations.all(),
        )

    return _employer_form(request, pk, make, services.vacancy_add, _("New vacancy"))


@login_required
def vacancy_candidates(request, pk: int):
    """Candidates for a vacancy: staff only, never shown to the employer."""
    vacancy = selectors.vacancy_get_for_user(request.user, pk)
    _require(request, "employers.view_candidates")
    candidates = selectors.vacancy_candidates(request.user, vacancy)
    _read(
        request,
        obj=vacancy,
        listed=[c.pk for c in candidates],
        page="candidates",
        participants=len(candidates),
    )
    return render(
        request,
        "employers/vacancy_candidates.html",
        {"vacancy": vacancy, "candidates": candidates},
    )


# --- staff: placements -----------------------------------------------------------------------


@login_required
def placement_list(request):
    _require(request, "employers.view_placements")
    filterset = PlacementFilter(
        request.GET or None,
        queryset=selectors.placements_visible_to(request.user),
        employers=selectors.employers_visible_to(request.user),
    )
    placements = filterset.qs.order_by("-start_date", "pk")
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    _read(
        request,
        listed=[p.participant_id for p in page.object_list],
        page="placements",
        rows=len(page.object_list),
    )
    return render(request, "employers/placement_list.html", {"filter": filterset, "page_obj": page})


def _placement_form(request, participant=None, employer=None) -> PlacementForm:
    academy = request.membership.academy
    employers = selectors.employers_visible_to(request.user)
    locations = EmployerLocation.objects.filter(employer__academy=academy).select_related(
        "employer"
    )
    leermeesters = selectors.leermeesters_of_academy(academy)
    if employer is not None:
        locations = locations.filter(employer=employer)
        leermeesters = leermeesters.filter(employer=employer)
    initial = {}
    if participant is not None:
        initial["participant"] = participant.pk
    if employer is not None:
        initial["employer"] = employer.pk
    return PlacementForm(
        _data(request),
        initial=initial,
        participants=participants_visible_to(request.user),
        employers=employers,
        locations=locations,
        leermeesters=leermeesters,
    )


@login_required
def placement_create(request):
    """Place a participant. From the participant page (?participant=<id>) or the employer
    page (?employer=<id>), which preselect the form."""
    _require(request, "employers.add_placement")
    participant = employer = None
    if request.GET.get("participant"):
        participant = selectors.staff_participant_get(request.user, request.GET["participant"])
        _require(request, "employers.manage_placements", participant)
    if request.GET.get("employer", "").isdecimal():
        employer = selectors.employer_get_for_user(request.user, request.GET["employer"])
    form = _placement_form(request, participant, employer)
    if participant is not None:
        cancel = reverse("employers:participant_placements", args=[participant.pk])
    elif employer is not None:
        cancel = reverse("employers:employer_detail", args=[employer.pk])
    else:
        cancel = reverse("employers:placement_list")

    def save(**data):
        _require(request, "employers.manage_placements", data["participant"])
        return services.placement_create(by=request.user, **data)

    return _form_page(
        request,
        form,
        save,
        title=_("New placement"),
        done_url=lambda placement: reverse(
            "employers:placement_detail", args=[placement.public_id]
        ),
        cancel_url=cancel,
    )


@login_required
def participant_placements(request, pk):
    """One participant's placements, for the participant page (link target)."""
    participant = selectors.staff_participant_get(request.user, pk)
    _require(request, "employers.view_placements")
    placements = selectors.placements_of(request.user, participant)
    _read(request, participant=participant, obj=participant, page="placements")
    return render(
        request,
        "employers/participant_placements.html",
        {"participant": participant, "placements": placements, **_dates()},
    )


@login_required
def placement_detail(request, public_id: uuid.UUID):
    placement = selectors.placement_get_for_user(request.user, public_id)
    _require(request, "employers.view_placements")
    _read(request, participant=placement.participant, obj=placement)
    return render(request, "employers/placement_detail.html", {"placement": placement, **_dates()})


def _placement_change(
    request, public_id: uuid.UUID, make_form: Callable, service: Callable, title: str
):
    placement = selectors.placement_get_for_user(request.user, public_id)
    _require(request, "employers.manage_placements", placement.participant)
    if request.method == "GET":  # a POST writes its own event through the service
        _read(request, participant=placement.participant, obj=placement)
    url = reverse("employers:placement_detail", args=[placement.public_id])
    return _form_page(
        request,
        make_form(placement),
        lambda **data: service(placement=placement, by=request.user, **data),
        title=title,
        done_url=url,
        cancel_url=url,
        placement=placement,
    )


@login_required
def placement_end(request, public_id: uuid.UUID):
    return _placement_change(
        request,
        public_id,
        lambda placement: PlacementEndForm(_data(request)),
        services.placement_end,
        _("End the placement"),
    )


@login_required
def placement_trial_pass(request, public_id: uuid.UUID):
    return _placement_change(
        request,
        public_id,
        lambda placement: TrialPassForm(_data(request)),
        route_placements.trial_pass_with_route,
        _("Trial period passed"),
    )


@login_required
def arrangement_add(request, public_id: uuid.UUID):
    return _placement_change(
        request,
        public_id,
        lambda placement: ArrangementForm(_data(request)),
        services.arrangement_add,
        _("New employer arrangement"),
    )


@login_required
def watchlist(request):
    """The coach's list: trial periods ending within two weeks, and arrangements that run
    out within 30 days."""
    _require(request, "employers.view_watchlist")
    found = selectors.watchlist_for(request.user)
    _read(
        request,
        listed=[p.participant_id for p in found.trials]
        + [a.placement.participant_id for a in found.arrangements],
        page="watchlist",
        rows=len(found.trials) + len(found.arrangements),
    )
    return render(request, "employers/watchlist.html", {"watch": found})


# --- SROI: staff and portal ------------------------------------------------------------------


def _sroi_period(request) -> tuple[SroiPeriodForm, tuple | None]:
    form = SroiPeriodForm(
        request.GET if "start" in request.GET else None, initial=SroiPeriodForm.default_period()
    )
    if form.is_bound:
        if not form.is_valid():
            return form, None
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    period = SroiPeriodForm.default_period()
    return form, (period["start"], period["end"])


def _sroi_page(request, employer, export_url: str, back_url: str):
    _require(request, "employers.view_sroi", employer)
    form, period = _sroi_period(request)
    statement = selectors.sroi_statement(employer, *period) if period else None
    query = request.GET.urlencode()
    return render(
        request,
        "employers/sroi.html",
        {
            "form": form,
            "statement": statement,
            "employer_name": employer.name,
            "export_url": f"{export_url}?{query}" if query else export_url,
            "back_url": back_url,
        },
    )


def _sroi_export(request, employer):
    _require(request, "employers.view_sroi", employer)
    _form, period = _sroi_period(request)
    if period is None:
        period = tuple(SroiPeriodForm.default_period().values())
    statement = selectors.sroi_statement(employer, *period)
    audit_log(
        actor=request.user,
        action=Action.EXPORT,
        obj=employer,
        academy=employer.academy,
        request=request,
        detail={"export": "sroi", "from": period[0].isoformat(), "to": period[1].isoformat()},
    )
    response = HttpResponse(sroi_workbook(statement), content_type=XLSX_CONTENT_TYPE)
    name = f"sroi-{slugify(employer.name)}-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def sroi(request, pk: int):
    employer = selectors.employer_get_for_user(request.user, pk)
    return _sroi_page(
        request,
        employer,
        reverse("employers:sroi_export", args=[employer.pk]),
        reverse("employers:employer_detail", args=[employer.pk]),
    )


@login_required
def sroi_export(request, pk: int):
    return _sroi_export(request, selectors.employer_get_for_user(request.user, pk))


@login_required
def portal_sroi(request):
    employer = selectors.portal_employer(request.user)
    return _sroi_page(
        request, employer, reverse("employers:portal_sroi_export"), reverse("employers:portal_home")
    )


@login_required
def portal_sroi_export(request):
    return _sroi_export(request, selectors.portal_employer(request.user))


# --- the employer portal ---------------------------------------------------------------------


def _portal_trainee(request, pk, perm: str = "employers.use_portal"):
    participant = selectors.portal_trainee_get(request.user, pk)
    _require(request, perm, participant)
    return participant


@login_required
def portal_home(request):
    """The employer's own trainees: name, programme, phase, placement, hours, goal status."""
    employer = selectors.portal_employer(request.user)
    _require(request, "employers.use_portal")
    rows = selectors.portal_trainees(request.user)
    _read(request, listed=[r.pk for r in rows], page="portal", participants=len(rows))
    return render(
        request, "employers/portal/home.html", {"employer_name": employer.name, "rows": rows}
    )


@login_required
def portal_trainee(request, pk):
    participant = _portal_trainee(request, pk)
    trainee = selectors.portal_trainee_page(request.user, participant)
    _read(request, participant=participant, obj=participant, page="portal")
    return render(request, "employers/portal/trainee.html", {"trainee": trainee})


@login_required
def portal_hours(request, pk):
    """A leermeester confirms (or corrects) a week's practice hours."""
    participant = _portal_trainee(request, pk, "employers.confirm_hours")
    if request.method == "GET":  # a POST writes its own event through the service
        _read(request, participant=participant, obj=participant, page="portal")
    employer = selectors.portal_employer(request.user)
    weeks = selectors.portal_placement_weeks(request.user, participant)
    form = HoursConfirmForm(_data(request), weeks=weeks)
    url = reverse("employers:portal_trainee", args=[participant.pk])
    return _form_page(
        request,
        form,
        lambda **data: services.trainee_hours_confirm(
            participant=participant, employer=employer, by=request.user, **data
        ),
        title=_("Confirm hours"),
        done_url=url,
        cancel_url=url,
        template="form_page.html",
        trainee_name=participant.full_name,
    )


@login_required
def portal_assessment(request, pk):
    """A leermeester adds a workplace assessment."""
    participant = _portal_trainee(request, pk, "employers.add_workplace_assessment")
    if request.method == "GET":  # a POST writes its own event through the service
        _read(request, participant=participant, obj=participant, page="portal")
    employer = selectors.portal_employer(request.user)
    form = WorkplaceAssessmentForm(_data(request))
    url = reverse("employers:portal_trainee", args=[participant.pk])
    return _form_page(
        request,
        form,
        lambda **data: services.workplace_assessment_add(
            participant=participant, employer=employer, by=request.user, **data
        ),
        title=_("Workplace assessment"),
        done_url=url,
        cancel_url=url,
        template="form_page.html",
        trainee_name=participant.full_name,
    )
