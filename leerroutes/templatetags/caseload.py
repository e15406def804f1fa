"""The caseload's markup, rendered once per value and kept (per process, bounded):

* ``{% caseload_body %}``: the page's whole content (leerroutes/_caseload_body.html) for the
  values the view put in the context under ``BODY``: a coach opening an unchanged caseload
  again gets it from memory, with no template work;
* ``{% caseload_item card value %}``: one piece of it (a trainee's row, or a line on one of
  the attention cards: leerroutes/_caseload_item.html), so that when one row changed the
  body is rendered anew from the other rows' kept pieces.

A value (selectors.CaseloadRow, participants.selectors.FollowUpDue) is frozen and holds
everything its markup shows (name, dates, the attention flags worked out for today), so the
same values always render the same markup in one language, URLconf and script prefix, which
are part of the key; a changed row is a new value, rendered anew. Markup is only ever looked
up with values the caseload's selector gave the person asking, and never leaves the process
(no shared cache holds a name). An erased person's row is never asked for again and drops out
as the caches fill."""

from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# What leerroutes/_caseload_body.html reads: the view's context under these names, and nothing
# else (it is rendered without the request, so no context processor's values reach it).
BODY = (
    "rows",
    "shown",
    "search",
    "attention_only",
    "follow_ups",
    "silent",
    "overdue",
    "evaluations_due",
    "feels_low",
    "keep_offline",
)


@lru_cache(maxsize=8192)
def _piece(card: str, item, language: str | None, urlconf: str | None, prefix: str) -> SafeString:
    # The key's language, URLconf and prefix are those in force while rendering.
    html = render_to_string("leerroutes/_caseload_item.html", {"card": card, "item": item})
    return mark_safe(html)  # noqa: S308 - our template's output


@lru_cache(maxsize=256)
def _body(
    values: tuple[Any, ...], language: str | None, urlconf: str | None, prefix: str
) -> SafeString:
    context = {
        name: list(v) if isinstance(v, tuple) else v for name, v in zip(BODY, values, strict=True)
    }
    html = render_to_string("leerroutes/_caseload_body.html", context)
    return mark_safe(html)  # noqa: S308 - our template's output


@register.simple_tag
def caseload_item(card: str, item) -> SafeString:
    return _piece(card, item, get_language(), get_urlconf(), get_script_prefix())


@register.simple_tag(takes_context=True)
def caseload_body(context) -> SafeString:
    values = tuple(tuple(v) if isinstance(v := context[name], list) else v for name in BODY)
    return _body(values, get_language(), get_urlconf(), get_script_prefix())
