from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo academy's data and ``manage.py load_demo``. No models; installed in every mode
    so the command is always there."""

    name = "demo"
    verbose_name = _("Demo academy")
