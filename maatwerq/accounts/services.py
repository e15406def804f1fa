"""State changes for accounts: inviting people and accepting invitations.

The rules that keep one account from becoming another (issue "Trust first"):
- an invitation link never logs anybody in; a new address sets a password and then logs in
  through the ordinary login (rate limits, second factor);
- an invitation to an address that already has an account is accepted only by that account,
  while it is logged in (so with its own password and second factor);
- nobody grants a role to themselves, and granting regisseur, beheerder or landelijk is told to
  the academy's other beheerders (see ``models.SENSITIVE_ROLES`` and ``_grant_watchers``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerq.audit.services import audit_log

from .hooks import invitation_accepted_run
from .models import SENSITIVE_ROLES, Academy, Invitation, Membership, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_email(email: str) -> User | None:
    """The account that owns a login address: its login field, or a confirmed address of it.
    An address someone only asked to change to (not confirmed from that mailbox) owns nothing."""
    return (
        User.objects.filter(
            Q(email__iexact=email)
            | Q(
                pk__in=EmailAddress.objects.filter(email__iexact=email, verified=True).values(
                    "user"
                )
            )
        )
        .order_by("pk")
        .first()
    )


def login_address_confirm(user: User) -> None:
    """Record the user's login address as confirmed and primary in allauth's address table.
    The academy set that address (an invitation reached it, or an operator typed it), so it is
    the one address the account owns; changing it later needs a confirmation from the new
    mailbox (ACCOUNT_CHANGE_EMAIL). Idempotent.

    Side effects: creates or updates one EmailAddress row."""
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _own_addresses(user: User) -> set[str]:
    addresses = {user.email.lower()}
    addresses.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return addresses


def _grant_watchers(academy: Academy, *, by: User) -> QuerySet[User]:
    """Who is told of a sensitive grant: the academy's other active beheerders. An academy with
    one beheerder has no one else to tell among them, so its regisseurs are told instead (they
    answer for the care data a new regisseur would read); the audit has the grant either way."""

    def others_in(role: str) -> QuerySet[User]:
        return (
            User.objects.filter(
                memberships__academy=academy,
                memberships__role=role,
                memberships__is_active=True,
                is_active=True,
            )
            .exclude(pk=by.pk)
            .distinct()
        )

    beheerders = others_in(Role.BEHEERDER)
    return beheerders if beheerders.exists() else others_in(Role.REGISSEUR)


def _notify_grant(invitation: Invitation, *, by: User) -> None:
    recipients = list(_grant_watchers(invitation.academy, by=by).values_list("email", flat=True))
    if not recipients:
        return
    body = render_to_string("accounts/email/role_granted.txt", {"invitation": invitation, "by": by})
    subject = _("Role granted in %(academy)s: %(role)s") % {
        "academy": invitation.academy,
        "role": invitation.get_role_display(),
    }
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def invitation_create(
    *,
    email: str,
    academy: Academy,
    role: str,
    # An employers.Employer, a participants.Participant: the base layer does not import them.
    employer: Any = None,
    participant: Any = None,
    by: User,
    base_url: str,
) -> Invitation:
    """Invite someone into an academy and role. A participant's own invitation (role
    deelnemer) names their record, which accepting links to the new login.

    Refuses an invitation to one of the inviter's own addresses (nobody grants a role to
    themselves).

    Side effects: saves the Invitation (only the token's hash), sends the invitation email
    after commit, writes an audit event; for regisseur, beheerder and landelijk also emails the
    academy's other beheerders (or, with none, its regisseurs) after commit.
    """
    email = email.strip().lower()
    if role == Role.WERKGEVER and employer is None:
        raise ValidationError({"employer": _("Choose the employer this person works for.")})
    if email in _own_addresses(by):
        raise ValidationError(
            {"email": _("You cannot give yourself a role. Ask another administrator.")}
        )
    if role != Role.WERKGEVER:
        employer = None
    if role != Role.DEELNEMER:
        participant = None
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        academy=academy,
        role=role,
        employer=employer,
        participant=participant,
        token_hash=_hash(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    # A young person gets the invitation in plain words.
    template = (
        "accounts/email/invitation_deelnemer.txt"
        if role == Role.DEELNEMER
        else "accounts/email/invitation.txt"
    )
    existing_account = user_for_email(email) is not None
    body = render_to_string(
        template, {"invitation": invitation, "link": link, "existing_account": existing_account}
    )
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to MaatwerQ"), body, settings.DEFAULT_FROM_EMAIL, [invitation.email]
        )
    )
    sensitive = role in SENSITIVE_ROLES
    if sensitive:
        _notify_grant(invitation, by=by)
    audit_log(
        actor=by,
        action="create",
        obj=invitation,
        academy=academy,
        detail={"event": "role_granted" if sensitive else "invited", "role": role},
    )
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


def _locked_open(token: str) -> Invitation:
    invitation = invitation_for_token(token)
    # Lock the row so two simultaneous submits cannot both use it.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    return invitation


def _grant(invitation: Invitation, user: User) -> None:
    if invitation.invited_by_id == user.pk:
        raise ValidationError(_("You cannot give yourself a role. Ask another administrator."))
    Membership.objects.get_or_create(
        user=user,
        academy=invitation.academy,
        role=invitation.role,
        defaults={"employer": invitation.employer},
    )
    # The deelnemer's login is linked to their record by the portal (maatwerq.accounts.hooks).
    invitation_accepted_run(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_log(
        actor=user,
        action="update",
        obj=invitation,
        academy=invitation.academy,
        detail={"event": "invitation_accepted", "role": invitation.role},
    )


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Accept an invitation to an address that has no account yet: create the user with the
    password chosen, give the membership. Nobody is logged in: the new user logs in through the
    ordinary login next.

    Refuses when the address already belongs to an account (that account accepts with
    ``invitation_accept_as``, logged in), so a password typed here is never ignored.

    Side effects: creates the User with the address confirmed (the link reached that mailbox)
    and drops other accounts' unconfirmed requests to change to it, creates the Membership,
    marks the invitation used (a second use fails), writes an audit event. For the role
    deelnemer, links the login to the participant's record or a guardian's access (portal).
    """
    invitation = _locked_open(token)
    if user_for_email(invitation.email) is not None:
        raise ValidationError(
            _("There is already an account for this address. Log in to accept the invitation.")
        )
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    EmailAddress.objects.filter(email__iexact=invitation.email, verified=False).delete()
    login_address_confirm(user)
    _grant(invitation, user)
    return user


@transaction.atomic
def invitation_accept_as(*, token: str, user: User) -> Invitation:
    """Accept an invitation with the logged-in account that owns its address.

    Refuses another account (the link alone never proves who you are) and the inviter
    themselves (nobody grants a role to themselves).

    Side effects: creates the Membership, marks the invitation used, writes an audit event; for
    the role deelnemer, links the login as ``invitation_accept`` does.
    """
    invitation = _locked_open(token)
    if user_for_email(invitation.email) != user:
        raise ValidationError(
            _("This invitation is for another account. Log out and log in as %(email)s.")
            % {"email": invitation.email}
        )
    _grant(invitation, user)
    return invitation
