"""The participant portal: the young person's own route in plain language, on a phone first.

Every page is declared with maatwerq.web: its participant comes from the PORTAL scope
(portal.selectors.portal_access_for: 404 for anyone who is not a deelnemer linked to a
record); a record whose access ended after leaving gets a short page saying so (403). Each
page that shows the participant's data writes one audit READ event; changes go through one
service each, on POST only, and end in a redirect with a message. The staff side (inviting
the participant, a guardian's access) sits at the end."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerroutes.models import Wellbeing
from maatwerq import web
from participants import services as participant_services
from participants.models import ConsentGivenBy
from participants.views import PARTICIPANT
from reporting.selectors import report_run_get_for_user, report_runs_of
from reporting.services import report_run_request

from . import forms, selectors, services
from .selectors import PortalAccess, portal_access_for

# The report kind of the participant variant of the PDF dossier (reporting.dossier.kinds).
PARTICIPANT_DOSSIER_KIND = "dossier_participant"


def _portal_access(user) -> PortalAccess:
    """The record the deelnemer login opens; 404 for anyone else."""
    access = portal_access_for(user)
    if access is None:
        raise Http404
    return access


def _access_ended(request, access: PortalAccess):
    """A record whose access ended after leaving: a short page saying so (403)."""
    if access.is_open:
        return None
    context = {"open_until": access.open_until}
    return render(request, "portal/access_ended.html", context, status=403)


# The young person's own record (or the one a guardian may read): the view gets the
# PortalAccess; the portal's permissions are asked without an object (portal.rules); each
# page is one READ naming the page and the portal.
PORTAL = web.Scope(
    "portal",
    fetch=_portal_access,
    kwarg=None,
    participant=lambda access: access.participant,
    audit_object=lambda access: access.participant,
    perm_object=lambda access: None,
    detail=lambda request: {**web.page_name(request), "portal": True},
    gate=_access_ended,
)


def _page(request, access: PortalAccess, template: str, context: dict | None = None):
    """Render a page with the participant's data (the web layer writes its READ)."""
    participant = access.participant
    return render(
        request,
        template,
        {
            "access": access,
            "participant": participant,
            "route": participant.current_route,
            "can_act": access.acts_for_self,
            **(context or {}),
        },
    )


# --- my route --------------------------------------------------------------------------------


@web.view("portal.use_portal", scope=PORTAL)
def home(request, access: PortalAccess):
    route = access.participant.current_route
    context: dict = {
        "section": "home",
        "wellbeing_form": forms.WellbeingForm(),
        "questions": selectors.my_open_consent_requests(access.participant).count(),
    }
    if route is not None:
        goals = selectors.my_goals(route)
        context.update(
            phase=selectors.my_phase(route),
            progress=selectors.goal_progress(goals),
            next_evaluation_on=selectors.next_evaluation_on(route),
            this_week=selectors.my_wellbeing_this_week(route),
            weeks=selectors.my_wellbeing_weeks(route),
            faces=Wellbeing.choices,
        )
    return _page(request, access, "portal/home.html", context)


