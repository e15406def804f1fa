"""{% caseload_row row %}: one trainee of the caseload (leerroutes/_caseload_row.html),
rendered once per row value and kept. A row (selectors.CaseloadRow) is a frozen value
holding everything the markup shows (name, dates, the attention flags worked out for
today), so the same value always renders the same markup in one language and URLconf: a
coach opening the caseload again gets the rows that did not change from memory, and a
changed row is a new value, rendered anew. Bounded, per process."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=4096)
def _row_html(row, language: str | None, urlconf: str | None, prefix: str) -> SafeString:
    # The key's language, URLconf and prefix are those in force while rendering.
    return mark_safe(render_to_string("leerroutes/_caseload_row.html", {"row": row}))  # noqa: S308 - our template's output


@register.simple_tag
def caseload_row(row) -> SafeString:
    return _row_html(row, get_language(), get_urlconf(), get_script_prefix())
