"""Logins in the audit log: success, failure, rate-limited, and the second factor.

These hang on allauth's and Django's signals, the plug-in points those libraries offer (a
signal is the only way in without copying their views):
- allauth's ``user_logged_in``: a completed login (after the second factor, when there is one;
  not Django's signal, which ``force_login`` in tests and the admin also send);
- Django's ``user_login_failed``: a wrong password (allauth authenticates through Django);
- allauth MFA's ``authenticator_used`` and ``authentication_failed``: a code right or wrong;
- a rate-limited attempt is written by the account adapter (``pre_authenticate``) and by the
  429 handler (``config.urls.handler429``), which call ``login_rate_limited`` below.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records

from .services import audit_login


def _login_typed(credentials: dict) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


def _account_for(login: str):
    """The account a typed login belongs to, as logging in resolves it (a confirmed second
    address too). Imported here: accounts' services write audit events themselves."""
    from maatwerq.accounts.services import user_for_email

    return user_for_email(login) if login else None


def on_logged_in(sender, request, user, **kwargs) -> None:
    methods = get_authentication_records(request, user) if request else []
    method = methods[-1].get("method", "") if methods else ""
    audit_login(user=user, succeeded=True, request=request, detail={"method": method})


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    login = _login_typed(credentials)
    audit_login(
        user=_account_for(login),
        email=login,
        succeeded=False,
        request=request,
        detail={"method": "password", "reason": "password"},
    )


def on_mfa_used(sender, request, user, authenticator, **kwargs) -> None:
    audit_login(
        user=user,
        succeeded=True,
        request=request,
        detail={
            "method": "mfa",
            "type": str(authenticator.type),
            "reauthenticated": bool(kwargs.get("reauthenticated")),
        },
    )


def on_mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    audit_login(
        user=user,
        succeeded=False,
        request=request,
        detail={
            "method": "mfa",
            "reason": "mfa",
            "type": str(authenticator.type),
            "reauthenticated": bool(kwargs.get("reauthentication")),
        },
    )


def login_rate_limited(request, login: str = "") -> None:
    """An attempt refused by a rate limit, before any password was checked."""
    audit_login(
        user=_account_for(login),
        email=login,
        succeeded=False,
        request=request,
        detail={"reason": "rate_limited"},
    )


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.mfa.signals import authentication_failed, authenticator_used
    from django.contrib.auth.signals import user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="audit_logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    authenticator_used.connect(on_mfa_used, dispatch_uid="audit_mfa_used")
    authentication_failed.connect(on_mfa_failed, dispatch_uid="audit_mfa_failed")


def rate_limited_response(request):
    """allauth's 429 page; first one LOGIN_FAILED event when the refused request was a login
    (the per-address limit on the login page itself; failed passwords are counted in the
    adapter)."""
    from allauth.core.internal.ratelimit import handler429
    from django.urls import reverse

    if request.method == "POST" and request.path == reverse("account_login"):
        login_rate_limited(request, str(request.POST.get("login", ""))[:254])
    return handler429(request)
