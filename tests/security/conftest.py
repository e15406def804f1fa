"""One world for the whole tests/security package, built once and crawled once as every persona.

Building it (three participants with full routes, a dozen background files including PDF
dossiers) and crawling eleven personas takes most of the package's time, so it is package
scoped: made inside one outer transaction that is rolled back when the package is done. Each
test still runs in its own savepoint (the `db` fixture), so what a test writes is undone.

The crawl runs here, in setup, where the suite's check on logged errors does not look; the
errors it logs are kept in ``Security.errors`` and every test asserts there are none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from .crawler import Harvest, Page, Route, crawl, our_routes
from .world import PERSONAS, SecurityWorld, build, client_for, plant_exports, scan


@dataclass
class Security:
    sw: SecurityWorld
    clients: dict[str, Client]
    routes: list[Route]
    harvest: Harvest
    crawls: dict[str, list[Page]]
    errors: list[str]

    def crawled(self, persona: str) -> set[str]:
        return {page.url for page in self.crawls[persona]}


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def seeds(routes: list[Route], persona: str) -> list[str]:
    """Where a crawl starts: the home page, the portal, and every URL without parameters."""
    return ["/", reverse("portal:home")] + [reverse(r.name) for r in routes if not r.params]


@pytest.fixture(scope="package")
def security(django_db_setup, django_db_blocker, tmp_path_factory):
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    private = tmp_path_factory.mktemp("security-private")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=private):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            sw = build()
            clients = {persona: client_for(sw, persona) for persona in PERSONAS}
            sw.runs = plant_exports(sw, clients)
            routes, harvest = our_routes(), Harvest()
            crawls = {
                persona: crawl(clients[persona], seeds(routes, persona), scan, harvest)
                for persona in PERSONAS
            }
            logging.getLogger().removeHandler(errors)
            yield Security(sw, clients, routes, harvest, crawls, errors.messages)
        finally:
            logging.getLogger().removeHandler(errors)
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
