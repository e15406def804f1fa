"""The main menu's links, the page one is on marked (``aria-current="page"``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .links import reversed_once

register = template.Library()

# Every page the main menu links to (templates/partials/nav_items.html): of two that both lie
# above the current page (the reports and the dashboard below them), the nearer one is marked.
MENU = [
    "home",
    "home:agenda",
    "participants:participant_list",
    "leerroutes:caseload",
    "participants:follow_ups_due",
    "accounts:member_list",
    "audit:event_list",
    "reporting:index",
    "employers:employer_list",
    "employers:workplace_home",
    "reporting:dashboard",
    "reporting:national",
    "portal:home",
    "portal:privacy",
]


def menu_url(name: str) -> str:
    """The URL of a menu page (no arguments), reversed once: every page shows the menu, and
    reversing its links on every page cost more than the rest of the menu."""
    return reversed_once(name)


def current_menu_url(path: str) -> str:
    """The menu page the path lies on or under, the nearest of them ("" for none)."""
    urls = [menu_url(name) for name in MENU]
    under = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(under, key=len, default="")


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str) -> str:
    """``<li><a>`` to ``url_name``; current when the request's path is that page or below it
    (the start page only when it is the page itself)."""
    url = menu_url(url_name)
    request = context.get("request")
    if "_menu_current" not in context.render_context:
        path = request.path if request is not None else ""
        context.render_context["_menu_current"] = current_menu_url(path)
    current = url == context.render_context["_menu_current"]
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if current else "",
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
    )
