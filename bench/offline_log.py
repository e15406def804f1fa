"""Benchmark: the offline log (issue 20). Prints figures; not a test.

    MAATWERQ_MODE=demo DATABASE_URL=sqlite:////tmp/demo.sqlite3 \\
        .venv/bin/python bench/offline_log.py [--runs 50] [--coach coach@maatwerq.test]

Against a loaded demo (``manage.py load_demo``), in-process with django.test.Client, as one
demo coach:

1. what the phone keeps for that coach: the caseload page and every own trainee's log page
   (the pages the server marks X-MaatwerQ-Offline: keep), in bytes;
2. a progress entry from the queue: a first arrival and a resend of the same UUID (the
   idempotent path), median time and queries each. Every entry made is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MAATWERQ_MODE", "demo")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from leerroutes.models import ProgressEntry  # noqa: E402
from leerroutes.services import route_summaries_refresh  # noqa: E402
from maatwerq.accounts.models import User  # noqa: E402
from participants.models import Participant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--coach", default="coach@maatwerq.test")
    args = parser.parse_args()
    coach = User.objects.get(email=args.coach)
    client = Client(HTTP_HOST="localhost")
    client.force_login(coach)

    caseload = client.get(reverse("leerroutes:caseload"))
    kept = [caseload] if caseload.get("X-MaatwerQ-Offline") == "keep" else []
    trainees = list(Participant.objects.filter(coach=coach, routes__isnull=False).distinct()[:50])
    for person in trainees:
        page = client.get(reverse("leerroutes:progress_log", args=[person.pk]))
        if page.get("X-MaatwerQ-Offline") == "keep":
            kept.append(page)
    total = sum(len(page.content) for page in kept)
    print(
        f"coach {args.coach}: {len(kept)} pages kept ({len(trainees)} trainees), "
        f"{total / 1024:.0f} kB in all, largest {max(len(p.content) for p in kept) / 1024:.0f} kB"
    )

    person = next(p for p in trainees if p.current_route is not None)
    url = reverse("leerroutes:progress_entry_send", args=[person.pk])
    first_times, resend_times, made = [], [], []
    queries = {}
    for _ in range(args.runs):
        data = {
            "on": timezone.localdate().isoformat(),
            "wellbeing": "4",
            "text": "Bench: offline genoteerd",
            "client_uuid": str(uuid.uuid4()),
            "made_at": timezone.now().isoformat(),
            "account": str(coach.pk),
        }
        for label, times in (("first", first_times), ("resend", resend_times)):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                answer = client.post(url, data)
                times.append((time.perf_counter() - start) * 1000)
            queries[label] = len(captured)
            assert answer.status_code == (201 if label == "first" else 200), answer.content
        made.append(data["client_uuid"])
    ProgressEntry.objects.filter(client_uuid__in=made).delete()
    route_summaries_refresh([person.current_route])
    for label, times in (("first arrival", first_times), ("resend", resend_times)):
        key = "first" if label == "first arrival" else "resend"
        print(
            f"{label}: median {statistics.median(times):.1f} ms, "
            f"p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms, {queries[key]} queries "
            f"({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
