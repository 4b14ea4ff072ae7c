"""The event catalogue lives in code: the database column takes no choices of its own."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

import nextecf.audit.models
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, Event


def test_a_new_event_type_needs_no_migration(monkeypatch):
    members = {member.name: (member.value, member.label) for member in Event}
    extended = models.TextChoices("Event", {**members, "NEW_KIND": ("NEW_KIND", "A new kind")})
    monkeypatch.setattr(nextecf.audit.models, "Event", extended)
    field = AuditEvent._meta.get_field("event_type")
    assert ("NEW_KIND", "A new kind") in list(field.choices)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
        graph=loader.graph
    )
    assert "audit" not in changes


def test_an_unknown_event_type_is_refused_naming_the_field(db):
    with pytest.raises(ValidationError) as caught:
        AuditEventFactory(event_type="LOGINN")
    assert caught.value.message_dict == {
        "event_type": ["'LOGINN' is not an audit event type (see Event)"]
    }
    assert not AuditEvent.objects.exists()
    with pytest.raises(ValidationError) as caught:
        AuditEventFactory.build(event_type="LOGINN").full_clean()
    assert list(caught.value.message_dict) == ["event_type"]


def test_a_known_event_type_passes_full_clean(db):
    AuditEventFactory.build(event_type=Event.EFILE_APPROVED).full_clean()


def test_the_admin_shows_each_event_types_label(people, court, signed_in):
    AuditEventFactory(event_type=Event.EFILE_APPROVED, court=court)
    page = signed_in(people.clerk).get("/admin/audit/auditevent/").content.decode()
    assert '<td class="field-event_type">E-file registration approved</td>' in page
