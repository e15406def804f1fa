"""{% caseload_item card value %}: one piece of the caseload (a trainee's row, or a line on
one of the attention cards: leerroutes/_caseload_item.html), rendered once per value and
kept. A value (selectors.CaseloadRow, participants.selectors.FollowUpDue) is frozen and
holds everything its markup shows (name, dates, the attention flags worked out for today),
so the same value always renders the same markup in one language and URLconf: a coach
opening the caseload again gets the pieces that did not change from memory, and a changed
row is a new value, rendered anew. Bounded, per process; a piece is only ever looked up
with a value the caseload's selector gave the person asking."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=8192)
def _piece(card: str, item, language: str | None, urlconf: str | None, prefix: str) -> SafeString:
    # The key's language, URLconf and prefix are those in force while rendering.
    html = render_to_string("leerroutes/_caseload_item.html", {"card": card, "item": item})
    return mark_safe(html)  # noqa: S308 - our template's output


@register.simple_tag
def caseload_item(card: str, item) -> SafeString:
    return _piece(card, item, get_language(), get_urlconf(), get_script_prefix())
