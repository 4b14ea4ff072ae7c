"""The TRAINING database: a separate instance with its own database. Each instance here
runs in a process of its own (training_driver), as a court runs them, on databases of the
suite's own kind: SQLite files, or PostgreSQL databases beside the test database (run the
suite with DATABASE_URL=postgres://... for that). The LIVE database is fingerprinted, every
row of every table, before and after the training instance does its work."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from nextecf.billing.gateways import SandboxGateway, payment_gateway
from nextecf.courts.factories import CourtFactory
from nextecf.courts.tasks import nightly_at_reset_hour

ROOT = Path(settings.BASE_DIR)


@dataclass
class Database:
    url: str
    fingerprint_of: object

    def fingerprint(self) -> dict[str, str]:
        return self.fingerprint_of()  # type: ignore[operator]


def _digest(rows: list[tuple[object, ...]]) -> str:
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def _sqlite(path: Path) -> Database:
    def fingerprint() -> dict[str, str]:
        with sqlite3.connect(path) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
                )
            ]
            return {t: _digest(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}  # noqa: S608 - names from the catalogue

    return Database(f"sqlite:///{path}", fingerprint)


def _postgres_databases(names: list[str]) -> Iterator[list[Database]]:
    import psycopg

    base = settings.DATABASES["default"]
    params = {
        "host": base.get("HOST") or "127.0.0.1",
        "port": base.get("PORT") or 5432,
        "user": base.get("USER") or "postgres",
        "password": base.get("PASSWORD") or None,
    }
    auth = params["user"] + (f":{params['password']}" if params["password"] else "")
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')

    def fingerprint_of(name: str):
        def fingerprint() -> dict[str, str]:
            with psycopg.connect(dbname=name, **params) as db:
                tables = [
                    t
                    for (t,) in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "ORDER BY tablename"
                    )
                ]
                return {t: _digest(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}  # noqa: S608 - names from the catalogue

        return fingerprint

    yield [
        Database(
            f"postgres://{auth}@{params['host']}:{params['port']}/{name}", fingerprint_of(name)
        )
        for name in names
    ]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live_and_training(tmp_path) -> Iterator[tuple[Database, Database]]:
    """Two empty databases of the suite's kind, for LIVE and for TRAINING."""
    if connection.vendor == "postgresql":
        prefix = connection.settings_dict["NAME"]
        yield from (
            (live, training)
            for live, training in _postgres_databases([f"{prefix}_live", f"{prefix}_training"])
        )
    else:
        yield _sqlite(tmp_path / "live.sqlite3"), _sqlite(tmp_path / "training.sqlite3")


