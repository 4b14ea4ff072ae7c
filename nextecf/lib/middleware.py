from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from nextecf.lib.logs import REQUEST_ID_HEADER, request_id, request_id_new

# Pages use no inline script or style and no third-party origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class RejectNulMiddleware:
    """A NUL character has no place in an address, and PostgreSQL cannot store or compare
    text containing one: refuse such requests up front with a plain 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            return HttpResponseBadRequest(
                "The address contains a character that is not allowed.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.path.startswith(("/csologin/", "/services/")) or getattr(
            request, "no_store", False
        ):
            response.headers["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """Takes X-Request-ID from a trusted proxy (or makes one), sets it for the request's log
    lines and returns it on the response, so a complaint can be traced through every
    node's logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES
        offered = request.headers.get(REQUEST_ID_HEADER) if trusted else None
        rid = request_id_new(offered)
        request.META["HTTP_X_REQUEST_ID"] = rid  # the access log reads it from here
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response
