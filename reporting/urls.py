from django.urls import path

from . import views
from .dashboard import views as dashboard_views
from .dossier import views as dossier_views
from .funders import views as funders_views
from .results import views as results_views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("prognose/", views.forecast, name="forecast"),
    path("prognose/excel/", views.forecast_export, name="forecast_export"),
    path("prognose/<int:pk>/bezetting/", views.forecast_staff, name="forecast_staff"),
    path("prognose/planner/", views.planner, name="planner"),
    path("prognose/planner/tabel/", views.planner_table, name="planner_table"),
    path("exports/", views.run_list, name="run_list"),
    path("exports/<uuid:pk>/", views.run_detail, name="run_detail"),
    path("exports/<uuid:pk>/status/", views.run_status, name="run_status"),
    path("exports/<uuid:pk>/download/", views.run_download, name="run_download"),
    # The cohort dashboard, its exports, the funder list and the national view.
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/namen/", dashboard_views.dashboard_names, name="dashboard_names"),
    path("dashboard/excel/", dashboard_views.dashboard_export, name="dashboard_export"),
    path(
        "dashboard/groep/<int:pk>/excel/",
        dashboard_views.cohort_participants_export,
        name="cohort_participants_export",
    ),
    path("financier/", dashboard_views.funder_list, name="funder_list"),
    path("financier/excel/", dashboard_views.funder_export, name="funder_export"),
    path("landelijk/", dashboard_views.national, name="national"),
    # End of the cohort dashboard.
    # Results for funders and academies (reporting.results).
    path("resultaten/", results_views.results, name="results"),
    path("esf/", results_views.esf_report, name="esf_report"),
    path("resultaatlijnen/", results_views.result_lines_page, name="result_lines"),
    path("vergelijking/", results_views.comparison, name="comparison"),
    path(
        "landelijk/vergelijking/",
        results_views.national_comparison,
        name="national_comparison",
    ),
    path(
        "esf/<uuid:pk>/traject/<uuid:route>/",
        results_views.esf_record_edit,
        name="esf_record_edit",
    ),
    # End of the results.
    # Reports for funders (reporting.funders).
    path("financiers/", funders_views.funder_reports, name="funder_reports"),
    path("financiers/maken/", funders_views.funder_report_request, name="funder_report_request"),
    path(
        "financiers/maken/bsn/",
        funders_views.funder_report_request_personal,
        name="funder_report_request_personal",
    ),
    # End of the reports for funders.
    # The progress dossier (reporting.dossier).
    path(
        "dossier/<uuid:pk>/<slug:variant>/",
        dossier_views.dossier_request,
        name="dossier_request",
    ),
    path("dossier/groepen/", dossier_views.cohort_dossiers, name="cohort_dossiers"),
    path(
        "dossier/groepen/<int:pk>/zip/",
        dossier_views.cohort_dossiers_request,
        name="cohort_dossiers_request",
    ),
    # End of the progress dossier.
]
