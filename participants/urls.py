from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("<uuid:pk>/", views.participant_detail, name="participant_detail"),
]
