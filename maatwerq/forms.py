"""The form renderer: every form renders as Bootstrap markup with its errors beside the field."""

from html import escape

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "partials/form.html"


class FastSelect(forms.Select):
    """A single select whose options are written here rather than by one template (and one
    option dictionary) each. Filters that list every group or coach of an academy (hundreds of
    options) render many times faster; grouped options are flattened."""

    def __init__(self, attrs=None, choices=()):
        # Rendered without the widget templates, so it brings Bootstrap's class itself.
        super().__init__(attrs={"class": "form-select", **(attrs or {})}, choices=choices)

    def _flat_choices(self):
        for value, label in self.choices:
            if isinstance(label, list | tuple):  # an option group: (group name, options)
                yield from label
            else:
                yield value, label

    def render(self, name, value, attrs=None, renderer=None):
        wanted = set(self.format_value(value))
        options = []
        for option_value, label in self._flat_choices():
            text = "" if option_value is None else str(option_value)
            selected = text in wanted
            if selected:
                wanted = set()  # a single select marks the first match only, as Django's does
            options.append(
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - every value above went through html.escape()
            f'<select name="{escape(name)}"{final_attrs}>{"".join(options)}</select>'
        )
