"""``{{ pk|id_url:"app:name" }}``: the URL of a page that takes one UUID, as ``{% url %}``
gives it, for lists that link every row (a caseload of 25 has a hundred links; reversing each
cost more than the rest of the page's rows). The URL is reversed once per name, URLconf and
script prefix with a stand-in id, and each row's id takes its place."""

from __future__ import annotations

from uuid import UUID

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_STAND_IN = str(UUID(int=0))
_PATTERNS: dict[tuple[str, str | None, str], str] = {}


def id_url(pk: UUID | str, name: str) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is a UUID."""
    key = (name, get_urlconf(), get_script_prefix())
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(name, args=[_STAND_IN])
    return pattern.replace(_STAND_IN, str(UUID(str(pk))))


register.filter("id_url", id_url)
