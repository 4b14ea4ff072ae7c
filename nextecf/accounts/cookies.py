from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

PENDING_COOKIE_NAME = "nextecf_login_step"


def signon_cookie_domain(request: HttpRequest) -> str | None:
    """The sign-on cookie's Domain for this request: the configured `.<ECF_DOMAIN>` only
    when the request came to a host under it. A browser drops a cookie whose Domain does
    not cover the host that set it, so on any other host (127.0.0.1:8000, which keeps
    working with ECF_DOMAIN set) the cookie is host-only."""
    configured = settings.SIGNON_COOKIE_DOMAIN
    if not configured:
        return None
    host, _port = split_domain_port(request.get_host())
    domain = configured.lower().lstrip(".")
    if host == domain or host.endswith(f".{domain}"):
        return str(configured)
    return None


def set_signon_cookie(response: HttpResponse, token: str, *, request: HttpRequest) -> None:
    # No max_age: the cookie dies with the browser; the server enforces the timeouts.
    response.set_cookie(
        settings.SIGNON_COOKIE_NAME,
        token,
        domain=signon_cookie_domain(request),
        secure=settings.SIGNON_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response.signon_cookie_set = True  # type: ignore[attr-defined]


def clear_signon_cookie(response: HttpResponse, *, request: HttpRequest) -> None:
    clear_cookie(response, settings.SIGNON_COOKIE_NAME, request=request)
    response.signon_cookie_set = True  # type: ignore[attr-defined]


def clear_cookie(response: HttpResponse, name: str, *, request: HttpRequest) -> None:
    """Delete a cookie set for the sign-on's domain, with the Domain it was set with."""
    response.delete_cookie(name, domain=signon_cookie_domain(request))


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
