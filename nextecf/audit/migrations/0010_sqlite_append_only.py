"""SQLite refuses UPDATE and DELETE of audit rows too, as PostgreSQL's triggers (0002,
0006) do, so a bug or a stray query cannot rewrite the log on a SQLite instance either.

The triggers give way only while nextecf_audit_maintenance() answers 1: the function is
registered on every connection the application opens (audit.apps), and answers 1 only
inside audit.chain.audit_maintenance() (`manage.py flush`). A connection that does not
register it (the sqlite3 shell) fails on the unknown function, which refuses the change
all the same. Whoever owns the file can still rewrite it: that is what the keyed chain
and its checkpoints outside the database are for."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGGERS = [
    ("audit_event_no_update", "UPDATE", "audit_auditevent", "audit events are append-only"),
    ("audit_event_no_delete", "DELETE", "audit_auditevent", "audit events are append-only"),
    ("audit_seal_no_update", "UPDATE", "audit_auditseal", "audit seals are append-only"),
    ("audit_seal_no_delete", "DELETE", "audit_auditseal", "audit seals are append-only"),
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, operation, table, message in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
            f"WHEN NOT nextecf_audit_maintenance() "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, *_rest in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_keyed_chain")]
    operations = [migrations.RunPython(forward, backward)]
