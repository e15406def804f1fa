from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maatwerq.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_touch_on_login

        # Login writes the session anyway; stamping it then spares the next request a write.
        user_logged_in.connect(session_touch_on_login, dispatch_uid="session_touch_on_login")
