"""Benchmark: the progress dossier. Prints figures; not a test.

1. one internal dossier of a long route (about ten pages): data, PDF, release check, as the
   worker's generator makes it. Target: under 1.2 s.
2. a cohort of 100 participants as one ZIP of internal dossiers. Target: under 2 minutes.

Prints wall-clock and CPU time: on a shared machine the wall clock includes waiting for the
processor. Uses its own PostgreSQL database (created and migrated here when missing); the
data is made inside a transaction that is rolled back at the end, so runs repeat.

    .venv/bin/python bench/dossier.py [--runs 5] [--cohort 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerq_bench_dossier (the default)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MAATWERQ_MODE", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maatwerq_bench_dossier")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def ensure_database(url: str) -> None:
    """Create the benchmark's database on the server when it does not exist yet."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        output = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, check=True, text=True
        ).stdout
    return int(next(line.split()[-1] for line in output.splitlines() if line.startswith("Pages")))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (pdftotext): the figure that
    does not grow when other work shares the machine."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class RollbackError(Exception):
    """Raised to undo the benchmark's data."""


def world():
    from maatwerq.accounts.models import Role
    from tests.factories import (
        AcademyFactory,
        CareNoteFactory,
        CohortFactory,
        EmployerFactory,
        MembershipFactory,
        PlacementFactory,
        ProgrammeFactory,
        UserFactory,
    )

    academy = AcademyFactory(name="Academie Bench")
    programme = ProgrammeFactory(academy=academy, name="BinQ")
    cohort = CohortFactory(programme=programme, name="Groep 1", planned_size=60)
    employer = EmployerFactory(academy=academy, name="Nijland Infra")
    regisseur = UserFactory(email="regisseur@bench.test", full_name="Regisseur")
    MembershipFactory(user=regisseur, academy=academy, role=Role.REGISSEUR)
    coach = UserFactory(email="coach@bench.test", full_name="Coach")
    MembershipFactory(user=coach, academy=academy, role=Role.COACH)
    return academy, cohort, employer, regisseur, coach, CareNoteFactory, PlacementFactory


def run_for(kind: str, parameters: dict, academy, user):
    from maatwerq.accounts.models import Role
    from tests.factories import ReportRunFactory

    return ReportRunFactory(
        kind=kind, parameters=parameters, requested_by=user, academy=academy, role=Role.REGISSEUR
    )


def bench_one(args, academy, cohort, employer, regisseur, coach, care_note, placement) -> None:
    from reporting.dossier import kinds
    from tests.factories import CohortFactory, participant_in
    from tests.reporting.conftest_dossier import build_route

    # A group of its own, so the ZIP below holds the cohort's hundred only.
    alone = CohortFactory(programme=cohort.programme, name="Groep lang")
    participant = participant_in(alone, coach=coach, first_name="Daan", last_name="Lang")
    participant.bsn = "111222333"
    participant.save(update_fields=["bsn"])
    placement(participant=participant, employer=employer)
    care_note(participant=participant, text="ZORG-GEHEIM schulden")
    build_route(
        participant, goals=20, entries=60, evaluations=12, assessments=4, roc_results=8,
        weeks=40, long_texts=1,
    )  # fmt: skip
    run = run_for("dossier_internal", {"participant": str(participant.pk)}, academy, regisseur)
    _name, pdf = kinds.dossier_internal(run, lambda *a: None)  # warm-up: fonts, stylesheet
    timings, cpu = [], []
    for _ in range(args.runs):
        began, began_cpu = time.perf_counter(), cpu_seconds()
        _name, pdf = kinds.dossier_internal(run, lambda *a: None)
        timings.append(time.perf_counter() - began)
        cpu.append(cpu_seconds() - began_cpu)
    print(
        f"one dossier: {page_count(pdf)} pages, {len(pdf) // 1024} KiB; runs {args.runs}: "
        f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s "
        f"(CPU median {statistics.median(cpu):.2f} s; target < 1.2 s; data + PDF + check)"
    )


def bench_zip(args, academy, cohort, employer, regisseur, coach, care_note, placement) -> None:
    from reporting.dossier import kinds
    from tests.factories import participant_in
    from tests.reporting.conftest_dossier import build_route

    began = time.perf_counter()
    for n in range(args.cohort):
        participant = participant_in(
            cohort, coach=coach, first_name=f"Deelnemer{n}", last_name=f"Groep{n:03d}"
        )
        placement(participant=participant, employer=employer)
        care_note(participant=participant, text=f"ZORG-GEHEIM-{n} thuis onrustig")
        build_route(participant, goals=5, entries=24, evaluations=3, roc_results=3, weeks=26)
    print(f"cohort of {args.cohort} made in {time.perf_counter() - began:.1f} s (not counted)")
    run = run_for("cohort_dossiers_zip", {"cohort": cohort.pk}, academy, regisseur)
    calls = []
    began, began_cpu = time.perf_counter(), cpu_seconds()
    _name, path = kinds.cohort_dossiers_zip(run, lambda percent, *a: calls.append(percent))
    elapsed, used = time.perf_counter() - began, cpu_seconds() - began_cpu
    size = path.stat().st_size
    path.unlink()
    print(
        f"cohort ZIP: {len(calls)} dossiers, {size // 1024} KiB in {elapsed:.1f} s "
        f"({elapsed / max(1, len(calls)):.2f} s each, CPU {used:.1f} s; target < 120 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cohort", type=int, default=100)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            made = world()
            bench_one(args, *made)
            if args.cohort:
                bench_zip(args, *made)
            raise RollbackError
    except RollbackError:
        """Raised to undo the benchmark's data."""


if __name__ == "__main__":
    main()
