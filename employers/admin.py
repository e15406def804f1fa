from django.contrib import admin

from .models import Employer, Placement


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "academy"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["participant", "employer", "start_date", "end_date"]
