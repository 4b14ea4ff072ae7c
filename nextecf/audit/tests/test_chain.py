from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from nextecf.audit.chain import audit_maintenance, audit_seal, audit_verify
from nextecf.audit.models import AuditEvent, AuditSeal, Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor


def later(minutes: int = 2):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_settled_events_are_sealed_in_a_chain_that_verifies(db):
    for reason in ("a", "b", "c"):
        audit_record(event=Event.LOGIN, success=True, actor=Actor(), reason=reason)
    assert audit_seal() == 0  # too fresh: their transactions might still be open
    with later():
        assert audit_seal() == 3
        assert audit_seal() == 0
    assert audit_verify().ok and audit_verify().checked == 3
    call_command("audit_verify")


def test_changing_a_sealed_event_breaks_the_chain(db):
    for reason in ("a", "b", "c"):
        audit_record(event=Event.LOGIN, success=True, actor=Actor(), reason=reason)
    with later():
        audit_seal()
    middle = AuditEvent.objects.order_by("pk")[1]
    with audit_maintenance(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a database superuser can: with triggers (the append-only one too) off.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [middle.pk])
    check = audit_verify()
    assert not check.ok and check.checked == 1
    assert check.problem == f"event {middle.pk} does not match its seal"
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit_verify")


def test_removing_a_seal_breaks_the_chain(db):
    for reason in ("a", "b", "c"):
        audit_record(event=Event.LOGIN, success=True, actor=Actor(), reason=reason)
    with later():
        audit_seal()
    first = AuditSeal.objects.order_by("seq").first()
    with audit_maintenance(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = %s", [first.seq])
    assert not audit_verify().ok


def test_a_late_event_is_sealed_after_later_ones(db):
    early = audit_record(event=Event.LOGIN, success=True, actor=Actor(), reason="early")
    with later():
        late = audit_record(event=Event.LOGIN, success=True, actor=Actor(), reason="late")
        audit_seal()  # seals `early` only: `late` is not settled yet
    with later(5):
        audit_seal()
    order = list(AuditSeal.objects.order_by("seq").values_list("event_id", flat=True))
    assert order == [early.pk, late.pk]
    assert audit_verify().ok


@pytest.mark.postgres
def test_postgres_refuses_to_change_a_seal(db):
    audit_record(event=Event.LOGIN, success=True, actor=Actor())
    with later():
        audit_seal()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditseal SET digest = 'x'")
