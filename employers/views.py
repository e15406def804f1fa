"""Views of the employers app: the staff screens (/werkgevers/) and the employer's workplace pages
(/werkgever/).

Every view is declared with maatwerq.web: each object comes from a scoped selector (the
scopes below: 404 outside the user's scope); the view's permission is asked about it (403
when visible but not allowed); a page that shows participant data writes one audit READ
event; a change goes through one service and ends in a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maatwerq import web
from maatwerq.accounts.models import Programme, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.selectors import participants_visible_to

from . import candidates, route_placements, selectors, services
from .exports import XLSX_CONTENT_TYPE, sroi_workbook
from .filters import EmployerFilter, PlacementFilter
from .forms import (
    ArrangementForm,
    CandidateDecisionForm,
    CandidateInviteForm,
    CandidateTrialForm,
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
)
from .models import RUNS_OUT_SOON_DAYS, CandidateStatus, EmployerLocation

PAGE_SIZE = 50

# Staff: an employer or a vacancy of the acting academy (404 outside it).
EMPLOYER = web.Scope("employer", fetch=selectors.employer_get_for_user)
VACANCY = web.Scope("vacancy", fetch=selectors.vacancy_get_for_user)
# Staff: a placement by its public id; the permission is asked about its participant, and
# a page of it is one READ of the placement naming them.
PLACEMENT = web.Scope(
    "placement",
    fetch=selectors.placement_get_for_user,
    kwarg="public_id",
    participant=lambda placement: placement.participant,
    perm_object=lambda placement: placement.participant,
)
# Staff: a participant for the placement pages (academy staff only).
STAFF_PARTICIPANT = web.Scope(
    "staff participant",
    fetch=selectors.staff_participant_get,
    participant=web.itself,
    detail=lambda request: {"page": "placements"},
)
# The employer's workplace pages: the acting werkgever's own employer, and one of its trainees.
WORKPLACE_EMPLOYER = web.Scope("employer workplace", fetch=selectors.workplace_employer, kwarg=None)
TRAINEE = web.Scope(
    "trainee",
    fetch=selectors.workplace_trainee_get,
    participant=web.itself,
    detail=lambda request: {"page": "portal"},  # the audit keeps its recorded name
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
    """A form page: ``save(**cleaned_data)`` on a valid POST, its error beside the field, or
    a redirect (to ``done_url``, or to ``done_url(result)`` when it is a callable)."""
    return web.form_page(
        request,
        form,
        save=lambda: save(**form.cleaned_data),
        done=done_url,
        message=_("Saved."),
        template=template,
        context={**context, "title": title, "cancel_url": cancel_url},
    )


def _dates() -> dict:
    """For "runs out within 30 days" and "SBB expired" badges."""
    today = timezone.localdate()
    return {"today": today, "soon": today + timedelta(days=RUNS_OUT_SOON_DAYS)}


# --- staff: employers ------------------------------------------------------------------------


@web.view("employers.view_employers")
def employer_list(request):
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


@web.view("employers.add_employer")
def employer_create(request):
    academy = request.membership.academy
    return _form_page(
        request,
        EmployerForm(web.form_data(request)),
        lambda **data: services.employer_save(academy=academy, by=request.user, **data),
        title=_("New employer"),
        done_url=lambda employer: reverse("employers:employer_detail", args=[employer.pk]),
        cancel_url=reverse("employers:employer_list"),
    )


@web.view("employers.view_employer", scope=EMPLOYER)
def employer_detail(request, employer):
    page = selectors.employer_page(request.user, employer)
    web.audit_list(
        request,
        [p.participant_id for p in page.placements],
        obj=employer,
        page="employer",
        placements=len(page.placements),
    )
    return render(
        request,
        "employers/employer_detail.html",
        {"employer": employer, "page": page, **_dates()},
    )


@web.view("employers.change_employer", scope=EMPLOYER)
def employer_edit(request, employer):
    form = EmployerForm(web.form_data(request), initial=EmployerForm.initial_from(employer))
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


def _employer_form(request, employer, make_form: Callable, service: Callable, title: str):
    """A form page that adds something to one employer (location, contact, ...)."""
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


@web.view("employers.change_employer", scope=EMPLOYER)
def location_add(request, employer):
    return _employer_form(
        request,
        employer,
        lambda employer: LocationForm(web.form_data(request)),
        services.location_add,
        _("New location"),
    )


@web.view("employers.change_employer", scope=EMPLOYER)
def contact_add(request, employer):
    def make(employer):
        users = User.objects.filter(
            memberships__employer=employer,
            memberships__role=Role.WERKGEVER,
            memberships__is_active=True,
        ).distinct()
        return ContactForm(web.form_data(request), users=users)

    return _employer_form(request, employer, make, services.contact_add, _("New contact person"))


@web.view("employers.change_employer", scope=EMPLOYER)
def commitment_add(request, employer):
    def make(employer):
        return CommitmentForm(
            web.form_data(request), programmes=Programme.objects.filter(academy=employer.academy)
        )

    return _employer_form(
        request, employer, make, services.commitment_save, _("How this employer takes part")
    )


@web.view("employers.change_employer", scope=EMPLOYER)
def vacancy_add(request, employer):
    from leerroutes.models import Phase

    def make(employer):
        return VacancyForm(
            web.form_data(request),
            programmes=Programme.objects.filter(academy=employer.academy),
            phases=Phase.objects.filter(programme__academy=employer.academy).select_related(
                "programme"
            ),
            locations=employer.locations.all(),
        )

    return _employer_form(request, employer, make, services.vacancy_add, _("New vacancy"))


@web.view("employers.view_candidates", scope=VACANCY)
def vacancy_candidates(request, vacancy):
    """Candidates for a vacancy (staff only), and those proposed to the employer with the
    employer's invitation and decision; the regisseur proposes and starts the trial here."""
    found = selectors.vacancy_candidates(request.user, vacancy)
    proposals = candidates.proposals_of(request.user, vacancy)
    proposed = {p.participant_id for p in proposals}
    web.audit_list(
        request,
        list(dict.fromkeys([c.pk for c in found] + [p.participant_id for p in proposals])),
        obj=vacancy,
        page="candidates",
        participants=len(found),
    )
    return render(
        request,
        "employers/vacancy_candidates.html",
        {
            "vacancy": vacancy,
            "candidates": found,
            "proposals": proposals,
            "proposable": {
                c.pk
                for c in found
                if c.pk not in proposed and web.may(request, "employers.propose_candidate", c)
            },
            "trial_startable": {
                p.pk
                for p in proposals
                if p.status == CandidateStatus.YES
                and web.may(request, "employers.start_candidate_trial", p.participant)
            },
        },
    )