def _goals_page(request, access: PortalAccess, bound: dict | None = None, status: int = 200):
    route = access.participant.current_route
    goals = selectors.my_goals(route) if route else []
    response = _page(
        request,
        access,
        "portal/goals.html",
        {
            "section": "goals",
            "perspective": selectors.my_perspective(route) if route else "",
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


@web.view("portal.use_portal", scope=PORTAL)
def goals(request, access: PortalAccess):
    return _goals_page(request, access)


@web.view("portal.add_reflection", scope=PORTAL, methods=["POST"])
def goal_reflect(request, access: PortalAccess, goal_pk: int):
    route = access.participant.current_route
    goal = selectors.my_goal_get(route, goal_pk) if route else None
    if goal is None:
        raise Http404
    key = f"goal-{goal.pk}"
    form = forms.ReflectionForm(request.POST, prefix=key)
    done = web.submit(
        request,
        form,
        save=lambda: services.reflection_add(
            participant=access.participant,
            text=form.cleaned_data["text"],
            goal=goal,
            by=request.user,
        ),
        done=reverse("portal:goals") + f"#goal-{goal.pk}",
        message=_("Thank you. Your coach can read it now."),
    )
    if done is not None:
        return done
    return _goals_page(request, access, {key: form}, status=400)


def _evaluations_page(request, access: PortalAccess, bound: dict | None = None, status=200):
    route = access.participant.current_route
    evaluations = selectors.my_evaluations(route) if route else []
    response = _page(
        request,
        access,
        "portal/evaluations.html",
        {
            "section": "evaluations",
            "evaluations": evaluations,
            "next_evaluation_on": selectors.next_evaluation_on(route) if route else None,
            "rows": _forms_for(evaluations, "talk", bound),
        },
    )
    response.status_code = status
    return response


@web.view("portal.use_portal", scope=PORTAL)
def evaluations(request, access: PortalAccess):
    return _evaluations_page(request, access)


@web.view("portal.add_reflection", scope=PORTAL, methods=["POST"])
def evaluation_reflect(request, access: PortalAccess, evaluation_pk: int):
    route = access.participant.current_route
    evaluation = selectors.my_evaluation_get(route, evaluation_pk) if route else None
    if evaluation is None:
        raise Http404
    key = f"talk-{evaluation.pk}"
    form = forms.ReflectionForm(request.POST, prefix=key)
    done = web.submit(
        request,
        form,
        save=lambda: services.reflection_add(
            participant=access.participant,
            text=form.cleaned_data["text"],
            evaluation=evaluation,
            by=request.user,
        ),
        done=reverse("portal:evaluations") + f"#talk-{evaluation.pk}",
        message=_("Thank you. Your coach can read it now."),
    )
    if done is not None:
        return done
    return _evaluations_page(request, access, {key: form}, status=400)


@web.view("portal.use_portal", scope=PORTAL)
def results(request, access: PortalAccess):
    route = access.participant.current_route
    context: dict = {"section": "results"}
    if route is not None:
        context.update(
            certificates=selectors.my_certificates(route),
            hours=selectors.my_hours(route),
            entries=selectors.shared_entries(route),
        )
    return _page(request, access, "portal/results.html", context)


@web.view("portal.report_wellbeing", scope=PORTAL, methods=["POST"])
def wellbeing(request, access: PortalAccess):
    form = forms.WellbeingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a face."))
        return redirect("portal:home")
    return web.act(
        request,
        lambda: services.wellbeing_report(
            participant=access.participant, score=form.cleaned_data["score"], by=request.user
        ),
        done=reverse("portal:home") + "#feeling",
        message=_("Thank you for telling us how you feel."),
    )


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
            "consent_requests": selectors.my_open_consent_requests(participant),
            "guardians": selectors.guardian_accesses_of(participant),
            "openings": selectors.who_opened_my_record(participant, request.user),
            "listings": selectors.lists_and_exports_with_me(participant, request.user),
            "consent_form": form or forms.ConsentGiveForm(),
        },
    )
    response.status_code = status
    return response


@web.view("portal.use_portal", scope=PORTAL)
def privacy(request, access: PortalAccess):
    return _privacy_page(request, access)


@web.view("portal.change_own_consents", scope=PORTAL, methods=["POST"])
def consent_give(request, access: PortalAccess):
    form = forms.ConsentGiveForm(request.POST)
    participant = access.participant
    done = web.submit(
        request,
        form,
        save=lambda: participant_services.consent_give(
            participant=participant,
            scope=form.cleaned_data["scope"],
            organisation=form.cleaned_data["organisation"],
            given_on=timezone.localdate(),
            given_by=ConsentGivenBy.PARTICIPANT,
            given_by_name=participant.full_name,
            by=request.user,
        ),
        done=reverse("portal:privacy") + "#consents",
        message=_("Your permission is saved."),
    )
    if done is not None:
        return done
    return _privacy_page(request, access, form, status=400)


@web.view("portal.change_own_consents", scope=PORTAL, methods=["POST"])
def consent_request_answer(request, access: PortalAccess, request_pk: int):
    """The young person says yes or no to what the academy asked permission for."""
    asked = selectors.my_open_consent_request_get(access.participant, request_pk)
    if asked is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer not in ("ja", "nee"):  # only the two buttons send this form
        messages.error(request, _("Choose yes or no."))
        return redirect(reverse("portal:privacy") + "#consents")
    give = answer == "ja"
    return web.act(
        request,
        lambda: participant_services.consent_request_answer(
            consent_request=asked, give=give, by=request.user
        ),
        done=reverse("portal:privacy") + "#consents",
        message=_("Your permission is saved.")
        if give
        else _("Saved: you did not give permission."),
    )


