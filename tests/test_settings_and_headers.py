"""Production settings refuse to start without their secrets; every page carries a strict CSP."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _django_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_EMAIL_HOST"],
)
def test_production_refuses_to_start_without_a_secret_and_names_it(missing):
    complete = {
        "MAATWERQ_MODE": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/maatwerq",
        "DJANGO_ALLOWED_HOSTS": "academie.example.nl",
        "DJANGO_EMAIL_HOST": "smtp.example.nl",
    }
    del complete[missing]
    result = _django_check(complete)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.slow  # runs check --deploy in a second interpreter
def test_production_settings_pass_check_deploy():
    result = _django_check(
        {
            "MAATWERQ_MODE": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/maatwerq",
            "DJANGO_ALLOWED_HOSTS": "academie.example.nl",
            "DJANGO_EMAIL_HOST": "smtp.example.nl",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_no_inline_code(client_for, world):
    response = client_for("coach").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "form-action 'self'" in csp
    assert "unsafe-inline" not in csp
    body = response.content.decode()
    assert "<script>" not in body
    assert " style=" not in body
    assert " onclick=" not in body
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_assets_are_served_by_the_app_not_a_cdn(client_for, world):
    body = client_for("coach").get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
    assert "/static/vendor/htmx/htmx.min.js" in body
    for cdn in ("cdn.", "unpkg", "jsdelivr", "googleapis"):
        assert cdn not in body
