"""scripts/backup.sh and scripts/restore.sh, for real: dump the test database with its files,
restore both into a fresh database and directory, and compare every table's row count."""

from __future__ import annotations

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from maatwerq.audit.models import AuditEvent
from participants.models import Participant
from tests.factories import participant_in

REPO = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    conf = connection.settings_dict
    auth = conf["USER"] or "postgres"
    if conf["PASSWORD"]:
        auth += ":" + conf["PASSWORD"]
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        args,
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - names from pg_tables
            for table in tables
        }


@pytest.fixture
def restored_name():
    """A fresh database name; the database is dropped afterwards, whatever happened."""
    name = f"maatwerq_restore_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_the_same_rows_and_files(world, tmp_path, restored_name):
    for n in range(5):
        participant_in(world.cohort, coach=world.users["coach"], last_name=f"Terug{n}")
    private = tmp_path / "private"
    (private / "evidence").mkdir(parents=True)
    (private / "evidence" / "certificaat.pdf").write_bytes(b"%PDF-1.7 evidence")
    (private / "reports").mkdir()
    (private / "reports" / "old.xlsx").write_bytes(b"an expiring report")
    source = _url(connection.settings_dict["NAME"])
    backups = tmp_path / "backups"

    backup = _run(
        "scripts/backup.sh", str(backups), DATABASE_URL=source, MAATWERQ_PRIVATE_ROOT=str(private)
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    archive = dump.with_suffix(".files.tar.gz")
    assert dump.is_file()
    assert archive.is_file()
    assert not list(backups.glob("*.part"))
    for line in dump.with_suffix(".sha256").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((backups / name).read_bytes()).hexdigest() == digest, name

    files_into = tmp_path / "restored-private"
    restore = _run(
        "scripts/restore.sh", str(dump), _url(restored_name),
        "--files", str(archive), "--files-into", str(files_into),
    )  # fmt: skip
    assert restore.returncode == 0, restore.stderr

    source_counts, restored_counts = _row_counts(source), _row_counts(_url(restored_name))
    assert restored_counts == source_counts
    assert source_counts[Participant._meta.db_table] == 8  # the world's 3 and these 5
    assert source_counts["django_migrations"] > 0
    with psycopg.connect(_url(restored_name)) as db:
        names = {row[0] for row in db.execute("SELECT last_name FROM participants_participant")}
    assert {"Zichtbaar", "Terug4"} <= names
    assert (files_into / "evidence" / "certificaat.pdf").read_bytes() == b"%PDF-1.7 evidence"
    assert not (files_into / "reports").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(world, tmp_path):
    source = _url(connection.settings_dict["NAME"])
    backup = _run("scripts/backup.sh", str(tmp_path), DATABASE_URL=source)
    assert backup.returncode == 0, backup.stderr
    events_before = AuditEvent.objects.count()
    world.participant.last_name = "Gewijzigd"
    world.participant.save(update_fields=["last_name"])

    restore = _run("scripts/restore.sh", backup.stdout.strip(), source)

    assert restore.returncode == 1
    assert "already has" in restore.stderr
    world.participant.refresh_from_db()
    assert world.participant.last_name == "Gewijzigd"
    assert AuditEvent.objects.count() == events_before
