"""Writes of the home app: the calendar feed's secret address and the daily digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerq.accounts.access import memberships_of, set_active_membership
from maatwerq.accounts.models import Membership, Role, User
from maatwerq.audit.models import Action
from maatwerq.audit.services import audit_log, audit_log_list

from .agenda import AGENDA_ROLES, AgendaEvent, agenda_for
from .models import CalendarFeed, DigestSetting
from .selectors import QueueSection, home_context


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, membership: Membership, by: User) -> str:
    """Make a new secret feed address for the acting membership and return its token (shown
    once; only its hash is kept). Side effects: revokes the membership's open feed, creates
    the CalendarFeed; one CREATE audit event."""
    if membership.user_id != by.pk:
        raise ValidationError(_("A calendar feed is made by its own user only."))
    if membership.role not in AGENDA_ROLES:
        raise ValidationError(_("This role has no agenda."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        feed = CalendarFeed.objects.create(
            user=by, membership=membership, token_hash=token_hash(token)
        )
        audit_log(actor=by, action=Action.CREATE, obj=feed, detail={"event": "calendar_feed"})
    return token


def calendar_feed_revoke(*, membership: Membership, by: User) -> int:
    """Stop the membership's feed address: a calendar reading it gets nothing from now on.
    Side effects: sets revoked_at; one UPDATE audit event when there was one."""
    with transaction.atomic():
        feed = (
            CalendarFeed.objects.select_for_update()
            .filter(membership=membership, user=by, revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            raise ValidationError(_("There is no calendar feed to stop."))
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_log(
            actor=by, action=Action.UPDATE, obj=feed, detail={"event": "calendar_feed_revoked"}
        )
    return 1


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The open feed of a token whose user and membership are still active; None otherwise."""
    return (
        CalendarFeed.objects.filter(
            token_hash=token_hash(token),
            revoked_at__isnull=True,
            user__is_active=True,
            membership__is_active=True,
        )
        .select_related("user", "membership__academy", "membership__employer")
        .first()
    )


def digest_setting_change(*, receive: bool, by: User) -> DigestSetting:
    """Turn the user's own daily digest on or off. Side effects: saves the DigestSetting; one
    UPDATE audit event."""
    with transaction.atomic():
        setting, _created = DigestSetting.objects.update_or_create(
            user=by, defaults={"receive": receive}
        )
        audit_log(
            actor=by,
            action=Action.UPDATE,
            obj=setting,
            detail={"event": "digest", "receive": receive},
        )
    return setting


# --- the daily digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestPart:
    """What one membership has today: its agenda events and its queue's non-empty cards."""

    membership: Membership
    events: list[AgendaEvent]
    queue: list[QueueSection]


def digest_parts(user: User, today: date) -> list[DigestPart]:
    """For each active membership of the user: today's agenda and the start page's queue,
    each computed in that membership's scope. The parts with nothing in them are left out."""
    parts = []
    for membership in memberships_of(user):
        set_active_membership(user, membership)
        events = agenda_for(user, today, today)
        queue = [s for s in home_context(user, membership)["queue"] if s.count]
        if events or queue:
            parts.append(DigestPart(membership, events, queue))
    set_active_membership(user, None)
    return parts


def digest_recipients() -> list[User]:
    """Active users with a membership in a role that has an agenda or a queue and who did not
    turn the digest off."""
    roles = AGENDA_ROLES | {Role.BEHEERDER}
    return list(
        User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=roles
        )
        .exclude(digest_setting__receive=False)
        .distinct()
        .order_by("pk")
    )


def digest_send(*, user: User, today: date | None = None) -> bool:
    """Email one user what falls due today (one email, all their memberships). Names in it are
    first name and initial only. Side effects: one email, nothing when nothing is due or the
    user turned the digest off. Returns whether an email went."""
    today = today or timezone.localdate()
    if DigestSetting.objects.filter(user=user, receive=False).exists() or not user.is_active:
        return False
    parts = digest_parts(user, today)
    if not parts:
        return False
    base = settings.MAATWERQ_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "today": today,
            "parts": parts,
            "home_url": base + reverse("home"),
            "settings_url": base + reverse("home:day_settings"),
        }
        subject = _("Your day at MaatwerQ, %(day)s") % {"day": date_format(today, "j F")}
        body = render_to_string("home/email/digest.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def digests_send(*, today: date | None = None) -> int:
    """The daily run: one digest per recipient; returns how many emails went."""
    return sum(digest_send(user=user, today=today) for user in digest_recipients())


def calendar_feed_read_log(*, feed: CalendarFeed, participant_ids: list[UUID]) -> None:
    """A calendar app read the feed: one READ event naming the young people in it, by the
    feed's user (the address is theirs). The path is left out: it holds the secret."""
    audit_log_list(
        actor=feed.user,
        action=Action.READ,
        participant_ids=participant_ids,
        obj=feed,
        detail={"page": "calendar_feed"},
    )
