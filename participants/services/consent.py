"""Consents the participant (or their representative) gives and withdraws, per scope."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq.accounts.models import User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log

from ..models import (
    Consent,
    ConsentAnswer,
    ConsentGivenBy,
    ConsentRequest,
    ConsentScope,
    Participant,
)
from ._common import check_not_future, format_day, refuse


@transaction.atomic
def consent_give(
    *,
    participant: Participant,
    scope: str,
    given_on: date,
    given_by: str,
    given_by_name: str = "",
    organisation: str = "",
    by: User,
) -> Consent:
    """Record a consent as given. Side effects: creates the Consent; one CREATE audit event.
    Refuses a second active consent for the same scope (and organisation)."""
    organisation = organisation.strip()
    consent = Consent(
        participant=participant,
        scope=scope,
        organisation=organisation,
        given_on=given_on,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        recorded_by=by,
    )
    consent.full_clean(exclude=["participant", "recorded_by"])
    check_not_future("given_on", given_on)
    if scope == ConsentScope.REQUEST_INFORMATION and not organisation:
        raise refuse("organisation", _("Name the organisation this consent is for."))
    already = participant.consents.filter(
        scope=scope, organisation__iexact=organisation, withdrawn_on__isnull=True
    )
    if already.exists():
        raise refuse("scope", _("This consent is already active."))
    consent.save()
    audit_log(actor=by, action=Action.CREATE, obj=consent, detail={"scope": scope})
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date, by: User) -> Consent:
    """Withdraw a consent from a day on. Side effects: sets withdrawn_on; one UPDATE audit
    event. Refuses a second withdrawal and a date before the consent was given."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise refuse(
            "withdrawn_on",
            _("This consent was already withdrawn on %(date)s.")
            % {"date": format_day(consent.withdrawn_on)},
        )
    if withdrawn_on < consent.given_on:
        raise refuse(
            "withdrawn_on",
            _("The consent was given on %(date)s; it can't be withdrawn earlier.")
            % {"date": format_day(consent.given_on)},
        )
    check_not_future("withdrawn_on", withdrawn_on)
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=consent,
        detail={"scope": consent.scope, "withdrawn": True},
    )
    return consent


# --- asking the young person ------------------------------------------------------------------


@transaction.atomic
def consent_request_ask(
    *, participant: Participant, scope: str, organisation: str = "", by: User
) -> ConsentRequest:
    """Ask the young person for a consent, to answer in their own app. Refuses a participant
    without their own login (nobody could answer), a consent that already holds and a
    question already open for the same scope (and organisation).
    Side effects: creates the ConsentRequest; one CREATE audit event (detail.event
    "consent_requested")."""
    organisation = organisation.strip()
    if scope not in ConsentScope.values:
        raise refuse("scope", _("Choose what the consent is for."))
    if scope == ConsentScope.REQUEST_INFORMATION and not organisation:
        raise refuse("organisation", _("Name the organisation this consent is for."))
    if participant.user_id is None:
        raise refuse(
            None, _("This young person has no login for their app yet: invite them first.")
        )
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if participant.consents.filter(
        scope=scope, organisation__iexact=organisation, withdrawn_on__isnull=True
    ).exists():
        raise refuse("scope", _("This consent is already active."))
    if participant.consent_requests.filter(
        scope=scope, organisation__iexact=organisation, answered_at__isnull=True
    ).exists():
        raise refuse("scope", _("This has already been asked and is waiting for an answer."))
    asked = ConsentRequest.objects.create(
        participant=participant, scope=scope, organisation=organisation, asked_by=by
    )
    audit_log(
        actor=by,
        action=Action.CREATE,
        obj=asked,
        detail={"event": "consent_requested", "scope": scope},
    )
    return asked


@transaction.atomic
def consent_request_answer(
    *, consent_request: ConsentRequest, give: bool, by: User
) -> ConsentRequest:
    """The young person answers a consent request in their app: yes records the Consent as
    given by them today (consent_give, its own audit event), no records the refusal. Refuses
    a request already answered.
    Side effects: updates the ConsentRequest (answer, when, the consent); one UPDATE audit
    event (detail.event "consent_request_answered", the answer)."""
    asked = (
        ConsentRequest.objects.select_for_update()
        .select_related("participant")
        .get(pk=consent_request.pk)
    )
    if asked.answer == ConsentAnswer.WITHDRAWN:
        raise refuse(None, _("The academy no longer asks this question."))
    if asked.answered_at is not None:
        raise refuse(None, _("You have already answered this question."))
    if give:
        asked.consent = consent_give(
            participant=asked.participant,
            scope=asked.scope,
            organisation=asked.organisation,
            given_on=timezone.localdate(),
            given_by=ConsentGivenBy.PARTICIPANT,
            given_by_name=asked.participant.full_name,
            by=by,
        )
    asked.answer = ConsentAnswer.GIVEN if give else ConsentAnswer.REFUSED
    asked.answered_at = timezone.now()
    asked.save(update_fields=["answer", "answered_at", "consent"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=asked,
        detail={"event": "consent_request_answered", "scope": asked.scope, "answer": asked.answer},
    )
    return asked


@transaction.atomic
def consent_request_withdraw(*, consent_request: ConsentRequest, by: User) -> ConsentRequest:
    """The academy withdraws a question the young person has not answered (asked by mistake,
    or no longer needed): it leaves their app and the work queue, and the same may be asked
    again. Refuses a question already answered or withdrawn.
    Side effects: closes the ConsentRequest (answer "withdrawn", when); one UPDATE audit event
    (detail.event "consent_request_withdrawn")."""
    asked = ConsentRequest.objects.select_for_update().get(pk=consent_request.pk)
    if asked.answered_at is not None:
        raise refuse(None, _("This question has already been answered or withdrawn."))
    asked.answer = ConsentAnswer.WITHDRAWN
    asked.answered_at = timezone.now()
    asked.save(update_fields=["answer", "answered_at"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=asked,
        detail={"event": "consent_request_withdrawn", "scope": asked.scope},
    )
    return asked
