# KPI Công vụ — the two commands a newcomer needs:
#   make run    set up .venv, migrate, load the demo province, create an admin, serve 127.0.0.1:8000
#   make test   set up .venv and run the whole test suite (pytest + ruff + mypy + migration check)
# Everything else here is a step of those two.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.PHONY: help run test test-fast setup install messages messages-update migrate demo lint format \
	hooks typecheck check-migrations pytest pytest-postgres guide-screenshots \
	browser-deps office-deps clean

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:[^#]*## /\t/' | expand -t 20

run: setup demo  ## set up .venv, migrate, load the demo province, serve 127.0.0.1:8000
	@$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install messages browser-deps office-deps lint typecheck check-migrations pytest  ## the whole suite: ruff, mypy, migration check, pytest (SQLite unless DATABASE_URL)

test-fast: install messages  ## the inner loop: pytest without the browser and demo-province tests
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest -n auto --dist loadfile \
		-m "not browser and not demo" $(FAST_ARGS)

setup: install messages migrate  ## .venv, compiled messages, migrated database

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies

messages: install  ## compile the translation catalogues
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v0

messages-update: install  ## re-extract the English catalogue (fill msgstr afterwards)
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=benchmarks --ignore='demo/data/*' --ignore='scoring/engine/*'

migrate: install  ## apply migrations to the development database
	$(BIN)/python manage.py migrate --no-input -v0

demo: migrate  ## load the demo province (idempotent)
	$(BIN)/python manage.py load_demo

lint: install  ## ruff check, ruff format --check, the import contracts (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install  ## ruff format and ruff check --fix, in place
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

hooks:  ## run `make lint` before each git commit (.git/hooks/pre-commit)
	@printf '#!/bin/sh\nexec make --no-print-directory lint\n' > .git/hooks/pre-commit
	@chmod +x .git/hooks/pre-commit
	@echo "pre-commit hook installed: make lint"

typecheck: install  ## mypy (django-stubs): strict on scoring/engine/, basic on services and access
	$(BIN)/mypy

check-migrations: install  ## fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v0

# Two processes by default (CI has 2 cores); each test file stays in one process, so the
# module-wide demo world of tests/test_access_matrix.py is built once. PYTEST_ARGS="-n 0"
# runs everything in one process.
# The 25 slowest tests are listed at the end of every run, so the log says where the time goes.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=25
# The suite's own settings (fast password hashing, throwaway media), whatever the Makefile exports.
pytest: install  ## pytest only (PYTEST_ARGS="-n 0" for one process)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# pytest on PostgreSQL, as production runs: on $$DATABASE_URL when it is set, otherwise on a
# throwaway server on 127.0.0.1:54329 that scripts/postgres-up.sh starts (installing Debian's
# postgresql with apt when it is missing, which needs root). CI runs the engine-sensitive tests
# this way (.ci/run); `make pytest-postgres` alone runs the whole suite on PostgreSQL.
pytest-postgres: install  ## pytest on PostgreSQL ($$DATABASE_URL, or a local server started for it)
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then url="$$(bash scripts/postgres-up.sh | tail -n 1)"; fi; \
	echo "pytest on PostgreSQL at $${url##*@}"; \
	DATABASE_URL="$$url" $(MAKE) --no-print-directory pytest

# Tests write their screenshots under tests/artifacts/ (untracked): a test run changes no
# tracked file. This one writes the user guide's pictures, to be reviewed and committed.
guide-screenshots: install messages browser-deps  ## refresh the user guide's pictures (docs/huong-dan/anh/)
	KPI_GUIDE_SCREENSHOTS=docs/huong-dan/anh DJANGO_SETTINGS_MODULE=cms.settings.test \
		$(BIN)/pytest -n 0 -p no:cacheprovider tests/browser/test_guide.py \
		tests/browser/test_quarterly_assessment.py

browser-deps:  ## check that Debian chromium is there for the browser tests
	@bash scripts/ensure-chromium.sh

office-deps:  ## check that LibreOffice Calc is there for the importer tests' LibreOffice files
	@bash scripts/ensure-libreoffice.sh

clean:  ## remove .venv, the development database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
