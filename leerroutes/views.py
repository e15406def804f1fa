"""The route pages. Every view is declared with maatwerq.web: the participant comes from the
route scope (ROUTE: academy staff, 404 outside their scope), the view's permission is asked
about them (403 when visible but not allowed), a page writes one audit READ event (naming the
record it shows: a version, a goal, a certificate) and a change goes through its service,
which writes its own."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq import web
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
    goal_initial,
)
from .models import ACTIVE_GOAL_STATUSES, Analysis, Arrangement, GoalStatus

# A participant for the route pages: academy staff only, inside their scope (404 otherwise).
# Each page's READ names the participant; the view says which record it showed.
ROUTE = web.Scope("route", fetch=selectors.route_participant_get, participant=web.itself)

# --- helpers ---------------------------------------------------------------------------------


def _context(participant, section: str, **context) -> dict:
    return {
        **context,
        "participant": participant,
        "route": participant.current_route,
        "section": section,
    }


def _page(request, template: str, participant, section: str, **context):
    return render(request, template, _context(participant, section, **context))


def _version_param(request) -> int | None:
    value = request.GET.get("version", "")
    return int(value) if value.isdecimal() else None


def _url(name: str, participant, *args) -> str:
    return reverse(f"leerroutes:{name}", args=[participant.pk, *args])


def _active_goals(route):
    return selectors.goals_for(route).filter(status__in=ACTIVE_GOAL_STATUSES)


# The header the service worker (leerroutes/sw.js) looks for: only a page carrying it is kept
# on the phone for working without signal.
OFFLINE_HEADER = "X-MaatwerQ-Offline"


def _offline(response, keep: bool):
    if keep and response.status_code == 200:
        response[OFFLINE_HEADER] = "keep"
    return response


# --- caseload and overview -------------------------------------------------------------------


@web.view("leerroutes.view_caseload")
def caseload(request):
    """The coach's main list: my trainees, and who needs attention."""
    rows = selectors.caseload_for(request.user)
    keep = web.may(request, "leerroutes.keep_caseload_offline")
    follow_ups = follow_ups_due_list(request.user, limit=50)
    cards = {
        "silent": [r for r in rows if r.is_silent],
        "overdue": [r for r in rows if r.overdue_goals],
        "evaluations_due": [r for r in rows if r.evaluation_due],
        "feels_low": [r for r in rows if r.feels_low],
    }
    search = request.GET.get("q", "").strip()
    attention_only = request.GET.get("aandacht") == "1"
    shown = selectors.caseload_filter(rows, search=search, attention_only=attention_only)
    # The cards show the whole caseload's attention; the list below it what the filter kept.
    named = [r.participant_id for card in cards.values() for r in card] + [
        r.participant_id for r in shown
    ]
    web.audit_list(
        request,
        named + [f.participant_id for f in follow_ups],
        page="caseload",
        participants=len(rows),
        path_only=True,  # a search may carry a name
    )
    response = render(
        request,
        "leerroutes/caseload.html",
        {
            "rows": rows,
            "shown": shown,
            "search": search,
            "attention_only": attention_only,
            "follow_ups": follow_ups,
            **cards,
            "keep_offline": keep,
        },
    )
    return _offline(response, keep)


@web.view("leerroutes.view_route", scope=ROUTE)
def route_overview(request, participant):
    """Phase and goal status for everyone who may see the route; the texts only for those
    who work with the participant."""
    route = participant.current_route
    context = {}
    if route is not None:
        # A programme made after the data migration gets the default phases when first shown.
        phases = services.phases_ensure(programme=route.programme)
        current = selectors.current_phase(route)
        context.update(
            phases=phases,
            current_phase=current,
            status_counts=selectors.goal_status_counts(route),
        )
        if web.may(request, "leerroutes.view_route_details", participant):
            context.update(
                goals=selectors.goals_for(route),
                plan=selectors.plan_get(route),
                last_evaluation=selectors.evaluations_for(route).first(),
            )
    web.audit_page(request, section="overview")
    return _page(request, "leerroutes/overview.html", participant, "overview", **context)


