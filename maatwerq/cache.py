"""The cache production uses: Redis, shared by every process, and while Redis cannot be
reached, a cache in the memory of this process.

The cache holds allauth's login rate limits and the academies' figures (the dashboard's and
the national view's counts and tables, under their kept rows' version: counts, no names), and
nothing that must survive; treat Redis as holding academy data (no public access, TLS where
it is reached over a network). With a plain Redis
cache, a Redis outage turned every login into a 500; now a login goes on with the limits
counted per process until Redis answers again, when the shared counts take over by
themselves (the next call simply reaches Redis)."""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60


class RedisOrLocalCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"redis-fallback:{server}", {"TIMEOUT": self.default_timeout})
        self._warned_at = 0.0

    def _fall_back(self, error: Exception):
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning("Redis unreachable (%s); caching in this process meanwhile", error)
        return self._local


def _redis_or_local(name: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except UNREACHABLE as error:
            return getattr(self._fall_back(error), name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or the local cache's while Redis is unreachable."
    return method


# Every operation of Django's cache API that talks to Redis (the others are built on these).
for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisOrLocalCache, _name, _redis_or_local(_name))
