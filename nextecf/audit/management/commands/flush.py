from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from nextecf.audit.chain import audit_maintenance


class Command(flush.Command):
    """Django's flush, which empties every table: on SQLite the audit log's append-only
    triggers let it (and only it) through. (The test runner flushes between transactional
    tests; on PostgreSQL flush truncates, as the database owner.)"""

    def handle(self, **options: Any) -> None:
        with audit_maintenance():
            super().handle(**options)