# --- analysis and arrangement ----------------------------------------------------------------


def _version_page(request, participant, *, model, get, tab: str):
    """One version of a versioned record (analysis, arrangement), with the list of versions."""
    route = selectors.route_of(participant)
    shown = get(route, _version_param(request))
    web.audit_page(request, shown)
    return _page(
        request,
        f"leerroutes/{tab}.html",
        participant,
        tab,
        **{tab: shown, "versions": selectors.versions_of(model, route)},
    )


@web.view("leerroutes.view_route_details", scope=ROUTE)
def analysis(request, participant):
    return _version_page(
        request, participant, model=Analysis, get=selectors.analysis_get, tab="analysis"
    )


@web.view("leerroutes.change_analysis", scope=ROUTE)
def analysis_new(request, participant):
    """A new version of the analysis, starting from the latest one."""
    route = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.analysis_get(route)
    form = AnalysisForm(
        request.POST or None, domains=domains, initial=AnalysisForm.initial_from(latest)
    )
    web.audit_page(request, latest)
    return web.form_page(
        request,
        form,
        save=lambda: services.analysis_create(
            participant=participant,
            made_on=form.cleaned_data["made_on"],
            summary=form.cleaned_data["summary"],
            domains=form.domain_data(),
            by=request.user,
        ),
        done=_url("analysis", participant),
        message=lambda made: _("Analysis version %(n)s saved.") % {"n": made.number},
        template="leerroutes/analysis_form.html",
        context=_context(participant, "analysis", latest=latest),
    )


@web.view("leerroutes.view_route_details", scope=ROUTE)
def arrangement(request, participant):
    return _version_page(
        request, participant, model=Arrangement, get=selectors.arrangement_get, tab="arrangement"
    )


@web.view("leerroutes.change_arrangement", scope=ROUTE)
def arrangement_new(request, participant):
    route = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.arrangement_get(route)
    form = ArrangementForm(
        request.POST or None, domains=domains, initial=ArrangementForm.initial_from(latest)
    )
    web.audit_page(request, latest)
    return web.form_page(
        request,
        form,
        save=lambda: services.arrangement_create(
            participant=participant,
            decided_on=form.cleaned_data["decided_on"],
            is_24_hour=form.cleaned_data["is_24_hour"],
            outside_work=form.cleaned_data["outside_work"],
            domains=form.domain_data(),
            by=request.user,
        ),
        done=_url("arrangement", participant),
        message=lambda made: _("Arrangement version %(n)s saved.") % {"n": made.number},
        template="leerroutes/arrangement_form.html",
        context=_context(participant, "arrangement"),
    )


# --- plan and goals --------------------------------------------------------------------------


@web.view("leerroutes.view_route_details", scope=ROUTE)
def plan(request, participant):
    """A version of the plan (the latest by default). The latest shows the goals as they are
    now; an older one shows them as they were saved with it."""
    route = selectors.route_of(participant)
    shown = selectors.plan_get(route, _version_param(request))
    versions = list(selectors.plan_versions(route))
    is_latest = bool(versions) and shown is not None and shown.number == versions[0].number
    web.audit_page(request, shown)
    return _page(
        request,
        "leerroutes/plan.html",
        participant,
        "plan",
        plan=shown,
        versions=versions,
        is_latest=is_latest,
        goals=selectors.goals_for(route) if is_latest else None,
        goals_then=snapshot_goals(shown) if shown is not None and not is_latest else None,
    )


