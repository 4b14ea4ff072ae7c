"""On PostgreSQL, as the application's role (deploy/postgresql/roles.sql): the audit log
can be read and appended to, never changed, deleted or truncated, and its protection
cannot be switched off. The roles are made in the test database, and the application's
role connects with a second connection of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from nextecf.audit.chain import app_role_grants, audit_seal, audit_verify
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, AuditSeal
from nextecf.audit.tests.utils import later, tamper

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_role(transactional_db) -> Iterator[psycopg.Connection]:
    """A role made as roles.sql makes nextecf_app (granted by the same statements every
    migrate runs), and a connection as it."""
    role = f"nextecf_app_test_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE ROLE {role} LOGIN PASSWORD %s NOSUPERUSER NOCREATEDB NOCREATEROLE",
            [password],
        )
        cursor.execute(f'GRANT CONNECT ON DATABASE "{settings["NAME"]}" TO {role}')
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        for statement in app_role_grants(role):
            cursor.execute(statement)
    app = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=password,
        autocommit=True,
    )
    try:
        yield app
    finally:
        app.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def refused(app: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        app.execute(sql)
    return str(caught.value)


def test_the_app_role_reads_and_appends_but_cannot_change_the_audit_log(app_role):
    """Finding: the application connected as a superuser, and TRUNCATE passed the
    append-only trigger."""
    AuditEventFactory.create_batch(2)
    with later():
        audit_seal()
    assert app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (2,)
    for sql in (
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditseal SET digest = 'x'",
        "DELETE FROM audit_auditseal",
        "TRUNCATE audit_auditseal",
        "TRUNCATE audit_auditseal, audit_auditevent CASCADE",
    ):
        assert "permission denied" in refused(app_role, sql)
    for sql in (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "SET session_replication_role = replica",
    ):
        assert "must be owner" in refused(app_role, sql) or "permission denied" in refused(
            app_role, sql
        )
    assert AuditEvent.objects.count() == AuditSeal.objects.count() == 2
    # What the application does need still works: appending an event.
    app_role.execute(
        "INSERT INTO audit_auditevent (created_at, event_type, outcome, reason, username,"
        " user_agent, path, signon_ref, detail) VALUES (now(), 'LOGIN', 'success', '', '',"
        " '', '', '', '{}')"
    )
    assert AuditEvent.objects.count() == 3


def test_the_app_role_may_change_the_applications_own_tables(app_role):
    app_role.execute("UPDATE accounts_account SET first_name = first_name WHERE false")
    assert "permission denied" in refused(app_role, "TRUNCATE accounts_account CASCADE")


def test_the_newest_rows_deleted_by_the_owner_are_reported(
    transactional_db, django_capture_on_commit_callbacks
):
    events = AuditEventFactory.create_batch(3)
    with later():
        audit_seal()  # committed: the checkpoint is written after commit
    assert audit_verify().ok
    tamper("DELETE FROM audit_auditseal WHERE event_id = %s", [events[-1].pk])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    check = audit_verify()
    assert not check.ok and "the newest sealed rows were removed" in check.problem
