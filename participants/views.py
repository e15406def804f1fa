"""The participant record: one person's page with its tabs, and a form page per change.

Every view is declared with maatwerq.web: the participant comes from participant_get_for_user
(PARTICIPANT: 404 outside the user's scope), the view's permission is asked about them (403
when visible but not allowed), and every page that shows a participant's data writes exactly
one audit READ event naming the page. Changes go through one service each (web.submit), on
POST only, and end in a redirect with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerq import web

from . import forms, services
from .models import IntakeOutcome, Participant, Route, Status
from .selectors import (
    care_notes_visible_to,
    consent_requests_visible_to,
    consents_visible_to,
    follow_up_get_for_participant,
    follow_ups_due_for,
    handovers_visible_to,
    network_visible_to,
    participant_get_for_user,
    plan_unsigned_weeks,
    routes_visible_to,
)

# One participant from the user's scope (404 outside it); each page of it is one READ naming
# the page. The staff pages of other apps about one participant use it too.
PARTICIPANT = web.Scope(
    "participant",
    fetch=participant_get_for_user,
    participant=web.itself,
    detail=web.page_name,
)


def _page(request, participant: Participant, template: str, context: dict | None = None):
    """Render a page with a participant's data (the web layer writes its READ)."""
    return render(
        request,
        template,
        {"participant": participant, "route": participant.current_route, **(context or {})},
    )


def _form_page(
    request,
    participant: Participant,
    form,
    *,
    title,
    submit,
    tab: str = "participant_detail",
    cancel=None,
    intro="",
    **write,
):
    """A form page of the record: ``write`` (save, message, check) goes to web.submit, which
    returns to ``tab`` when done."""
    return web.form_page(
        request,
        form,
        done=_detail_url(participant, tab),
        template="form_page.html",
        context={
            "participant": participant,
            "route": participant.current_route,
            "title": title,
            "submit_label": submit,
            "intro": intro,
            "cancel_url": cancel or _detail_url(participant),
        },
        **write,
    )


def _detail_url(participant: Participant, tab: str = "participant_detail") -> str:
    return reverse(f"participants:{tab}", args=[participant.pk])


# --- the tabs ------------------------------------------------------------------------------


def _pipeline(route: Route) -> list[dict]:
    """The route's steps in order with their dates, and its end when it has ended."""
    rows = [
        {
            "label": Status(status).label,
            "date": getattr(route, field),
            "current": route.status == status,
        }
        for status, field in services.STEP_DATE_FIELD.items()
    ]
    if route.is_ended:
        rows.append({"label": route.get_status_display(), "date": route.end_date, "current": True})
    return rows


def _next_steps(route: Route | None) -> list[dict]:
    """The buttons for what may come next, the main step first."""
    if route is None or route.is_ended:
        return [{"url": "participants:route_add", "label": _("New route"), "style": "primary"}]
    main = {
        Status.AANGEMELD: ("participants:route_intake", _("Record intake")),
        Status.INTAKE: ("participants:route_start", _("Record start")),
        Status.GESTART: ("participants:route_trial", _("Start trial period")),
        Status.PROEFPERIODE: ("participants:route_contract", _("Record contract")),
    }
    steps = []
    if route.status == Status.INTAKE and route.intake_outcome == IntakeOutcome.WAITING_LIST:
        # On the waiting list the start is refused until the intake outcome is recorded again.
        main[Status.INTAKE] = ("participants:route_intake", _("Record intake"))
    if route.status in main:
        url, label = main[route.status]
        steps.append({"url": url, "label": label, "style": "primary"})
    if route.status in services.STARTED:
        steps.append(
            {
                "url": "participants:route_complete",
                "label": _("Complete route"),
                "style": "outline-success",
            }
        )
    steps.append(
        {
            "url": "participants:route_drop_out",
            "label": _("Record drop-out"),
            "style": "outline-danger",
        }
    )
    return steps


@web.view(scope=PARTICIPANT)
def participant_detail(request, participant):
    """The overview: current route, its pipeline and the next-step buttons. What of it shows
    depends on the permissions the template asks."""
    route = participant.current_route
    return _page(
        request,
        participant,
        "participants/participant_detail.html",
        {
            "tab": "overview",
            "pipeline": _pipeline(route) if route else [],
            "next_steps": _next_steps(route),
            "can_undo_now": route is not None and route.status != Status.AANGEMELD,
            "plan_unsigned_weeks": plan_unsigned_weeks(route),
        },
    )


