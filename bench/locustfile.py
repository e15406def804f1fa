"""What the people of bench/load.py do (run by locust; load.py starts it, see there).

Coaches (most users) open their caseload, read a trainee's progress log and add entries to it
from a phone (htmx); projectleiders look at the dashboard and the intake forecast and request
its Excel export, then poll its status; regisseurs page through the participant list. Each
virtual user logs in once as a demo account. LOAD_WAIT="1,3" waits 1 to 3 s between actions,
"0" not at all. LOAD_COACHES and LOAD_PROGRAMMES (comma separated) come from bench/load_data.py;
LOAD_HOSTS (comma separated, from load.py --scale-profile) spreads the requests over several web
servers.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): it costs the client a fraction
of the CPU, which matters when client and server share two cores. It does not follow a POST's
redirect for us here: like a browser, the user GETs the page the redirect names.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from datetime import date

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "MaatwerQ-demo-2026"  # demo.accounts.DEMO_PASSWORD (no Django import here)
UUID = re.compile(r"/leerroutes/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")
RUN = re.compile(r"/rapportage/exports/([0-9a-f-]{36})/")
COACHES = itertools.cycle(os.environ.get("LOAD_COACHES", "coach@maatwerq.test").split(","))
PROGRAMMES = os.environ.get("LOAD_PROGRAMMES", "1").split(",")
# bench/load.py --scale-profile: two web servers, and a person's every request to either of
# them, as a balancer in front would send it (a login on one, the next page from the other).
HOSTS = [host for host in os.environ.get("LOAD_HOSTS", "").split(",") if host]
PERIODS = [("2024-09", "2027-02"), ("2025-02", "2027-09"), ("2023-09", "2026-09")]


def _wait():
    spec = os.environ.get("LOAD_WAIT", "1,3")
    if spec == "0":
        return constant(0)
    low, high = (float(s) for s in spec.split(","))
    return between(low, high)


_ADDRESSES = itertools.count(1)


class Person(FastHttpUser):
    abstract = True
    wait_time = _wait()
    email = ""

    def __init__(self, environment) -> None:
        # Each person from their own address, as behind Caddy (load.py runs gunicorn with
        # MAATWERQ_TRUSTED_PROXY_COUNT=1): the login rate limit counts per address, and 200
        # people are not one address.
        n = next(_ADDRESSES)
        self.default_headers = {
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        }
        super().__init__(environment)
        if len(HOSTS) > 1:
            one = self.client._build_url
            self.client._build_url = lambda path: (  # type: ignore[method-assign]
                one(path) if path.startswith("http") else f"{random.choice(HOSTS)}{path}"
            )

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            {"login": self.email, "password": PASSWORD, **self._csrf_field()},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.email} failed ({response.status_code})")
        self.client.get("/", name="home")

    def _cookie(self, name: str) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == name), "")

    def _csrf_field(self) -> dict:
        return {"csrfmiddlewaretoken": self._cookie("csrftoken")}

    def _htmx(self) -> dict:
        return {"HX-Request": "true", "X-CSRFToken": self._cookie("csrftoken")}

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home")


class Coach(Person):
    weight = 6

    def on_start(self) -> None:
        self.email = next(COACHES)
        super().on_start()
        page = self.client.get("/leerroutes/caseload/", name="caseload").text
        self.trainees = sorted(set(UUID.findall(page))) or [None]

    @task(3)
    def caseload(self) -> None:
        self.client.get("/leerroutes/caseload/", name="caseload")

    @task(2)
    def progress_log(self) -> None:
        trainee = random.choice(self.trainees)
        self.client.get(f"/leerroutes/{trainee}/log/", name="progress log")

    @task(3)
    def progress_entry(self) -> None:
        trainee = random.choice(self.trainees)
        with self.client.post(
            f"/leerroutes/{trainee}/log/",
            {"on": date.today().isoformat(), "wellbeing": random.randint(1, 5),  # noqa: DTZ011 - the coach's today
             "text": "Vandaag op tijd, goed overleg met de leermeester.", "hours_present": "7.5"},
            headers=self._htmx(),
            name="progress entry (POST)",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.ok and "is-invalid" in response.text:
                response.failure("the entry was refused")

    @task(1)
    def participant_list(self) -> None:
        self.client.get("/deelnemers/", name="participant list")


class Projectleider(Person):
    weight = 3
    email = "projectleider@maatwerq.test"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/rapportage/dashboard/", name="dashboard")

    @task(2)
    def forecast(self) -> None:
        self.client.get(
            f"/rapportage/prognose/?programme={random.choice(PROGRAMMES)}", name="forecast"
        )

    @task(1)
    def forecast_export(self) -> None:
        first, last = random.choice(PERIODS)
        with self.client.post(
            "/rapportage/prognose/excel/",
            {"programme": random.choice(PROGRAMMES), "first": first, "last": last,
             **self._csrf_field()},
            name="forecast export (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            found = RUN.search(response.headers.get("Location") or "")
            if not found:
                response.failure(f"no export run ({response.status_code})")
                return
        self.client.get(f"/rapportage/exports/{found.group(1)}/", name="export page")
        for _ in range(2):
            self.client.get(
                f"/rapportage/exports/{found.group(1)}/status/",
                headers=self._htmx(),
                name="export status",
            )


class Regisseur(Person):
    weight = 1
    email = "regisseur@maatwerq.test"

    @task(3)
    def participant_list(self) -> None:
        self.client.get(f"/deelnemers/?page={random.randint(1, 5)}", name="participant list")
