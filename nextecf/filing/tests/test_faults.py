"""Crash recovery: a filing process really killed (os._exit) at each named point of
filing_submit, against a SQLite database file shared with the processes that recover.

Before the commit: no case, docket entry, document row or filing survives; once
sweep_documents and void_abandoned_charges have run (eight days later, past the draft
lifetime), no stored file and no live charge is left either, and the case number was not
used up. After the commit: the filing stands, and no notice is lost: those not sent are
still queued, and send_queued_mail delivers them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from nextecf.lib.faults import ENV

DRIVER = "nextecf.filing.tests.fault_driver"
TIMEOUT = 120
# The filer is mailed at the primary address and two secondary ones.
NOTICES = 3


def run(command: str, env: dict[str, str], fault: str = "") -> subprocess.CompletedProcess[str]:
    full_env = {**env, ENV: fault} if fault else env
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", DRIVER, command],
        env=full_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def environment(root: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {ENV, "DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DOCUMENT_STORAGE_DIR=str(root / "documents"),
        FAULT_MAIL_DIR=str(root / "mail"),
        DJANGO_SETTINGS_MODULE="nextecf.settings",
    )
    return env


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> Path:
    """One migrated database file, copied for each test."""
    root = tmp_path_factory.mktemp("fault-schema")
    database = root / "template.sqlite3"
    done = run("migrate", environment(root, database))
    assert done.returncode == 0, done.stderr
    return database


@pytest.fixture
def world(schema, tmp_path) -> dict[str, str]:
    database = tmp_path / "db.sqlite3"
    shutil.copy(schema, database)
    return environment(tmp_path, database)


def killed_filing(world: dict[str, str], fault: str) -> list[dict[str, object]]:
    """File with the fault point set; the process must die there. Then recover; returns the
    states before the sweep, after it, and after sending the queued mail."""
    filing = run("file", world, fault)
    assert filing.returncode == 1, (filing.returncode, filing.stdout, filing.stderr[-3000:])
    assert "filed" not in filing.stdout  # it died before finishing
    recovery = run("recover", world)
    assert recovery.returncode == 0, recovery.stderr[-3000:]
    return [json.loads(line) for line in recovery.stdout.splitlines()]


@pytest.mark.parametrize(
    ("fault", "charged", "blobs_written"),
    [
        ("after_charge", True, 0),
        ("during_storage", True, 1),
        ("after_blobs", True, 2),
        ("before_commit", True, 2),
    ],
)
def test_killed_before_the_commit_nothing_survives_the_clean_up(
    world, fault, charged, blobs_written
):
    killed, swept, mailed = killed_filing(world, fault)
    # Nothing of the filing is in the database.
    for state in (killed, swept):
        assert state["cases"] == state["entries"] == state["documents"] == 0
        assert state["filings"] == state["payments"] == state["free_looks"] == 0
        assert state["emails"] == {}
        assert state["case_sequence"] == 0  # the number was not used up
    # What lived outside it is left over at first ...
    assert killed["charges"] == ({"approved": 1} if charged else {})
    assert len(killed["blobs"]) == blobs_written
    assert len(killed["staged_blobs"]) == 2
    # ... and gone after the clean-up: no orphan file, no live charge.
    assert swept["blobs"] == [] and swept["staged_blobs"] == []
    assert swept["charges"] == ({"voided": 1} if charged else {})
    assert swept["drafts"] == 0
    assert mailed["delivered"] == 0


@pytest.mark.parametrize(
    ("fault", "sent_before"), [("nef_before_send", 0), ("nef_after_first_send", 1)]
)
def test_killed_after_the_commit_the_filing_stands_and_no_notice_is_lost(world, fault, sent_before):
    killed, swept, mailed = killed_filing(world, fault)
    for state in (killed, swept, mailed):
        assert (state["cases"], state["entries"], state["documents"]) == (1, 1, 2)
        assert (state["filings"], state["payments"], state["case_sequence"]) == (1, 1, 1)
        assert state["charges"] == {"approved": 1}  # paid for a filing that exists
        assert state["blobs"] == state["document_keys"]  # every file referenced, none lost
        assert state["free_looks"] == NOTICES * 2
    queued = NOTICES - sent_before
    assert killed["emails"] == {
        k: v for k, v in {"queued": queued, "sent": sent_before}.items() if v
    }
    assert killed["delivered"] == sent_before
    assert swept["staged_blobs"] == []  # the staged copies the dead process left
    assert mailed["emails"] == {"sent": NOTICES}
    assert mailed["delivered"] == NOTICES


def test_without_a_fault_the_driver_files(world):
    filing = run("file", world)
    assert filing.returncode == 0, filing.stderr[-3000:]
    assert json.loads(filing.stdout.splitlines()[-1])["filed"].endswith("-cv-00001")
    recovery = run("recover", world)
    killed, swept, _ = [json.loads(line) for line in recovery.stdout.splitlines()]
    assert killed["emails"] == {"sent": NOTICES} and killed["delivered"] == NOTICES
    assert killed["staged_blobs"] == [] and swept["blobs"] == swept["document_keys"]
