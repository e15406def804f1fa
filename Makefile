# The README's two commands are `make demo` and `make test`; the rest are the steps they use.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/maatwerq
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help demo test test-fast install install-dev assets messages services chromium pdftools lint lint-templates typecheck check-migrations pytest serve audit
# Compiled modules (and pytest's rewritten test modules) are kept in .cache/pyc, also where
# PYTHONDONTWRITEBYTECODE is set: else every pytest process compiles the whole project and its
# libraries again (some 6 s of CPU each). A prefix, so nothing is written beside the sources
# or into .venv.
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.cache/pyc \
	MAATWERQ_MODE=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest
# pytest exits 5 when a selection holds no test (e.g. PYTEST_ARGS names one file): not a failure.
NO_TESTS_OK := || test $$? -eq 5

help:
	@echo "make demo   - install, build the demo academy on SQLite and serve http://127.0.0.1:8000"
	@echo "make test   - install, start PostgreSQL and Redis where needed, run ruff, djLint, the layers contract, mypy, migrations check and all tests"
	@echo "make test-fast - the quick loop: every test but browser, faults, ops, crawl, fuzz and slow"

## demo: everything a newcomer needs, then serve. No PostgreSQL or Redis needed.
demo: install assets messages pdftools
	MAATWERQ_MODE=demo $(PY) manage.py migrate --no-input
	MAATWERQ_MODE=demo $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:8000 (stop with Ctrl+C)"
	MAATWERQ_MODE=demo $(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite against PostgreSQL and Redis, browser tests included.
test: install-dev assets messages services chromium pdftools lint typecheck check-migrations pytest

install:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen --no-dev --inexact

install-dev:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen

# Bootstrap and htmx from the npm registry (package-lock.json), served by the app itself.
# npm ci only when the lock file changed since the last install (it empties node_modules).
assets: node_modules/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages:
	@command -v msgfmt >/dev/null 2>&1 || scripts/apt_install.sh gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

services:
	scripts/ensure_services.sh

chromium:
	@test -x /usr/bin/chromium || scripts/apt_install.sh chromium fonts-dejavu-core

# poppler's pdftotext: the dossier release guard reads every PDF back before it is released.
pdftools:
	@command -v pdftotext >/dev/null 2>&1 || scripts/apt_install.sh poppler-utils

# lint-imports: the layers contract in pyproject.toml ([tool.importlinter]).
lint: lint-templates
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

# mypy --strict with django-stubs on services, selectors, rules and the web layer; which files
# and how strictly is in pyproject.toml ([tool.mypy]).
typecheck:
	.venv/bin/mypy

# djLint over every templates/ folder; its rules and the project's own (CSP) are set in
# pyproject.toml ([tool.djlint]) and .djlint_rules.yaml.
lint-templates:
	.venv/bin/djlint --lint .

check-migrations:
	MAATWERQ_MODE=test DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run

# Three parts: most tests on two workers (pytest-xdist: each worker its own test database,
# test_maatwerq_gw0/1); then the browser journeys on two workers (each its own live server
# on a free port and its own Chromium); then what must not share the machine, alone: the
# faults, the ops, the real worker and the browser tests marked alone (the offline journey).
# The first part builds the workers' databases afresh and keeps them (--create-db --reuse-db),
# so the browser part's workers do not migrate two more.
pytest:
	$(PYTEST) -n 2 --dist loadfile --create-db --reuse-db -m "not serial" $(PYTEST_ARGS) $(NO_TESTS_OK)
	$(PYTEST) -n 2 --dist loadfile --reuse-db -m "serial and browser and not alone" $(PYTEST_ARGS) $(NO_TESTS_OK)
	$(PYTEST) -m "serial and not (browser and not alone)" $(PYTEST_ARGS) $(NO_TESTS_OK)

## test-fast: the loop while working; PostgreSQL and Redis as for make test. The workers' test
## databases are kept between runs (--reuse-db: new migrations are still applied);
## PYTEST_ARGS=--create-db builds them afresh, e.g. after switching to a branch whose
## migrations differ.
test-fast: install-dev assets messages services
	$(PYTEST) -n 2 --dist loadfile --reuse-db \
		-m "not (browser or faults or ops or crawl or fuzz or slow or serial)" $(PYTEST_ARGS) $(NO_TESTS_OK)

## audit: known vulnerabilities in every locked dependency (pip-audit). Needs the PyPI JSON API
## (pypi.org/pypi/<name>/json) or OSV, so it is not part of `make test`. --strict fails when a
## package could not be checked, so "nothing found" never means "nothing looked at".
audit: install-dev
	set -o pipefail; uv export --frozen --all-groups --no-emit-project --format requirements-txt \
		| .venv/bin/pip-audit --strict --disable-pip --progress-spinner off -r /dev/stdin
