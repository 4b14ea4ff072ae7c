from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def session_timer(request: HttpRequest) -> dict[str, object]:
    """What the idle-timeout warning (static/js/session.js) needs on a signed-on page: the
    seconds the sign-on has left, and how long before the end it warns."""
    signon = getattr(request, "signon", None)
    if signon is None:
        return {}
    return {
        "session_seconds_left": signon.seconds_left(timezone.now()),
        "session_warn_seconds": settings.SIGNON_WARN_SECONDS,
        "session_warn_minutes": max(1, round(settings.SIGNON_WARN_SECONDS / 60)),
    }
