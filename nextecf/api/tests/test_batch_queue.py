"""A batch report is created by its request and run by the task queue's worker: until the
worker has run it, its status says WAITING."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY

from nextecf.api.tests.conftest import make_cases


@pytest.fixture
def queued(monkeypatch, tmp_path):
    """A real (SQLite) queue of the test's own instead of immediate mode."""
    monkeypatch.setitem(HUEY.storage_kwargs, "filename", str(tmp_path / "tasks.sqlite3"))
    HUEY.immediate = False
    try:
        yield HUEY
    finally:
        HUEY.immediate = True


def test_a_batch_report_waits_for_the_worker_then_completes(api, court, people, queued):
    make_cases(court, 3, "Queued")
    client = api(people.public)
    info = client.post("/cases/download", {"caseTitle": "queued"}).json()
    assert (info["status"], info["recordCount"]) == ("WAITING", 0)
    status = client.get(f"/cases/download/status/{info['reportId']}").json()
    assert status["status"] == "WAITING"

    job = queued.dequeue()
    assert job.name == "pcl_report_run"
    assert queued.dequeue() is None
    queued.immediate = True  # run it here, in the test's transaction, as the worker would
    queued.execute(job)

    done = client.get(f"/cases/download/status/{info['reportId']}").json()
    assert (done["status"], done["recordCount"]) == ("COMPLETED", 3)
