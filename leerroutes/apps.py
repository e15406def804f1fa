from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerroutesConfig(AppConfig):
    name = "leerroutes"
    verbose_name = _("Learning routes")
