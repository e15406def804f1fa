"""Benchmark: what ending a user's sessions costs at deactivation (issue 17 item 5). Prints
figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerq_sessions_bench \\
        .venv/bin/python bench/sessions_end.py [--sessions 1000 5000 20000] [--runs 5]

accounts.services.sessions_end finds a user's sessions by decoding every unexpired session row
(Django's database sessions have no user column). A session ends an hour after its last use,
so the unexpired rows are the people active in the last hour. This seeds that many live
sessions of other users (plus 3 of the user) into the database named in DATABASE_URL (it
must end in "_bench"), and times sessions_end for each size: the median of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MAATWERQ_MODE", "demo")
os.environ.setdefault("DJANGO_DEBUG", "false")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").endswith("_bench"):
        sys.exit("DATABASE_URL must name a database ending in _bench")

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from maatwerq.accounts.models import User
    from maatwerq.accounts.services import sessions_end

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(email="bench-deactivate@example.test")
    expire = timezone.now() + timezone.timedelta(hours=1)

    def row(user_pk: int) -> Session:
        store = SessionStore()
        data = {
            SESSION_KEY: str(user_pk),
            BACKEND_SESSION_KEY: "maatwerq.accounts.backends.EmailBackend",
            HASH_SESSION_KEY: "x" * 64,
            "acting_membership_id": 1,
            "_touched_at": int(time.time()),
        }
        return Session(
            session_key=store._get_new_session_key(),
            session_data=store.encode(data),
            expire_date=expire,
        )

    print(f"{'live sessions':>14} {'median ms':>10} {'ended':>6}")
    for size in args.sessions:
        timings = []
        for _run in range(args.runs):
            Session.objects.all().delete()
            Session.objects.bulk_create(
                [row(10_000_000 + i) for i in range(size)] + [row(user.pk) for _ in range(3)],
                batch_size=2000,
            )
            started = time.perf_counter()
            ended = sessions_end(user)
            timings.append((time.perf_counter() - started) * 1000)
            assert ended == 3, ended
        print(f"{size:>14,} {statistics.median(timings):>10.1f} {ended:>6}")
    Session.objects.all().delete()


if __name__ == "__main__":
    main()
