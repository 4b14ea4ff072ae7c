"""Sealing the audit log into a keyed chain, and checking the chain.

Each seal's digest is HMAC-SHA256, under a key from the settings (never the database), of
its event and of the digest of the seal it names as its predecessor. Without the key, a
rewritten row cannot be given a seal that verifies, however the plain hashes are redone.

The chain is the `previous` links, not the seal numbers: PostgreSQL hands out sequence
values that a rolled-back transaction never uses, so numbers may skip without anything
being missing. A seal removed from the middle still shows, as the next seal names a
predecessor that is gone and its digest covers that predecessor's. What no chain can show
is its own tail cut off: record the head `audit_verify` prints somewhere else."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nextecf.audit.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
# Events younger than this may belong to a transaction that has not committed yet, whose
# earlier-numbered events would otherwise be skipped for ever; wait for them.
SETTLE = timedelta(seconds=60)


def key_id(key: str) -> str:
    """A seal's name for its key, which tells nothing about the key itself."""
    return hmac.new(key.encode(), b"nextecf.audit-chain.key-id", hashlib.sha256).hexdigest()[:16]


def chain_keys() -> dict[str, bytes]:
    """Every key a seal may name, by key id; the first is the one new seals are made with."""
    keys = [settings.AUDIT_CHAIN_KEY, *settings.AUDIT_CHAIN_OLD_KEYS]
    return {key_id(key): key.encode() for key in keys}


def event_digest(event: AuditEvent, *, previous: str, key: bytes) -> str:
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
    return hmac.new(key, f"{previous}\n{canonical}".encode(), hashlib.sha256).hexdigest()


def audit_seal(*, batch: int = 5000) -> int:
    """Seal every settled, unsealed event; returns how many were sealed."""
    current_id, current_key = next(iter(chain_keys().items()))
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One sealer at a time, or two would both extend the same last link.
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE audit_auditseal IN EXCLUSIVE MODE")
            last = AuditSeal.objects.order_by("-seq").first()
            events = list(
                AuditEvent.objects.filter(
                    seal__isnull=True, created_at__lt=timezone.now() - SETTLE
                ).order_by("pk")[:batch]
            )
            for event in events:
                previous = last.digest if last else GENESIS
                last = AuditSeal.objects.create(
                    event=event,
                    previous=last,
                    key_id=current_id,
                    digest=event_digest(event, previous=previous, key=current_key),
                )
            sealed += len(events)
        if len(events) < batch:
            return sealed


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None  # the first seal that does not verify, if any
    problem: str = ""
    head: AuditSeal | None = None  # the last seal verified

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainCheck:
    keys = chain_keys()
    last: AuditSeal | None = None
    checked = 0
    for seal in AuditSeal.objects.select_related("event").order_by("seq").iterator(chunk_size=2000):
        expected = last.seq if last else None
        if seal.previous_id != expected:
            after = f"seal {seal.previous_id}" if seal.previous_id else "no seal"
            follows = f"seal {expected}" if expected else "the start of the chain"
            problem = (
                f"seal {seal.seq} was made after {after} but follows {follows}: "
                "seals were removed or reordered"
            )
            return ChainCheck(checked, seal.seq, problem, last)
        key = keys.get(seal.key_id)
        if key is None:
            problem = (
                f"seal {seal.seq} was made with key {seal.key_id}, which is neither "
                "AUDIT_CHAIN_KEY nor one of AUDIT_CHAIN_OLD_KEYS"
            )
            return ChainCheck(checked, seal.seq, problem, last)
        digest = event_digest(seal.event, previous=last.digest if last else GENESIS, key=key)
        if not hmac.compare_digest(digest, seal.digest):
            return ChainCheck(
                checked, seal.seq, f"event {seal.event_id} does not match its seal", last
            )
        last = seal
        checked += 1
    return ChainCheck(checked, None, head=last)
