"""State changes of the participant portal: one function per change.

Every function validates first, writes inside one transaction and records exactly one audit
event. Consents go through participants.services (consent_give, consent_withdraw) unchanged.
Who may call which function is decided in portal.rules; the views check it, and the services
that write in the participant's own name check that ``by`` is that participant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerroutes.models import (
    MAX_REFLECTION_LENGTH,
    Evaluation,
    Goal,
    Reflection,
    SelfReportedWellbeing,
    Wellbeing,
)
from leerroutes.services import route_summaries_refresh
from maatwerq.accounts.models import Invitation, Role, User
from maatwerq.accounts.services import invitation_create
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log
from participants.models import GuardianAccess, Participant

from .selectors import ADULT_AGE, monday_of


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message} if field else message)


def _today() -> date:
    return timezone.localdate()


def _require_self(participant: Participant, by: User) -> None:
    """Writing in the participant's own name: only the participant's own login."""
    if participant.user_id is None or participant.user_id != by.pk:
        raise PermissionDenied


def _open_invitation(email: str, participant_filter: dict[str, Any]) -> bool:
    return Invitation.objects.filter(
        email__iexact=email,
        role=Role.DEELNEMER,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        **participant_filter,
    ).exists()


# --- logins ----------------------------------------------------------------------------------


def participant_invite(*, participant: Participant, by: User, base_url: str) -> Invitation:
    """Invite a participant to their own plain view (by their coach or the regisseur).

    Side effects: an Invitation with role deelnemer tied to the participant, its email after
    commit and its audit event (accounts.services.invitation_create). Refuses a participant
    without an email address, one who already has a login, and a second open invitation."""
    if not participant.email:
        raise _refuse(None, _("Add the participant's email address first."))
    if participant.user_id is not None:
        raise _refuse(None, _("This participant already has a login."))
    if _open_invitation(participant.email, {"participant": participant}):
        raise _refuse(None, _("An invitation was already sent and is still valid."))
    return invitation_create(
        email=participant.email,
        academy=participant.academy,
        role=Role.DEELNEMER,
        participant=participant,
        by=by,
        base_url=base_url,
    )


@transaction.atomic
def guardian_invite(
    *,
    participant: Participant,
    guardian_name: str,
    email: str,
    agreed_by_participant_on: date,
    by: User,
    base_url: str,
) -> GuardianAccess:
    """Give a parent or guardian read access to the plain view of a participant under 18,
    once the participant agreed (on the given day) and the regisseur ``by`` agrees now.

    Side effects: an Invitation with role deelnemer (no participant: the access carries it)
    and its email after commit; the GuardianAccess, linked to the login once the invitation
    is accepted; one CREATE audit event (besides the invitation's)."""
    today = _today()
    guardian_name, email = guardian_name.strip(), email.strip().lower()
    if participant.age_on(today) >= ADULT_AGE:
        raise _refuse(None, _("This participant is 18 or older: parents get no access."))
    if not guardian_name:
        raise _refuse("guardian_name", _("Write the name of the parent or guardian."))
    if agreed_by_participant_on > today:
        raise _refuse("agreed_by_participant_on", _("This date is in the future."))
    if participant.user is not None and participant.user.email.lower() == email:
        raise _refuse("email", _("This is the participant's own email address."))
    if participant.guardian_accesses.filter(
        revoked_on__isnull=True, invitation__email__iexact=email
    ).exists():
        raise _refuse("email", _("This parent or guardian already has access."))
    invitation = invitation_create(
        email=email, academy=participant.academy, role=Role.DEELNEMER, by=by, base_url=base_url
    )
    access = GuardianAccess.objects.create(
        participant=participant,
        guardian_name=guardian_name,
        invitation=invitation,
        agreed_by_participant_on=agreed_by_participant_on,
        agreed_by_regisseur=by,
        agreed_by_regisseur_on=today,
    )
    audit_log(actor=by, action=Action.CREATE, obj=access, participant=participant)
    return access


def portal_login_link(*, invitation: Invitation, user: User) -> None:
    """Run when an invitation for the role deelnemer is accepted (registered in
    PortalConfig.ready() with maatwerq.accounts.hooks; inside the acceptance's transaction):
    a guardian's invitation links the guardian access, a participant's own invitation links
    the participant's record to the login.
    Side effects: sets GuardianAccess.guardian or Participant.user; one UPDATE audit event."""
    access = GuardianAccess.objects.filter(invitation=invitation).first()
    if access is not None:
        access.guardian = user
        access.save(update_fields=["guardian"])
        audit_log(actor=user, action=Action.UPDATE, obj=access, participant=access.participant)
        return
    if invitation.participant_id is None:
        return
    participant = Participant.objects.select_for_update().get(pk=invitation.participant_id)
    if participant.user_id not in (None, user.pk):
        raise _refuse(None, _("This participant already has a login."))
    if Participant.objects.filter(user=user).exclude(pk=participant.pk).exists():
        raise _refuse(None, _("This login already belongs to another participant."))
    participant.user = user
    participant.save(update_fields=["user"])
    audit_log(
        actor=user,
        action=Action.UPDATE,
        obj=participant,
        academy=invitation.academy,
        detail={"event": "portal_login_linked"},
    )


@transaction.atomic
def guardian_access_revoke(
    *, access: GuardianAccess, by: User, on: date | None = None
) -> GuardianAccess:
    """End a guardian's read access, at once (by the participant or the regisseur).
    Side effects: sets revoked_on and revoked_by; one UPDATE audit event."""
    access = GuardianAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_on is not None:
        raise _refuse(None, _("This access has already ended."))
    access.revoked_on = on or _today()
    access.revoked_by = by
    access.save(update_fields=["revoked_on", "revoked_by"])
    audit_log(
        actor=by,
        action=Action.UPDATE,
        obj=access,
        participant=access.participant,
        detail={"revoked": True},
    )
    return access


# --- the participant's voice -----------------------------------------------------------------


def reflection_add(
    *,
    participant: Participant,
    text: str,
    goal: Goal | None = None,
    evaluation: Evaluation | None = None,
    by: User,
) -> Reflection:
    """The participant adds a short reflection to one goal or one evaluation of their route.
    Side effects: creates the Reflection; one CREATE audit event."""
    _require_self(participant, by)
    route = participant.current_route
    text = text.strip()
    if route is None:
        raise _refuse(None, _("You have no route yet."))
    if (goal is None) == (evaluation is None):
        raise _refuse(None, _("Choose one goal or one talk."))
    target = goal or evaluation  # exactly one of them, checked above
    if target is None or target.route_id != route.pk:
        raise _refuse(None, _("Choose one goal or one talk."))
    if not text:
        raise _refuse("text", _("Write something first."))
    if len(text) > MAX_REFLECTION_LENGTH:
        raise _refuse(
            "text",
            _("Keep it short: at most %(max)s characters.") % {"max": MAX_REFLECTION_LENGTH},
        )
    with transaction.atomic():
        reflection = Reflection.objects.create(
            route=route, goal=goal, evaluation=evaluation, text=text, written_by=by
        )
        audit_log(actor=by, action=Action.CREATE, obj=reflection, participant=participant)
    return reflection


def wellbeing_report(
    *, participant: Participant, score: int, by: User, today: date | None = None
) -> SelfReportedWellbeing:
    """The participant marks how they feel this week (1-5), kept apart from the coach's
    scores; a second answer in the same week replaces the first.
    Side effects: creates or updates the week's SelfReportedWellbeing; refreshes the route's
    RouteSummary (the coach's caseload card for a low score); one audit event."""
    _require_self(participant, by)
    route = participant.current_route
    if route is None:
        raise _refuse(None, _("You have no route yet."))
    if score not in Wellbeing.values:
        raise _refuse("score", _("Choose a face."))
    week = monday_of(today or _today())
    with transaction.atomic():
        answer, created = SelfReportedWellbeing.objects.update_or_create(
            route=route, week_start=week, defaults={"score": score, "reported_by": by}
        )
        # The caseload reads the latest check-in from the route's summary.
        route_summaries_refresh([route.pk])
        audit_log(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            obj=answer,
            participant=participant,
            detail={"week": week.isoformat()},
        )
    return answer
