"""The route pages. Each view gets the participant from the scoped selector (404 outside scope),
checks its permission (403 when visible but not allowed), writes one audit event per page
(READ) or per change (by the service), and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.models import Employer
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log, audit_log_list
from participants.models import ConsentScope
from participants.selectors import consent_is_active, follow_ups_due_list

from . import selectors, services
from .diffs import plan_diff, snapshot_goals
from .forms import (
    AnalysisForm,
    ArrangementForm,
    AssessmentForm,
    CertificateForm,
    EvaluationForm,
    GoalFormSet,
    GoalStatusForm,
    HandelingswijzerForm,
    HoursForm,
    PlanAgreementForm,
    PlanForm,
    ProgressEntryForm,
    RocResultForm,
    add_service_error,
    goal_initial,
)
from .models import ACTIVE_GOAL_STATUSES, Analysis, Arrangement

# --- helpers ---------------------------------------------------------------------------------


def _participant(request, pk, perm: str):
    """The participant in scope (404 outside it) on whom the user holds ``perm`` (403)."""
    participant = selectors.route_participant_get(request.user, pk)
    if not request.user.has_perm(perm, participant):
        raise PermissionDenied
    return participant


def _read(request, participant, obj=None, **detail) -> None:
    audit_log(
        actor=request.user,
        action=Action.READ,
        obj=obj if obj is not None else participant,
        participant=participant,
        request=request,
        detail=detail or None,
    )


def _page(request, template: str, participant, section: str, **context):
    context.update(participant=participant, traject=participant.current_traject, section=section)
    return render(request, template, context)


def _version_param(request) -> int | None:
    value = request.GET.get("version", "")
    return int(value) if value.isdecimal() else None


def _url(name: str, participant, *args) -> str:
    return reverse(f"leerroutes:{name}", args=[participant.pk, *args])


def _active_goals(traject):
    return selectors.goals_for(traject).filter(status__in=ACTIVE_GOAL_STATUSES)


# --- caseload and overview -------------------------------------------------------------------


@login_required
def caseload(request):
    """The coach's main list: my trainees, and who needs attention."""
    if not request.user.has_perm("leerroutes.view_caseload"):
        raise PermissionDenied
    rows = selectors.caseload_for(request.user)
    follow_ups = follow_ups_due_list(request.user, limit=50)
    audit_log_list(
        actor=request.user,
        action=Action.READ,
        participant_ids=[r.participant_id for r in rows] + [f.participant_id for f in follow_ups],
        request=request,
        detail={"page": "caseload", "participants": len(rows)},
    )
    return render(
        request,
        "leerroutes/caseload.html",
        {
            "rows": rows,
            "silent": [r for r in rows if r.is_silent],
            "overdue": [r for r in rows if r.overdue_goals],
            "evaluations_due": [r for r in rows if r.evaluation_due],
            "feels_low": [r for r in rows if r.feels_low],
            "follow_ups": follow_ups,
        },
    )


@login_required
def route_overview(request, pk):
    """Phase and goal status for everyone who may see the route; the texts only for those
    who work with the participant."""
    participant = _participant(request, pk, "leerroutes.view_route")
    traject = participant.current_traject
    context = {}
    if traject is not None:
        # A programme made after the data migration gets the default phases when first shown.
        phases = services.phases_ensure(programme=traject.programme)
        current = selectors.current_phase(traject)
        context.update(
            phases=phases,
            current_phase=current,
            status_counts=selectors.goal_status_counts(traject),
        )
        if request.user.has_perm("leerroutes.view_route_details", participant):
            context.update(
                goals=selectors.goals_for(traject),
                plan=selectors.plan_get(traject),
                last_evaluation=selectors.evaluations_for(traject).first(),
            )
    _read(request, participant, section="overview")
    return _page(request, "leerroutes/overview.html", participant, "overview", **context)


# --- analysis and arrangement ----------------------------------------------------------------


def _version_page(request, pk, *, model, get, tab: str):
    """One version of a versioned record (analysis, arrangement), with the list of versions."""
    participant = _participant(request, pk, "leerroutes.view_route_details")
    traject = selectors.route_of(participant)
    shown = get(traject, _version_param(request))
    _read(request, participant, shown)
    return _page(
        request,
        f"leerroutes/{tab}.html",
        participant,
        tab,
        **{tab: shown, "versions": selectors.versions_of(model, traject)},
    )


@login_required
def analysis(request, pk):
    return _version_page(request, pk, model=Analysis, get=selectors.analysis_get, tab="analysis")


