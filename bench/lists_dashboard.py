"""Benchmark: the participant list, the coach's caseload and the cohort dashboard, each next to
the Django admin changelist of the same rows, on PostgreSQL with 10,000 participants in 100
cohorts and 1,000,000 progress entries. Prints figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerq_bench \\
        .venv/bin/python bench/lists_dashboard.py [--keep] [--runs 20]

The database named in DATABASE_URL (it must end in "_bench") is dropped, created, migrated and
seeded with COPY (psycopg 3), unless --keep finds it seeded already. Pages are requested
in-process with django.test.Client: 3 warm-ups, then --runs timed requests of our page and of
the admin changelist turn about (so a passing load weighs on both), then one more each to
count the queries. Targets: the lists at most 0.35x the admin changelist with a query count
that does not grow; the dashboard p95 under 200 ms. A last line times the floor under every
page (a logged-in page with the base template only) next to the admin caseload.

With ``--scale 10`` (issue 19) the database must be new or seeded by this mode
(``maatwerq_scale100k_bench``, say): after measuring at 10,000 participants it seeds 29 more
academies with 90,000 participants in 900 cohorts and 9,000,000 more entries by COPY
(printing the time of each part and the database's size), measures again, and prints every
page at both sizes side by side with the growth factor. The bench academy (the one whose
regisseur, coach and dashboard are measured) stays the same size; the national view, the
admin and the tables grow tenfold. It also times the dashboard's figures in-process, from
the kept figures and counted over the routes (``dashboard_build(kept=False)``), at both sizes.
Targets: list, caseload, dashboard and national view grow less than 1.5x.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MAATWERQ_MODE", "demo")  # in-process Celery, no MFA, no Redis
os.environ.setdefault("DJANGO_DEBUG", "false")

# Smaller figures through the environment only for a quick check of the bench itself.
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "10000"))
COHORTS = int(os.environ.get("BENCH_COHORTS", "100"))
ENTRIES_PER_ROUTE = int(os.environ.get("BENCH_ENTRIES", "100"))  # 1,000,000 progress entries
CASELOAD = 25
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

FIRST_NAMES = ["Daan", "Noor", "Sem", "Emma", "Finn", "Julia", "Milan", "Tess", "Levi", "Sara"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos"]


# --- the database --------------------------------------------------------------------------


def database_create(url: str, *, fresh: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"Refusing to touch database {name!r}: the bench database must end in _bench.")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{name}"')


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(model, rows, *, block: int = 20_000) -> int:
    """COPY rows (dicts by attname; missing columns get None) into the model's table."""
    from django.db import connection
    from django.db.models.fields import AutoFieldMixin

    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if not isinstance(f, AutoFieldMixin)  # the database numbers those
    ]
    quoted = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(_tsv(row.get(c)) for c in columns))
            count += 1
            if len(lines) >= block:
                copy.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
    return count


# --- seeding -------------------------------------------------------------------------------


