from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join by an invitation from a beheerder."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth refuses a login here once an address has too many failed attempts (before
        any password is checked, so Django's user_login_failed is not sent): audit it."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from maatwerq.audit.logins import login_rate_limited

            login_rate_limited(request, str(credentials.get("email", ""))[:254])
            raise
