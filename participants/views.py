"""The participant record: one person's page with its tabs, and a form page per change.

Every participant comes from participant_get_for_user (404 outside the user's scope); each
view declares the permission it needs on that participant (403 when visible but not allowed);
every page that shows a participant's data writes exactly one audit READ event; changes go
through one service each, on POST only, and end in a redirect with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log, audit_log_list

from . import forms, services
from .models import IntakeOutcome, Participant, Status, Traject
from .selectors import (
    care_notes_visible_to,
    consents_visible_to,
    follow_up_get_for_participant,
    follow_ups_due_for,
    handovers_visible_to,
    network_visible_to,
    participant_get_for_user,
    plan_unsigned_weeks,
    trajecten_visible_to,
)

# --- how every record view gets its participant and renders ------------------------------


def participant_for(request, pk, perm: str | None = None) -> Participant:
    """The participant from the user's scope (404 outside it) that allows ``perm`` (403 when
    visible but not allowed)."""
    participant = participant_get_for_user(request.user, pk)
    if perm is not None and not request.user.has_perm(perm, participant):
        raise PermissionDenied
    return participant


def participant_view(perm: str | None = None):
    """Declare a view of one participant and the permission it needs (participant_for); the
    view gets the participant instead of its pk. Put @login_required (and @require_POST)
    above it, so anonymous visitors go to the login page first."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            return view(request, participant_for(request, pk, perm), *args, **kwargs)

        return wrapper

    return decorator


def _data(request):
    """The form data of a POST (even an empty one), None for a GET: bind only on POST."""
    return request.POST if request.method == "POST" else None


def _page(request, participant: Participant, template: str, context: dict | None = None):
    """Render a page with a participant's data: exactly one audit READ event per page."""
    audit_log(
        actor=request.user,
        action=Action.READ,
        obj=participant,
        request=request,
        detail={"page": request.resolver_match.url_name},
    )
    return render(
        request,
        template,
        {"participant": participant, "traject": participant.current_traject, **(context or {})},
    )


def _form_page(request, participant: Participant, form, *, title, submit, cancel=None, intro=""):
    return _page(
        request,
        participant,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit,
            "intro": intro,
            "cancel_url": cancel or _detail_url(participant),
        },
    )


def _detail_url(participant: Participant, tab: str = "participant_detail") -> str:
    return reverse(f"participants:{tab}", args=[participant.pk])


def _done(request, participant: Participant, message: str, tab: str = "participant_detail"):
    messages.success(request, message)
    return redirect(f"participants:{tab}", participant.pk)


# --- the tabs ------------------------------------------------------------------------------


def _pipeline(traject: Traject) -> list[dict]:
    """The route's steps in order with their dates, and its end when it has ended."""
    rows = [
        {
            "label": Status(status).label,
            "date": getattr(traject, field),
            "current": traject.status == status,
        }
        for status, field in services.STEP_DATE_FIELD.items()
    ]
    if traject.is_ended:
        rows.append(
            {"label": traject.get_status_display(), "date": traject.end_date, "current": True}
        )
    return rows


def _next_steps(traject: Traject | None) -> list[dict]:
    """The buttons for what may come next, the main step first."""
    if traject is None or traject.is_ended:
        return [{"url": "participants:traject_add", "label": _("New route"), "style": "primary"}]
    main = {
        Status.AANGEMELD: ("participants:traject_intake", _("Record intake")),
        Status.INTAKE: ("participants:traject_start", _("Record start")),
        Status.GESTART: ("participants:traject_trial", _("Start trial period")),
        Status.PROEFPERIODE: ("participants:traject_contract", _("Record contract")),
    }
    steps = []
    if traject.status == Status.INTAKE and traject.intake_outcome == IntakeOutcome.WAITING_LIST:
        # On the waiting list the start is refused until the intake outcome is recorded again.
        main[Status.INTAKE] = ("participants:traject_intake", _("Record intake"))
    if traject.status in main:
        url, label = main[traject.status]
        steps.append({"url": url, "label": label, "style": "primary"})
    if traject.status in services.STARTED:
        steps.append(
            {
                "url": "participants:traject_complete",
                "label": _("Complete route"),
                "style": "outline-success",
            }
        )
    steps.append(
        {
            "url": "participants:traject_drop_out",
            "label": _("Record drop-out"),
            "style": "outline-danger",
        }
    )
    return steps


@login_required
@participant_view()
def participant_detail(request, participant):
    """The overview: current route, its pipeline and the next-step buttons. What of it shows
    depends on the permissions the template asks."""
    traject = participant.current_traject
    return _page(
        request,
        participant,
        "participants/participant_detail.html",
        {
            "tab": "overview",
            "pipeline": _pipeline(traject) if traject else [],
            "next_steps": _next_steps(traject),
            "can_undo_now": traject is not None and traject.status != Status.AANGEMELD,
            "plan_unsigned_weeks": plan_unsigned_weeks(traject),
        },
    )