def _people(academy, programmes, *, participants: int = PARTICIPANTS, tag: str = ""):
    """The academy's coaches (one per 25 participants); for the bench academy (no tag) also
    the regisseur, the national user and the admin that the bench logs in as."""
    from django.contrib.auth.hashers import make_password

    from maatwerq.accounts.models import Membership, Role, User

    password = make_password("bench-password-123")
    coaches = User.objects.bulk_create(
        User(email=f"coach{tag}{i}@bench.test", password=password)
        for i in range(-(-participants // CASELOAD))  # one per 25, rounded up
    )
    Membership.objects.bulk_create(
        Membership(user=c, academy=academy, role=Role.COACH) for c in coaches
    )
    if tag:
        return coaches
    regisseur = User.objects.create(email="regisseur@bench.test", password=password)
    landelijk = User.objects.create(email="landelijk@bench.test", password=password)
    User.objects.create(
        email="admin@bench.test", password=password, is_staff=True, is_superuser=True
    )
    Membership.objects.bulk_create(
        [
            Membership(user=regisseur, academy=academy, role=Role.REGISSEUR),
            Membership(user=landelijk, academy=academy, role=Role.LANDELIJK),
        ]
    )
    return coaches


def _route(index: int, cohort, rng: random.Random) -> dict:
    """A route whose progress fits its cohort's age: old groups have left, young ones run.
    Participant 0..24 (the bench coach's caseload) all run."""
    start = cohort.start_date
    age_days = (TODAY - start).days
    route = {
        "id": uuid.uuid4(),
        "programme_id": cohort.programme_id,
        "cohort_id": cohort.pk,
        "route_type": rng.choice(["1a", "1b", "2", "2", "2"]),
        "school": "",
        "referral_date": start - timedelta(days=60),
        "referral_source": rng.choice(["vso", "pro", "mbo1", "gemeente", "uwv", "jeugdzorg"]),
        "referring_organisation": "",
        "referrer_contact": "",
        "intake_date": start - timedelta(days=30),
        "intake_outcome": "toegelaten",
        "intake_outcome_reason": "",
        "start_date": start,
        "trial_start_date": start,
        "contract_date": start + timedelta(days=90) if age_days > 90 else None,
        "status": "proefperiode" if age_days <= 90 else "contract",
        "dropout_reason": "",
        "dropout_phase": "",
        "destination": "",
        "contract_type": "",
        "outcome_category": "",
        "outcome_reason": "",
        "outflow_notes": "",
        "created_at": NOW,
    }
    if index < CASELOAD or age_days < 720:
        return route
    end = start + timedelta(days=rng.randint(60, 700))
    route["end_date"] = end
    if rng.random() < 0.3:
        reason = rng.choice(["motivatie", "problematiek", "verhuisd", "ontslag", ""])
        phase = "proefperiode" if (end - start).days <= 90 else "contract"
        destination = rng.choice(["uitkering", "werk_elders", "onbekend", ""])
        route.update(
            status="uitgevallen",
            dropout_reason=reason,
            dropout_phase=phase,
            destination=destination,
            outcome_category="succesvol" if destination == "werk_elders" else "negatief",
            outcome_reason="werk" if destination == "werk_elders" else (reason or "onbekend"),
        )
        if phase == "proefperiode":
            route["contract_date"] = None
    else:
        destination = rng.choice(["werk_leerbedrijf", "werk_elders", "opleiding", "dagbesteding"])
        route.update(
            status="afgerond",
            destination=destination,
            outcome_category="overig" if destination == "dagbesteding" else "succesvol",
            outcome_reason="dagbesteding" if destination == "dagbesteding" else "werk",
        )
    return route


def _academy(name: str, participants: int, cohorts: int, rng, *, tag: str = "", first=0):
    """One academy with three programmes, ``cohorts`` groups spread over the half-years from
    February 2012 to September 2026, its coaches, and its participants with one route each
    (Participant and Route rows by COPY). Returns the routes (dicts)."""
    from django.db import transaction

    from maatwerq.accounts.models import Academy, Programme
    from participants.models import Cohort, Participant, Route

    academy = Academy.objects.create(name=name, region="Salland")
    programmes = [
        Programme.objects.create(academy=academy, name=name, branch=branch)
        for name, branch in [("BinQ", "GWW"), ("TanQ", "Transport"), ("BlinQ", "Schoonmaak")]
    ]
    made = Cohort.objects.bulk_create(
        Cohort(
            programme=programmes[i % 3],
            name=f"Groep {i // 3 + 1}",
            start_date=date(2012 + i * 29 // 99 // 2, 9 if i * 29 // 99 % 2 else 2, 1),
            planned_size=12,
        )
        for i in (k * COHORTS // cohorts for k in range(cohorts))
    )
    coaches = _people(academy, programmes, participants=participants, tag=tag)
    # The bench coach's caseload goes into the youngest cohort: running routes.
    ordered = sorted(made, key=lambda c: c.start_date, reverse=True)
    routes, people = [], []
    for index in range(participants):
        cohort = ordered[index * cohorts // participants]
        route = _route(first + index, cohort, rng)
        person = uuid.uuid4()
        route["participant_id"] = person
        routes.append(route)
        people.append(
            {
                "id": person,
                "academy_id": academy.pk,
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": f"{rng.choice(LAST_NAMES)} {first + index:06d}",
                "date_of_birth": date(2000 + index % 8, 1 + index % 12, 1 + index % 28),
                "email": "",
                "phone": "",
                "street": "",
                "postcode": "",
                "city": "",
                "prior_education": "",
                "funding_stream": "none",
                "bsn": "",
                "lead_organisation": "academy",
                "lead_organisation_name": "",
                "coach_id": coaches[index // CASELOAD].pk,
                "current_route_id": route["id"],
                "created_at": NOW,
            }
        )
    with transaction.atomic():  # the participant <-> current route references are deferred
        copy_rows(Participant, people)
        copy_rows(Route, routes)
    return routes


def _finish(routes, rng, began: float) -> int:
    """What hangs on the routes: entries (COPY), the caseload summaries, certificates and
    follow-ups, the kept dashboard figures; then ANALYZE."""
    from django.db import connection

    from leerroutes.models import Certificate
    from leerroutes.services import route_summaries_refresh
    from participants.figures import cohort_figures_rebuild
    from participants.models import FollowUp

    entries = entries_copy(routes, rng)
    print(f"  progress entries: {time.perf_counter() - began:.1f} s")
    route_summaries_refresh([route["id"] for route in routes])  # COPY passes the services by
    print(f"  route summaries: {time.perf_counter() - began:.1f} s")
    copy_rows(Certificate, _certificates(routes, rng))
    copy_rows(FollowUp, _follow_ups(routes, rng))
    rows = cohort_figures_rebuild()  # idem: the kept dashboard figures
    print(f"  kept dashboard figures ({rows} rows): {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return entries


def seed() -> None:
    rng = random.Random(7)
    began = time.perf_counter()
    routes = _academy("Academie Bench", PARTICIPANTS, COHORTS, rng)
    print(f"  participants and routes: {time.perf_counter() - began:.1f} s")
    entries = _finish(routes, rng, began)
    print(
        f"seeded {len(routes)} participants, {len(routes)} routes in {COHORTS} cohorts, "
        f"{entries} progress entries in {time.perf_counter() - began:.1f} s"
    )


EXTRA_ACADEMIES = 29


def seed_more(scale: int) -> None:
    """Grow the database ``scale`` times: (scale - 1) x 10,000 more participants in
    (scale - 1) x 100 more cohorts, spread over 29 more academies, 100 entries per route."""
    rng = random.Random(11)
    began = time.perf_counter()
    extra, cohorts = (scale - 1) * PARTICIPANTS, (scale - 1) * COHORTS
    routes: list[dict] = []
    for k in range(EXTRA_ACADEMIES):
        share = extra * (k + 1) // EXTRA_ACADEMIES - extra * k // EXTRA_ACADEMIES
        groups = max(1, cohorts * (k + 1) // EXTRA_ACADEMIES - cohorts * k // EXTRA_ACADEMIES)
        routes += _academy(
            f"Academie {k + 2:02d}",
            share,
            groups,
            rng,
            tag=f"a{k + 2}-",
            first=10 * extra + len(routes),
        )
    print(f"  {extra} more participants and routes: {time.perf_counter() - began:.1f} s")
    entries = _finish(routes, rng, began)
    print(
        f"seeded {len(routes)} more participants in {cohorts} cohorts and {EXTRA_ACADEMIES} "
        f"academies, {entries} more progress entries in {time.perf_counter() - began:.1f} s"
    )


@contextmanager
def bulk_load(table: str):
    """Load a big table fast: its secondary indexes are dropped during the COPY and built
    again after it (one sort each instead of a million inserts), and foreign-key checks are
    skipped (session_replication_role = replica; the bench runs as a superuser, and every
    reference it writes exists)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
            "NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            for _name, definition in indexes:
                cursor.execute(definition)


def entries_copy(routes, rng) -> int:
    """The progress log, 100 entries per route spread over its run, written as COPY text
    directly (a dict per row would triple the seeding time). The ids are valid version-4
    UUIDs numbered in order, so the primary key grows at its end; reads never look an
    entry up by id, so this changes nothing measured."""
    from django.db import connection

    from leerroutes.models import ProgressEntry

    columns = ["id", "route_id", "on", "text", "wellbeing", "hours_present", "shareable",
               "author_id", "created_at", "client_uuid", "made_at"]  # fmt: skip
    assert set(columns) == {f.attname for f in ProgressEntry._meta.concrete_fields}
    quoted = ", ".join(f'"{c}"' for c in columns)
    table = ProgressEntry._meta.db_table
    tail = f"\tOp tijd, goed meegewerkt\t{{}}\t\\N\tf\t\\N\t{NOW.isoformat()}\t\\N\t\\N\n"
    days: dict[tuple[date, int], list[str]] = {}
    first = ProgressEntry.objects.count()  # ids go on after the entries already there
    count = 0
    with (
        bulk_load(table),
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
    ):
        for route in routes:
            start = route["start_date"]
            span = max(1, ((route.get("end_date") or TODAY) - start).days)
            if (start, span) not in days:
                days[(start, span)] = [
                    (start + timedelta(days=span * k // ENTRIES_PER_ROUTE)).isoformat()
                    for k in range(ENTRIES_PER_ROUTE)
                ]
            prefix = f"\t{route['id']}\t"
            wellbeing = rng.choices("2345", k=ENTRIES_PER_ROUTE)
            copy.write(
                "".join(
                    f"00000000-0000-4000-8000-{first + count + k:012x}{prefix}{day}{tail.format(w)}"
                    for k, (day, w) in enumerate(zip(days[(start, span)], wellbeing, strict=True))
                )
            )
            count += ENTRIES_PER_ROUTE
    return count


def _certificates(routes, rng):
    for route in routes:
        if route["status"] in {"afgerond", "contract"} and rng.random() < 0.6:
            kind = "diploma" if route["status"] == "afgerond" else "deelcertificaat"
            yield {
                "route_id": route["id"],
                "kind": kind,
                "title": "GWW niveau 2" if kind == "diploma" else "Bestraten",
                "issued_on": min(TODAY, route["start_date"] + timedelta(days=300)),
                "issuer": "ROC",
                "evidence": "",
                "evidence_content_type": "",
                "created_at": NOW,
            }


def _follow_ups(routes, rng):
    for route in routes:
        end = route.get("end_date")
        if end is None:
            continue
        for months in (6, 12):
            due = end + timedelta(days=months * 30)
            done = due <= TODAY
            yield {
                "route_id": route["id"],
                "months_after": months,
                "due_on": due,
                "done_on": due if done else None,
                "situation": rng.choice(["werk", "werk", "school", "geen", "onbekend"])
                if done
                else "",
                "notes": "",
            }


# --- measuring -----------------------------------------------------------------------------


def _figures(timings: list[float], queries: int) -> dict:
    timings = sorted(timings)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    return {"p50": statistics.median(timings), "p95": p95, "queries": queries}


def measure_pair(ours: tuple, admin: tuple, runs: int) -> tuple[dict, dict]:
    """Time our page and the admin changelist turn about (3 warm-ups each, then ``runs``
    requests each), so a passing load on the machine weighs on both alike; then count each
    page's queries once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [ours, admin]
    for client, url in pages:
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    timings: list[list[float]] = [[], []]
    for _ in range(runs):
        for index, (client, url) in enumerate(pages):
            began = time.perf_counter()
            client.get(url)
            timings[index].append((time.perf_counter() - began) * 1000)
    counts = []
    for client, url in pages:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
    return _figures(timings[0], counts[0]), _figures(timings[1], counts[1])


def _row(label: str, ours: dict, admin: dict) -> str:
    ratio = ours["p50"] / admin["p50"] if admin["p50"] else float("nan")
    return (
        f"{label:<22} p50 {ours['p50']:7.1f} ms  p95 {ours['p95']:7.1f} ms  "
        f"{ours['queries']:3d} queries | admin p50 {admin['p50']:7.1f} ms  "
        f"p95 {admin['p95']:7.1f} ms  {admin['queries']:3d} queries | ratio {ratio:.2f}x"
    )


def floor_urlconf() -> str:
    """A URL conf of the app's own routes plus one page that does only what every page does:
    the session, the user and the acting membership, then the base template with no content
    and no audit event. Its time is the floor under every list; the bench prints it next to
    the admin caseload, whose 25 rows cost the admin little more than its own floor."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import path

    from config import urls

    @login_required
    def floor(request):
        return render(request, "base.html", {})

    module = types.ModuleType("bench_floor_urls")
    module.urlpatterns = [path("bench/floor/", floor), *urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def figures_timing(runs: int) -> dict[str, tuple[float, float]]:
    """The dashboard's figures in-process (no page around them): p50 ms from the kept
    figures and counted over the routes, for the bench academy and the national view."""
    from django.db.models import Q

    from maatwerq.accounts.models import Academy
    from reporting.dashboard import ACADEMY_GROUPING, academy_scope, dashboard_build

    academy = Academy.objects.get(name="Academie Bench").pk
    cases = {
        "academy figures": (academy_scope(academy), {}),
        "national figures": (Q(), {"grouping": ACADEMY_GROUPING}),
    }
    result = {}
    for label, (scope, extra) in cases.items():
        timings = {}
        for kept in (True, False):
            dashboard_build(scope, kept=kept, **extra)
            spent = []
            for _ in range(max(3, runs // 4)):
                began = time.perf_counter()
                dashboard_build(scope, kept=kept, **extra)
                spent.append((time.perf_counter() - began) * 1000)
            timings[kept] = statistics.median(spent)
        result[label] = (timings[True], timings[False])
    return result


def measure_all(runs: int) -> dict[str, tuple[dict, dict]]:
    from django.test import Client

    from maatwerq.accounts.models import User

    def client_for(email: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    regisseur, admin = client_for("regisseur@bench.test"), client_for("admin@bench.test")
    landelijk = client_for("landelijk@bench.test")
    coach_user = User.objects.get(email="coach0@bench.test")
    coach = client_for(coach_user.email)
    changelist = "/admin/participants/participant/"
    caseload_rows = changelist + f"?coach__id__exact={coach_user.pk}"
    pages = [
        ("participant list", (regisseur, "/deelnemers/"), (admin, changelist)),
        ("coach caseload (25)", (coach, "/leerroutes/caseload/"), (admin, caseload_rows)),
        ("cohort dashboard", (regisseur, "/rapportage/dashboard/"), (admin, changelist)),
        ("national view", (landelijk, "/rapportage/landelijk/"), (admin, changelist)),
        ("floor: base page only", (coach, "/bench/floor/"), (admin, caseload_rows)),
    ]
    results = {}
    for label, ours, theirs in pages:
        results[label] = measure_pair(ours, theirs, runs)
        print(_row(label, *results[label]))
    return results


def side_by_side(small: dict, large: dict, figures: tuple[dict, dict], scale: int) -> None:
    n_small, n_large = PARTICIPANTS, PARTICIPANTS * scale
    print(
        f"\n{'page (p50 ms)':<22} {n_small:>9,} {n_large:>9,}  growth {'':24}| ratio to the admin "
        f"changelist at {n_small:,} / {n_large:,}"
    )
    floor = "floor: base page only"
    # The machine's load moves between the two sizes (minutes apart): the growth over the
    # floor's own growth is the ratio measured within each size.
    floor_growth = large[floor][0]["p50"] / small[floor][0]["p50"]
    for label, (ours, admin) in small.items():
        big_ours, big_admin = large[label]
        growth = big_ours["p50"] / ours["p50"]
        print(
            f"{label:<22} {ours['p50']:9.1f} {big_ours['p50']:9.1f}  {growth:5.2f}x "
            f"(over the floor's: {growth / floor_growth:4.2f}x) | "
            f"{ours['p50'] / admin['p50']:.2f}x / {big_ours['p50'] / big_admin['p50']:.2f}x   "
            f"(p95 {ours['p95']:.0f} / {big_ours['p95']:.0f} ms, queries "
            f"{ours['queries']} / {big_ours['queries']})"
        )
    print(f"\n{'figures in-process':<22} {'kept':>14} {'counted over routes':>28}")
    for label in figures[0]:
        (kept_s, live_s), (kept_l, live_l) = figures[0][label], figures[1][label]
        print(
            f"{label:<22} {kept_s:6.1f} -> {kept_l:6.1f} ms ({kept_l / kept_s:.2f}x)   "
            f"{live_s:7.1f} -> {live_l:7.1f} ms ({live_l / live_s:.2f}x)"
        )
    print("targets: list, caseload, dashboard and national view grow < 1.5x for 10x the data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse a seeded bench database")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--scale", type=int, default=1, help="also seed and measure this many times the data"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database ending in _bench.")
    database_create(url, fresh=not args.keep)

    import django

    django.setup()
    from django.core.management import call_command

    from participants.models import Participant

    call_command("migrate", verbosity=0)
    present = Participant.objects.count()
    if present not in (PARTICIPANTS, PARTICIPANTS * args.scale):
        if present:
            sys.exit(f"{present} participants: not a bench database of this scale; drop it.")
        seed()
        present = PARTICIPANTS
    from django.conf import settings

    settings.ROOT_URLCONF = floor_urlconf()
    if present == PARTICIPANTS:
        print(f"database size: {database_size()}")
        print(
            f"{PARTICIPANTS} participants, {COHORTS} cohorts, {args.runs} requests after 3 warm-ups"
        )
        small = measure_all(args.runs)
        small_figures = figures_timing(args.runs)
        print("targets: lists <= 0.35x the admin changelist; dashboard <= 0.5x")
        print("floor: a logged-in page with the base template only, next to the admin caseload")
        if args.scale == 1:
            return
        seed_more(args.scale)
    else:
        sys.exit("Seeded at the large size already: the side-by-side needs a fresh database.")
    print(f"database size: {database_size()}")
    print(f"{PARTICIPANTS * args.scale} participants, {COHORTS * args.scale} cohorts")
    large = measure_all(args.runs)
    large_figures = figures_timing(args.runs)
    side_by_side(small, large, (small_figures, large_figures), args.scale)


if __name__ == "__main__":
    main()
