from django.urls import path  # noqa: F401 - patterns arrive with the leerroutes issue

app_name = "leerroutes"
urlpatterns: list = []