@web.view("leerroutes.change_plan", scope=ROUTE)
def plan_edit(request, participant):
    """Edit the plan; saving makes a new version. The hidden version field carries the version
    the editor started from, so a save on top of someone else's is refused, not lost."""
    route = selectors.route_of(participant)
    domains = services.life_domains_ensure(academy=participant.academy)
    latest = selectors.plan_get(route)
    goals = list(_active_goals(route))
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
    done = web.submit(
        request,
        form,
        formset,
        save=lambda: services.plan_save(
            participant=participant,
            based_on=form.cleaned_data["version"],
            plan_date=form.cleaned_data["plan_date"],
            perspective=form.cleaned_data["perspective"],
            support_plan=form.cleaned_data["support_plan"],
            goals=formset.goal_data(),
            by=request.user,
        ),
        done=_url("plan", participant),
        message=lambda saved: _("Plan version %(n)s saved.") % {"n": saved.number},
    )
    if done is not None:
        return done
    theirs = None
    started_on = form.data.get("version") if form.is_bound else None
    if latest is not None and started_on not in (None, str(latest.number)):
        # Someone saved a version meanwhile: show theirs beside the input kept, and let a
        # second save be made on top of it, knowingly (nothing is lost until then).
        theirs = latest
        form.data = form.data.copy()
        form.data["version"] = str(latest.number)
    web.audit_page(request, latest)
    closed = selectors.goals_for(route).exclude(status__in=ACTIVE_GOAL_STATUSES)
    return _page(
        request,
        "leerroutes/plan_form.html",
        participant,
        "plan",
        form=form,
        formset=formset,
        latest=latest,
        theirs=theirs,
        their_goals=goals if theirs is not None else None,
        closed_goals=closed,
        domains=domains,
    )


@web.view("leerroutes.view_route_details", scope=ROUTE)
def plan_changes(request, participant, number):
    """What changed in a version compared with the one before."""
    route = selectors.route_of(participant)
    newer = selectors.plan_get(route, number)
    older = selectors.plan_get(route, number - 1) if number > 1 else None
    web.audit_page(request, newer)
    return _page(
        request, "leerroutes/plan_changes.html", participant, "plan", diff=plan_diff(older, newer)
    )


@web.view("leerroutes.sign_off_plan", scope=ROUTE, methods=["POST"])
def plan_sign_off(request, participant, number):
    shown = selectors.plan_get(selectors.route_of(participant), number)
    return web.act(
        request,
        lambda: services.plan_sign_off(participant=participant, plan=shown, by=request.user),
        done=_url("plan", participant) + f"?version={number}",
        message=_("Version %(n)s is signed off.") % {"n": number},
    )


@web.view("leerroutes.record_agreement", scope=ROUTE)
def plan_agree(request, participant, number):
    """Record the participant's (and a parent's) agreement with a plan version."""
    shown = selectors.plan_get(selectors.route_of(participant), number)
    form = PlanAgreementForm(request.POST or None)
    web.audit_page(request, shown)
    return web.form_page(
        request,
        form,
        save=lambda: services.plan_agreement_record(
            participant=participant, plan=shown, by=request.user, **form.cleaned_data
        ),
        done=_url("plan", participant) + f"?version={number}",
        message=_("The agreement is recorded."),
        template="leerroutes/plan_agree.html",
        context=_context(participant, "plan", plan=shown),
    )


@web.view("leerroutes.view_route_details", post_perm="leerroutes.change_goal_status", scope=ROUTE)
def goal_status(request, participant, goal_pk):
    """A goal with its status history; who keeps the plan changes the status here. The form
    carries the goal's version: a save over someone else's change meanwhile is refused, and
    the page shows again with the goal as it is now and the input kept."""
    route = selectors.route_of(participant)
    goal = selectors.goal_get(route, goal_pk)
    # Opens on the goal's own status: saving unchanged never moves it back to "open".
    form = GoalStatusForm(
        web.form_data(request),
        initial={"to_status": goal.status, "version": goal.version},
        user=request.user,
    )
    done = web.submit(
        request,
        form,
        save=lambda: services.goal_status_change(
            participant=participant, goal=goal, by=request.user, **form.cleaned_data
        ),
        done=_url("goal_status", participant, goal.pk),
        message=_("The goal's status is changed."),
    )
    if done is not None:
        return done
    if form.is_bound:
        # Shown again: a second save is made on the goal as it is now, knowingly.
        goal = selectors.goal_get(route, goal_pk)
        form.data = form.data.copy()
        form.data["version"] = str(goal.version)
    web.audit_page(request, goal)
    return _page(request, "leerroutes/goal.html", participant, "plan", form=form, goal=goal)


