"""Request middleware: keep a session alive while it is used, set the acting membership,
require MFA for the roles that need it, and wipe what the browser kept at logout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .access import activate_from_session

# Paths a user without MFA may still reach: the account pages (to set MFA up or log out),
# static files and the language switch.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")

ADMIN_PREFIX = "/admin/"

SESSION_TOUCHED_KEY = "_touched_at"


class SessionActivityMiddleware:
    """A session ends settings.SESSION_COOKIE_AGE after its last use. Rather than writing the
    session row on every request (SESSION_SAVE_EVERY_REQUEST), it is written again once it is
    settings.SESSION_TOUCH_SECONDS old, which renews its expiry in the database and the cookie:
    an idle session still ends within that margin of the hour, and a busy page costs no
    write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(auth.SESSION_KEY):  # logged in; an anonymous session is left alone
            now = int(time.time())
            touched = session.get(SESSION_TOUCHED_KEY)
            if not isinstance(touched, int) or now - touched >= settings.SESSION_TOUCH_SECONDS:
                session[SESSION_TOUCHED_KEY] = now
        return self.get_response(request)


def session_touch_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: a new session starts as touched now."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_TOUCHED_KEY] = int(time.time())


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.membership = activate_from_session(request)
        else:
            request.membership = None
        return self.get_response(request)


class ClearSiteDataMiddleware:
    """Logging out wipes everything the browser kept of this site: the pages a coach's phone
    keeps for working without signal (leerroutes/sw.js), its queue (the logout page asked
    first, static/js/offline.js) and the service worker. A role switch wipes the caches; the
    page empties the kept pages itself, since not every browser counts them as "cache"."""

    WIPES = {
        "account_logout": '"cache", "storage"',
        "accounts:membership_switch": '"cache"',
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if request.method == "POST" and match is not None and response.status_code < 400:
            wipe = self.WIPES.get(match.view_name)
            if wipe is not None:
                response["Clear-Site-Data"] = wipe
        return response


def user_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMfaMiddleware:
    """Sends the roles of settings.MFA_REQUIRED_ROLES, and admin staff where
    settings.ADMIN_MFA_REQUIRED, to the MFA set-up before any page other than the account
    pages, so no participant data is shown first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_mfa(request) and not user_has_mfa(request.user):
            messages.warning(
                request,
                _("Your role requires two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request) -> bool:
        if request.path.startswith(MFA_EXEMPT_PREFIXES):
            return False
        membership = getattr(request, "membership", None)
        if membership is not None and membership.role in settings.MFA_REQUIRED_ROLES:
            return True
        # The Django admin reads everything (a BSN too): its staff need a second factor.
        return (
            settings.ADMIN_MFA_REQUIRED
            and request.path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and request.user.is_staff
        )
