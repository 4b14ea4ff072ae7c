"""The task queue for several nodes: two real `run_huey` workers on one Redis queue and one
PostgreSQL database run every job exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from huey.utils import load_class

from nextecf.lib.env import task_queue_from_url
from nextecf.tests import queue_probe

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
JOBS = 60


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_queue():
    """A queue of this test run's own (its name prefixes every Redis key), emptied after."""
    name = f"nextecf-test-{uuid.uuid4().hex[:12]}"
    config = task_queue_from_url(
        REDIS_URL, settings.BASE_DIR, name=name, immediate=False, workers=1
    )
    config.pop("consumer")
    huey = load_class(config.pop("huey_class"))(config.pop("name"), **config)
    try:
        huey.storage.conn.ping()
    except Exception:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    try:
        yield name, huey
    finally:
        huey.flush()


@pytest.mark.postgres
def test_two_workers_run_each_job_exactly_once(transactional_db, redis_queue, tmp_path):
    name, huey = redis_queue
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE queue_probe (job integer PRIMARY KEY, pid integer, runs integer)"
        )
    env = {
        **os.environ,
        "TASK_QUEUE_URL": REDIS_URL,
        "TASK_QUEUE_NAME": name,
        "TASK_QUEUE_IMMEDIATE": "false",
        "DATABASE_URL": database_url(),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "nextecf.tests.queue_probe"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"worker{n}.log").open("w"),
        )
        for n in range(2)
    ]
    try:
        probe = huey.task()(queue_probe.probe_record)
        for job in range(JOBS):
            probe(job)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM queue_probe")
                if cursor.fetchone()[0] >= JOBS and huey.pending_count() == 0:
                    break
            time.sleep(0.2)
        time.sleep(1)  # a duplicate would land now
        with connection.cursor() as cursor:
            cursor.execute("SELECT job, pid, runs FROM queue_probe ORDER BY job")
            rows = cursor.fetchall()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS queue_probe")
    logs = "".join(path.read_text()[-2000:] for path in sorted(tmp_path.glob("worker*.log")))
    assert [job for job, _pid, _runs in rows] == list(range(JOBS)), logs
    assert {runs for _job, _pid, runs in rows} == {1}
    assert len({pid for _job, pid, _runs in rows}) == 2  # both workers took jobs