# --- staff: placements -----------------------------------------------------------------------


@web.view("employers.view_placements")
def placement_list(request):
    filterset = PlacementFilter(
        request.GET or None,
        queryset=selectors.placements_visible_to(request.user),
        employers=selectors.employers_visible_to(request.user),
    )
    placements = filterset.qs.order_by("-start_date", "pk")
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    web.audit_list(
        request,
        [p.participant_id for p in page.object_list],
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
        web.form_data(request),
        initial=initial,
        participants=participants_visible_to(request.user),
        employers=employers,
        locations=locations,
        leermeesters=leermeesters,
    )


@web.view("employers.add_placement")
def placement_create(request):
    """Place a participant. From the participant page (?participant=<id>) or the employer
    page (?employer=<id>), which preselect the form."""
    participant = employer = None
    if request.GET.get("participant"):
        participant = selectors.staff_participant_get(request.user, request.GET["participant"])
        web.require(request, "employers.manage_placements", participant)
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
        web.require(request, "employers.manage_placements", data["participant"])
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


@web.view("employers.view_placements", scope=STAFF_PARTICIPANT)
def participant_placements(request, participant):
    """One participant's placements, for the participant page (link target)."""
    placements = selectors.placements_of(request.user, participant)
    return render(
        request,
        "employers/participant_placements.html",
        {"participant": participant, "placements": placements, **_dates()},
    )


