"""The production compose file: Caddy in front terminates TLS and is the only service on a
host port; gunicorn is reachable on the compose network only; the proxy's body cap and trusted
proxy count agree with Django's settings.

PyYAML (a dev dependency) parses the file; `docker compose config` checks it wherever Docker's
compose plugin is installed, `caddy adapt` the Caddyfile wherever caddy is."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services() -> dict:
    return _compose()["services"]


def test_caddy_is_the_only_service_on_a_host_port(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert set(services["caddy"]["ports"]) >= {"80:80", "443:443"}
    assert services["web"].get("expose") == ["8000"]


def test_caddy_serves_the_domain_with_the_committed_caddyfile(services):
    caddy = services["caddy"]
    assert caddy["image"].split(":")[0] == "caddy"  # the official image
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert any(v.startswith("caddy_data:/data") for v in caddy["volumes"])  # the certificates
    assert caddy["environment"]["MAATWERQ_DOMAIN"].startswith("${MAATWERQ_DOMAIN:?")
    assert "web" in caddy["depends_on"]
    assert {"caddy_data", "caddy_config"} <= set(_compose()["volumes"])


def test_web_trusts_one_proxy_and_stays_in_production_mode(services):
    environment = services["web"]["environment"]
    assert environment["MAATWERQ_TRUSTED_PROXY_COUNT"] == "1"
    assert environment["MAATWERQ_MODE"] == "production"  # the merge key does not deep-merge
    assert environment["MAATWERQ_PRIVATE_ROOT"] == "/data/private"
    assert "--bind 0.0.0.0:8000" in services["web"]["command"]


def test_the_caddyfile_proxies_to_gunicorn_with_the_same_body_cap():
    text = "\n".join(
        line for line in CADDYFILE.read_text().splitlines() if not line.lstrip().startswith("#")
    )
    assert re.search(r"^\{\$MAATWERQ_DOMAIN\} \{$", text, re.MULTILINE)
    # Every container answering to the name "web", found again by DNS (issue 19, "scale").
    proxy = re.search(r"^\s+reverse_proxy \{(.*?)^\t\}$", text, re.MULTILINE | re.DOTALL)
    assert proxy, "reverse_proxy block missing"
    assert re.search(r"dynamic a \{\s+name web\s+port 8000\s", proxy[1])
    size = re.search(r"max_size (\d+)MiB", text)
    assert size, "request_body max_size missing"
    assert int(size[1]) * 1024 * 1024 == settings.MAATWERQ_MAX_REQUEST_BYTES
    assert "trusted_proxies" not in text  # Caddy overwrites a client's X-Forwarded-For


def test_the_scale_profile_adds_a_second_web_and_worker_on_the_same_database(services):
    scaled = {name for name, service in services.items() if "scale" in service.get("profiles", [])}
    assert scaled == {"web-2", "worker-2"}
    web2, worker2 = services["web-2"], services["worker-2"]
    # Caddy finds the second web container under the first one's name; no host port.
    assert web2["networks"]["default"]["aliases"] == ["web"]
    assert web2.get("expose") == ["8000"]
    assert "ports" not in web2
    assert web2["environment"] == services["web"]["environment"]
    assert web2["env_file"] == services["web"]["env_file"]  # the same DATABASE_URL and Redis
    # One container migrates; the second waits until nothing is left to migrate.
    assert "migrate --no-input" in services["web"]["command"]
    assert "migrate --check" in web2["command"]
    assert "--no-input" not in web2["command"]
    assert worker2["command"] == services["worker"]["command"]
    # Exactly one beat, in every profile.
    beats = [name for name, service in services.items() if "beat" in str(service.get("command"))]
    assert beats == ["beat"]
    assert "profiles" not in services["beat"]


def test_docker_compose_accepts_the_file(tmp_path):
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run(  # noqa: S603
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
    ):
        pytest.skip("Docker's compose plugin is not installed here")
    # A copy next to its own .env: the services read one (env_file), which is never committed.
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=x\nMAATWERQ_DOMAIN=academie.example.nl\n")
    for profile in ([], ["--profile", "scale"]):
        result = subprocess.run(  # noqa: S603
            [docker, "compose", "--project-directory", str(tmp_path), *profile, "config", "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def test_caddy_accepts_the_caddyfile():
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed here")
    result = subprocess.run(  # noqa: S603
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={"MAATWERQ_DOMAIN": "academie.example.nl", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    handlers = json.dumps(server["routes"])
    assert f'"max_size": {settings.MAATWERQ_MAX_REQUEST_BYTES}' in handlers
    assert '"dial": "web:8000"' in handlers