# --- progress log ----------------------------------------------------------------------------


@web.view("leerroutes.view_progress_log", post_perm="leerroutes.add_progress_entry", scope=ROUTE)
def progress_log(request, participant):
    """The coach's main screen: a quick entry on top, the latest entries below. With htmx the
    entry is added without leaving the page: the answer is a fresh form plus the new entry,
    swapped in at the top of the list; errors come back in the form, input kept."""
    route = selectors.route_of(participant)
    goals = _active_goals(route)
    form = ProgressEntryForm(request.POST or None, goals=goals, user=request.user)
    template = "leerroutes/progress_log.html"

    def added(entry):
        fresh = ProgressEntryForm(goals=goals, user=request.user)
        context = {"participant": participant, "form": fresh, "new_entry": entry}
        return render(request, f"{template}#entry_added", context)

    done = web.submit(
        request,
        form,
        save=lambda: services.progress_entry_add(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        done=_url("progress_log", participant),
        message=_("The entry is added."),
        htmx_done=added,
    )
    if done is not None:
        return done
    web.audit_page(request, section="progress_log")
    if request.htmx:
        return render(request, f"{template}#entry_form", {"participant": participant, "form": form})
    keep = web.may(request, "leerroutes.keep_log_offline", participant)
    response = _page(
        request,
        template,
        participant,
        "progress_log",
        form=form,
        entries=selectors.progress_entries_for(route),
        goals=goals,
        goal_statuses=GoalStatus.choices,
        keep_offline=keep,
        voice=selectors.participant_voice_for(route)
        if web.may(request, "leerroutes.view_participant_voice", participant)
        else None,
    )
    return _offline(response, keep)


# --- sent from a phone's offline queue (static/js/offline.js) ---------------------------------


def _goal_now(goal) -> dict:
    """The goal as it is now, for the phone: its status, version and who changed it last."""
    last = goal.status_changes.select_related("by").order_by("-created_at", "-pk").first()
    return {
        "goal": goal.pk,
        "status": goal.status,
        "status_display": str(goal.get_status_display()),
        "version": goal.version,
        "changed_by": str(last.by) if last is not None and last.by is not None else "",
        "changed_on": date_format(last.on) if last is not None else "",
    }


# The answer to a change from the queue: HTTP says whether the server dealt with it (201: a
# first arrival; 200: dealt with, ``result`` says how); the body's ``result`` says what became
# of it: "created", "already_received" (a resend), "conflict" (the goal moved on meanwhile:
# the goal as it is now comes with it, the phone shows both and the coach chooses) or
# "refused" (``errors``, in Dutch). Nothing is written for a conflict or a refusal. A refusal
# is not a failed request, so the phone's browser does not log it as an error.


def _sent_refused(request, error):
    if isinstance(error, services.GoalVersionMovedError):
        return JsonResponse(
            {"result": "conflict", "message": error.messages[0], **_goal_now(error.goal)}
        )
    return JsonResponse({"result": "refused", "errors": error.messages})


def _sent_answer(form, send, describe=lambda obj: {}):
    """``send()`` (the service: (object, created)) when the form is valid, answered with
    ``describe(object)``; the form's reasons otherwise."""
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return JsonResponse({"result": "refused", "errors": errors})
    obj, created = send()
    body = {"result": "created" if created else "already_received", "id": str(obj.pk)}
    return JsonResponse({**body, **describe(obj)}, status=201 if created else 200)


@web.view(
    "leerroutes.add_progress_entry",
    scope=ROUTE,
    methods=["POST"],
    read=web.Read.NONE,
    refused=_sent_refused,
)
def progress_entry_send(request, participant):
    """A progress entry from the phone's queue (or sent again): idempotent by its id."""
    route = selectors.route_of(participant)
    form = ProgressEntryForm(request.POST, goals=_active_goals(route), user=request.user)
    return _sent_answer(
        form,
        lambda: services.progress_entry_receive(
            participant=participant, by=request.user, **form.cleaned_data
        ),
    )


@web.view(
    "leerroutes.change_goal_status",
    scope=ROUTE,
    methods=["POST"],
    read=web.Read.NONE,
    refused=_sent_refused,
)
def goal_status_send(request, participant, goal_pk):
    """A goal status change from the phone's queue, carrying the goal's version it was made
    on: a "conflict" and the goal as it is now when it moved on meanwhile."""
    goal = selectors.goal_get(selectors.route_of(participant), goal_pk)
    form = GoalStatusForm(request.POST, user=request.user)
    return _sent_answer(
        form,
        lambda: services.goal_status_receive(
            participant=participant, goal=goal, by=request.user, **form.cleaned_data
        ),
        describe=_goal_now,
    )


# --- installing the app: the manifest and the service worker ---------------------------------


# What the service worker keeps from the start: what the caseload and the log need to show.
OFFLINE_STATIC_FILES = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "js/app.js",
    "js/offline-queue.js",
    "js/offline.js",
    "leerroutes/leerroutes.css",
    "favicon.svg",
)


