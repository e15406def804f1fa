"""An append-only log of who read, changed or exported which participant data, and when.

Shaped after NEN 7513 (logging of access to care records): the user and the role they acted
in, the organisation, the person whose data it was, the kind of action, the object, the moment
and the source address. Rows are never updated or deleted by the application; on PostgreSQL a
trigger refuses UPDATE and DELETE as well (see migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Events keep the model label they were written with; these models have been renamed since.
RENAMED_MODELS = {"participants.Traject": "participants.Route"}


class Action(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_fail", _("Login failed")
    # A participant's URL answered 403 (visible, not allowed) or 404 (outside scope or gone).
    REFUSED = "refused", _("Refused")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only")

    def delete(self):
        raise TypeError("Audit events are append-only")


class AppendOnly:
    """The models' own invariant, not a side effect: a row is written once, never rewritten
    or deleted (on PostgreSQL a trigger refuses it too, migrations 0002 and 0003)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Audit events are append-only")


class AuditEvent(AppendOnly, models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_email = models.EmailField(_("who (email)"), blank=True)
    acting_role = models.CharField(_("acting role"), max_length=20, blank=True)
    academy = models.ForeignKey(
        "accounts.Academy",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("academy"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["academy", "-at"], name="audit_academy_at"),
            models.Index(fields=["participant", "-at"], name="audit_participant_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_type}"

    @property
    def object_label(self) -> str:
        """What the event is about as a reader says it ("Deelnemer", "Route"): the model's
        verbose name, in the active language. Labels of models renamed since the event was
        written are mapped to today's model; an unknown label is shown as it was stored."""
        label = RENAMED_MODELS.get(self.object_type, self.object_type)
        if not label:
            return ""
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return self.object_type
        return capfirst(str(model._meta.verbose_name))


class AuditEventParticipant(AppendOnly, models.Model):
    """One young person named by a list or export event (the event's ``participant`` is
    empty: it is about several). The ids are in the event's ``detail`` too, as the log shows
    them; these rows are that list's index, so a young person's "who opened my record" finds
    the lists and exports they were in with a plain b-tree look-up. A jsonb containment query
    on ``detail`` with a GIN index would do on PostgreSQL, but the demo runs on SQLite, where
    Django has no ``contains`` for JSON: one small table behaves the same on both. Append-only
    like the events (the same trigger on PostgreSQL, migration 0003)."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="listed", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant in a list or export")
        verbose_name_plural = _("participants in lists and exports")
        constraints = [
            models.UniqueConstraint(fields=["event", "participant"], name="audit_listed_once")
        ]
        indexes = [models.Index(fields=["participant", "event"], name="audit_listed_participant")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.participant_id}"
