from django.contrib import admin
from django.contrib.admin.utils import unquote

from .models import Action, AuditEvent
from .services import PathOnly, audit_log, audit_log_list


class AuditedReadsAdmin(admin.ModelAdmin):
    """A ModelAdmin of participant data whose reads are in the audit log like the app's own:
    a change page (it shows the BSN) writes one READ naming the participant, a change list
    one READ naming everyone on the page (AuditEventParticipant rows). ``participant_field``
    is the path to the participant (``"pk"`` for the participant itself)."""

    participant_field = "pk"

    def _participant_id(self, obj):
        return obj.pk if self.participant_field == "pk" else getattr(obj, self.participant_field)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            audit_log(
                actor=request.user,
                action=Action.READ,
                obj=obj,
                request=PathOnly(request),  # its back link carries the list's search
                detail={"via": "admin"},
            )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist is not None:
            audit_log_list(
                actor=request.user,
                action=Action.READ,
                participant_ids=[self._participant_id(o) for o in changelist.result_list],
                request=PathOnly(request),  # not the search: it may be a name
                detail={"via": "admin", "what": self.model._meta.label},
            )
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin shows the log but cannot add, change or delete events."""

    list_display = ["at", "actor_email", "acting_role", "action", "object_type", "participant"]
    list_filter = ["action", "acting_role"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