@web.view("participants.view_route_history", scope=PARTICIPANT)
def participant_history(request, participant):
    """Every route (earlier ones too) with status history and follow-ups, and the handovers."""
    return _page(
        request,
        participant,
        "participants/participant_history.html",
        {
            "tab": "history",
            "routes": routes_visible_to(request.user, participant),
            "handovers": handovers_visible_to(request.user, participant),
        },
    )


@web.view("participants.view_network", scope=PARTICIPANT)
def participant_network(request, participant):
    return _page(
        request,
        participant,
        "participants/participant_network.html",
        {"tab": "network", "contacts": network_visible_to(request.user, participant)},
    )


@web.view("participants.view_consents", scope=PARTICIPANT)
def participant_consents(request, participant):
    return _page(
        request,
        participant,
        "participants/participant_consents.html",
        {
            "tab": "consents",
            "consents": consents_visible_to(request.user, participant),
            "consent_requests": consent_requests_visible_to(request.user, participant),
        },
    )


@web.view("participants.view_care_notes", scope=PARTICIPANT)
def participant_care_notes(request, participant):
    return _page(
        request,
        participant,
        "participants/participant_care_notes.html",
        {
            "tab": "care",
            "care_notes": care_notes_visible_to(request.user, participant),
            "form": forms.CareNoteForm(),
        },
    )


# --- the person and their routes -----------------------------------------------------------


@web.view("participants.refer_participant")
def participant_create(request):
    """A new referral: the person and their first route. A coach refers into their own
    caseload; the regisseur may enter a BSN and choose the coach."""
    academy = request.membership.academy
    full = web.may(request, "participants.refer_with_bsn_and_coach")
    data = web.form_data(request)
    person_form = forms.PersonForm(data, academy=academy, can_see_bsn=full, can_assign_coach=full)
    referral_form = forms.ReferralForm(data, academy=academy)
    done = web.submit(
        request,
        person_form,
        referral_form,
        check=lambda: referral_form.check_age_warning(person_form.cleaned_data["date_of_birth"]),
        save=lambda: services.participant_create(
            academy=academy,
            person=person_form.person(),
            referral=referral_form.referral(),
            coach=person_form.cleaned_data.get("coach") if full else request.user,
            by=request.user,
        ),
        done=_detail_url,
        message=_("Participant registered."),
    )
    if done is not None:
        return done
    return render(
        request,
        "participants/participant_create.html",
        {"person_form": person_form, "referral_form": referral_form},
    )


PERSON_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "street",
    "postcode",
    "city",
    "prior_education",
    "funding_stream",
    "bsn",
    "coach",
]


@web.view("participants.edit_participant", scope=PARTICIPANT)
def participant_edit(request, participant):
    can_bsn = web.may(request, "participants.view_bsn", participant)
    can_coach = web.may(request, "participants.assign_coach", participant)
    form = forms.PersonForm(
        web.form_data(request),
        initial=model_to_dict(participant, fields=PERSON_FIELDS),
        academy=participant.academy_id,
        can_see_bsn=can_bsn,
        can_assign_coach=can_coach,
    )
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.participant_update(
            participant=participant,
            person=form.person(bsn=participant.bsn),
            coach=form.cleaned_data["coach"] if can_coach else participant.coach,
            by=request.user,
        ),
        message=_("Details saved."),
        title=_("Edit details"),
        submit=_("Save details"),
    )


@web.view("participants.record_step", scope=PARTICIPANT)
def route_add(request, participant):
    """A new route for a person who comes back, once the last one has ended."""
    form = forms.ReferralForm(web.form_data(request), academy=participant.academy_id)
    return _form_page(
        request,
        participant,
        form,
        check=lambda: form.check_age_warning(participant.date_of_birth),
        save=lambda: services.route_create(
            participant=participant, referral=form.referral(), by=request.user
        ),
        message=_("New route registered."),
        title=_("New route"),
        submit=_("Save route"),
        intro=_("For a person who comes back. The last route must have ended."),
    )


# --- the status pipeline: one form page per step -------------------------------------------


