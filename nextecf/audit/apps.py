from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The function the append-only triggers of migration 0010 ask."""
    if connection.vendor == "sqlite":
        from nextecf.audit.chain import in_maintenance

        connection.connection.create_function("nextecf_audit_maintenance", 0, in_maintenance)


def _grant_app_role(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After every migrate on PostgreSQL, as the owner: the application's role
    (DATABASE_APP_ROLE) gets its privileges on every table, the audit log's only SELECT
    and INSERT (audit.chain.app_role_grants)."""
    connection = connections[using]
    role = settings.DATABASE_APP_ROLE
    if connection.vendor != "postgresql" or not role:
        return
    from nextecf.audit.chain import app_role_grants

    with connection.cursor() as cursor:
        for statement in app_role_grants(role):
            cursor.execute(statement)


class AuditConfig(AppConfig):
    name = "nextecf.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_functions, dispatch_uid="audit-sqlite")
        post_migrate.connect(_grant_app_role, sender=self, dispatch_uid="audit-app-role")
