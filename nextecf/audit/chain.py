"""Sealing the audit log into a hash chain, and checking the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from nextecf.audit.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
# Events younger than this may belong to a transaction that has not committed yet, whose
# earlier-numbered events would otherwise be skipped for ever; wait for them.
SETTLE = timedelta(seconds=60)


def event_digest(event: AuditEvent, previous: str) -> str:
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
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def audit_seal(*, batch: int = 5000) -> int:
    """Seal every settled, unsealed event; returns how many were sealed."""
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One sealer at a time, or two would both extend the same last link.
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE audit_auditseal IN EXCLUSIVE MODE")
            last = AuditSeal.objects.order_by("-seq").values_list("digest", flat=True).first()
            previous = last or GENESIS
            events = list(
                AuditEvent.objects.filter(
                    seal__isnull=True, created_at__lt=timezone.now() - SETTLE
                ).order_by("pk")[:batch]
            )
            for event in events:
                previous = event_digest(event, previous)
                AuditSeal.objects.create(event=event, digest=previous)
            sealed += len(events)
        if len(events) < batch:
            return sealed


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None  # the first seal whose digest does not match, if any
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainCheck:
    previous = GENESIS
    checked = 0
    expected_seq = None
    for seal in AuditSeal.objects.select_related("event").order_by("seq").iterator(chunk_size=2000):
        if expected_seq is not None and seal.seq != expected_seq:
            return ChainCheck(checked, seal.seq, f"seal {expected_seq} is missing")
        previous_ok = event_digest(seal.event, previous)
        if previous_ok != seal.digest:
            return ChainCheck(checked, seal.seq, f"event {seal.event_id} does not match its seal")
        previous = seal.digest
        expected_seq = seal.seq + 1
        checked += 1
    return ChainCheck(checked, None)
