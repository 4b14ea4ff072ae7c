"""The keyed chain on PostgreSQL, in real transactions: sequences that skip after a
rollback, rows changed behind the application's back, and the migration off the unkeyed
seals with the append-only trigger in place."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from nextecf.audit.chain import audit_seal, audit_verify
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, AuditSeal
from nextecf.audit.tests.utils import canonical, later, tamper, unkeyed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("audit", "0007_pcl_events")]
AFTER = [("audit", "0009_keyed_chain")]


class Rollback(Exception):
    pass


def test_a_rolled_back_event_and_sealing_batch_are_not_a_false_alarm():
    AuditEventFactory.create_batch(2)
    with later():
        audit_seal()
    with pytest.raises(Rollback), transaction.atomic():
        AuditEventFactory()
        raise Rollback
    AuditEventFactory.create_batch(2)
    with later(), pytest.raises(Rollback), transaction.atomic():
        assert audit_seal() == 2  # takes two seal numbers, then fails
        raise Rollback
    with later():
        assert audit_seal() == 2
    seqs = list(AuditSeal.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs[2] - seqs[1] == 3  # the rolled-back batch's numbers are gone for good
    check = audit_verify()
    assert check.ok and check.checked == 4
    call_command("audit_verify")


def test_a_row_changed_with_raw_sql_is_caught(sealed):
    events = sealed(3)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[1].pk])
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[1].pk])
    seal = AuditSeal.objects.get(event_id=events[1].pk)
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert str(caught.value) == (
        f"audit chain broken at seal {seal.seq}: event {events[1].pk} does not match its "
        "seal (1 seals verified before it)"
    )


def test_plain_hashes_rebuilt_by_a_superuser_are_caught(sealed):
    events = sealed(3)
    tamper("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
    previous = "0" * 64
    for seal in AuditSeal.objects.select_related("event").order_by("seq"):
        previous = hashlib.sha256(f"{previous}\n{canonical(seal.event)}".encode()).hexdigest()
        tamper("UPDATE audit_auditseal SET digest = %s WHERE seq = %s", [previous, seal.seq])
    check = audit_verify()
    assert not check.ok and check.checked == 0
    assert check.problem == f"event {events[0].pk} does not match its seal"


def test_the_migration_replaces_the_unkeyed_seals_and_keeps_the_trigger():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    previous = unkeyed.LEGACY_GENESIS
    for reason in ("a", "b"):
        event = old.get_model("audit", "AuditEvent").objects.create(
            event_type="LOGIN", outcome="success", reason=reason
        )
        previous = unkeyed.legacy_digest(event, previous)
        old.get_model("audit", "AuditSeal").objects.create(event=event, digest=previous)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    assert AuditSeal.objects.count() == 0 and AuditEvent.objects.count() == 2
    with later():
        assert audit_seal() == 2
    assert audit_verify().ok
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditseal")
