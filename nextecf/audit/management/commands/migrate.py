from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections

from nextecf.lib.env import database_from_url


class Command(migrate.Command):
    """Django's migrate, run as the database owner when DATABASE_MIGRATE_URL is set: the
    application's own role (DATABASE_URL) owns nothing and cannot create or alter tables
    (deploy/postgresql/roles.sql). Unset, it is Django's migrate unchanged."""

    def handle(self, *args: Any, **options: Any) -> None:
        url = settings.DATABASE_MIGRATE_URL
        if not url or options.get("database", "default") != "default":
            super().handle(*args, **options)
            return
        connection = connections["default"]
        saved = dict(connection.settings_dict)
        owner = database_from_url(url, settings.BASE_DIR)
        connection.close()
        who = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
        connection.settings_dict.update({key: owner[key] for key in who if key in owner})
        try:
            super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
