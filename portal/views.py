"""The participant portal: the young person's own route in plain language, on a phone first.

Every page gets its participant from portal.selectors.portal_access_for (404 for anyone who is
not a deelnemer linked to a record); a record whose access ended after leaving gets a short
page saying so (403). Each page that shows the participant's data writes one audit READ event;
changes go through one service each, on POST only, and end in a redirect with a message.
The staff side (inviting the participant, a guardian's access) sits at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerroutes.models import Wellbeing
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants import services as participant_services
from participants.models import ConsentGivenBy
from participants.selectors import participant_get_for_user
from reporting.selectors import report_run_get_for_user, report_runs_of
from reporting.services import report_run_request

from . import forms, selectors, services
from .selectors import PortalAccess, portal_access_for

# The report kind of the participant variant of the PDF dossier (reporting.dossier.kinds).
PARTICIPANT_DOSSIER_KIND = "dossier_participant"


def portal_view(perm: str = "portal.use_portal"):
    """Declare a portal page: the view gets the user's PortalAccess. Put @login_required (and
    @require_POST) above it, so anonymous visitors go to the login page first."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            access = portal_access_for(request.user)
            if access is None:
                raise Http404
            if not access.is_open:
                context = {"open_until": access.open_until}
                return render(request, "portal/access_ended.html", context, status=403)
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator


def _page(request, access: PortalAccess, template: str, context: dict | None = None):
    """Render a page with the participant's data: exactly one audit READ event per page."""
    participant = access.participant
    audit_log(
        actor=request.user,
        action=Action.READ,
        obj=participant,
        request=request,
        detail={"page": request.resolver_match.url_name, "portal": True},
    )
    return render(
        request,
        template,
        {
            "access": access,
            "participant": participant,
            "traject": participant.current_traject,
            "can_act": access.acts_for_self,
            **(context or {}),
        },
    )


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- my route --------------------------------------------------------------------------------


@login_required
@portal_view()
def home(request, access: PortalAccess):
    traject = access.participant.current_traject
    context: dict = {"section": "home", "wellbeing_form": forms.WellbeingForm()}
    if traject is not None:
        goals = selectors.my_goals(traject)
        context.update(
            phase=selectors.my_phase(traject),
            progress=selectors.goal_progress(goals),
            next_evaluation_on=selectors.next_evaluation_on(traject),
            this_week=selectors.my_wellbeing_this_week(traject),
            weeks=selectors.my_wellbeing_weeks(traject),
            faces=Wellbeing.choices,
        )
    return _page(request, access, "portal/home.html", context)


def _goals_page(request, access: PortalAccess, bound: dict | None = None, status: int = 200):
    traject = access.participant.current_traject
    goals = selectors.my_goals(traject) if traject else []
    response = _page(
        request,
        access,
        "portal/goals.html",
        {
            "section": "goals",
            "perspective": selectors.my_perspective(traject) if traject else "",
            "goals": goals,
            "progress": selectors.goal_progress(goals),
            "rows": _forms_for(goals, "goal", bound),
        },
    )
    response.status_code = status
    return response


def _forms_for(items, prefix: str, bound: dict | None) -> list[tuple]:
    """(item, form) pairs: one reflection form per goal or talk, each with its own prefix;
    the one just sent comes back bound, with its errors."""
    return [
        (
            item,
            (bound or {}).get(f"{prefix}-{item.pk}")
            or forms.ReflectionForm(prefix=f"{prefix}-{item.pk}"),
        )
        for item in items
    ]


@login_required
@portal_view()
def goals(request, access: PortalAccess):
    return _goals_page(request, access)