@web.view("employers.view_placements", scope=PLACEMENT)
def placement_detail(request, placement):
    return render(request, "employers/placement_detail.html", {"placement": placement, **_dates()})


def _placement_change(request, placement, make_form: Callable, service: Callable, title: str):
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


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.manage_placements", scope=PLACEMENT, read=web.Read.GET)
def placement_end(request, placement):
    return _placement_change(
        request,
        placement,
        lambda placement: PlacementEndForm(web.form_data(request)),
        services.placement_end,
        _("End the placement"),
    )


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.manage_placements", scope=PLACEMENT, read=web.Read.GET)
def placement_trial_pass(request, placement):
    return _placement_change(
        request,
        placement,
        lambda placement: TrialPassForm(web.form_data(request)),
        route_placements.trial_pass_with_route,
        _("Trial period passed"),
    )


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.manage_placements", scope=PLACEMENT, read=web.Read.GET)
def arrangement_add(request, placement):
    return _placement_change(
        request,
        placement,
        lambda placement: ArrangementForm(web.form_data(request)),
        services.arrangement_add,
        _("New employer arrangement"),
    )


@web.view("employers.view_watchlist")
def watchlist(request):
    """The coach's list: trial periods ending within two weeks, arrangements that run out
    within 30 days, and the employers' yes to a candidate whose trial is still to start."""
    found = selectors.watchlist_for(request.user)
    answers = candidates.employer_answers_for(request.user)
    web.audit_list(
        request,
        list(
            dict.fromkeys(
                [p.participant_id for p in found.trials]
                + [a.placement.participant_id for a in found.arrangements]
                + [c.participant_id for c in answers]
            )
        ),
        page="watchlist",
        rows=len(found.trials) + len(found.arrangements) + len(answers),
    )
    return render(
        request, "employers/watchlist.html", {"watch": found, "employer_answers": answers}
    )


# --- SROI: staff and workplace ------------------------------------------------------------------


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
    form, period = _sroi_period(request)
    statement = selectors.sroi_statement(employer, *period) if period else None
    norm = _sroi_norm(form, statement)
    query = request.GET.urlencode()
    return render(
        request,
        "employers/sroi.html",
        {
            "form": form,
            "statement": statement,
            "norm": norm,
            "employer_name": employer.name,
            "export_url": f"{export_url}?{query}" if query else export_url,
            "back_url": back_url,
        },
    )


def _sroi_norm(form: SroiPeriodForm, statement) -> selectors.SroiNorm | None:
    values = form.norm_values() if statement is not None else None
    return selectors.sroi_norm(statement, **values) if values else None


def _sroi_export(request, employer):
    form, period = _sroi_period(request)
    if period is None:
        period = tuple(SroiPeriodForm.default_period().values())
    statement = selectors.sroi_statement(employer, *period)
    norm = _sroi_norm(form, statement)
    detail = {"export": "sroi", "from": period[0].isoformat(), "to": period[1].isoformat()}
    if norm is not None:
        detail["norm"] = {"basis": str(norm.basis), "percent": str(norm.percent)}
    audit_log(
        actor=request.user,
        action=Action.EXPORT,
        obj=employer,
        academy=employer.academy,
        request=request,
        detail=detail,
    )
    response = HttpResponse(sroi_workbook(statement, norm), content_type=XLSX_CONTENT_TYPE)
    name = f"sroi-{slugify(employer.name)}-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@web.view("employers.view_sroi", scope=EMPLOYER)
def sroi(request, employer):
    return _sroi_page(
        request,
        employer,
        reverse("employers:sroi_export", args=[employer.pk]),
        reverse("employers:employer_detail", args=[employer.pk]),
    )


@web.view("employers.view_sroi", scope=EMPLOYER)
def sroi_export(request, employer):
    return _sroi_export(request, employer)


