from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sqlite_fulltext(using: str, **_kwargs: Any) -> None:
    # A migration that rebuilds a table on SQLite drops its triggers: put them back.
    from django.db import connections

    from nextecf.cases.fulltext import ensure_sqlite_fulltext

    ensure_sqlite_fulltext(connections[using])


class CasesConfig(AppConfig):
    name = "nextecf.cases"
    verbose_name = "Cases and dockets"

    def ready(self) -> None:
        post_migrate.connect(_sqlite_fulltext, sender=self, dispatch_uid="cases-sqlite-fts")
