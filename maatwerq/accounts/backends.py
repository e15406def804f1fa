"""Django's model permissions serve the admin only: what a person may do in the app follows
from their memberships (the predicates in each app's rules.py)."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


class StaffPermissionsOnly:
    """Model permissions for the Django admin's staff; everyone else holds none.

    A rule that answers no falls through to the next backend, so without this every page with
    a hidden button paid two permission queries per model backend, for users who can never
    hold a model permission."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not getattr(user_obj, "is_staff", False):
            return set()
        return super().get_all_permissions(user_obj, obj)


class StaffModelBackend(StaffPermissionsOnly, ModelBackend):
    pass


class EmailBackend(StaffPermissionsOnly, AuthenticationBackend):
    """allauth's login by email."""
