from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("beheer/gebruikers/", views.member_list, name="member_list"),
    path("beheer/rollen/<int:pk>/", views.membership_change, name="membership_change"),
    path("beheer/rollen/<int:pk>/verwijderen/", views.membership_remove, name="membership_remove"),
    path("beheer/gebruikers/<int:pk>/deactiveren/", views.user_deactivate, name="user_deactivate"),
    path(
        "beheer/gebruikers/<int:pk>/heractiveren/",
        views.user_reactivate,
        name="user_reactivate",
    ),
    path(
        "beheer/uitnodigingen/<int:pk>/opnieuw/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "beheer/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("rol/", views.membership_switch, name="membership_switch"),
]
