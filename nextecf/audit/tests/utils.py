from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import time_machine
from django.db import connection, transaction
from django.utils import timezone

from nextecf.audit.chain import audit_maintenance
from nextecf.audit.models import AuditEvent


@contextmanager
def later(minutes: int = 2) -> Iterator[None]:
    """Far enough ahead for every event written so far to have settled."""
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False):
        yield


def tamper(sql: str, params: list[object] | None = None) -> None:
    """Raw SQL as a database superuser can run it: with triggers (the append-only ones
    too) switched off for the transaction (on SQLite, as the file's owner can)."""
    with audit_maintenance(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


# The retired unkeyed construction, as migration 0008 checks the old seals with it.
unkeyed = importlib.import_module("nextecf.audit.migrations.0008_drop_unkeyed_seals")


def canonical(event: AuditEvent) -> str:
    """What an attacker who read the code would hash: every field of the event."""
    fields = {
        "id": event.pk,
        "created_at": event.created_at.isoformat(),
        "event_type": event.event_type,
        "outcome": event.outcome,
        "reason": event.reason,
        "actor": event.actor_id,
        "subject": event.subject_id,
        "court": event.court_id,
        "username": event.username,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "path": event.path,
        "signon_ref": event.signon_ref,
        "detail": event.detail,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