@web.public
def web_manifest(request):
    """The web app manifest: the app can be installed on a phone's home screen."""
    description = _("The coach's caseload and progress log, also without signal.")
    body = render_to_string(
        "leerroutes/manifest.webmanifest", {"description": description}, request=request
    )
    return HttpResponse(body, content_type="application/manifest+json")


@web.public
def service_worker(request):
    """The service worker, served from the site's root so it may control every page (its
    scope is its own folder). The script is a template only for the static URLs it loads
    (hashed names in production); it holds no personal data and is the same for everyone."""
    files = [static(name) for name in OFFLINE_STATIC_FILES] + [reverse("web_manifest")]
    context = {
        "static_files": json.dumps(files),
        "version": hashlib.sha256("|".join(files).encode()).hexdigest()[:12],
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "offline_title": _("No signal"),
        "offline_text": _(
            "This page was not kept on this phone. Your caseload and the progress logs you "
            "opened before are."
        ),
        "offline_link": _("Open my caseload"),
    }
    body = render_to_string("leerroutes/sw.js", context, request=request)
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


# --- evaluations and results -----------------------------------------------------------------


@web.view("leerroutes.view_evaluations", scope=ROUTE)
def evaluations(request, participant):
    route = selectors.route_of(participant)
    web.audit_page(request, section="evaluations")
    return _page(
        request,
        "leerroutes/evaluations.html",
        participant,
        "evaluations",
        evaluations=selectors.evaluations_for(route),
        current_phase=selectors.current_phase(route),
    )


