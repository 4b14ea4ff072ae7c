from __future__ import annotations

from collections.abc import Callable

import pytest

from nextecf.audit.chain import audit_seal
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent
from nextecf.audit.tests.utils import later


@pytest.fixture
def sealed() -> Callable[[int], list[AuditEvent]]:
    """Writes `count` events and seals them; returns them in id order."""

    def make(count: int) -> list[AuditEvent]:
        events = AuditEventFactory.create_batch(count)
        with later():
            audit_seal()
        return events

    return make
