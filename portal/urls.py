"""The participant portal under /mijn-route/, and the staff's invitation pages under
/mijn-route/team/ (mounted in config/urls.py)."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("doelen/", views.goals, name="goals"),
    path("doelen/<int:goal_pk>/reflectie/", views.goal_reflect, name="goal_reflect"),
    path("gesprekken/", views.evaluations, name="evaluations"),
    path(
        "gesprekken/<int:evaluation_pk>/reflectie/",
        views.evaluation_reflect,
        name="evaluation_reflect",
    ),
    path("resultaten/", views.results, name="results"),
    path("gevoel/", views.wellbeing, name="wellbeing"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/toestemming/", views.consent_give, name="consent_give"),
    path(
        "privacy/vraag/<int:request_pk>/",
        views.consent_request_answer,
        name="consent_request_answer",
    ),
    path(
        "privacy/toestemming/<int:consent_pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("privacy/ouder/<int:access_pk>/stoppen/", views.guardian_stop, name="guardian_stop"),
    path("dossier/", views.dossier, name="dossier"),
    path("dossier/<uuid:run_pk>/", views.dossier_status, name="dossier_status"),
    # Staff: invite the participant (the button on the participant page) and a guardian.
    path("team/<uuid:pk>/uitnodigen/", views.participant_invite, name="participant_invite"),
    path("team/<uuid:pk>/ouders/", views.guardian_access, name="guardian_access"),
    path(
        "team/<uuid:pk>/ouders/<int:access_pk>/intrekken/",
        views.guardian_access_revoke,
        name="guardian_access_revoke",
    ),
]
