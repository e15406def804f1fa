"""Two areas, one namespace: the staff screens under /werkgevers/ and the employer's workplace pages
under /werkgever/ (mounted at the root in config/urls.py)."""

from django.urls import include, path

from . import views

app_name = "employers"

staff_patterns = [
    path("", views.employer_list, name="employer_list"),
    path("nieuw/", views.employer_create, name="employer_create"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<int:pk>/wijzigen/", views.employer_edit, name="employer_edit"),
    path("<int:pk>/locaties/nieuw/", views.location_add, name="location_add"),
    path("<int:pk>/contactpersonen/nieuw/", views.contact_add, name="contact_add"),
    path("<int:pk>/deelname/", views.commitment_add, name="commitment_add"),
    path("<int:pk>/vacatures/nieuw/", views.vacancy_add, name="vacancy_add"),
    path("<int:pk>/sroi/", views.sroi, name="sroi"),
    path("<int:pk>/sroi/export/", views.sroi_export, name="sroi_export"),
    path("vacatures/<int:pk>/kandidaten/", views.vacancy_candidates, name="vacancy_candidates"),
    path(
        "vacatures/<int:pk>/voorstellen/<uuid:participant_id>/",
        views.candidate_propose,
        name="candidate_propose",
    ),
    path(
        "kandidaten/<uuid:candidate_id>/proefplaatsing/",
        views.candidate_trial_start,
        name="candidate_trial_start",
    ),
    path("plaatsingen/", views.placement_list, name="placement_list"),
    path("plaatsingen/nieuw/", views.placement_create, name="placement_create"),
    # A placement by its public id (a uuid), never by its counting primary key.
    path("plaatsingen/<uuid:public_id>/", views.placement_detail, name="placement_detail"),
    path("plaatsingen/<uuid:public_id>/beeindigen/", views.placement_end, name="placement_end"),
    path(
        "plaatsingen/<uuid:public_id>/proeftijd/",
        views.placement_trial_pass,
        name="placement_trial_pass",
    ),
    path(
        "plaatsingen/<uuid:public_id>/regelingen/nieuw/",
        views.arrangement_add,
        name="arrangement_add",
    ),
    path("deelnemers/<uuid:pk>/", views.participant_placements, name="participant_placements"),
    path("aandacht/", views.watchlist, name="watchlist"),
]

workplace_patterns = [
    path("", views.workplace_home, name="workplace_home"),
    path("deelnemers/<uuid:pk>/", views.workplace_trainee, name="workplace_trainee"),
    path("deelnemers/<uuid:pk>/uren/", views.workplace_hours, name="workplace_hours"),
    path(
        "deelnemers/<uuid:pk>/beoordeling/", views.workplace_assessment, name="workplace_assessment"
    ),
    path("vacatures/", views.workplace_vacancies, name="workplace_vacancies"),
    path("vacatures/<int:pk>/", views.workplace_vacancy, name="workplace_vacancy"),
    path(
        "kandidaten/<uuid:candidate_id>/uitnodigen/",
        views.workplace_candidate_invite,
        name="workplace_candidate_invite",
    ),
    path(
        "kandidaten/<uuid:candidate_id>/besluit/",
        views.workplace_candidate_decide,
        name="workplace_candidate_decide",
    ),
    path("sroi/", views.workplace_sroi, name="workplace_sroi"),
    path("sroi/export/", views.workplace_sroi_export, name="workplace_sroi_export"),
]

urlpatterns = [
    path("werkgevers/", include(staff_patterns)),
    path("werkgever/", include(workplace_patterns)),
]
