from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The young person's own view: their route in plain language, their voice, their dossier
    and who sees their data. No models of its own: the data lives where it belongs
    (participants, leerroutes)."""

    name = "portal"
    verbose_name = _("My route (participant portal)")

    def ready(self) -> None:
        from maatwerq.accounts.hooks import invitation_accepted_register
        from maatwerq.accounts.models import Role

        from .services import portal_login_link

        # An accepted deelnemer invitation links the login to the record (or guardian access).
        invitation_accepted_register(Role.DEELNEMER, portal_login_link)
