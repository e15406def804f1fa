from django.contrib import admin

from .models import AuditEvent


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
