"""{% face score %}: the well-being face of leerroutes/_face.html, rendered once per score and
kept, since a caseload or a progress log shows one on every row."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@lru_cache(maxsize=8)
def _face_svg(score: int) -> SafeString:
    return mark_safe(render_to_string("leerroutes/_face.html", {"score": score}))  # noqa: S308 - our template's output


@register.simple_tag
def face(score) -> str:
    """The face for a score of 1 to 5; nothing for no score."""
    if not score:
        return ""
    return _face_svg(int(score))
