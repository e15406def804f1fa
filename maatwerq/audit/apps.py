from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "maatwerq.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import logins

        logins.connect()
