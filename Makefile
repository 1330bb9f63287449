# KPI Công vụ — the two commands a newcomer needs:
#   make run    set up .venv, migrate, load the demo province, create an admin, serve 127.0.0.1:8000
#   make test   set up .venv and run the whole test suite (pytest + ruff + migration check)
# Everything else here is a step of those two.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

.PHONY: run test setup install messages messages-update migrate demo lint check-migrations pytest browser-deps clean

run: setup demo
	@$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install messages browser-deps lint check-migrations pytest

setup: install messages migrate

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

messages: install
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v0

messages-update: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=benchmarks --ignore='demo/data/*' --ignore='scoring/engine/*'

migrate: install
	$(BIN)/python manage.py migrate --no-input -v0

demo: migrate
	$(BIN)/python manage.py load_demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v0

# Two processes by default (CI has 2 cores); each test file stays in one process, so the
# module-wide demo world of tests/test_access_matrix.py is built once. PYTEST_ARGS="-n 0"
# runs everything in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
# The suite's own settings (fast password hashing, throwaway media), whatever the Makefile exports.
pytest: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest $(PYTEST_ARGS)

browser-deps:
	@bash scripts/ensure-chromium.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
