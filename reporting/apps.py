from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Register this app's report kinds (reporting.registry).
        import reporting.dashboard.exports  # noqa: F401 - the dashboard, group, funder lists

        from . import exports  # noqa: F401
        from .dossier import kinds  # noqa: F401 - the progress dossier
