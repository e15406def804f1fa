"""Load test: 50 people on gunicorn + PostgreSQL + a Celery worker on this machine, for 60 s
with 1-3 s between their actions, then the same without waiting (the ceiling). Prints
requests/s, p50/p95/p99 and errors per phase and per page. Not a test; run by hand:

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 5] [--keep-db]
                                   [--reuse-db] [--conn-max-age 60] [--phases wait,nowait]

``--users 10,100,200`` (issue 19) runs the waiting phase once per number of people, in one
run against the same servers, then the ceiling (no waiting) at the last number, and prints a
summary: p95 at each size as a multiple of the p95 at the first (target <= 3x at 100 and
200 people with 0 errors) and the ceiling in requests/s. Each virtual person sends its own
X-Forwarded-For address (gunicorn trusts one proxy, as behind Caddy), so the per-address
login rate limit sees many people, not one address.

``--scale-profile`` runs what docker-compose.yml's profile ``scale`` runs, on this host: two
web servers (each gunicorn with --workers) and two Celery workers against the one database and
Redis, and sends each request of a person to either web server at random, as a balancer
would: a login on one and the next page from the other work only if no web process keeps
state of its own. It prints how many responses each web server gave. On one host the two
share its cores, so it shows correctness past one web process, not more capacity.

It creates (and at the end drops) its own database maatwerq_load, migrates it, loads the demo
and bench/load_data.py, starts a private redis-server, a Celery worker and gunicorn on
127.0.0.1 (free ports), drives them with locust (bench/locustfile.py) and stops them all.
Target: 0 errors with p95 under 300 ms at 50 users; at the ceiling no errors, only slower.
The load generator runs on the same two cores as the server, so the figures are conservative.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, env=env, check=True, **kwargs)


@contextmanager
def process(name: str, args: list[str], env: dict, log: Path):
    """A background process in its own group, stopped (TERM, then KILL) when leaving."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        print(f"stopped {name}")


