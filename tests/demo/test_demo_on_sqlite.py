"""`make demo` on a fresh machine: the migrations run from zero on SQLite (the demo's
database, where a renamed field rebuilds its table, unlike on PostgreSQL) and load_demo
prints one login per role. The rest of the suite runs on PostgreSQL only, so without this
a migration that breaks the demo passes `make test`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_make_demos_steps_run_on_a_new_sqlite_database(tmp_path):
    env = {
        **os.environ,
        "MAATWERQ_MODE": "demo",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    env.pop("REDIS_URL", None)

    def manage(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--no-input", "-v0")
    manage("makemigrations", "--check", "--dry-run")
    printed = manage("load_demo")
    for role in ("leerroutecoach", "regisseur", "projectleider", "werkgever", "beheerder"):
        assert f"{role}: " in printed