@web.view("employers.view_sroi", scope=WORKPLACE_EMPLOYER)
def workplace_sroi(request, employer):
    return _sroi_page(
        request,
        employer,
        reverse("employers:workplace_sroi_export"),
        reverse("employers:workplace_home"),
    )


@web.view("employers.view_sroi", scope=WORKPLACE_EMPLOYER)
def workplace_sroi_export(request, employer):
    return _sroi_export(request, employer)


# --- the employer's workplace pages ---------------------------------------------------------------


@web.view("employers.use_workplace", scope=WORKPLACE_EMPLOYER)
def workplace_home(request, employer):
    """The employer's own trainees: name, programme, phase, placement, hours, goal status."""
    rows = selectors.workplace_trainees(request.user)
    web.audit_list(request, [r.pk for r in rows], page="portal", participants=len(rows))
    return render(
        request, "employers/workplace/home.html", {"employer_name": employer.name, "rows": rows}
    )


@web.view("employers.use_workplace", scope=TRAINEE)
def workplace_trainee(request, participant):
    trainee = selectors.workplace_trainee_page(request.user, participant)
    return render(request, "employers/workplace/trainee.html", {"trainee": trainee})


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.confirm_hours", scope=TRAINEE, read=web.Read.GET)
def workplace_hours(request, participant):
    """A leermeester confirms (or corrects) the practice hours of several weeks at once, the
    logged hours prefilled and a finished week without hours shown as missing."""
    employer = selectors.workplace_employer(request.user)
    weeks = selectors.workplace_hours_weeks(request.user, participant)
    form = HoursConfirmForm(web.form_data(request), weeks=weeks)
    url = reverse("employers:workplace_trainee", args=[participant.pk])
    return web.form_page(
        request,
        form,
        save=lambda: services.trainee_hours_confirm_weeks(
            participant=participant,
            employer=employer,
            by=request.user,
            hours=form.cleaned_data["hours"],
        ),
        done=url,
        message=lambda n: ngettext("%(n)d week confirmed.", "%(n)d weeks confirmed.", n) % {"n": n},
        template="employers/workplace/hours.html",
        context={"trainee_name": participant.full_name, "cancel_url": url},
    )


@web.view("employers.add_workplace_assessment", scope=TRAINEE, read=web.Read.GET)
def workplace_assessment(request, participant):
    """A leermeester adds a workplace assessment."""
    employer = selectors.workplace_employer(request.user)
    form = WorkplaceAssessmentForm(web.form_data(request))
    url = reverse("employers:workplace_trainee", args=[participant.pk])
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


# --- the employer chooses who trains (employers.candidates) ---------------------------------------

# Staff: a candidate by its public id; the permission is asked about its participant.
STAFF_CANDIDATE = web.Scope(
    "candidate",
    fetch=candidates.candidate_get_for_staff,
    kwarg="candidate_id",
    participant=lambda candidate: candidate.participant,
    perm_object=lambda candidate: candidate.participant,
)
# Staff: the participant proposed for a vacancy (the vacancy's number comes first in the URL).
PROPOSED_PARTICIPANT = web.Scope(
    "proposed participant",
    fetch=selectors.staff_participant_get,
    kwarg="participant_id",
    participant=web.itself,
)
# The werkgever: an open vacancy of its own employer, and a candidate of one whose consent
# "kandidaatprofiel" holds today (404 otherwise).
WORKPLACE_VACANCY = web.Scope("workplace vacancy", fetch=candidates.workplace_vacancy_get)
WORKPLACE_CANDIDATE = web.Scope(
    "workplace candidate",
    fetch=candidates.workplace_candidate_get,
    kwarg="candidate_id",
    participant=lambda candidate: candidate.participant,
    detail=lambda request: {"page": "candidate"},
)