@login_required
@require_POST
@portal_view("portal.add_reflection")
def goal_reflect(request, access: PortalAccess, goal_pk: int):
    traject = access.participant.current_traject
    goal = selectors.my_goal_get(traject, goal_pk) if traject else None
    if goal is None:
        raise Http404
    key = f"goal-{goal.pk}"
    form = forms.ReflectionForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.reflection_add(
                participant=access.participant,
                text=form.cleaned_data["text"],
                goal=goal,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your coach can read it now."))
            return redirect(reverse("portal:goals") + f"#goal-{goal.pk}")
    return _goals_page(request, access, {key: form}, status=400)


def _evaluations_page(request, access: PortalAccess, bound: dict | None = None, status=200):
    traject = access.participant.current_traject
    evaluations = selectors.my_evaluations(traject) if traject else []
    response = _page(
        request,
        access,
        "portal/evaluations.html",
        {
            "section": "evaluations",
            "evaluations": evaluations,
            "next_evaluation_on": selectors.next_evaluation_on(traject) if traject else None,
            "rows": _forms_for(evaluations, "talk", bound),
        },
    )
    response.status_code = status
    return response


@login_required
@portal_view()
def evaluations(request, access: PortalAccess):
    return _evaluations_page(request, access)


@login_required
@require_POST
@portal_view("portal.add_reflection")
def evaluation_reflect(request, access: PortalAccess, evaluation_pk: int):
    traject = access.participant.current_traject
    evaluation = selectors.my_evaluation_get(traject, evaluation_pk) if traject else None
    if evaluation is None:
        raise Http404
    key = f"talk-{evaluation.pk}"
    form = forms.ReflectionForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.reflection_add(
                participant=access.participant,
                text=form.cleaned_data["text"],
                evaluation=evaluation,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your coach can read it now."))
            return redirect(reverse("portal:evaluations") + f"#talk-{evaluation.pk}")
    return _evaluations_page(request, access, {key: form}, status=400)


@login_required
@portal_view()
def results(request, access: PortalAccess):
    traject = access.participant.current_traject
    context: dict = {"section": "results"}
    if traject is not None:
        context.update(
            certificates=selectors.my_certificates(traject),
            hours=selectors.my_hours(traject),
            entries=selectors.shared_entries(traject),
        )
    return _page(request, access, "portal/results.html", context)


@login_required
@require_POST
@portal_view("portal.report_wellbeing")
def wellbeing(request, access: PortalAccess):
    form = forms.WellbeingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a face."))
        return redirect("portal:home")
    try:
        services.wellbeing_report(
            participant=access.participant, score=form.cleaned_data["score"], by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you for telling us how you feel."))
    return redirect(reverse("portal:home") + "#feeling")


# --- who sees my data ------------------------------------------------------------------------


def _privacy_page(request, access: PortalAccess, form=None, status: int = 200):
    participant = access.participant
    response = _page(
        request,
        access,
        "portal/privacy.html",
        {
            "section": "privacy",
            "viewers": selectors.who_sees_my_data(participant),
            "shares": selectors.shares_with_employer(participant),
            "consents": selectors.my_consents(participant),
            "guardians": selectors.guardian_accesses_of(participant),
            "openings": selectors.who_opened_my_record(participant, request.user),
            "listings": selectors.lists_and_exports_with_me(participant, request.user),
            "consent_form": form or forms.ConsentGiveForm(),
        },
    )
    response.status_code = status
    return response


@login_required
@portal_view()
def privacy(request, access: PortalAccess):
    return _privacy_page(request, access)


@login_required
@require_POST
@portal_view("portal.change_own_consents")
def consent_give(request, access: PortalAccess):
    form = forms.ConsentGiveForm(request.POST)
    if form.is_valid():
        participant = access.participant
        try:
            participant_services.consent_give(
                participant=participant,
                scope=form.cleaned_data["scope"],
                organisation=form.cleaned_data["organisation"],
                given_on=timezone.localdate(),
                given_by=ConsentGivenBy.PARTICIPANT,
                given_by_name=participant.full_name,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your permission is saved."))
            return redirect(reverse("portal:privacy") + "#consents")
    return _privacy_page(request, access, form, status=400)


@login_required
@require_POST
@portal_view("portal.change_own_consents")
def consent_withdraw(request, access: PortalAccess, consent_pk: int):
    consent = selectors.my_consent_get(access.participant, consent_pk)
    if consent is None:
        raise Http404
    try:
        participant_services.consent_withdraw(
            consent=consent, withdrawn_on=timezone.localdate(), by=request.user
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your permission is withdrawn. This works right away."))
    return redirect(reverse("portal:privacy") + "#consents")


@login_required
@require_POST
@portal_view("portal.change_own_consents")
def guardian_stop(request, access: PortalAccess, access_pk: int):
    """The participant ends a parent's or guardian's access themselves."""
    found = selectors.guardian_access_get(access.participant, access_pk)
    if found is None:
        raise Http404
    try:
        services.guardian_access_revoke(access=found, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your parent or guardian can no longer look along."))
    return redirect(reverse("portal:privacy") + "#guardians")


# --- my dossier ------------------------------------------------------------------------------


@login_required
@portal_view("portal.request_own_dossier")
def dossier(request, access: PortalAccess):
    if request.method == "POST":
        try:
            run = report_run_request(
                kind=PARTICIPANT_DOSSIER_KIND,
                parameters={"participant": str(access.participant.pk)},
                by=request.user,
            )
        except (ValidationError, PermissionDenied):
            # The report kind is missing or does not admit the participant yet.
            messages.warning(request, _("Your dossier can't be made yet. Ask your coach."))
        else:
            return redirect(reverse("portal:dossier") + f"?run={run.pk}")
        return redirect("portal:dossier")
    runs = report_runs_of(request.user).filter(kind=PARTICIPANT_DOSSIER_KIND)[:5]
    return _page(request, access, "portal/dossier.html", {"section": "dossier", "runs": runs})


@login_required
@portal_view("portal.request_own_dossier")
def dossier_status(request, access: PortalAccess, run_pk):
    """The polled status of one dossier run (htmx); 404 for any run not one's own."""
    run = report_run_get_for_user(request.user, run_pk)
    if run.kind != PARTICIPANT_DOSSIER_KIND:
        raise Http404
    return render(request, "portal/_dossier_run.html", {"run": run})


# --- staff: inviting the participant and a parent or guardian ---------------------------------


def _staff_participant(request, pk, perm: str):
    """A participant from the staff scope (404 outside it) that allows ``perm`` (403)."""
    participant = participant_get_for_user(request.user, pk)
    if not request.user.has_perm(perm, participant):
        raise PermissionDenied
    return participant


@login_required
@require_POST
def participant_invite(request, pk):
    """The coach's button on the participant page: invite the participant to My route."""
    participant = _staff_participant(request, pk, "portal.invite_participant")
    try:
        invitation = services.participant_invite(
            participant=participant, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Invitation for My route sent to %(email)s.") % {"email": invitation.email},
        )
    return redirect("participants:participant_detail", participant.pk)


@login_required
def guardian_access(request, pk):
    """The regisseur records a parent's or guardian's read access (participant under 18)."""
    participant = _staff_participant(request, pk, "portal.manage_guardians")
    form = forms.GuardianInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_invite(
                participant=participant,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The parent or guardian is invited."))
            return redirect("portal:guardian_access", participant.pk)
    audit_log(
        actor=request.user,
        action=Action.READ,
        obj=participant,
        request=request,
        detail={"page": "guardian_access"},
    )
    return render(
        request,
        "portal/guardian_access.html",
        {
            "participant": participant,
            "form": form,
            "accesses": participant.guardian_accesses.select_related(
                "guardian", "agreed_by_regisseur", "invitation"
            ),
            "is_minor": participant.age_on(timezone.localdate()) < selectors.ADULT_AGE,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def guardian_access_revoke(request, pk, access_pk: int):
    participant = _staff_participant(request, pk, "portal.manage_guardians")
    found = selectors.guardian_access_get(participant, access_pk)
    if found is None:
        raise Http404
    services.guardian_access_revoke(access=found, by=request.user)
    messages.success(request, _("The access of the parent or guardian has ended."))
    return redirect("portal:guardian_access", participant.pk)
