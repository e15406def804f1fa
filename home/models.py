"""The user's own day: the secret address of their calendar feed and whether they get the
daily digest. Nothing here holds data about a young person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A secret address for one membership's agenda as an iCalendar feed, for the phone's own
    calendar. Only a hash of the token is stored (as for invitations); the address is shown
    once, when it is made. Revoking keeps the row (who made it, when it stopped); making a
    new one revokes the old. The feed shows the membership's scope on the day it is read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("membership"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_open_per_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} feed {self.pk}"


class DigestSetting(models.Model):
    """A user's choice about the daily digest email. Without a row the digest is sent: it is
    opt-out, per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_setting",
        verbose_name=_("user"),
    )
    receive = models.BooleanField(_("receive the daily digest"), default=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("digest setting")
        verbose_name_plural = _("digest settings")

    def __str__(self) -> str:
        return f"{self.user_id} digest {'on' if self.receive else 'off'}"
