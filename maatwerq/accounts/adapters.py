from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Membership


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join by an invitation from a beheerder. Roles that need a
    second factor (settings.MFA_REQUIRED_ROLES) log in with their password, never by a code
    sent by email: the code would stand in for the password rather than add a factor."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        if _logged_in_by_code(request, user) and _holds_mfa_role(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(
                request,
                _("Your role logs in with a password and a second factor, not with a code."),
            )
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth refuses a login here once an address has too many failed attempts (before
        any password is checked, so Django's user_login_failed is not sent): audit it."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from maatwerq.audit.logins import login_rate_limited

            login_rate_limited(request, str(credentials.get("email", ""))[:254])
            raise


def _logged_in_by_code(request, user) -> bool:
    records = get_authentication_records(request, user)
    return bool(records) and records[-1].get("method") == "code"


def _holds_mfa_role(user) -> bool:
    return Membership.objects.filter(
        user=user, is_active=True, role__in=settings.MFA_REQUIRED_ROLES
    ).exists()
