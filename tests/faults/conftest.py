"""Fixtures of the fault tests: a private Redis and a report directory the worker shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import RedisServer


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Report files go to a fresh directory the worker subprocess shares."""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
