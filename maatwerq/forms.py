"""The form renderer: every form renders as Bootstrap markup with its errors beside the field."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "partials/form.html"


class FastSelect(forms.Select):
    """A select whose options are written here rather than one template each. Filters that
    list every cohort or coach of an academy (a hundred and more options) render several times
    faster; grouped options are flattened."""

    def __init__(self, attrs=None, choices=()):
        # Rendered without the widget templates, so it brings Bootstrap's class itself.
        super().__init__(attrs={"class": "form-select", **(attrs or {})}, choices=choices)

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, group_options, _index in context["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', context["name"], flatatt(context["attrs"]), options
        )
