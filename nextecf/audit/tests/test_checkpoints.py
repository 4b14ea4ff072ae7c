"""The chain head checkpointed outside the database on every sealing, and SQLite's own
append-only triggers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from nextecf.audit.chain import audit_maintenance, audit_seal, audit_verify
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, AuditSeal
from nextecf.audit.tests.utils import later, tamper


def checkpoint_lines(settings) -> list[dict]:
    path = Path(settings.AUDIT_CHECKPOINT_PATH) / "checkpoints.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_sealing_appends_a_signed_checkpoint_and_logs_it(
    db, settings, sealed, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sealed(3)
    with django_capture_on_commit_callbacks(execute=True):
        sealed(2)
    lines = checkpoint_lines(settings)
    head = AuditSeal.objects.order_by("-seq").first()
    assert [(line["seq"], line["seals"]) for line in lines][-1] == (head.seq, 5)
    assert lines[-1]["digest"] == head.digest and len(lines[-1]["signature"]) == 64
    assert len(lines) == 2
    assert sum("audit checkpoint" in r.getMessage() for r in caplog.records) == 2
    check = audit_verify()
    assert check.ok and check.checkpoint is not None and check.checkpoint.seq == head.seq
    # Nothing new to seal: no new line.
    with django_capture_on_commit_callbacks(execute=True), later():
        audit_seal()
    assert len(checkpoint_lines(settings)) == 2


def test_deleting_the_newest_sealed_rows_is_reported_through_the_checkpoint(
    db, sealed, django_capture_on_commit_callbacks
):
    """Finding: deleting the newest rows and their seals went unnoticed."""
    with django_capture_on_commit_callbacks(execute=True):
        events = sealed(4)
    for event in events[-2:]:
        tamper("DELETE FROM audit_auditseal WHERE event_id = %s", [event.pk])
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    check = audit_verify()
    assert not check.ok and check.broken_at is None and check.checked == 2
    assert "the newest sealed rows were removed" in check.problem
    with pytest.raises(CommandError, match="audit chain cut short"):
        call_command("audit_verify")


def test_a_forged_checkpoint_line_is_reported(
    db, settings, sealed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sealed(2)
    path = Path(settings.AUDIT_CHECKPOINT_PATH) / "checkpoints.jsonl"
    line = json.loads(path.read_text().splitlines()[-1])
    line["seq"] = 1  # as if the chain had been shorter
    with path.open("a") as file:
        file.write(json.dumps(line) + "\n")
    check = audit_verify()
    assert not check.ok and "is not signed under a chain key" in check.problem


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditseal SET digest = 'x'",
        "DELETE FROM audit_auditseal",
    ],
)
def test_sqlite_itself_refuses_updates_and_deletes_of_audit_rows(db, sealed, sql):
    """Finding: SQLite had no protection at all."""
    sealed(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == AuditSeal.objects.count() == 1
    # The owner's way past it (flush, tests playing a superuser) still works.
    with audit_maintenance(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditseal")
    assert not AuditSeal.objects.exists()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_flush_still_empties_the_audit_log_past_the_sqlite_triggers(db):
    AuditEventFactory()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
