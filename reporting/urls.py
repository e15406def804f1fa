from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("prognose/", views.forecast, name="forecast"),
    path("prognose/excel/", views.forecast_export, name="forecast_export"),
    path("prognose/planner/", views.planner, name="planner"),
    path("prognose/planner/tabel/", views.planner_table, name="planner_table"),
    path("exports/", views.run_list, name="run_list"),
    path("exports/<uuid:pk>/", views.run_detail, name="run_detail"),
    path("exports/<uuid:pk>/status/", views.run_status, name="run_status"),
    path("exports/<uuid:pk>/download/", views.run_download, name="run_download"),
]