@web.view("portal.change_own_consents", scope=PORTAL, methods=["POST"])
def consent_withdraw(request, access: PortalAccess, consent_pk: int):
    consent = selectors.my_consent_get(access.participant, consent_pk)
    if consent is None:
        raise Http404
    return web.act(
        request,
        lambda: participant_services.consent_withdraw(
            consent=consent, withdrawn_on=timezone.localdate(), by=request.user
        ),
        done=reverse("portal:privacy") + "#consents",
        message=_("Your permission is withdrawn. This works right away."),
    )


@web.view("portal.change_own_consents", scope=PORTAL, methods=["POST"])
def guardian_stop(request, access: PortalAccess, access_pk: int):
    """The participant ends a parent's or guardian's access themselves."""
    found = selectors.guardian_access_get(access.participant, access_pk)
    if found is None:
        raise Http404
    return web.act(
        request,
        lambda: services.guardian_access_revoke(access=found, by=request.user),
        done=reverse("portal:privacy") + "#guardians",
        message=_("Your parent or guardian can no longer look along."),
    )


# --- my dossier ------------------------------------------------------------------------------


@web.view("portal.request_own_dossier", scope=PORTAL)
def dossier(request, access: PortalAccess):
    if request.method == "POST":
        return web.act(
            request,
            lambda: report_run_request(
                kind=PARTICIPANT_DOSSIER_KIND,
                parameters={"participant": str(access.participant.pk)},
                by=request.user,
            ),
            done=lambda run: reverse("portal:dossier") + f"?run={run.pk}",
            refused_to=reverse("portal:dossier"),
            # The report kind is missing or does not admit the participant yet.
            refusal=_("Your dossier can't be made yet. Ask your coach."),
        )
    runs = report_runs_of(request.user).filter(kind=PARTICIPANT_DOSSIER_KIND)[:5]
    return _page(request, access, "portal/dossier.html", {"section": "dossier", "runs": runs})


# Polled: the run's status only, nothing of the record (no READ).
@web.view("portal.request_own_dossier", scope=PORTAL, read=web.Read.NONE)
def dossier_status(request, access: PortalAccess, run_pk):
    """The polled status of one dossier run (htmx); 404 for any run not one's own."""
    run = report_run_get_for_user(request.user, run_pk)
    if run.kind != PARTICIPANT_DOSSIER_KIND:
        raise Http404
    return render(request, "portal/_dossier_run.html", {"run": run})


# --- staff: inviting the participant and a parent or guardian ---------------------------------


@web.view("portal.invite_participant", scope=PARTICIPANT, methods=["POST"])
def participant_invite(request, participant):
    """The coach's button on the participant page: invite the participant to My route."""
    return web.act(
        request,
        lambda: services.participant_invite(
            participant=participant, by=request.user, base_url=request.build_absolute_uri("/")
        ),
        done=reverse("participants:participant_detail", args=[participant.pk]),
        message=lambda invitation: (
            _("Invitation for My route sent to %(email)s.") % {"email": invitation.email}
        ),
    )


@web.view("portal.manage_guardians", scope=PARTICIPANT)
def guardian_access(request, participant):
    """The regisseur records a parent's or guardian's read access (participant under 18)."""
    form = forms.GuardianInviteForm(request.POST or None)
    done = web.submit(
        request,
        form,
        save=lambda: services.guardian_invite(
            participant=participant,
            by=request.user,
            base_url=request.build_absolute_uri("/"),
            **form.cleaned_data,
        ),
        done=reverse("portal:guardian_access", args=[participant.pk]),
        message=_("The parent or guardian is invited."),
    )
    if done is not None:
        return done
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


@web.view("portal.manage_guardians", scope=PARTICIPANT, methods=["POST"])
def guardian_access_revoke(request, participant, access_pk: int):
    found = selectors.guardian_access_get(participant, access_pk)
    if found is None:
        raise Http404
    return web.act(
        request,
        lambda: services.guardian_access_revoke(access=found, by=request.user),
        done=reverse("portal:guardian_access", args=[participant.pk]),
        message=_("The access of the parent or guardian has ended."),
    )
