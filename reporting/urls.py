from django.urls import path  # noqa: F401 - patterns arrive with the reporting issue

app_name = "reporting"
urlpatterns: list = []