@dataclass(frozen=True)
class Step:
    form: type[forms.StepForm]
    service: Callable[..., Route]
    title: Promise
    submit: Promise
    done: Promise
    perm: str = "participants.record_step"
    intro: Promise | str = ""


STEPS = {
    "intake": Step(
        forms.IntakeForm,
        services.route_intake_record,
        gettext_lazy("Record intake"),
        gettext_lazy("Save intake"),
        gettext_lazy("Intake recorded."),
    ),
    "start": Step(
        forms.StartForm,
        services.route_start,
        gettext_lazy("Record start"),
        gettext_lazy("Save start"),
        gettext_lazy("Start recorded."),
        intro=gettext_lazy("A start after the group's start date makes a late entrant."),
    ),
    "trial": Step(
        forms.TrialForm,
        services.route_trial_start,
        gettext_lazy("Start trial period"),
        gettext_lazy("Save trial period"),
        gettext_lazy("Trial period recorded."),
    ),
    "contract": Step(
        forms.ContractForm,
        services.route_contract_record,
        gettext_lazy("Record contract"),
        gettext_lazy("Save contract"),
        gettext_lazy("Contract recorded."),
    ),
    "complete": Step(
        forms.OutflowForm,
        services.route_complete,
        gettext_lazy("Complete route"),
        gettext_lazy("Save completion"),
        gettext_lazy("Route completed. Follow-up checks are planned."),
    ),
    "drop_out": Step(
        forms.DropOutForm,
        services.route_drop_out,
        gettext_lazy("Record drop-out"),
        gettext_lazy("Save drop-out"),
        gettext_lazy("Drop-out recorded."),
    ),
    "undo": Step(
        forms.UndoForm,
        services.route_step_undo,
        gettext_lazy("Undo last step"),
        gettext_lazy("Undo step"),
        gettext_lazy("The last step was undone."),
        perm="participants.undo_step",
        intro=gettext_lazy("The route goes back one step. The undo stays in its history."),
    ),
}


def _step_view(step: str):
    """The view of one step of the current route (its URL names it): the form on GET, the
    service on POST. One view per step, so each declares the permission of its step."""
    spec = STEPS[step]

    def view(request, participant):
        route = participant.current_route
        if route is None:
            messages.error(request, _("This person has no route yet."))
            return redirect("participants:participant_detail", participant.pk)
        form = spec.form(web.form_data(request), route=route)
        return _form_page(
            request,
            participant,
            form,
            save=lambda: spec.service(route=route, by=request.user, **form.cleaned_data),
            message=spec.done,
            title=spec.title,
            submit=spec.submit,
            intro=spec.intro,
        )

    view.__name__ = view.__qualname__ = f"route_{step}"
    return web.view(spec.perm, scope=PARTICIPANT)(view)


route_intake = _step_view("intake")
route_start = _step_view("start")
route_trial = _step_view("trial")
route_contract = _step_view("contract")
route_complete = _step_view("complete")
route_drop_out = _step_view("drop_out")
route_undo = _step_view("undo")


@web.view("participants.record_handover", scope=PARTICIPANT)
def handover_add(request, participant):
    form = forms.HandoverForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.handover_record(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        message=_("Handover recorded."),
        tab="participant_history",
        title=_("Record handover"),
        submit=_("Save handover"),
        intro=_("The lead moves to whoever has the person in their care now."),
    )


# --- care notes, network, consent, follow-up -----------------------------------------------


@web.view("participants.add_care_note", scope=PARTICIPANT)
def care_note_add(request, participant):
    form = forms.CareNoteForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.care_note_add(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        message=_("Note saved."),
        tab="participant_care_notes",
        title=_("New care note"),
        submit=_("Save note"),
        cancel=_detail_url(participant, "participant_care_notes"),
    )


@web.view("participants.change_network", scope=PARTICIPANT)
def network_contact_add(request, participant):
    form = forms.NetworkContactForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.network_contact_add(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        message=_("Contact added."),
        tab="participant_network",
        title=_("Add contact"),
        submit=_("Save contact"),
        cancel=_detail_url(participant, "participant_network"),
    )


