from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def demo_mailbox(request: HttpRequest) -> dict[str, bool]:
    """Whether pages link to the demo mailbox (DEMO_MAILBOX; never in production)."""
    return {"demo_mailbox": bool(settings.DEMO_MAILBOX)}