@login_required
def analysis_new(request, pk):
    """A new version of the analysis, starting from the latest one."""
    participant = _participant(request, pk, "leerroutes.change_analysis")
    traject = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.analysis_get(traject)
    form = AnalysisForm(
        request.POST or None, domains=domains, initial=AnalysisForm.initial_from(latest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.analysis_create(
                participant=participant,
                made_on=form.cleaned_data["made_on"],
                summary=form.cleaned_data["summary"],
                domains=form.domain_data(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("Analysis version %(n)s saved.") % {"n": made.number})
            return redirect(_url("analysis", participant))
    _read(request, participant, latest)
    return _page(
        request, "leerroutes/analysis_form.html", participant, "analysis", form=form, latest=latest
    )


@login_required
def arrangement(request, pk):
    return _version_page(
        request, pk, model=Arrangement, get=selectors.arrangement_get, tab="arrangement"
    )


@login_required
def arrangement_new(request, pk):
    participant = _participant(request, pk, "leerroutes.change_arrangement")
    traject = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.arrangement_get(traject)
    form = ArrangementForm(
        request.POST or None, domains=domains, initial=ArrangementForm.initial_from(latest)
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.arrangement_create(
                participant=participant,
                decided_on=form.cleaned_data["decided_on"],
                is_24_hour=form.cleaned_data["is_24_hour"],
                outside_work=form.cleaned_data["outside_work"],
                domains=form.domain_data(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("Arrangement version %(n)s saved.") % {"n": made.number})
            return redirect(_url("arrangement", participant))
    _read(request, participant, latest)
    return _page(request, "leerroutes/arrangement_form.html", participant, "arrangement", form=form)


# --- plan and goals --------------------------------------------------------------------------


@login_required
def plan(request, pk):
    """A version of the plan (the latest by default). The latest shows the goals as they are
    now; an older one shows them as they were saved with it."""
    participant = _participant(request, pk, "leerroutes.view_route_details")
    traject = selectors.route_of(participant)
    shown = selectors.plan_get(traject, _version_param(request))
    versions = list(selectors.plan_versions(traject))
    is_latest = bool(versions) and shown is not None and shown.number == versions[0].number
    _read(request, participant, shown)
    return _page(
        request,
        "leerroutes/plan.html",
        participant,
        "plan",
        plan=shown,
        versions=versions,
        is_latest=is_latest,
        goals=selectors.goals_for(traject) if is_latest else None,
        goals_then=snapshot_goals(shown) if shown is not None and not is_latest else None,
    )


@login_required
def plan_edit(request, pk):
    """Edit the plan; saving makes a new version. The hidden version field carries the version
    the editor started from, so a save on top of someone else's is refused, not lost."""
    participant = _participant(request, pk, "leerroutes.change_plan")
    traject = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.plan_get(traject)
    goals = list(_active_goals(traject))
    initial = {"version": latest.number if latest else 0}
    if latest is not None:
        initial.update(perspective=latest.perspective, support_plan=latest.support_plan)
    form = PlanForm(request.POST or None, initial=initial)
    domain_qs = selectors.life_domains_for(participant.academy)
    formset = GoalFormSet(
        request.POST or None,
        prefix="goals",
        initial=[goal_initial(g) for g in goals],
        form_kwargs={"domains": domain_qs},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.plan_save(
                participant=participant,
                based_on=form.cleaned_data["version"],
                plan_date=form.cleaned_data["plan_date"],
                perspective=form.cleaned_data["perspective"],
                support_plan=form.cleaned_data["support_plan"],
                goals=formset.goal_data(),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(error, form, formset)
        else:
            messages.success(request, _("Plan version %(n)s saved.") % {"n": saved.number})
            return redirect(_url("plan", participant))
    _read(request, participant, latest)
    closed = selectors.goals_for(traject).exclude(status__in=ACTIVE_GOAL_STATUSES)
    return _page(
        request,
        "leerroutes/plan_form.html",
        participant,
        "plan",
        form=form,
        formset=formset,
        latest=latest,
        closed_goals=closed,
        domains=domains,
    )


@login_required
def plan_changes(request, pk, number):
    """What changed in a version compared with the one before."""
    participant = _participant(request, pk, "leerroutes.view_route_details")
    traject = selectors.route_of(participant)
    newer = selectors.plan_get(traject, number)
    older = selectors.plan_get(traject, number - 1) if number > 1 else None
    _read(request, participant, newer)
    return _page(
        request, "leerroutes/plan_changes.html", participant, "plan", diff=plan_diff(older, newer)
    )


@login_required
@require_POST
def plan_sign_off(request, pk, number):
    participant = _participant(request, pk, "leerroutes.sign_off_plan")
    shown = selectors.plan_get(selectors.route_of(participant), number)
    try:
        services.plan_sign_off(participant=participant, plan=shown, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(n)s is signed off.") % {"n": number})
    return redirect(_url("plan", participant) + f"?version={number}")


@login_required
def plan_agree(request, pk, number):
    """Record the participant's (and a parent's) agreement with a plan version."""
    participant = _participant(request, pk, "leerroutes.record_agreement")
    shown = selectors.plan_get(selectors.route_of(participant), number)
    form = PlanAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_agreement_record(
                participant=participant, plan=shown, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect(_url("plan", participant) + f"?version={number}")
    _read(request, participant, shown)
    return _page(request, "leerroutes/plan_agree.html", participant, "plan", form=form, plan=shown)


@login_required
def goal_status(request, pk, goal_pk):
    """A goal with its status history; who keeps the plan changes the status here."""
    perm = "leerroutes.view_route_details"
    if request.method == "POST":
        perm = "leerroutes.change_goal_status"
    participant = _participant(request, pk, perm)
    goal = selectors.goal_get(selectors.route_of(participant), goal_pk)
    # Opens on the goal's own status: saving unchanged never moves it back to "open".
    form = GoalStatusForm(request.POST or None, initial={"to_status": goal.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_status_change(
                participant=participant, goal=goal, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The goal's status is changed."))
            return redirect(_url("goal_status", participant, goal.pk))
    _read(request, participant, goal)
    return _page(request, "leerroutes/goal.html", participant, "plan", form=form, goal=goal)


# --- progress log ----------------------------------------------------------------------------


@login_required
def progress_log(request, pk):
    """The coach's main screen: a quick entry on top, the latest entries below. With htmx the
    entry is added without leaving the page: the answer is a fresh form plus the new entry,
    swapped in at the top of the list; errors come back in the form, input kept."""
    perm = "leerroutes.add_progress_entry" if request.method == "POST" else None
    participant = _participant(request, pk, perm or "leerroutes.view_progress_log")
    traject = selectors.route_of(participant)
    goals = _active_goals(traject)
    form = ProgressEntryForm(request.POST or None, goals=goals)
    template = "leerroutes/progress_log.html"
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.progress_entry_add(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            if request.htmx:
                fresh = ProgressEntryForm(goals=goals)
                context = {"participant": participant, "form": fresh, "new_entry": entry}
                return render(request, f"{template}#entry_added", context)
            messages.success(request, _("The entry is added."))
            return redirect(_url("progress_log", participant))
    _read(request, participant, section="progress_log")
    if request.htmx:
        return render(request, f"{template}#entry_form", {"participant": participant, "form": form})
    return _page(
        request,
        template,
        participant,
        "progress_log",
        form=form,
        entries=selectors.progress_entries_for(traject),
        voice=selectors.participant_voice_for(traject)
        if request.user.has_perm("leerroutes.view_participant_voice", participant)
        else None,
    )


# --- evaluations and results -----------------------------------------------------------------


@login_required
def evaluations(request, pk):
    participant = _participant(request, pk, "leerroutes.view_evaluations")
    traject = selectors.route_of(participant)
    _read(request, participant, section="evaluations")
    return _page(
        request,
        "leerroutes/evaluations.html",
        participant,
        "evaluations",
        evaluations=selectors.evaluations_for(traject),
        current_phase=selectors.current_phase(traject),
    )


@login_required
def evaluation_new(request, pk):
    participant = _participant(request, pk, "leerroutes.record_evaluation")
    traject = selectors.route_of(participant)
    services.phases_ensure(programme=traject.programme)
    current = selectors.current_phase(traject)
    form = EvaluationForm(
        request.POST or None,
        goals=selectors.goals_for(traject),
        phases=selectors.phases_for(traject.programme_id),
        initial={"phase_decision": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect(_url("evaluations", participant))
    _read(request, participant, section="evaluation_new")
    return _page(
        request,
        "leerroutes/evaluation_form.html",
        participant,
        "evaluations",
        form=form,
        current_phase=current,
    )


@login_required
def results(request, pk):
    """The two result lines: learning gain (ROC, leermeester) and well-being."""
    participant = _participant(request, pk, "leerroutes.view_results")
    traject = selectors.route_of(participant)
    _read(request, participant, section="results")
    return _page(
        request,
        "leerroutes/results.html",
        participant,
        "results",
        roc_results=selectors.roc_results_for(traject),
        assessments=selectors.assessments_for(traject),
        wellbeing=selectors.wellbeing_per_month(traject),
    )


def _simple_form_page(request, participant, form, save, title: str, done_url: str):
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect(done_url)
    _read(request, participant, section=title)
    return _page(
        request,
        "form_page.html",
        participant,
        "results",
        form=form,
        title=title,
        back_url=done_url,
    )


@login_required
def assessment_new(request, pk):
    participant = _participant(request, pk, "leerroutes.record_results")
    selectors.route_of(participant)
    form = AssessmentForm(
        request.POST or None, employers=Employer.objects.filter(academy=participant.academy)
    )

    def save(**data):
        services.assessment_record(participant=participant, by=request.user, **data)

    return _simple_form_page(
        request,
        participant,
        form,
        save,
        _("Leermeester assessment"),
        _url("results", participant),
    )


@login_required
def roc_result_new(request, pk):
    participant = _participant(request, pk, "leerroutes.record_results")
    selectors.route_of(participant)
    form = RocResultForm(request.POST or None)

    def save(**data):
        services.roc_result_record(participant=participant, by=request.user, **data)

    return _simple_form_page(
        request, participant, form, save, _("ROC result"), _url("results", participant)
    )


# --- certificates ----------------------------------------------------------------------------


@login_required
def certificates(request, pk):
    participant = _participant(request, pk, "leerroutes.view_certificates")
    traject = selectors.route_of(participant)
    _read(request, participant, section="certificates")
    return _page(
        request,
        "leerroutes/certificates.html",
        participant,
        "certificates",
        certificates=selectors.certificates_for(traject),
    )


@login_required
def certificate_new(request, pk):
    participant = _participant(request, pk, "leerroutes.add_certificate")
    selectors.route_of(participant)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_add(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The certificate is added."))
            return redirect(_url("certificates", participant))
    _read(request, participant, section="certificate_new")
    return _page(
        request,
        "form_page.html",
        participant,
        "certificates",
        form=form,
        title=_("Add a certificate"),
        back_url=_url("certificates", participant),
        multipart=True,
    )


@login_required
def certificate_evidence(request, pk, certificate_pk):
    """The evidence file, only through this access-checked view (there is no media URL)."""
    participant = _participant(request, pk, "leerroutes.view_certificates")
    certificate = selectors.certificate_get(selectors.route_of(participant), certificate_pk)
    if not certificate.evidence:
        raise Http404
    try:
        handle = certificate.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    _read(request, participant, certificate, file="evidence")
    extension = certificate.evidence.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=certificate.evidence_content_type or "application/octet-stream",
        filename=f"certificate-{certificate.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- hours and handelingswijzer --------------------------------------------------------------


@login_required
def hours(request, pk):
    perm = "leerroutes.record_hours" if request.method == "POST" else "leerroutes.view_hours"
    participant = _participant(request, pk, perm)
    traject = selectors.route_of(participant)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_record(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The hours are saved."))
            return redirect(_url("hours", participant))
    _read(request, participant, section="hours")
    return _page(
        request,
        "leerroutes/hours.html",
        participant,
        "hours",
        form=form,
        months=selectors.hours_per_month(traject),
        weeks=selectors.hours_weeks_for(traject),
    )


@login_required
def handelingswijzer(request, pk):
    """The "how to work with me" note, and whether the employer may see it today."""
    perm = "leerroutes.edit_handelingswijzer"
    if request.method != "POST":
        perm = "leerroutes.view_handelingswijzer"
    participant = _participant(request, pk, perm)
    note = selectors.handelingswijzer_of(participant)
    initial = {}
    if note is not None:
        initial = {f: getattr(note, f) for f in services.HANDELINGSWIJZER_FIELDS}
    form = HandelingswijzerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.handelingswijzer_save(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(error, form)
        else:
            messages.success(request, _("The handelingswijzer is saved."))
            return redirect(_url("handelingswijzer", participant))
    _read(request, participant, note)
    return _page(
        request,
        "leerroutes/handelingswijzer.html",
        participant,
        "handelingswijzer",
        form=form,
        note=note,
        shared=consent_is_active(participant, ConsentScope.HANDELINGSWIJZER),
    )
