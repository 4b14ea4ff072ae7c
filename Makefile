# NextECF. `make run` serves the demo; `make test` is the whole check (lint, types,
# migrations, SQLite and PostgreSQL suites, browser tests).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TRAINING_PORT ?= 8001
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium

.PHONY: run dev training test bench lint typecheck migrations-check demo-reset install install-test clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The production server (gunicorn, static files by whitenoise) with the task worker and
# scheduler beside it; Ctrl-C stops both.
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py index_document_text
	$(PY) manage.py collectstatic --noinput -v 0
	@echo "Serving on http://$(HOST):$(PORT)/cit/  (Ctrl-C to stop)"
	@if [ -n "$$ECF_DOMAIN" ]; then echo "Court hosts: ecf.cit.$$ECF_DOMAIN:$(PORT), pacer.login.$$ECF_DOMAIN:$(PORT) (they must resolve to $(HOST))"; fi
	@export DEMO_MAILBOX=true SITE_URL=http://$(HOST):$(PORT) HOST=$(HOST) PORT=$(PORT) \
	  TRAINING_SITE_URL=$${TRAINING_SITE_URL-http://$(HOST):$(TRAINING_PORT)}; \
	$(PY) manage.py run_huey --flush-locks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py nextecf.wsgi

# The court's TRAINING database: a second instance with its own database
# (var/training-nextecf.sqlite3), queue, documents and cookie, the sandbox gateway and a
# banner on every page; its scheduler resets it to the demo nightly. Beside `make run`.
training: install
	mkdir -p var
	@export TRAINING_INSTANCE=true DEMO_MAILBOX=true SITE_URL=http://$(HOST):$(TRAINING_PORT) \
	  HOST=$(HOST) PORT=$(TRAINING_PORT) \
	  LIVE_DATABASE_URL=$${DATABASE_URL-sqlite:///var/nextecf.sqlite3} \
	  DATABASE_URL=$${TRAINING_DATABASE_URL-sqlite:///var/training-nextecf.sqlite3}; \
	$(PY) manage.py migrate --noinput -v 0 && $(PY) manage.py load_demo >/dev/null || exit 1; \
	$(PY) manage.py collectstatic --noinput -v 0; \
	echo "TRAINING database on http://$(HOST):$(TRAINING_PORT)/cit/  (Ctrl-C to stop)"; \
	$(PY) manage.py run_huey --flush-locks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py nextecf.wsgi

# Development: runserver reloads on every change; the task worker runs beside it.
dev: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py index_document_text
	@export DEBUG=true DEMO_MAILBOX=true SITE_URL=http://$(HOST):$(PORT); \
	$(PY) manage.py run_huey --flush-locks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

demo-reset: install
	rm -f var/nextecf.sqlite3 var/tasks.sqlite3* var/mail/*
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
	@# The two-node test (tests/deploy/) runs behind Debian's HAProxy, with Redis.
	@for tool in haproxy:/usr/sbin/haproxy redis-server:/usr/bin/redis-server; do \
	  pkg=$${tool%%:*}; bin=$${tool#*:}; \
	  if [ ! -x $$bin ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkg >/dev/null; \
	    else echo "!! $$bin is missing; install Debian's $$pkg package"; fi; \
	  fi; \
	done

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
