"""Sealing the audit log into a keyed chain, and checking the chain.

Each seal's digest is HMAC-SHA256, under a key from the settings (never the database), of
its event and of the digest of the seal it names as its predecessor. Without the key, a
rewritten row cannot be given a seal that verifies, however the plain hashes are redone.

The chain is the `previous` links, not the seal numbers: PostgreSQL hands out sequence
values that a rolled-back transaction never uses, so numbers may skip without anything
being missing. A seal removed from the middle still shows, as the next seal names a
predecessor that is gone and its digest covers that predecessor's. What no chain can show
is its own tail cut off, so every sealing also appends a checkpoint of the chain head,
HMAC-signed under the chain key, outside the database (AUDIT_CHECKPOINT_PATH, and the log):
audit_verify compares the chain with the newest one, and a chain that ends before it
(its newest rows deleted, seals and all, even by a database superuser) is reported."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nextecf.audit.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
# Events younger than this may belong to a transaction that has not committed yet, whose
# earlier-numbered events would otherwise be skipped for ever; wait for them.
SETTLE = timedelta(seconds=60)
CHECKPOINT_FILE = "checkpoints.jsonl"
SEALER_LOCK = 0x6E657874_65636621 & 0x7FFFFFFFFFFFFFFF  # "nextecf!": the sealers' advisory lock

# What the application's PostgreSQL role may do (deploy/postgresql/roles.sql): everything
# an app needs on its tables, but only read and append the audit log. It owns nothing, so
# it cannot ALTER a table, disable a trigger or TRUNCATE (never granted).
AUDIT_TABLES = ("audit_auditevent", "audit_auditseal")
_CHECKPOINT_PURPOSE = b"nextecf.audit-chain.checkpoint.v1"

logger = logging.getLogger("nextecf.audit.checkpoint")


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
                # One sealer at a time, or two would both extend the same last link. An
                # advisory lock, not LOCK TABLE: the application's role may only SELECT and
                # INSERT audit rows, and LOCK TABLE in a self-excluding mode needs UPDATE.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])
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
            if events and last is not None:
                # Written once the seals are committed, never for seals rolled back.
                transaction.on_commit(
                    partial(checkpoint_write, head=last, seals=AuditSeal.objects.count())
                )
        if len(events) < batch:
            return sealed


# --- Checkpoints of the chain head, outside the database ----------------------------------


def _checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH) / CHECKPOINT_FILE


def _checkpoint_signature(fields: dict[str, Any], key: bytes) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    signing_key = hmac.new(key, _CHECKPOINT_PURPOSE, hashlib.sha256).digest()
    return hmac.new(signing_key, canonical.encode(), hashlib.sha256).hexdigest()


def checkpoint_write(*, head: AuditSeal, seals: int) -> dict[str, Any]:
    """Append a signed line naming the chain head (its seal number and digest, and how
    many seals the chain held) to AUDIT_CHECKPOINT_PATH, and log it. Append-only: earlier
    lines are never rewritten, so a copy shipped elsewhere stays a prefix of the file."""
    current_id, current_key = next(iter(chain_keys().items()))
    fields: dict[str, Any] = {
        "seq": head.seq,
        "digest": head.digest,
        "seals": seals,
        "at": timezone.now().isoformat(),
        "key_id": current_id,
    }
    line = {**fields, "signature": _checkpoint_signature(fields, current_key)}
    path = _checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(line, sort_keys=True) + "\n")
    # At WARNING so the default LOG_LEVEL keeps it: the log is the checkpoint's second copy.
    logger.warning("audit checkpoint %s", json.dumps(line, sort_keys=True))
    return line


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    digest: str
    seals: int
    at: str


def checkpoint_newest() -> tuple[Checkpoint | None, str]:
    """The newest checkpoint whose signature verifies, and a problem found on the way
    ("" when none): a line that is not signed under a chain key is reported, not used."""
    path = _checkpoint_path()
    if not path.exists():
        return None, ""
    keys = chain_keys()
    newest: Checkpoint | None = None
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            signature = line.pop("signature")
            key = keys.get(line["key_id"])
            good = key is not None and hmac.compare_digest(
                signature, _checkpoint_signature(line, key)
            )
            point = Checkpoint(
                int(line["seq"]), str(line["digest"]), int(line["seals"]), line["at"]
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            good = False
        if not good:
            return newest, f"checkpoint line {number} of {path} is not signed under a chain key"
        if newest is None or point.seq >= newest.seq:
            newest = point
    return newest, ""


# --- Maintenance: the only way past SQLite's append-only triggers -------------------------

_maintenance: ContextVar[bool] = ContextVar("audit_maintenance", default=False)


@contextmanager
def audit_maintenance() -> Iterator[None]:
    """Lets this thread's SQL change audit rows on SQLite (the triggers of migration 0010
    ask nextecf_audit_maintenance()). For `manage.py flush`, which empties every table, and
    tests that play a database owner; PostgreSQL's triggers and grants know nothing of it."""
    token = _maintenance.set(True)
    try:
        yield
    finally:
        _maintenance.reset(token)


def in_maintenance() -> int:
    return 1 if _maintenance.get() else 0


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_at: int | None  # the first seal that does not verify, if any
    problem: str = ""
    head: AuditSeal | None = None  # the last seal verified
    checkpoint: Checkpoint | None = None  # the newest checkpoint, when the chain reaches it
    checkpoint_broken: bool = False  # the chain ends before the newest checkpoint

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.checkpoint_broken


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
    point, problem = checkpoint_newest()
    if problem:
        return ChainCheck(checked, None, problem, last, checkpoint_broken=True)
    if point is not None and (
        last is None or last.seq < point.seq or checked < point.seals or not _holds(point)
    ):
        ends = f"seal {last.seq}" if last else "no seal"
        problem = (
            f"the chain ends at {ends} ({checked} seals) but the checkpoint of {point.at} "
            f"recorded seal {point.seq} ({point.seals} seals): the newest sealed rows were "
            "removed"
        )
        return ChainCheck(checked, None, problem, last, checkpoint_broken=True)
    return ChainCheck(checked, None, head=last, checkpoint=point)


def _holds(point: Checkpoint) -> bool:
    seal = AuditSeal.objects.filter(seq=point.seq).first()
    return seal is not None and hmac.compare_digest(seal.digest, point.digest)


def app_role_grants(role: str) -> list[str]:
    """The statements that give the application's PostgreSQL role its privileges on the
    tables that exist now (run after every migrate, as the owner: see audit.apps)."""
    name = connection.ops.quote_name(role)
    tables = ", ".join(AUDIT_TABLES)
    return [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {tables} FROM {name}",
    ]
