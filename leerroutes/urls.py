from django.urls import path

from . import views

app_name = "leerroutes"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("<uuid:pk>/", views.route_overview, name="route_overview"),
    path("<uuid:pk>/analysis/", views.analysis, name="analysis"),
    path("<uuid:pk>/analysis/new/", views.analysis_new, name="analysis_new"),
    path("<uuid:pk>/arrangement/", views.arrangement, name="arrangement"),
    path("<uuid:pk>/arrangement/new/", views.arrangement_new, name="arrangement_new"),
    path("<uuid:pk>/plan/", views.plan, name="plan"),
    path("<uuid:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("<uuid:pk>/plan/<int:number>/changes/", views.plan_changes, name="plan_changes"),
    path("<uuid:pk>/plan/<int:number>/sign-off/", views.plan_sign_off, name="plan_sign_off"),
    path("<uuid:pk>/plan/<int:number>/agreement/", views.plan_agree, name="plan_agree"),
    path("<uuid:pk>/goals/<int:goal_pk>/", views.goal_status, name="goal_status"),
    path("<uuid:pk>/goals/<int:goal_pk>/send/", views.goal_status_send, name="goal_status_send"),
    path("<uuid:pk>/log/", views.progress_log, name="progress_log"),
    path("<uuid:pk>/log/send/", views.progress_entry_send, name="progress_entry_send"),
    path("<uuid:pk>/evaluations/", views.evaluations, name="evaluations"),
    path("<uuid:pk>/evaluations/new/", views.evaluation_new, name="evaluation_new"),
    path("<uuid:pk>/results/", views.results, name="results"),
    path("<uuid:pk>/results/assessment/", views.assessment_new, name="assessment_new"),
    path("<uuid:pk>/results/roc/", views.roc_result_new, name="roc_result_new"),
    path("<uuid:pk>/certificates/", views.certificates, name="certificates"),
    path("<uuid:pk>/certificates/new/", views.certificate_new, name="certificate_new"),
    path(
        "<uuid:pk>/certificates/<int:certificate_pk>/evidence/",
        views.certificate_evidence,
        name="certificate_evidence",
    ),
    path("<uuid:pk>/hours/", views.hours, name="hours"),
    path("<uuid:pk>/handelingswijzer/", views.handelingswijzer, name="handelingswijzer"),
]
