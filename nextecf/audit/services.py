from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from nextecf.audit.models import AuditEvent, Event, Outcome
from nextecf.lib.http import client_ip
from nextecf.lib.text import printable

if TYPE_CHECKING:
    from nextecf.accounts.models import Account
    from nextecf.courts.models import Court


def audit_record(
    *,
    event: Event,
    success: bool,
    request: HttpRequest | None = None,
    actor: Account | None = None,
    subject: Account | None = None,
    court: Court | None = None,
    reason: str = "",
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Request context (IP, user agent, sign-on) is taken from request."""
    row = AuditEvent(
        event_type=event,
        outcome=Outcome.SUCCESS if success else Outcome.FAILURE,
        reason=reason,
        actor=actor,
        subject=subject,
        court=court,
        # A password typed into the username box must not be stored whole.
        username=printable(username, 64),
        detail=detail or {},
    )
    if request is not None:
        row.ip = client_ip(request) or None
        row.user_agent = printable(request.META.get("HTTP_USER_AGENT", ""), 256)
        row.path = printable(request.path, 256)
        signon = getattr(request, "signon", None)
        if signon is not None:
            row.signon_ref = hashlib.sha256(f"signon:{signon.pk}".encode()).hexdigest()[:16]
        user = getattr(request, "user", None)
        if actor is None and user is not None and user.is_authenticated:
            row.actor = user
    row.save(force_insert=True)
    return row
