"""State changes for accounts: inviting people, accepting invitations, and the beheerder's
changes to users, roles and invitations (deactivate, change or remove a role, resend or
revoke an invitation).

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


def _send_invitation(invitation: Invitation, token: str, base_url: str) -> None:
    """The invitation email with its link, sent after commit."""
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    # A young person gets the invitation in plain words.
    template = (
        "accounts/email/invitation_deelnemer.txt"
        if invitation.role == Role.DEELNEMER
        else "accounts/email/invitation.txt"
    )
    existing_account = user_for_email(invitation.email) is not None
    body = render_to_string(
        template, {"invitation": invitation, "link": link, "existing_account": existing_account}
    )
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation to MaatwerQ"), body, settings.DEFAULT_FROM_EMAIL, [invitation.email]
        )
    )


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
    _send_invitation(invitation, token, base_url)
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
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation has been revoked. Ask the administrator for a new one.")
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


# --- the user lifecycle: the beheerder's changes (issue 17 item 5) -------------------------
#
# A beheerder acts in their own academy only (the selectors scope the objects). Nobody changes
# their own memberships or account here (a demotion or deactivation of oneself would also be a
# way around "nobody grants a role unseen"), and an academy keeps at least one active
# beheerder. A role is granted by invitation only: raising someone to regisseur, beheerder or
# landelijk goes through invitation_create, which tells the other beheerders and is listed
# on their start page ("Trust first"); a role change here is among the other roles.

# Roles a beheerder may change a membership to and from here.
CHANGEABLE_ROLES = frozenset({Role.COACH, Role.PROJECTLEIDER, Role.WERKGEVER})


def _refuse_own(target: User, by: User, message: str) -> None:
    if target.pk == by.pk:
        raise ValidationError(message)


def _active_beheerders(academy: Academy) -> QuerySet[Membership]:
    return Membership.objects.filter(
        academy=academy, role=Role.BEHEERDER, is_active=True, user__is_active=True
    )


def _refuse_last_beheerder(memberships: QuerySet[Membership]) -> None:
    """Refuse when the memberships to end hold every active beheerder role of their academy."""
    for membership in memberships.filter(role=Role.BEHEERDER, is_active=True):
        if not _active_beheerders(membership.academy).exclude(pk=membership.pk).exists():
            raise ValidationError(
                _("This is the academy's last administrator. Invite another one first.")
            )


def sessions_end(user: User) -> int:
    """End every session of a user at once: their rows are deleted, so their next request
    meets the login page. Sessions live an hour after their last use (SESSION_COOKIE_AGE),
    so the rows not yet expired are few; each is decoded to find the user's.
    Side effects: deletes Session rows. Returns how many."""
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    mine = [
        row.session_key
        for row in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(store().decode(row.session_data).get(SESSION_KEY)) == str(user.pk)
    ]
    model.objects.filter(session_key__in=mine).delete()
    return len(mine)


@transaction.atomic
def user_deactivate(*, user: User, academy: Academy, by: User) -> int:
    """Deactivate a user in an academy: their memberships there end, and when they hold no
    active membership anywhere else their account is made inactive (it can no longer log in).
    Their sessions end at once. Refuses oneself and the academy's last beheerder.
    Side effects: updates Memberships (and the User), deletes the user's Session rows, one
    UPDATE audit event (detail.event "user_deactivated"). Returns the sessions ended."""
    _refuse_own(user, by, _("You cannot deactivate yourself. Ask another administrator."))
    here = Membership.objects.select_for_update().filter(user=user, academy=academy)
    _refuse_last_beheerder(here)
    ended = list(here.filter(is_active=True).values_list("role", flat=True))
    here.update(is_active=False)
    account_closed = not Membership.objects.filter(user=user, is_active=True).exists()
    if account_closed and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sessions = sessions_end(user)
    audit_log(
        actor=by,
        action="update",
        obj=user,
        academy=academy,
        detail={
            "event": "user_deactivated",
            "roles": sorted(ended),
            "account_closed": account_closed,
            "sessions_ended": sessions,
        },
    )
    return sessions


def _account_closed_here(user: User, academy: Academy) -> bool:
    """Whether this academy's latest deactivation of the user closed the account (their last
    active roles ended there). An account closed another way (a superuser's lock in the admin
    after a takeover, say) is not reopened by an academy's beheerder."""
    from maatwerq.audit.models import AuditEvent

    latest = (
        AuditEvent.objects.filter(
            object_type=user._meta.label,
            object_id=str(user.pk),
            academy=academy,
            detail__event="user_deactivated",
        )
        .order_by("-at", "-pk")
        .values_list("detail", flat=True)
        .first()
    )
    return bool(latest and latest.get("account_closed"))


