from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The start page: what each role sees first. It reads from several apps (accounts,
    participants), so it sits above them rather than inside any one of them."""

    name = "home"
    verbose_name = _("Start page")
