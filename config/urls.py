from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from home import views as home_views
from leerroutes import views as leerroutes_views
from maatwerq.accounts import views as account_views

urlpatterns = [
    path("", home_views.home, name="home"),
    # At the root: a service worker controls only the pages under its own URL's folder.
    path("sw.js", leerroutes_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", leerroutes_views.web_manifest, name="web_manifest"),
    # Before allauth's own: its email page, with "make primary" shut (views.ConfirmedEmailView).
    path("accounts/email/", account_views.email_manage, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("", include("maatwerq.accounts.urls")),
    path("audit/", include("maatwerq.audit.urls")),
    path("deelnemers/", include("participants.urls")),
    path("leerroutes/", include("leerroutes.urls")),
    path("rapportage/", include("reporting.urls")),
    path("", include("employers.urls")),  # /werkgevers/ (staff) and /werkgever/ (portal)
    path("mijn-route/", include("portal.urls")),  # the participant's own view
    path("agenda/", include("home.urls")),  # the week's agenda, its calendar feed
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.ADMIN_ENABLED:
    # The admin logs in through allauth's login (its rate limits and second factor), never
    # through its own form; staff without a second factor are sent to set one up where
    # settings.ADMIN_MFA_REQUIRED (accounts.middleware.RequireMfaMiddleware).
    admin.site.login = secure_admin_login(admin.site.login)
    urlpatterns.append(path("admin/", admin.site.urls))


def handler429(request):
    """allauth answers a rate-limited request with this (``ROOT_URLCONF.handler429``): its own
    page, after an audit event when a login was refused."""
    from maatwerq.audit.logins import rate_limited_response

    return rate_limited_response(request)
