from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("instellingen/", views.day_settings, name="day_settings"),
    # The secret address: only a hash of the token is stored (home.CalendarFeed).
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
