from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # Register this app's report kinds (reporting.registry); the ESF+ record as a section
        # of the person's inspection export (participants.hooks); what the kept dashboard
        # figures count (participants.CohortFigures) and their roll-up per academy and month
        # (AcademyMonthFigures), and their first fill after the
        # migration that makes the table.
        from django.db.models.signals import post_migrate

        import reporting.dashboard.exports  # noqa: F401 - the dashboard, group, funder lists
        from participants.figures import (
            cohort_figures_counter_register,
            cohort_figures_rollup_register,
        )
        from participants.hooks import inspection_section_register

        from . import exports  # noqa: F401
        from .dashboard.kept import figures_count, kept_figures_fill, kept_months_refresh
        from .dossier import kinds  # noqa: F401 - the progress dossier
        from .funders import participatiewet, uwv, wrapped  # noqa: F401 - the funders' reports
        from .results import esf  # noqa: F401 - the ESF+ indicators
        from .results.selectors import esf_inspection_section

        inspection_section_register("esf_plus", esf_inspection_section)

        cohort_figures_counter_register(figures_count)
        cohort_figures_rollup_register(kept_months_refresh)  # the national view's rows
        post_migrate.connect(kept_figures_fill, sender=self)
