from django.contrib import admin

from maatwerq.audit.admin import AuditedReadsAdmin

from .models import (
    Commitment,
    Employer,
    EmployerContact,
    EmployerLocation,
    Placement,
    PlacementArrangement,
    Vacancy,
)


class LocationInline(admin.TabularInline):
    model = EmployerLocation
    extra = 0


class ContactInline(admin.TabularInline):
    model = EmployerContact
    extra = 0
    raw_id_fields = ["user"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "academy", "kvk_number", "sbb_valid_until"]
    list_filter = ["academy"]
    search_fields = ["name", "kvk_number"]
    inlines = [LocationInline, ContactInline, CommitmentInline]


class ArrangementInline(admin.TabularInline):
    model = PlacementArrangement
    extra = 0


@admin.register(Placement)
class PlacementAdmin(AuditedReadsAdmin):
    participant_field = "participant_id"
    list_display = ["participant", "employer", "kind", "start_date", "end_date"]
    list_filter = ["kind", "employer"]
    raw_id_fields = ["participant", "created_by"]
    readonly_fields = ["public_id"]  # the id in the placement's URLs
    inlines = [ArrangementInline]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["function", "employer", "programme", "starts_on", "places", "is_open"]
    list_filter = ["is_open", "programme"]
