from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Register this app's report kinds (reporting.registry), and the ESF+ record as a
        # section of the person's inspection export (participants.hooks).
        import reporting.dashboard.exports  # noqa: F401 - the dashboard, group, funder lists
        from participants.hooks import inspection_section_register

        from . import exports  # noqa: F401
        from .dossier import kinds  # noqa: F401 - the progress dossier
        from .results import esf  # noqa: F401 - the ESF+ indicators
        from .results.selectors import esf_inspection_section

        inspection_section_register("esf_plus", esf_inspection_section)
