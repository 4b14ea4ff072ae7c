# NextECF. `make run` serves the demo; `make test` is the whole check (lint, types,
# migrations, SQLite and PostgreSQL suites, browser tests).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test bench lint typecheck migrations-check demo-reset install install-test clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/cit/  (Ctrl-C to stop)"
	@if [ -n "$$ECF_DOMAIN" ]; then echo "Court hosts: ecf.cit.$$ECF_DOMAIN:$(PORT), pacer.login.$$ECF_DOMAIN:$(PORT) (they must resolve to $(HOST))"; fi
	DEMO_MAILBOX=true SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver --insecure $(HOST):$(PORT)

demo-reset: install
	rm -f var/nextecf.sqlite3 var/mail/*
	rm -rf var/documents
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo

# Browser tests need Debian's chromium and axe-core; both are installed when missing.
install-test: install
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "!! $(CHROMIUM) is missing; install Debian's chromium package"; fi; \
	fi
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy nextecf

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

test: install-test lint typecheck migrations-check
	@echo "== Test suite on SQLite =="
	$(VENV)/bin/pytest
	@echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL='$(TEST_DATABASE_URL)' $(VENV)/bin/pytest; \
	else \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! PostgreSQL does not answer at $(TEST_DATABASE_URL)."; \
	  echo "!! The PostgreSQL pass did NOT run; its race and locking tests were skipped above."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

# The scale figures need PostgreSQL (BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/nextecf_bench) and wrk, installed when missing.
bench: install
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "!! wrk is missing; install Debian's wrk package"; fi; \
	fi
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules var
