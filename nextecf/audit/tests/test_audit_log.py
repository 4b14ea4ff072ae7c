from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor


def test_rows_cannot_be_changed_or_deleted_by_the_application(db):
    row = audit_record(event=Event.LOGIN, success=True, actor=Actor())
    row.reason = "edited"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres
def test_postgres_itself_refuses_updates_and_deletes(db):
    audit_record(event=Event.LOGIN, success=True, actor=Actor())
    for sql in ("UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 1


def test_control_characters_are_escaped(court):
    Client().post(
        "/csologin/login/?court=cit",
        {"username": "bob\r\nFAKE LOGIN ok", "password": "x"},
        headers={"user-agent": "agent\nwith\x1bnewline"},
    )
    row = AuditEvent.objects.get()
    assert "\n" not in row.username and "\r" not in row.username
    assert row.user_agent == "agent\\x0awith\\x1bnewline"


def test_the_client_ip_ignores_forwarded_for_unless_from_a_trusted_proxy(court, settings):
    Client(REMOTE_ADDR="203.0.113.9").post(
        "/csologin/login/?court=cit",
        {"username": "a", "password": "b"},
        headers={"x-forwarded-for": "198.51.100.1"},
    )
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    Client(REMOTE_ADDR="10.0.0.2").post(
        "/csologin/login/?court=cit",
        {"username": "a", "password": "b"},
        headers={"x-forwarded-for": "198.51.100.7, 10.0.0.2"},
    )
    assert list(AuditEvent.objects.order_by("id").values_list("ip", flat=True)) == [
        "203.0.113.9",
        "198.51.100.7",
    ]


def test_each_row_records_when_what_outcome_who_where(john, court, signed_in):
    signed_in(john).get("/cit/utilities/link/")
    row = AuditEvent.objects.get(event_type=Event.LINK_LEGACY_START)
    assert row.created_at is not None
    assert (row.outcome, row.actor, row.court_id, row.ip) == ("success", john, "cit", "127.0.0.1")
    assert row.path == "/cit/utilities/link/"
    assert len(row.signon_ref) == 16
