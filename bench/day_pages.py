"""Benchmark: the users' day (issue 17) on the demo academy. Prints figures; not a test.

Per demo persona: the start page (work queue) and the agenda week, queries and median of
three (after one warm-up); the calendar feed (events, bytes, queries, median); and one run of
the daily digest. Made inside a transaction that is rolled back (the feeds, the audit lines).

    MAATWERQ_MODE=demo DATABASE_URL=... \\
        DJANGO_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \\
        .venv/bin/python manage.py shell < bench/day_pages.py
"""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from home import services
from maatwerq.accounts.access import memberships_of
from maatwerq.accounts.models import User

PERSONAS = ["coach", "regisseur", "projectleider", "werkgever", "beheerder"]


def timed(client, path):
    client.get(path)
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
    return response, len(queries), statistics.median(times) * 1000


with transaction.atomic():
    for persona in PERSONAS:
        user = User.objects.get(email=f"{persona}@maatwerq.test")
        client = Client()
        client.force_login(user)
        for path in ("/", "/agenda/"):
            response, queries, ms = timed(client, path)
            print(
                f"{persona:14s} {path:9s} {response.status_code} {queries:3d} queries {ms:5.0f} ms"
            )
        membership = memberships_of(user)[0]
        if persona != "beheerder":
            token = services.calendar_feed_create(membership=membership, by=user)
            response, queries, ms = timed(Client(), f"/agenda/feed/{token}.ics")
            events = response.content.count(b"BEGIN:VEVENT")
            print(
                f"{persona:14s} feed      {response.status_code} {queries:3d} queries {ms:5.0f} ms"
                f" {events} events {len(response.content)} bytes"
            )
    start = time.perf_counter()
    sent = services.digests_send()
    print(f"digest: {sent} emails in {(time.perf_counter() - start) * 1000:.0f} ms")
    transaction.set_rollback(True)
