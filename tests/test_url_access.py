"""Every URL of ours, every persona: who gets the page and who gets nothing.

The table ACCESS names each URL and the personas allowed; everyone else must get nothing
(anonymous: a redirect to the login page; others: 403 or 404). test_every_url_has_an_access_rule
walks the URLconf and fails when a URL of ours is missing from the table.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import PERSONAS

# Third-party URLs, tested by their own projects; ours only wrap them (login, MFA, admin).
EXEMPT_MODULE_PREFIXES = ("allauth.", "django.views.i18n")
# Django's admin is for superusers only; test_admin_is_closed_to_every_persona covers it.
EXEMPT_NAMESPACES = ("admin:",)

OUR_APPS = ("maatwerq.", "participants.", "leerroutes.", "employers.", "reporting.")


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), entry


def our_url_names() -> set[str]:
    names = set()
    for name, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith(EXEMPT_MODULE_PREFIXES) or name.startswith(EXEMPT_NAMESPACES):
            continue
        assert module.startswith(OUR_APPS), f"unexpected view module {module} for {name}"
        assert name, f"URL pattern {pattern.pattern} of {module} has no name"
        names.add(name)
    return names


# name -> (how to build the URL from the world, personas that get the page)
ACCESS = {
    "home": (
        lambda w: reverse("home"),
        {
            "coach",
            "other_coach",
            "regisseur",
            "projectleider",
            "employer",
            "other_employer",
            "beheerder",
            "landelijk",
        },
    ),
    "accounts:member_list": (lambda w: reverse("accounts:member_list"), {"beheerder"}),
    "accounts:membership_switch": (lambda w: reverse("accounts:membership_switch"), set()),
    "accounts:invitation_accept": (
        lambda w: reverse("accounts:invitation_accept", args=["not-a-token"]),
        set(),
    ),
    "audit:event_list": (lambda w: reverse("audit:event_list"), {"beheerder", "regisseur"}),
    "participants:participant_list": (
        lambda w: reverse("participants:participant_list"),
        {"coach", "other_coach", "regisseur", "projectleider"},
    ),
    "participants:participant_detail": (
        lambda w: reverse("participants:participant_detail", args=[w.participant.pk]),
        {"coach", "regisseur", "projectleider", "employer"},
    ),
}


def test_every_url_has_an_access_rule():
    missing = our_url_names() - set(ACCESS)
    assert not missing, f"URLs without an access test: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(ACCESS))
def test_url_access(url_name, persona, world, client_for):
    build, allowed = ACCESS[url_name]
    url = build(world)
    response = client_for(persona).get(url)
    if persona in allowed:
        assert response.status_code == 200, (url, persona, response.status_code)
        return
    if persona == "anonymous" and url_name != "accounts:invitation_accept":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        # GET-only-by-POST views answer 405; a bad invitation link 410. Nothing is shown.
        assert response.status_code in {403, 404, 405, 410}, (url, persona, response.status_code)
    body = response.content.decode()
    for secret in ("ZORG-GEHEIM", w_name(world.participant), w_name(world.other_participant)):
        assert secret not in body


def w_name(participant) -> str:
    return participant.last_name


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_closed_to_every_persona(persona, world, client_for):
    response = client_for(persona).get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