def run(command: str, database: Database, tmp_path: Path, name: str, **env: str):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TRAINING_INSTANCE"}},
        "DATABASE_URL": database.url,
        "DOCUMENT_STORAGE": "filesystem",
        "DOCUMENT_STORAGE_DIR": str(tmp_path / f"{name}-documents"),
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / f"{name}-checkpoints"),
        "TASK_QUEUE_URL": f"sqlite:///{tmp_path / f'{name}-tasks.sqlite3'}",
        "TASK_QUEUE_IMMEDIATE": "true",
        **env,
    }
    return subprocess.run(  # noqa: S603 - this interpreter and our own driver
        [sys.executable, "-m", "nextecf.courts.tests.training_driver", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def result(process) -> dict[str, object]:
    assert process.returncode == 0, process.stderr[-4000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def files(directory: Path) -> dict[str, int]:
    return {
        str(p.relative_to(directory)): p.stat().st_size for p in directory.rglob("*") if p.is_file()
    }


def test_a_filer_practises_the_whole_flow_on_training_and_live_is_not_touched(
    live_and_training, tmp_path
):
    live, training = live_and_training
    demo_cases = result(run("live", live, tmp_path, "live"))["cases"]
    assert isinstance(demo_cases, int) and demo_cases >= 2
    live_before = live.fingerprint()
    live_files = files(tmp_path / "live-documents")
    assert live_before and live_files  # the demo's rows and PDFs

    practised = result(
        run(
            "train",
            training,
            tmp_path,
            "training",
            TRAINING_INSTANCE="true",
            LIVE_DATABASE_URL=live.url,
            PAYMENT_GATEWAY="nextecf.billing.gateways.SandboxGateway",
        )
    )

    assert practised["reset"] == "done"
    assert practised["court_database"] == "training"
    assert practised["banner"] and practised["home_says_training"]
    assert practised["gateway"] == SandboxGateway.name
    assert practised["cases"] == demo_cases + 1  # the demo's and the one opened in practice
    assert live.fingerprint() == live_before
    assert files(tmp_path / "live-documents") == live_files
    assert training.fingerprint() != live_before


def test_a_training_instance_given_the_live_database_refuses_to_start(live_and_training, tmp_path):
    live, _training = live_and_training
    result(run("live", live, tmp_path, "live"))
    before = live.fingerprint()
    process = run(
        "train", live, tmp_path, "training", TRAINING_INSTANCE="true", LIVE_DATABASE_URL=live.url
    )
    assert process.returncode != 0
    assert "DATABASE_URL names the LIVE database" in process.stderr
    assert live.fingerprint() == before


def test_the_nightly_reset_never_empties_a_database_with_a_live_court(live_and_training, tmp_path):
    """A training instance pointed at LIVE by mistake (LIVE_DATABASE_URL not given), or the
    job run on LIVE itself: the reset is refused and LIVE keeps every row."""
    live, _training = live_and_training
    result(run("live", live, tmp_path, "live"))
    before = live.fingerprint()
    as_training = result(run("reset", live, tmp_path, "training", TRAINING_INSTANCE="true"))
    assert as_training["reset"] == "refused"
    assert "LIVE court records (" in str(as_training["why"])
    assert "cit" in str(as_training["why"])
    as_live = result(run("reset", live, tmp_path, "live"))
    assert as_live == {
        "reset": "refused",
        "why": "this is not a training instance (TRAINING_INSTANCE is off)",
    }
    assert live.fingerprint() == before


@pytest.mark.parametrize(
    ("training", "utc", "due"),
    [
        (True, datetime(2026, 12, 2, 7, 0), True),  # 02:00 in New York (EST)
        (True, datetime(2026, 7, 2, 6, 0), True),  # 02:00 in New York (EDT)
        (True, datetime(2026, 12, 2, 7, 1), False),
        (True, datetime(2026, 12, 2, 2, 0), False),  # 02:00 UTC is not the court's night
        (False, datetime(2026, 12, 2, 7, 0), False),  # LIVE never resets
    ],
)
def test_the_reset_is_scheduled_nightly_in_court_time_on_training_only(
    settings, training, utc, due
):
    settings.TRAINING_INSTANCE = training
    settings.TRAINING_RESET_HOUR = 2
    assert nightly_at_reset_hour(utc) is due


@pytest.mark.django_db
def test_a_training_instance_takes_fees_only_with_the_sandbox(settings):
    settings.TRAINING_INSTANCE = True
    settings.PAYMENT_GATEWAY = "nextecf.tests.no_such.Gateway"  # never imported on training
    assert isinstance(payment_gateway(CourtFactory()), SandboxGateway)


@pytest.mark.django_db
def test_the_court_home_links_its_training_database(client, settings):
    settings.TRAINING_SITE_URL = "https://ecf-train.cit.example"
    CourtFactory(pk="cit", has_training_database=True)
    CourtFactory(pk="cafc", has_training_database=False)
    page = client.get("/cit/").content.decode()
    assert '<a href="https://ecf-train.cit.example/cit/">TRAINING Database</a>' in page
    assert "TRAINING DATABASE" not in page  # LIVE carries no banner
    assert "TRAINING Database" not in client.get("/cafc/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/cit/", "/cit/help/", "/cit/opinions/", "/csologin/login/"])
def test_every_page_of_a_training_instance_says_so(client, settings, path):
    settings.TRAINING_INSTANCE = True
    CourtFactory(pk="cit")
    page = client.get(path)
    assert page.status_code == 200
    assert 'id="training-banner"' in page.content.decode()
