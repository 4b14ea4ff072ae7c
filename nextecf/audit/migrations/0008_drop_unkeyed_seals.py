"""The seals made so far are plain SHA-256 hashes, which anyone who can write to the
database can recompute after changing a row. They are checked one last time here and then
dropped; `manage.py audit_seal` seals the same events again under the chain key. A chain
that no longer checks out stops the migration instead of being silently re-sealed."""

import hashlib
import json

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The retired unkeyed construction, kept here read-only to check the old seals once.
LEGACY_GENESIS = "0" * 64


def legacy_digest(event, previous: str) -> str:
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


def check_unkeyed_chain(apps: StateApps) -> None:
    AuditSeal = apps.get_model("audit", "AuditSeal")
    previous = LEGACY_GENESIS
    # In seal order; numbers that skip are not a break (that was the old check's mistake).
    for seal in AuditSeal.objects.select_related("event").order_by("seq").iterator():
        if legacy_digest(seal.event, previous) != seal.digest:
            raise RuntimeError(
                f"audit chain broken at seal {seal.seq} (event {seal.event_id}): investigate "
                "before migrating; the unkeyed seals are not replaced while they disagree"
            )
        previous = seal.digest


def drop_seals(schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER audit_seal_append_only")
    schema_editor.execute("DELETE FROM audit_auditseal")
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER audit_seal_append_only")


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    check_unkeyed_chain(apps)
    drop_seals(schema_editor)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The keyed seals mean nothing to the unkeyed code; its audit_seal seals everything again.
    drop_seals(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_pcl_events")]
    operations = [migrations.RunPython(forward, backward)]
