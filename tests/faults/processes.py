"""Processes for the fault tests, on this machine only (127.0.0.1): a private redis-server on
a free port (the shared Redis on 6379 is never touched) and real `celery worker` subprocesses
on the test database. Each is stopped by its context manager or owner, even when a test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def wait_until(check: Callable[[], object], *, timeout: float, what: str, log: Path | None = None):
    """Poll ``check`` until it returns something truthy; fail with ``what`` (and the tail of a
    log) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tail}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process_group(process: subprocess.Popen, *, grace: float = 10) -> None:
    """SIGTERM the process and its children (started with start_new_session), then SIGKILL
    whatever of the group is left after ``grace`` seconds. Safe on a process already gone."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class RedisServer:
    """A throw-away redis-server on 127.0.0.1:<free port>, without persistence: start(),
    stop() (its queue is lost: no persistence) and start() again on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (make services installs it)"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_until(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process, grace=5)
            self.process = None


def subprocess_database_url() -> str:
    """The URL of the database this (transactional) test runs on, for a subprocess."""
    conf = connection.settings_dict
    auth = quote(conf["USER"] or "postgres")
    if conf["PASSWORD"]:
        auth += ":" + quote(conf["PASSWORD"])
    host = conf["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{conf['PORT'] or 5432}/{conf['NAME']}"


@contextmanager
def celery_worker(
    *, broker: str, media_root: Path, log: Path, include: tuple[str, ...] = ()
) -> Iterator[subprocess.Popen]:
    """A real `celery -A config worker` (prefork, one child) in its own process group, on
    the test database and ``broker``; ``include`` names extra modules it imports."""
    env = {
        **os.environ,
        "MAATWERQ_MODE": "test",
        "DATABASE_URL": subprocess_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker,
        "MAATWERQ_PRIVATE_ROOT": str(media_root),
        "PYTHONPATH": str(REPO),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
        "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
        f"--hostname=faults-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    if include:
        command.append("--include=" + ",".join(include))
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            command,
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_process_group(process)


@contextmanager
def sending_tasks_to(settings, url: str) -> Iterator[None]:
    """Let this test process send tasks to ``url`` instead of running them eagerly; put the
    Celery app's configuration back afterwards."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    overrides = {"task_always_eager": False, "broker_url": url}
    changes = app.conf.changes
    before = {key: changes[key] for key in overrides if key in changes}
    app.conf.update(overrides)
    app._pool = None  # connections are made from the broker URL in use now
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        for key in overrides:
            changes.pop(key, None)
        changes.update(before)
        app._pool = None
        app.amqp._producer_pool = None
