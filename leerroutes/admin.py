"""Configuration the academy keeps itself: its life domains and each programme's phases.
Route data is edited through the app's own pages (with their access rules), not here."""

from django.contrib import admin

from .models import LifeDomain, Phase


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "academy", "order", "is_active"]
    list_filter = ["academy", "is_active"]
    ordering = ["academy", "order"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "order"]
    list_filter = ["programme"]
    ordering = ["programme", "order"]
