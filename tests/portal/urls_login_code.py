"""The project's URLconf plus allauth's "send me a sign-in code" page, which allauth adds only
when ACCOUNT_LOGIN_BY_CODE_ENABLED is set at import time (the lead turns it on in settings)."""

from allauth.account import views as allauth_views
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path(
        "accounts/login/code/",
        allauth_views.request_login_code,
        name="account_request_login_code",
    ),
    *project_urlpatterns,
]
