"""Reads on a streaming read replica, for reporting only (docs/scaling.md).

When ``settings.REPLICA_READS`` is on and a ``replica`` database alias is configured
(``DATABASE_REPLICA_URL``), the reads made inside ``reporting_reads()`` (the dashboard's and
the national view's counts) go to the replica; every other read, and every write, goes to
the primary (``default``). A replica lags the primary by a moment, so a read that must see a
write just made stays on the primary:

* within the same request or task: once anything was written (the router's
  ``db_for_write``) or while a transaction is open, reads stay on the primary;
* in the next requests of the same browser: a response to a request that wrote sets a short
  cookie (``REPLICA_PIN_SECONDS``), and while it lasts that browser reads on the primary
  (``ReplicaPinMiddleware``): someone who just recorded a step sees it on the dashboard.

The router never lets a migration run on the replica (it is read-only, fed by streaming
replication). In tests the ``replica`` alias is a Django test MIRROR of ``default``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "maatwerq_primary"

_reporting: ContextVar[bool] = ContextVar("maatwerq_reporting_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("maatwerq_pinned_to_primary", default=False)


def replica_configured() -> bool:
    return bool(getattr(settings, "REPLICA_READS", False)) and REPLICA in settings.DATABASES


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Reads inside may go to the replica (unless pinned to the primary, see above)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def pin_to_primary(pinned: bool = True) -> None:
    """Keep this request's (or task's) further reads on the primary; ``False`` starts a
    new request unpinned."""
    _pinned.set(pinned)


def pinned_to_primary() -> bool:
    return _pinned.get()


class ReplicaRouter:
    """Django database router: reporting's reads to the replica, all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if (
            _reporting.get()
            and not _pinned.get()
            and replica_configured()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        _pinned.set(True)  # what follows must see this write
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA


class ReplicaPinMiddleware:
    """Start each request unpinned, or pinned while the browser's pin cookie lasts; set the
    cookie when the request wrote, so the next pages read what it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pin_to_primary(PIN_COOKIE in request.COOKIES)
        response = self.get_response(request)
        if _pinned.get() and replica_configured() and PIN_COOKIE not in request.COOKIES:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
