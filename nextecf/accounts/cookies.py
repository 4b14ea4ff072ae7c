from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

PENDING_COOKIE_NAME = "nextecf_login_step"


def set_signon_cookie(response: HttpResponse, token: str) -> None:
    # No max_age: the cookie dies with the browser; the server enforces the timeouts.
    response.set_cookie(
        settings.SIGNON_COOKIE_NAME,
        token,
        domain=settings.SIGNON_COOKIE_DOMAIN,
        secure=settings.SIGNON_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response.signon_cookie_set = True  # type: ignore[attr-defined]


def clear_signon_cookie(response: HttpResponse) -> None:
    response.delete_cookie(settings.SIGNON_COOKIE_NAME, domain=settings.SIGNON_COOKIE_DOMAIN)
    response.signon_cookie_set = True  # type: ignore[attr-defined]


def set_pending_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        PENDING_COOKIE_NAME,
        token,
        max_age=600,
        secure=settings.SIGNON_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/csologin/",
    )


def clear_pending_cookie(response: HttpResponse) -> None:
    response.delete_cookie(PENDING_COOKIE_NAME, path="/csologin/")