@web.view("participants.change_network", scope=PARTICIPANT)
def network_contact_edit(request, participant, contact_pk: int):
    contact = get_object_or_404(participant.network, pk=contact_pk)
    form = forms.NetworkContactForm(
        web.form_data(request),
        initial=model_to_dict(contact, fields=list(forms.NetworkContactForm.base_fields)),
    )
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.network_contact_update(
            contact=contact, by=request.user, **form.cleaned_data
        ),
        message=_("Contact saved."),
        tab="participant_network",
        title=_("Edit contact"),
        submit=_("Save contact"),
        cancel=_detail_url(participant, "participant_network"),
    )


@web.view("participants.change_network", scope=PARTICIPANT, methods=["POST"])
def network_contact_remove(request, participant, contact_pk: int):
    contact = get_object_or_404(participant.network, pk=contact_pk)
    return web.act(
        request,
        lambda: services.network_contact_remove(contact=contact, by=request.user),
        done=_detail_url(participant, "participant_network"),
        message=_("Contact removed."),
    )


@web.view("participants.change_consents", scope=PARTICIPANT)
def consent_add(request, participant):
    form = forms.ConsentForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.consent_give(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        message=_("Consent recorded."),
        tab="participant_consents",
        title=_("Record consent"),
        submit=_("Save consent"),
        cancel=_detail_url(participant, "participant_consents"),
    )


@web.view("participants.change_consents", scope=PARTICIPANT)
def consent_request_ask(request, participant):
    """Ask the young person for a consent; they answer in their own app."""
    form = forms.ConsentRequestForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.consent_request_ask(
            participant=participant, by=request.user, **form.cleaned_data
        ),
        message=_("Asked. The young person answers in their app."),
        tab="participant_consents",
        title=_("Ask for consent"),
        submit=_("Ask"),
        intro=_("%(name)s sees the question in their app and answers it there.")
        % {"name": participant.first_name},
        cancel=_detail_url(participant, "participant_consents"),
    )


@web.view("participants.change_consents", scope=PARTICIPANT, methods=["POST"])
def consent_request_withdraw(request, participant, request_pk: int):
    """Withdraw a question the young person has not answered yet (a confirmed button)."""
    asked = get_object_or_404(consent_requests_visible_to(request.user, participant), pk=request_pk)
    return web.act(
        request,
        lambda: services.consent_request_withdraw(consent_request=asked, by=request.user),
        done=_detail_url(participant, "participant_consents") + "#consent-requests",
        message=_("Question withdrawn: it is gone from the app."),
    )


@web.view("participants.change_consents", scope=PARTICIPANT)
def consent_withdraw(request, participant, consent_pk: int):
    consent = get_object_or_404(participant.consents, pk=consent_pk)
    form = forms.ConsentWithdrawForm(web.form_data(request))
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.consent_withdraw(
            consent=consent, by=request.user, **form.cleaned_data
        ),
        message=_("Consent withdrawn."),
        tab="participant_consents",
        title=_("Withdraw consent"),
        submit=_("Withdraw consent"),
        intro=consent.get_scope_display(),
        cancel=_detail_url(participant, "participant_consents"),
    )


@web.view("participants.record_follow_up", scope=PARTICIPANT)
def follow_up_record(request, participant, follow_up_pk: int):
    follow_up = follow_up_get_for_participant(participant, follow_up_pk)
    form = forms.FollowUpForm(
        web.form_data(request),
        initial=model_to_dict(follow_up, fields=["done_on", "situation", "notes"])
        if follow_up.done_on
        else None,
    )
    return _form_page(
        request,
        participant,
        form,
        save=lambda: services.follow_up_record(
            follow_up=follow_up, by=request.user, **form.cleaned_data
        ),
        message=_("Follow-up check saved."),
        tab="participant_history",
        title=_("Follow-up check"),
        submit=_("Save check"),
        intro=_("%(months)s months after the route ended: in work or school?")
        % {"months": follow_up.months_after},
        cancel=_detail_url(participant, "participant_history"),
    )


@web.view("participants.list_follow_ups")
def follow_ups_due(request):
    """The follow-up checks on the user's list. Shows names, so it is one audit READ."""
    due = list(follow_ups_due_for(request.user))
    web.audit_list(
        request,
        [f.route.participant_id for f in due],
        page="follow_ups_due",
        count=len(due),
    )
    return render(request, "participants/follow_ups_due.html", {"follow_ups": due})
