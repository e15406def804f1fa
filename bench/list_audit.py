"""Benchmark: what the audit of a list read costs (issue 14). Prints figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerq_audit_bench \\
        .venv/bin/python bench/list_audit.py [--keep] [--runs 30] [--events 20000]

Seeds the participants of bench/lists_dashboard.py (10,000 in 100 cohorts; one progress entry
per route, the list does not read them) into the database named in DATABASE_URL (it must end
in "_bench"), then measures, in-process with django.test.Client:

1. the participant list (/deelnemers/, 50 names, as the regisseur) with its one audit event
   naming the 50 shown and with the audit write switched off, turn about, so a passing load
   weighs on both; the ratio is the price of the audit; plus the queries and the event's size;
2. a young person's "who opened my record" look-ups once ``--events`` list events naming 50
   people each lie in the log (AuditEventParticipant rows, COPY): the lists-and-exports
   look-up (through the listed rows' index) next to the openings look-up of the same page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MAATWERQ_MODE", "demo")  # in-process Celery, no MFA, no Redis
os.environ.setdefault("DJANGO_DEBUG", "false")

import lists_dashboard as base  # the bench folder is on the path above

LISTED_PER_EVENT = 50


def _p(timings: list[float], q: int) -> float:
    return statistics.quantiles(sorted(timings), n=20, method="inclusive")[q - 1]


def list_with_and_without_audit(client, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maatwerq import web as list_views  # the web layer writes the list's READ
    from maatwerq.audit.models import AuditEvent

    audited = list_views.audit_log_list

    def off(**kwargs):
        return None

    def get(url: str = "/deelnemers/") -> float:
        began = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - began) * 1000

    timings: dict[str, list[float]] = {"with audit": [], "without": []}
    for _ in range(3):
        get()
    for _ in range(runs):
        list_views.audit_log_list = audited
        timings["with audit"].append(get())
        list_views.audit_log_list = off
        timings["without"].append(get())
    queries = {}
    for label, write in (("with audit", audited), ("without", off)):
        list_views.audit_log_list = write
        with CaptureQueriesContext(connection) as captured:
            get()
        queries[label] = len(captured)
    list_views.audit_log_list = audited
    event = AuditEvent.objects.filter(detail__what="participant_list").latest("pk")
    size = len(json.dumps(event.detail))
    for label, values in timings.items():
        print(
            f"participant list {label:<11} p50 {statistics.median(values):6.1f} ms  "
            f"p95 {_p(values, 19):6.1f} ms  {queries[label]:3d} queries"
        )
    ratio = statistics.median(timings["with audit"]) / statistics.median(timings["without"])
    print(
        f"  ratio with/without audit (p50): {ratio:.2f}x; one event per page, "
        f"{len(event.detail['participant_ids'])} ids, detail {size} bytes, "
        f"{event.listed.count()} listed rows"
    )


def seed_list_events(count: int) -> None:
    """``count`` list events by the regisseur, each naming 50 random participants."""
    from django.db import connection

    from maatwerq.accounts.models import Academy, User
    from maatwerq.audit.models import AuditEvent, AuditEventParticipant
    from participants.models import Participant

    rng = random.Random(14)
    people = [str(pk) for pk in Participant.objects.values_list("pk", flat=True)]
    regisseur = User.objects.get(email="regisseur@bench.test")
    academy = Academy.objects.get()
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    shown = [rng.sample(people, LISTED_PER_EVENT) for _ in range(count)]
    base.copy_rows(
        AuditEvent,
        (
            {
                "at": base.NOW,
                "actor_id": regisseur.pk,
                "actor_email": regisseur.email,
                "acting_role": "regisseur",
                "academy_id": academy.pk,
                "action": "read",
                "object_type": "",
                "object_id": "",
                "path": "/deelnemers/",
                "detail": json.dumps({"what": "participant_list", "participant_ids": ids}),
            }
            for ids in shown
        ),
    )
    # One COPY numbers its rows in order: the new events' ids, oldest first.
    new = AuditEvent.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
    base.copy_rows(
        AuditEventParticipant,
        (
            {"event_id": event, "participant_id": pk}
            for event, ids in zip(new, shown, strict=True)
            for pk in ids
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("ANALYZE audit_auditeventparticipant")


def record_lookups(runs: int) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from maatwerq.audit.models import AuditEventParticipant
    from participants.models import Participant
    from portal.selectors import lists_and_exports_with_me, who_opened_my_record

    nobody = None  # the young person's own visits are left out; here there are none
    busiest = (
        AuditEventParticipant.objects.values("participant_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    participant = Participant.objects.get(pk=busiest["participant_id"])
    timings: dict[str, list[float]] = {"lists and exports": [], "openings": []}
    lookups = {
        "lists and exports": lambda: lists_and_exports_with_me(participant, nobody),
        "openings": lambda: who_opened_my_record(participant, nobody),
    }
    for look in lookups.values():
        look()
    for _ in range(runs):
        for label, look in lookups.items():
            began = time.perf_counter()
            look()
            timings[label].append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        shown = lists_and_exports_with_me(participant, nobody)
    print(
        f"who opened my record, a participant in {busiest['n']} lists "
        f"({AuditEventParticipant.objects.count()} listed rows in all):"
    )
    for label, values in timings.items():
        p50, p95 = statistics.median(values), _p(values, 19)
        print(f"  {label:<18} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
    ratio = statistics.median(timings["lists and exports"]) / statistics.median(timings["openings"])
    print(f"  ratio lists/openings (p50): {ratio:.2f}x; {len(captured)} query, {len(shown)} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse a seeded bench database")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database ending in _bench.")
    base.database_create(url, fresh=not args.keep)
    base.ENTRIES_PER_ROUTE = 1

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from maatwerq.accounts.models import User
    from maatwerq.audit.models import AuditEventParticipant
    from participants.models import Participant

    call_command("migrate", verbosity=0)
    if Participant.objects.count() != base.PARTICIPANTS:
        base.seed()
    client = Client()
    client.force_login(User.objects.get(email="regisseur@bench.test"))
    print(f"{base.PARTICIPANTS} participants; {args.runs} requests each after 3 warm-ups")
    list_with_and_without_audit(client, args.runs)
    if AuditEventParticipant.objects.count() < args.events * LISTED_PER_EVENT:
        began = time.perf_counter()
        seed_list_events(args.events)
        print(f"seeded {args.events} list events in {time.perf_counter() - began:.1f} s")
    record_lookups(args.runs)


if __name__ == "__main__":
    main()
