# lpsite: `make run` to try the site, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate seed test test-fast test-e2e lint format browsers bench bench-http backup restore clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

migrate: install ## Apply database migrations (SQLite unless DATABASE_URL is set)
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo content (safe to repeat)
	$(PY) manage.py seed_demo

run: seed ## Install, migrate, load demo content and serve http://127.0.0.1:8000
	@echo ""
	@echo "Site:  http://$(HOST):$(PORT)/"
	@echo "Admin: http://$(HOST):$(PORT)/admin/  (logins printed above, dev only)"
	@echo ""
	$(PY) manage.py set_site_url http://$(HOST):$(PORT)
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
# The slowest 15 tests are listed at the end: CI must stay under 20 minutes (docs/architecture.md, Tests).
TEST_WORKERS ?= auto

test: install ## Run the whole test suite on every core (browser tests skip when Chromium is missing)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

test-fast: install ## Run the suite without the browser tests
	$(BIN)/pytest -m "not e2e"

test-e2e: install ## Run only the browser tests (needs Debian's chromium)
	$(BIN)/pytest -m e2e

lint: install ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browsers: ## Install Debian's Chromium for the browser tests (needs root)
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation

bench: install ## Print the in-process performance figures (see bench/)
	@for script in bench/pages.py bench/library.py bench/inboxes.py bench/lighthouse.py; do $(PY) "$$script"; done; true

bench-http: install ## gunicorn + wrk per page kind, then reads under form posts (BENCH_BEFORE=<commit> compares; see bench/README.md)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(PY) bench/http_bench.py
	$(PY) bench/mixed_load.py

backup: ## Dump PostgreSQL (DATABASE_URL) and media into backups/ (see docs/security.md)
	scripts/backup.sh $(BACKUP_DIR)

restore: ## Restore BACKUP=backups/lpsite-<stamp> into DATABASE_URL and MEDIA_ROOT
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/lpsite-<stamp>"; exit 2; }
	scripts/restore.sh "$(BACKUP)"

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .pytest_cache