@login_required
@participant_view("participants.view_route_history")
def participant_history(request, participant):
    """Every route (earlier ones too) with status history and follow-ups, and the handovers."""
    return _page(
        request,
        participant,
        "participants/participant_history.html",
        {
            "tab": "history",
            "trajecten": trajecten_visible_to(request.user, participant),
            "handovers": handovers_visible_to(request.user, participant),
        },
    )


@login_required
@participant_view("participants.view_network")
def participant_network(request, participant):
    return _page(
        request,
        participant,
        "participants/participant_network.html",
        {"tab": "network", "contacts": network_visible_to(request.user, participant)},
    )


@login_required
@participant_view("participants.view_consents")
def participant_consents(request, participant):
    return _page(
        request,
        participant,
        "participants/participant_consents.html",
        {"tab": "consents", "consents": consents_visible_to(request.user, participant)},
    )


@login_required
@participant_view("participants.view_care_notes")
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


@login_required
@permission_required("participants.refer_participant", raise_exception=True)
def participant_create(request):
    """A new referral: the person and their first route. A coach refers into their own
    caseload; the regisseur may enter a BSN and choose the coach."""
    academy = request.membership.academy
    full = request.user.has_perm("participants.refer_with_bsn_and_coach")
    data = _data(request)
    person_form = forms.PersonForm(data, academy=academy, can_see_bsn=full, can_assign_coach=full)
    referral_form = forms.ReferralForm(data, academy=academy)
    if (
        request.method == "POST"
        and all([person_form.is_valid(), referral_form.is_valid()])
        and referral_form.check_age_warning(person_form.cleaned_data["date_of_birth"])
    ):
        coach = person_form.cleaned_data.get("coach") if full else request.user
        try:
            participant = services.participant_create(
                academy=academy,
                person=person_form.person(),
                referral=referral_form.referral(),
                coach=coach,
                by=request.user,
            )
        except ValidationError as error:
            forms.add_service_error(error, person_form, referral_form)
        else:
            return _done(request, participant, _("Participant registered."))
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


@login_required
@participant_view("participants.edit_participant")
def participant_edit(request, participant):
    can_bsn = request.user.has_perm("participants.view_bsn", participant)
    can_coach = request.user.has_perm("participants.assign_coach", participant)
    form = forms.PersonForm(
        _data(request),
        initial=model_to_dict(participant, fields=PERSON_FIELDS),
        academy=participant.academy_id,
        can_see_bsn=can_bsn,
        can_assign_coach=can_coach,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                participant=participant,
                person=form.person(bsn=participant.bsn),
                coach=form.cleaned_data["coach"] if can_coach else participant.coach,
                by=request.user,
            )
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Details saved."))
    return _form_page(request, participant, form, title=_("Edit details"), submit=_("Save details"))


@login_required
@participant_view("participants.record_step")
def traject_add(request, participant):
    """A new route for a person who comes back, once the last one has ended."""
    form = forms.ReferralForm(_data(request), academy=participant.academy_id)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.check_age_warning(participant.date_of_birth)
    ):
        try:
            services.traject_create(
                participant=participant, referral=form.referral(), by=request.user
            )
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("New route registered."))
    return _form_page(
        request,
        participant,
        form,
        title=_("New route"),
        submit=_("Save route"),
        intro=_("For a person who comes back. The last route must have ended."),
    )


# --- the status pipeline: one form page per step -------------------------------------------


@dataclass(frozen=True)
class Step:
    form: type[forms.StepForm]
    service: Callable[..., Traject]
    title: Promise
    submit: Promise
    done: Promise
    perm: str = "participants.record_step"
    intro: Promise | str = ""


STEPS = {
    "intake": Step(
        forms.IntakeForm,
        services.traject_intake_record,
        gettext_lazy("Record intake"),
        gettext_lazy("Save intake"),
        gettext_lazy("Intake recorded."),
    ),
    "start": Step(
        forms.StartForm,
        services.traject_start,
        gettext_lazy("Record start"),
        gettext_lazy("Save start"),
        gettext_lazy("Start recorded."),
        intro=gettext_lazy("A start after the group's start date makes a late entrant."),
    ),
    "trial": Step(
        forms.TrialForm,
        services.traject_trial_start,
        gettext_lazy("Start trial period"),
        gettext_lazy("Save trial period"),
        gettext_lazy("Trial period recorded."),
    ),
    "contract": Step(
        forms.ContractForm,
        services.traject_contract_record,
        gettext_lazy("Record contract"),
        gettext_lazy("Save contract"),
        gettext_lazy("Contract recorded."),
    ),
    "complete": Step(
        forms.OutflowForm,
        services.traject_complete,
        gettext_lazy("Complete route"),
        gettext_lazy("Save completion"),
        gettext_lazy("Route completed. Follow-up checks are planned."),
    ),
    "drop_out": Step(
        forms.DropOutForm,
        services.traject_drop_out,
        gettext_lazy("Record drop-out"),
        gettext_lazy("Save drop-out"),
        gettext_lazy("Drop-out recorded."),
    ),
    "undo": Step(
        forms.UndoForm,
        services.traject_step_undo,
        gettext_lazy("Undo last step"),
        gettext_lazy("Undo step"),
        gettext_lazy("The last step was undone."),
        perm="participants.undo_step",
        intro=gettext_lazy("The route goes back one step. The undo stays in its history."),
    ),
}


