from django.contrib import admin

from .models import ForecastSettings, ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Read-only: runs change through reporting.services only (and files are not linked)."""

    list_display = ["created", "kind", "requested_by", "academy", "role", "status", "progress"]
    list_filter = ["status", "kind"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ForecastSettings)
class ForecastSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "staff_per_ten_after_trial"]
    list_select_related = ["programme"]
