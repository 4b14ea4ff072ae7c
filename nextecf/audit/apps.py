from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The function the append-only triggers of migration 0010 ask."""
    if connection.vendor == "sqlite":
        from nextecf.audit.chain import in_maintenance

        connection.connection.create_function("nextecf_audit_maintenance", 0, in_maintenance)


class AuditConfig(AppConfig):
    name = "nextecf.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="audit-sqlite")
