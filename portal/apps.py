from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The young person's own view: their route in plain language, their voice, their dossier
    and who sees their data. No models of its own: the data lives where it belongs
    (participants, leerroutes)."""

    name = "portal"
    verbose_name = _("My route (participant portal)")
