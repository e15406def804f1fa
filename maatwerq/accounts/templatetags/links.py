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
_REVERSED: dict[tuple[str, tuple[str, ...], str | None, str], str] = {}


def reversed_once(name: str, *args: str) -> str:
    """``reverse(name, args=args)``, reversed once per name, arguments, URLconf and script
    prefix and kept (URLs do not change while a process runs): for links every page shows,
    such as the menu's (navigation.menu_url)."""
    key = (name, args, get_urlconf(), get_script_prefix())
    url = _REVERSED.get(key)
    if url is None:
        url = _REVERSED[key] = reverse(name, args=list(args))
    return url


def id_url(pk: UUID | str, name: str) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is a UUID."""
    return reversed_once(name, _STAND_IN).replace(_STAND_IN, str(UUID(str(pk))))


register.filter("id_url", id_url)
