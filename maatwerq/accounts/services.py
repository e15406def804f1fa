"""State changes for accounts: inviting people and accepting invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq.audit.services import audit_log

from .models import Academy, Invitation, Membership, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    email: str,
    academy: Academy,
    role: str,
    employer=None,
    participant=None,
    by: User,
    base_url: str,
) -> Invitation:
    """Invite someone into an academy and role. A participant's own invitation (role
    deelnemer) names their record, which accepting links to the new login.

    Side effects: saves the Invitation (only the token's hash), sends the invitation email
    after commit, writes an audit event.
    """
    if role == Role.WERKGEVER and employer is None:
        raise ValidationError({"employer": _("Choose the employer this person works for.")})
    if role != Role.WERKGEVER:
        employer = None
    if role != Role.DEELNEMER:
        participant = None
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email.lower(),
        academy=academy,
        role=role,
        employer=employer,
        participant=participant,
        token_hash=_hash(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    # A young person gets the invitation in plain words (portal app).
    template = (
        "portal/email/invitation.txt" if role == Role.DEELNEMER else "accounts/email/invitation.txt"
    )
    body = render_to_string(template, {"invitation": invitation, "link": link})
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to MaatwerQ"), body, settings.DEFAULT_FROM_EMAIL, [invitation.email]
        )
    )
    audit_log(actor=by, action="create", obj=invitation, academy=academy)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The open invitation for a token; a ValidationError in Dutch when it is unknown,
    expired or already used."""
    invitation = Invitation.objects.filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid. Ask for a new invitation."))
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been used. Log in with your email address.")
        )
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask the administrator for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Accept an invitation: create (or reuse) the user and give them the membership.

    Side effects: creates the User if the email is new, creates the Membership, marks the
    invitation used (a second use fails), writes an audit event. For the role deelnemer, links
    the login to the participant's record or to a guardian's access (portal.services).
    """
    invitation = invitation_for_token(token)
    # Lock the row so two simultaneous submits cannot both use it.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(invitation.email, password, full_name=full_name)
    Membership.objects.get_or_create(
        user=user,
        academy=invitation.academy,
        role=invitation.role,
        defaults={"employer": invitation.employer},
    )
    if invitation.role == Role.DEELNEMER:
        from portal.services import portal_login_link

        portal_login_link(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_log(
        actor=user,
        action="update",
        obj=invitation,
        academy=invitation.academy,
        detail={"event": "invitation_accepted"},
    )
    return user