@login_required
def traject_step(request, pk, step: str):
    """A step of the current route (the URL names it): the form on GET, the service on POST."""
    spec = STEPS[step]
    participant = participant_for(request, pk, spec.perm)
    traject = participant.current_traject
    if traject is None:
        messages.error(request, _("This person has no route yet."))
        return redirect("participants:participant_detail", participant.pk)
    form = spec.form(_data(request), traject=traject)
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(traject=traject, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, str(spec.done))
    return _form_page(
        request, participant, form, title=spec.title, submit=spec.submit, intro=spec.intro
    )


@login_required
@participant_view("participants.record_handover")
def handover_add(request, participant):
    form = forms.HandoverForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_record(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Handover recorded."), "participant_history")
    return _form_page(
        request,
        participant,
        form,
        title=_("Record handover"),
        submit=_("Save handover"),
        intro=_("The lead moves to whoever has the person in their care now."),
    )


# --- care notes, network, consent, follow-up -----------------------------------------------


@login_required
@participant_view("participants.add_care_note")
def care_note_add(request, participant):
    form = forms.CareNoteForm(_data(request))
    cancel = _detail_url(participant, "participant_care_notes")
    if request.method == "POST" and form.is_valid():
        try:
            services.care_note_add(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Note saved."), "participant_care_notes")
    return _form_page(
        request, participant, form, title=_("New care note"), submit=_("Save note"), cancel=cancel
    )


@login_required
@participant_view("participants.change_network")
def network_contact_add(request, participant):
    form = forms.NetworkContactForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.network_contact_add(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Contact added."), "participant_network")
    return _form_page(
        request,
        participant,
        form,
        title=_("Add contact"),
        submit=_("Save contact"),
        cancel=_detail_url(participant, "participant_network"),
    )


@login_required
@participant_view("participants.change_network")
def network_contact_edit(request, participant, contact_pk: int):
    contact = get_object_or_404(participant.network, pk=contact_pk)
    form = forms.NetworkContactForm(
        _data(request),
        initial=model_to_dict(contact, fields=list(forms.NetworkContactForm.base_fields)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.network_contact_update(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Contact saved."), "participant_network")
    return _form_page(
        request,
        participant,
        form,
        title=_("Edit contact"),
        submit=_("Save contact"),
        cancel=_detail_url(participant, "participant_network"),
    )


@login_required
@require_POST
@participant_view("participants.change_network")
def network_contact_remove(request, participant, contact_pk: int):
    contact = get_object_or_404(participant.network, pk=contact_pk)
    services.network_contact_remove(contact=contact, by=request.user)
    return _done(request, participant, _("Contact removed."), "participant_network")


@login_required
@participant_view("participants.change_consents")
def consent_add(request, participant):
    form = forms.ConsentForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Consent recorded."), "participant_consents")
    return _form_page(
        request,
        participant,
        form,
        title=_("Record consent"),
        submit=_("Save consent"),
        cancel=_detail_url(participant, "participant_consents"),
    )


@login_required
@participant_view("participants.change_consents")
def consent_withdraw(request, participant, consent_pk: int):
    consent = get_object_or_404(participant.consents, pk=consent_pk)
    form = forms.ConsentWithdrawForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Consent withdrawn."), "participant_consents")
    return _form_page(
        request,
        participant,
        form,
        title=_("Withdraw consent"),
        submit=_("Withdraw consent"),
        intro=consent.get_scope_display(),
        cancel=_detail_url(participant, "participant_consents"),
    )


@login_required
@participant_view("participants.record_follow_up")
def follow_up_record(request, participant, follow_up_pk: int):
    follow_up = follow_up_get_for_participant(participant, follow_up_pk)
    form = forms.FollowUpForm(
        _data(request),
        initial=model_to_dict(follow_up, fields=["done_on", "situation", "notes"])
        if follow_up.done_on
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(error, form)
        else:
            return _done(request, participant, _("Follow-up check saved."), "participant_history")
    return _form_page(
        request,
        participant,
        form,
        title=_("Follow-up check"),
        submit=_("Save check"),
        intro=_("%(months)s months after the route ended: in work or school?")
        % {"months": follow_up.months_after},
        cancel=_detail_url(participant, "participant_history"),
    )


@login_required
@permission_required("participants.list_follow_ups", raise_exception=True)
def follow_ups_due(request):
    """The follow-up checks on the user's list. Shows names, so it is one audit READ."""
    due = list(follow_ups_due_for(request.user))
    audit_log_list(
        actor=request.user,
        action=Action.READ,
        participant_ids=[f.traject.participant_id for f in due],
        request=request,
        detail={"page": "follow_ups_due", "count": len(due)},
    )
    return render(request, "participants/follow_ups_due.html", {"follow_ups": due})