def wait_for(what: str, check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up in {timeout} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


def redis_ok(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")


def database(name: str, *, create: bool) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            db.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict, *, reuse: bool, name: str) -> dict:
    if not reuse:
        database(name, create=True)
        started = time.monotonic()
        run(str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0", env=env)
        run(str(BIN / "python"), "manage.py", "load_demo", env=env, stdout=subprocess.DEVNULL)
        print(f"database {name}: migrated and demo loaded in {time.monotonic() - started:.0f} s")
    out = run(str(BIN / "python"), "bench/load_data.py", env=env, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"bench data: {data['participants']} participants, {len(data['coaches'])} coaches")
    return data


def locust(phase: str, *, users: int, seconds: int, wait: str, hosts: list[str], env: dict,
           data: dict, workdir: Path) -> dict:  # fmt: skip
    prefix = workdir / phase
    spawn_rate = max(1, users // 10)  # everyone in within ~10 s; stats reset after that
    args = [
        str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--only-summary",
        "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds + users // spawn_rate}s",
        "--reset-stats", "--host", hosts[0], "--csv", str(prefix), "--loglevel", "WARNING",
        "--stop-timeout", "10",
    ]  # fmt: skip
    locust_env = {
        **env,
        "LOAD_WAIT": wait,
        "LOAD_COACHES": ",".join(data["coaches"]),
        "LOAD_PROGRAMMES": ",".join(map(str, data["programmes"])),
        "LOAD_HOSTS": ",".join(hosts),  # each request to one of them, as a balancer would
    }
    subprocess.run(args, cwd=REPO, env=locust_env, check=False, capture_output=True)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    failures = Path(f"{prefix}_failures.csv").read_text().splitlines()[1:]
    return {"rows": rows, "failures": failures}


def report(phase: str, users: int, result: dict, server_errors: int, workers: int,
           webs: int) -> None:  # fmt: skip
    def ms(row, key):
        return f"{float(row[key] or 0):.0f}"

    total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    servers = f"{webs} x gunicorn" if webs > 1 else "gunicorn"
    print(f"\n== {phase}: {users} users, {servers} {workers} sync workers ==")
    print(
        f"requests {total['Request Count']}, {float(total['Requests/s']):.1f} req/s, "
        f"p50 {ms(total, '50%')} ms, p95 {ms(total, '95%')} ms, p99 {ms(total, '99%')} ms, "
        f"errors {total['Failure Count']} (server 5xx in the access log: {server_errors})"
    )
    print(f"{'page':28} {'count':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'fail':>5}")
    for row in sorted(result["rows"], key=lambda r: -float(r["95%"] or 0)):
        if row["Name"] != "Aggregated":
            print(
                f"{row['Name'][:28]:28} {row['Request Count']:>6} {ms(row, '50%'):>6} "
                f"{ms(row, '95%'):>6} {ms(row, '99%'):>6} {ms(row, 'Max Response Time'):>6} "
                f"{row['Failure Count']:>5}"
            )
    for line in result["failures"][:10]:
        print("  failure:", line)


def summarise(summary: list) -> None:
    """One line per run: p95 as a multiple of the first run's, errors, requests/s."""
    first = float(summary[0][2]["95%"] or 0) or 1.0
    print(f"\n== summary (p95 relative to {summary[0][1]} users with waiting) ==")
    for phase, users, total, errors in summary:
        p95 = float(total["95%"] or 0)
        kind = "ceiling, no waiting" if phase == "nowait" else "1-3 s between actions"
        print(
            f"{users:4d} users ({kind:21}): {float(total['Requests/s']):6.1f} req/s, "
            f"p95 {p95:5.0f} ms = {p95 / first:4.1f}x, errors {total['Failure Count']} "
            f"(5xx {errors})"
        )
    print("targets: 0 errors, p95 <= 3x the first at 100 and 200 users; the ceiling in req/s")


def _statuses(access_log: Path) -> list[str]:
    """The status of every response in a gunicorn access log (field 9 of the default format)."""
    found = []
    for line in access_log.read_text(errors="replace").splitlines():
        after_request = line.split('"')[2:3]  # ' 200 1234 ' in the default format
        status = after_request[0].split()[:1] if after_request else []
        if status:
            found.append(status[0])
    return found


def server_errors(access_logs: list[Path]) -> int:
    """Responses with a 5xx status in the web servers' access logs."""
    return sum(s.startswith("5") for log in access_logs for s in _statuses(log))


def responses(access_logs: list[Path]) -> list[int]:
    """How many responses each web server gave so far."""
    return [len(_statuses(log)) for log in access_logs]


def servers(redis_port: int, web_ports: list[int], workers: int, celery_workers: int,
            workdir: Path) -> list:  # fmt: skip
    """(name, command) of the private broker, the Celery workers and the web servers, in start
    order. Each web server is gunicorn with sync workers as in docker-compose.yml, each Celery
    worker with two processes, as there; the compose profile ``scale`` runs two of each."""
    started = [
        ("redis-server", ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port),
                          "--save", "", "--appendonly", "no", "--dir", str(workdir)]),
    ]  # fmt: skip
    for n in range(1, celery_workers + 1):
        started.append(
            (f"celery-worker-{n}", [str(BIN / "celery"), "-A", "config", "worker",
                                    "--concurrency=2", "--loglevel=WARNING", "--hostname",
                                    f"worker{n}@%h", "--without-gossip", "--without-mingle"])
        )  # fmt: skip
    for n, port in enumerate(web_ports, start=1):
        started.append(
            (f"gunicorn-{n}", [str(BIN / "gunicorn"), "config.wsgi", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60",
                               "--access-logfile", str(workdir / f"access-{n}.log")])
        )  # fmt: skip
    return started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--users", default="50", help="people, or a comma list of numbers to run in turn"
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database", default="maatwerq_load")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse-db", action="store_true", help="skip migrate and load_demo")
    parser.add_argument("--phases", default="wait,nowait")
    parser.add_argument(
        "--conn-max-age", type=int, default=60,
        help="seconds Django keeps a database connection (DATABASE_URL ?conn_max_age=), as the "
        "README advises for production; 0 opens one per request (about 20%% fewer req/s)",
    )  # fmt: skip
    parser.add_argument(
        "--scale-profile", action="store_true",
        help="as the compose profile 'scale': two web servers and two Celery workers against "
        "the one database and Redis, each request of a person to either web server",
    )  # fmt: skip
    args = parser.parse_args()
    webs, celery_workers = (2, 2) if args.scale_profile else (1, 1)

    workdir = Path(tempfile.mkdtemp(prefix="maatwerq-load-"))
    redis_port = free_port()
    web_ports = [free_port() for _ in range(webs)]
    broker = f"redis://127.0.0.1:{redis_port}/0"
    env = {
        **os.environ,
        "MAATWERQ_MODE": "test",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"{PG}/{args.database}?conn_max_age={args.conn_max_age}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": broker,
        "MAATWERQ_PRIVATE_ROOT": str(workdir / "private"),
        "PYTHONPATH": str(REPO),
        "MAATWERQ_TRUSTED_PROXY_COUNT": "1",  # locust's people each send their own address
        "MAATWERQ_PREPARE_THRESHOLD": "2",  # as production (the test mode prepares nothing)
    }
    hosts = [f"http://127.0.0.1:{port}" for port in web_ports]
    access_logs = [workdir / f"access-{n}.log" for n in range(1, webs + 1)]
    try:
        data = prepare(env, reuse=args.reuse_db, name=args.database)
        with ExitStack() as stack:
            for name, command in servers(
                redis_port, web_ports, args.workers, celery_workers, workdir
            ):
                stack.enter_context(process(name, command, env, workdir / f"{name}.log"))
                if name == "redis-server":
                    wait_for(name, lambda: redis_ok(redis_port))
            for host in hosts:
                wait_for(host, lambda host=host: http_ok(f"{host}/accounts/login/"))
            phases = {"wait": ("1,3", "with 1-3 s between actions"),
                      "nowait": ("0", "without waiting (ceiling)")}  # fmt: skip
            sizes = [int(n) for n in str(args.users).split(",")]
            chosen = args.phases.split(",")
            runs = [("wait", n) for n in sizes] if "wait" in chosen else []
            if "nowait" in chosen:
                runs.append(("nowait", sizes[-1]))
            summary = []
            for phase, users in runs:
                wait, title = phases[phase]
                busy = os.getloadavg()[0]
                note = "  (other work is running here: pessimistic figures)" if busy > 1 else ""
                print(f"\nload average before '{phase}' ({users} users): {busy:.2f}{note}")
                before, answered = server_errors(access_logs), responses(access_logs)
                result = locust(f"{phase}{users}", users=users, seconds=args.seconds, wait=wait,
                                hosts=hosts, env=env, data=data, workdir=workdir)  # fmt: skip
                errors = server_errors(access_logs) - before
                report(title, users, result, errors, args.workers, webs)
                if webs > 1:
                    each = [n - b for n, b in zip(responses(access_logs), answered, strict=True)]
                    print("responses per web server: " + ", ".join(f"{n:,}" for n in each))
                total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
                summary.append((phase, users, total, errors))
            if len(summary) > 1:
                summarise(summary)
        print(f"logs in {workdir}")
    finally:
        if not args.keep_db:
            database(args.database, create=False)


if __name__ == "__main__":
    sys.exit(main())
