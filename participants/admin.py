from django.contrib import admin

from maatwerq.audit.admin import AuditedReadsAdmin

from .models import Cohort, Participant


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "start_date", "planned_size", "duration_half_years"]
    list_filter = ["programme"]


@admin.register(Participant)
class ParticipantAdmin(AuditedReadsAdmin):
    list_display = ["last_name", "first_name", "academy", "current_route", "coach"]
    list_filter = ["academy"]
    search_fields = ["last_name", "first_name"]
    list_select_related = [
        "academy",
        "coach",
        "current_route__programme",
        "current_route__participant",
    ]
