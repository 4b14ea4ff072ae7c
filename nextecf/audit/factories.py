from __future__ import annotations

import factory

from nextecf.audit.models import AuditEvent, Event, Outcome


class AuditEventFactory(factory.django.DjangoModelFactory[AuditEvent]):
    class Meta:
        model = AuditEvent

    event_type = Event.LOGIN
    outcome = Outcome.SUCCESS
    reason = factory.Sequence(lambda n: f"reason-{n}")
