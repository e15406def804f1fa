from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("beheer/gebruikers/", views.member_list, name="member_list"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("rol/", views.membership_switch, name="membership_switch"),
]