@web.view("leerroutes.record_evaluation", scope=ROUTE)
def evaluation_new(request, participant):
    route = selectors.route_of(participant)
    services.phases_ensure(programme=route.programme)
    current = selectors.current_phase(route)
    form = EvaluationForm(
        request.POST or None,
        goals=selectors.goals_for(route),
        phases=selectors.phases_for(route.programme_id),
        initial={"phase_decision": current},
    )
    web.audit_page(request, section="evaluation_new")
    return web.form_page(
        request,
        form,
        save=lambda: services.evaluation_record(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        done=_url("evaluations", participant),
        message=_("The evaluation is recorded."),
        template="leerroutes/evaluation_form.html",
        context=_context(participant, "evaluations", current_phase=current),
    )


@web.view("leerroutes.view_results", scope=ROUTE)
def results(request, participant):
    """The two result lines: learning gain (ROC, leermeester) and well-being."""
    route = selectors.route_of(participant)
    web.audit_page(request, section="results")
    return _page(
        request,
        "leerroutes/results.html",
        participant,
        "results",
        roc_results=selectors.roc_results_for(route),
        assessments=selectors.assessments_for(route),
        wellbeing=selectors.wellbeing_per_month(route),
    )


def _results_form_page(request, participant, form, service, title: str):
    """A form page under the results (an assessment, a ROC result): ``service`` records it."""
    done_url = _url("results", participant)
    web.audit_page(request, section=title)
    return web.form_page(
        request,
        form,
        save=lambda: service(participant=participant, by=request.user, **form.cleaned_data),
        done=done_url,
        message=_("Saved."),
        template="form_page.html",
        context=_context(participant, "results", title=title, back_url=done_url),
    )


@web.view("leerroutes.record_results", scope=ROUTE)
def assessment_new(request, participant):
    selectors.route_of(participant)
    form = AssessmentForm(request.POST or None, academy=participant.academy)
    return _results_form_page(
        request, participant, form, services.assessment_record, _("Leermeester assessment")
    )


@web.view("leerroutes.record_results", scope=ROUTE)
def roc_result_new(request, participant):
    selectors.route_of(participant)
    form = RocResultForm(request.POST or None)
    return _results_form_page(
        request, participant, form, services.roc_result_record, _("ROC result")
    )


# --- certificates ----------------------------------------------------------------------------


@web.view("leerroutes.view_certificates", scope=ROUTE)
def certificates(request, participant):
    route = selectors.route_of(participant)
    web.audit_page(request, section="certificates")
    return _page(
        request,
        "leerroutes/certificates.html",
        participant,
        "certificates",
        certificates=selectors.certificates_for(route),
    )


@web.view("leerroutes.add_certificate", scope=ROUTE)
def certificate_new(request, participant):
    selectors.route_of(participant)
    form = CertificateForm(request.POST or None, request.FILES or None)
    web.audit_page(request, section="certificate_new")
    return web.form_page(
        request,
        form,
        save=lambda: services.certificate_add(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        done=_url("certificates", participant),
        message=_("The certificate is added."),
        template="form_page.html",
        context=_context(
            participant,
            "certificates",
            title=_("Add a certificate"),
            back_url=_url("certificates", participant),
        ),
    )


@web.view("leerroutes.view_certificates", scope=ROUTE)
def certificate_evidence(request, participant, certificate_pk):
    """The evidence file, only through this access-checked view (there is no media URL)."""
    certificate = selectors.certificate_get(selectors.route_of(participant), certificate_pk)
    if not certificate.evidence:
        raise Http404
    try:
        handle = certificate.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    web.audit_page(request, certificate, file="evidence")
    extension = certificate.evidence.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=certificate.evidence_content_type or "application/octet-stream",
        filename=f"certificate-{certificate.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- hours and handelingswijzer --------------------------------------------------------------


@web.view("leerroutes.view_hours", post_perm="leerroutes.record_hours", scope=ROUTE)
def hours(request, participant):
    route = selectors.route_of(participant)
    form = HoursForm(request.POST or None)
    done = web.submit(
        request,
        form,
        save=lambda: services.hours_record(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        done=_url("hours", participant),
        message=_("The hours are saved."),
    )
    if done is not None:
        return done
    web.audit_page(request, section="hours")
    return _page(
        request,
        "leerroutes/hours.html",
        participant,
        "hours",
        form=form,
        months=selectors.hours_per_month(route),
        weeks=selectors.hours_weeks_for(route),
    )


@web.view(
    "leerroutes.view_handelingswijzer",
    post_perm="leerroutes.edit_handelingswijzer",
    scope=ROUTE,
)
def handelingswijzer(request, participant):
    """The "how to work with me" note, and whether the employer may see it today."""
    note = selectors.handelingswijzer_of(participant)
    initial = {}
    if note is not None:
        initial = {f: getattr(note, f) for f in services.HANDELINGSWIJZER_FIELDS}
    form = HandelingswijzerForm(request.POST or None, initial=initial)
    done = web.submit(
        request,
        form,
        save=lambda: services.handelingswijzer_save(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        done=_url("handelingswijzer", participant),
        message=_("The handelingswijzer is saved."),
    )
    if done is not None:
        return done
    web.audit_page(request, note)
    return _page(
        request,
        "leerroutes/handelingswijzer.html",
        participant,
        "handelingswijzer",
        form=form,
        note=note,
        shared=consent_is_active(participant, ConsentScope.HANDELINGSWIJZER),
    )