@web.view("employers.propose_candidate", scope=PROPOSED_PARTICIPANT, methods=["POST"])
def candidate_propose(request, participant, pk: int):
    """The regisseur proposes a participant (from the vacancy's candidates page, the vacancy
    by its number: not participant data)."""
    vacancy = selectors.vacancy_get_for_user(request.user, pk)
    url = reverse("employers:vacancy_candidates", args=[vacancy.pk])
    return web.act(
        request,
        lambda: candidates.candidate_propose(
            vacancy=vacancy, participant=participant, by=request.user
        ),
        done=url + "#proposals",
        message=_("Proposed to the employer."),
    )


# A GET's page is the READ; a POST writes its own events through the service.
@web.view("employers.start_candidate_trial", scope=STAFF_CANDIDATE, read=web.Read.GET)
def candidate_trial_start(request, candidate):
    """The regisseur starts the trial placement from the employer's yes."""
    url = reverse("employers:vacancy_candidates", args=[candidate.vacancy_id])
    form = CandidateTrialForm(web.form_data(request))
    return web.form_page(
        request,
        form,
        save=lambda: candidates.candidate_trial_start(
            candidate=candidate, by=request.user, **form.cleaned_data
        ),
        done=lambda placement: reverse("employers:placement_detail", args=[placement.public_id]),
        message=_("Trial period started."),
        template="form_page.html",
        context={
            "title": _("Start the trial placement"),
            "cancel_url": url,
            "intro": _("At %(employer)s, for %(name)s. The route's trial period starts too.")
            % {"employer": candidate.vacancy.employer.name, "name": candidate.participant},
        },
    )


@web.view("employers.choose_candidates", scope=WORKPLACE_EMPLOYER)
def workplace_vacancies(request, employer):
    """The werkgever's open vacancies, with how many candidates they may look at."""
    return render(
        request,
        "employers/workplace/vacancies.html",
        {"employer_name": employer.name, "vacancies": candidates.workplace_vacancies(request.user)},
    )


@web.view("employers.choose_candidates", scope=WORKPLACE_VACANCY)
def workplace_vacancy(request, vacancy):
    """The candidates of one vacancy, with the work profile each agreed to share."""
    found = candidates.workplace_candidates(request.user, vacancy)
    web.audit_list(
        request,
        [c.participant_id for c in found],
        obj=vacancy,
        page="workplace_candidates",
        participants=len(found),
    )
    return render(
        request, "employers/workplace/vacancy.html", {"vacancy": vacancy, "candidates": found}
    )


def _candidate_form(request, candidate, form, save, title: str):
    url = reverse("employers:workplace_vacancy", args=[candidate.vacancy_id])
    return web.form_page(
        request,
        form,
        save=save,
        done=url,
        message=_("Saved. The academy sees it."),
        template="form_page.html",
        context={
            "title": title,
            "cancel_url": url,
            "intro": _("Candidate: %(name)s") % {"name": candidate.participant.first_name},
        },
    )


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.choose_candidates", scope=WORKPLACE_CANDIDATE, read=web.Read.GET)
def workplace_candidate_invite(request, candidate):
    form = CandidateInviteForm(web.form_data(request))
    return _candidate_form(
        request,
        candidate,
        form,
        lambda: candidates.candidate_invite(
            candidate=candidate, by=request.user, **form.cleaned_data
        ),
        _("Invite to a conversation"),
    )


# A GET's page is the READ; a POST writes its own event through the service.
@web.view("employers.choose_candidates", scope=WORKPLACE_CANDIDATE, read=web.Read.GET)
def workplace_candidate_decide(request, candidate):
    """Yes or no with a reason; a decision made is changed here until the trial starts."""
    decided = candidate.status in candidates.DECISIONS
    form = CandidateDecisionForm(
        web.form_data(request),
        initial={"decision": candidate.status, "reason": candidate.decision_reason}
        if decided
        else None,
    )
    return _candidate_form(
        request,
        candidate,
        form,
        lambda: candidates.candidate_decide(
            candidate=candidate, by=request.user, **form.cleaned_data
        ),
        _("Change your decision") if decided else _("Your decision"),
    )
