"""Imported by the worker subprocess of test_worker_killed (``--include``): registers the slow
test export in that worker's registry."""

from reporting import registry

from .slow_export import SLOW_EXPORT

registry._KINDS[SLOW_EXPORT.name] = SLOW_EXPORT
