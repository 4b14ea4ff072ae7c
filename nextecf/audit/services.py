from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from nextecf.audit.models import AuditEvent, Event, Outcome
from nextecf.lib.text import printable

if TYPE_CHECKING:
    from nextecf.accounts.models import Account
    from nextecf.courts.models import Court
    from nextecf.lib.actor import Actor


def audit_record(
    *,
    event: Event,
    success: bool,
    actor: Actor,
    subject: Account | None = None,
    court: Court | None = None,
    reason: str = "",
    username: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: who acted, from where and under which sign-on come from the
    actor; the court is the actor's unless the event concerns another one."""
    row = AuditEvent(
        event_type=event,
        outcome=Outcome.SUCCESS if success else Outcome.FAILURE,
        reason=reason,
        actor=actor.account,
        subject=subject,
        court=court if court is not None else actor.court,
        # A password typed into the username box must not be stored whole.
        username=printable(username, 64),
        detail=detail or {},
        ip=actor.ip or None,
        user_agent=actor.user_agent,
        path=actor.path,
    )
    if actor.signon is not None:
        # Identifies the sign-on across rows without storing anything that could be used
        # to find or replay it.
        row.signon_ref = hashlib.sha256(f"signon:{actor.signon.pk}".encode()).hexdigest()[:16]
    row.save(force_insert=True)
    return row