@transaction.atomic
def user_reactivate(*, user: User, academy: Academy, by: User) -> list[str]:
    """Undo a deactivation in an academy: the user's memberships there that were ended are
    active again, and the account can log in again when that deactivation closed it (not
    when it was closed another way). Sessions ended by the deactivation stay
    ended (the person logs in afresh). A role removed (deleted) is not brought back.
    Side effects: updates Memberships (and the User), one UPDATE audit event (detail.event
    "user_reactivated", the roles). Returns the roles made active again."""
    _refuse_own(user, by, _("You cannot reactivate yourself. Ask another administrator."))
    here = Membership.objects.select_for_update().filter(
        user=user, academy=academy, is_active=False
    )
    roles = sorted(here.values_list("role", flat=True))
    if not roles:
        raise ValidationError(_("This person is not deactivated here."))
    here.update(is_active=True)
    if not user.is_active and _account_closed_here(user, academy):
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_log(
        actor=by,
        action="update",
        obj=user,
        academy=academy,
        detail={"event": "user_reactivated", "roles": roles},
    )
    return roles


@transaction.atomic
def membership_role_change(
    *, membership: Membership, role: str, employer: Any = None, by: User
) -> Membership:
    """Change a membership's role (and, for werkgever, its employer) among CHANGEABLE_ROLES.
    Raising someone to regisseur, beheerder or landelijk is an invitation (invitation_create:
    told to the other beheerders, listed on their start page). Refuses one's own membership
    and the academy's last beheerder.
    Side effects: updates the Membership; one UPDATE audit event (detail.event
    "role_changed", from and to)."""
    _refuse_own(
        membership.user, by, _("You cannot change your own role. Ask another administrator.")
    )
    if role not in CHANGEABLE_ROLES:
        raise ValidationError(
            {"role": _("Give this role by invitation: the other administrators are told of it.")}
        )
    if membership.role == Role.DEELNEMER:
        raise ValidationError(_("A participant's own login keeps its role."))
    if role == Role.WERKGEVER and employer is None:
        raise ValidationError({"employer": _("Choose the employer this person works for.")})
    if role != Role.WERKGEVER:
        employer = None
    if employer is not None and employer.academy_id != membership.academy_id:
        raise ValidationError({"employer": _("Choose an employer of this academy.")})
    _refuse_last_beheerder(Membership.objects.filter(pk=membership.pk))
    if (
        Membership.objects.filter(user=membership.user, academy=membership.academy, role=role)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": _("This person already has this role here.")})
    before = membership.role
    membership.role = role
    membership.employer = employer
    membership.save(update_fields=["role", "employer"])
    audit_log(
        actor=by,
        action="update",
        obj=membership,
        academy=membership.academy,
        detail={"event": "role_changed", "from": before, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take a role away: the membership is deleted (the audit keeps it). The person's next
    request no longer acts in it. Refuses one's own and the academy's last beheerder.
    Side effects: deletes the Membership; one DELETE audit event (detail.event
    "role_removed")."""
    _refuse_own(
        membership.user, by, _("You cannot remove your own role. Ask another administrator.")
    )
    _refuse_last_beheerder(Membership.objects.filter(pk=membership.pk))
    audit_log(
        actor=by,
        action="delete",
        obj=membership,
        academy=membership.academy,
        detail={"event": "role_removed", "role": membership.role, "user": membership.user_id},
    )
    membership.delete()


def _open_for_change(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if locked.revoked_at is not None:
        raise ValidationError(_("This invitation has been revoked."))
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User, base_url: str) -> Invitation:
    """Send an open invitation again with a new link (the old one stops working: only a hash
    is stored, so the old link cannot be sent twice) and a new expiry.
    Side effects: updates the Invitation's token hash and expiry, sends the email after
    commit, one UPDATE audit event (detail.event "invitation_resent")."""
    invitation = _open_for_change(invitation)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _send_invitation(invitation, token, base_url)
    audit_log(
        actor=by,
        action="update",
        obj=invitation,
        academy=invitation.academy,
        detail={"event": "invitation_resent", "role": invitation.role},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Take an open invitation back: its link no longer works.
    Side effects: sets revoked_at; one UPDATE audit event (detail.event
    "invitation_revoked")."""
    invitation = _open_for_change(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_log(
        actor=by,
        action="update",
        obj=invitation,
        academy=invitation.academy,
        detail={"event": "invitation_revoked", "role": invitation.role},
    )
    return invitation
