from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.html import format_html

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


V = TypeVar("V", bound=Callable[..., Any])


def accepts_upload(*, files: int) -> Callable[[V], V]:
    """Marks a view that takes up to `files` PDFs in one request: its body may be as large
    as that many of the court's largest PDF plus form overhead (RequestBodyLimitMiddleware)."""

    def mark(view: V) -> V:
        view.upload_files = files  # type: ignore[attr-defined]
        return view

    return mark


def _upload_files(func: Any) -> int:
    # A view's decorators keep the mark through functools.wraps (__dict__ is copied); an
    # admin view carries its ModelAdmin, which may declare `upload_files` itself.
    return int(
        getattr(func, "upload_files", 0)
        or getattr(getattr(func, "model_admin", None), "upload_files", 0)
    )


class RequestBodyLimitMiddleware:
    """Refuses a request body larger than its route allows before anything reads it (no
    form parsing, no temporary file, no access check), with 413 and a message naming the
    limit: MAX_REQUEST_BODY_BYTES for routes that take no upload, the court's PDF limit
    per file plus UPLOAD_BODY_OVERHEAD_BYTES for routes marked with `accepts_upload`. A
    body without a Content-Length (chunked) is refused with 411: Django would not read
    it anyway, and its size cannot be known before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            return self._refuse(request, 411, "A request body must declare its length.")
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return HttpResponseBadRequest(
                "The Content-Length header is not a number.",
                content_type="text/plain; charset=utf-8",
            )
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit = self._limit(request)
            if length > limit:
                return self._refuse(
                    request,
                    413,
                    f"The request is larger than this page accepts: at most "
                    f"{_megabytes(limit)} MB.",
                    limit=limit,
                )
        return self.get_response(request)

    def _limit(self, request: HttpRequest) -> int:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return int(settings.MAX_REQUEST_BODY_BYTES)
        files = _upload_files(match.func)
        if not files:
            return int(settings.MAX_REQUEST_BODY_BYTES)
        per_file = int(settings.MAX_PDF_BYTES)
        slug = match.kwargs.get("court")
        if isinstance(slug, str):
            # Looked up by name: the lowest layer does not import the courts app.
            court = apps.get_model("courts", "Court").objects.filter(pk=slug).first()
            if court is not None:
                per_file = int(court.max_pdf_bytes)
        return files * per_file + int(settings.UPLOAD_BODY_OVERHEAD_BYTES)

    def _refuse(
        self, request: HttpRequest, status: int, message: str, limit: int = 0
    ) -> HttpResponse:
        # The body was not read: the connection cannot be reused for another request.
        wants_json = "json" in request.headers.get("Accept", "") or request.path.startswith(
            ("/services/", "/pcl-public-api/", "/api/")
        )
        if wants_json:
            body: dict[str, object] = {"error": message, "limit_bytes": limit}
            if request.path.startswith("/api/"):
                # The filing API's error shape (api.v1.schemas.ApiError).
                body = {"error": "too_large", "message": message, "limit_bytes": limit}
            response: HttpResponse = JsonResponse(body, status=status)
        else:
            response = HttpResponse(
                format_html(
                    "<!doctype html><html lang=en><title>Request too large</title>"
                    "<h1>Request too large</h1><p>{}</p></html>",
                    message,
                ),
                status=status,
                content_type="text/html; charset=utf-8",
            )
        response["Connection"] = "close"
        return response


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}" if size % (1024 * 1024) else str(size // (1024 * 1024))


class ServedByMiddleware:
    """X-Served-By: the node's NODE_NAME, so that a balancer's spread can be seen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.NODE_NAME:
            response.headers["X-Served-By"] = settings.NODE_NAME
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
