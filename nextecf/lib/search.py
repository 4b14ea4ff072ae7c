"""A time limit on searches, so that one broad search never holds a worker for long."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

TOO_SLOW = "This search took too long: narrow it (add a first name, a date range, a case number)."


class SearchTooSlow(Exception):
    """The database gave up on a search at SEARCH_TIMEOUT_MS."""

    def __init__(self) -> None:
        super().__init__(TOO_SLOW)


@contextmanager
def search_time_limit() -> Iterator[None]:
    """Run the block's queries in a transaction that PostgreSQL cancels after
    SEARCH_TIMEOUT_MS. The limit is set transaction-locally and put back afterwards, since
    inside an outer transaction (a test, a service) the block is only a savepoint and the
    limit would otherwise outlive it. SQLite has no statement timeout: its searches run to
    the end."""
    on_postgres = connection.vendor == "postgresql"
    try:
        with transaction.atomic():
            if not on_postgres:
                yield
                return
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [str(int(settings.SEARCH_TIMEOUT_MS))],
                )
                row = cursor.fetchone()
            yield
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [row[0]])
    except OperationalError as problem:
        # psycopg's QueryCanceled (SQLSTATE 57014) is the timeout; anything else is not ours.
        if on_postgres and getattr(problem.__cause__, "sqlstate", None) == "57014":
            raise SearchTooSlow from problem
        raise
