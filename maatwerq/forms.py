"""The form renderer: every form renders as Bootstrap markup with its errors beside the field."""

from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "partials/form.html"
