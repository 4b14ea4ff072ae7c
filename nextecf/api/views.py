"""The PACER Case Locator (PCL) API, at PCL's own paths under /pcl-public-api/rest:

    POST   /cases/find?page=N[&sort=FIELD,ASC|DESC...]      one page of cases (billed)
    POST   /parties/find?page=N[&sort=...]                  one page of parties (billed)
    POST   /{cases|parties}/download                        start a batch report (free)
    GET    /{cases|parties}/download/status/{reportId}      its state (free)
    GET    /{cases|parties}/download/{reportId}             its rows (billed once)
    GET    /{cases|parties}/reports                         the caller's reports (free)
    DELETE /{cases|parties}/reports/{reportId}              204

Every answer is JSON. The token comes in the X-NEXT-GEN-CSO request header (a missing,
unknown or ended one: 401); the NextGenCSO cookie alone never authorises an API call, so a
cross-site form cannot run up charges in someone's name, which is also why these views can
be CSRF-exempt (a cookie of one sign-on with the header of another is refused too: the
middleware reads the cookie first). Invalid criteria: 406 {"message": "Invalid search
parameter FIELD: ...", "field": FIELD}; a body that is not JSON: 400; someone else's
report, or none: 404; too many reports: 429.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from nextecf.accounts.models import hash_token
from nextecf.accounts.request import SignedOnRequest
from nextecf.api import services
from nextecf.api.models import PclReport
from nextecf.api.openapi import openapi_document
from nextecf.api.schemas import (
    CASE_SORTS,
    PAGE_SIZE,
    PARTY_SORTS,
    CriteriaError,
    Error,
    parse_case_search,
    parse_page,
    parse_party_search,
    parse_sort,
)
from nextecf.api.services import KINDS, SearchKind
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public, public_api
from nextecf.lib.search import SearchTooSlow

TOKEN_HEADER = "X-NEXT-GEN-CSO"  # noqa: S105 - a header name, not a secret
MAX_BODY_BYTES = 64 * 1024

ApiView = Callable[..., HttpResponse]


class BadBody(Exception):
    """A request body that cannot be read as JSON (HTTP 400)."""


def error(status: int, message: str, *, error: str, field: str | None = None) -> JsonResponse:
    body = Error(error=error, message=message)
    if field is not None:
        body["field"] = field
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def not_found(message: str = "Report Not Found") -> JsonResponse:
    return error(404, message, error="Not Found")


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False)
    response["Cache-Control"] = "no-store"
    return response


def read_json(request: HttpRequest) -> Any:
    """The body as JSON; an empty body is an empty object (an empty search: 406)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise BadBody(f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadBody(f"The request body is larger than {MAX_BODY_BYTES} bytes.") from None
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadBody("The request body is not valid JSON (UTF-8).") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _signed_on(request: HttpRequest) -> str:
    """Why this request is not authorised, or "" when its X-NEXT-GEN-CSO token is live.
    The middleware has looked the token up; it must be this header's token, not a cookie's."""
    token = request.headers.get(TOKEN_HEADER, "").strip()
    if not token:
        return "no_token"
    signon = getattr(request, "signon", None)
    if signon is None or signon.token_hash != hash_token(token):
        return "bad_token"
    return ""


def _refused(request: HttpRequest, reason: str, detail: dict[str, Any] | None = None) -> None:
    """Audit a search (or report request) refused for what it asked."""
    audit_record(
        event=Event.PCL_SEARCH,
        success=False,
        actor=Actor.from_request(request),
        reason=reason,
        detail=detail,
    )


def pcl_api(*methods: str, billable: bool = False) -> Callable[[ApiView], ApiView]:
    """Method check, token check, client code, and JSON answers for every failure."""

    def decorator(view: ApiView) -> ApiView:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error(
                    405, f"Use {' or '.join(methods)} here.", error="Method Not Allowed"
                )
                response["Allow"] = ", ".join(methods)
                return response
            refusal = _signed_on(request)
            if refusal:
                audit_record(
                    event=Event.ACCESS_DENIED,
                    success=False,
                    actor=Actor.from_request(request),
                    reason=f"pcl_{refusal}",
                )
                return error(
                    401,
                    "A valid X-NEXT-GEN-CSO token is required: log in at /services/cso-auth.",
                    error="Unauthorized",
                )
            signed: SignedOnRequest = request  # type: ignore[assignment]
            try:
                client_code = services.client_code_for(
                    actor=Actor.from_request(signed),
                    header=signed.headers.get(services.CLIENT_CODE_HEADER),
                    billable=billable,
                )
                return view(signed, *args, client_code=client_code, **kwargs)
            except CriteriaError as problem:
                _refused(request, "invalid_criteria", {"field": problem.field[:80]})
                return error(
                    406, problem.message, error="Validation Exception", field=problem.field
                )
            except BadBody as problem:
                _refused(request, "bad_body")
                return error(400, str(problem), error="Bad Request")
            except services.TooManyReports:
                _refused(request, "too_many_reports")
                return error(
                    429,
                    f"You hold {PclReport.MAX_PER_ACCOUNT} batch reports, the most allowed: "
                    "delete one first.",
                    error="Too Many Reports",
                )
            except SearchTooSlow as slow:
                _refused(request, "search_too_slow")
                return error(406, str(slow), error="Validation Exception")
            except services.ReportNotReady:
                return error(400, "The report has not completed.", error="Bad Request")

        return public_api(wrapper)

    return decorator


def _criteria(kind: SearchKind, body: Any) -> tuple[Any, Any]:
    if kind.is_cases:
        return parse_case_search(body)
    return parse_party_search(body)


def _orders(request: HttpRequest, kind: SearchKind) -> list[Any]:
    return parse_sort(request.GET.getlist("sort"), CASE_SORTS if kind.is_cases else PARTY_SORTS)


@pcl_api("POST", billable=True)
def find(request: SignedOnRequest, kind: str, client_code: str) -> HttpResponse:
    search = KINDS[kind]
    page = parse_page(request.GET.get("page"))
    orders = _orders(request, search)
    criteria, parsed = _criteria(search, read_json(request))
    return _json(
        services.find(
            actor=Actor.from_request(request),
            kind=search,
            criteria=criteria,
            parsed=parsed,
            orders=orders,
            page=page,
            client_code=client_code,
        )
    )


@pcl_api("POST")
def download_start(request: SignedOnRequest, kind: str, client_code: str) -> HttpResponse:
    search = KINDS[kind]
    orders = _orders(request, search)
    body = read_json(request)
    criteria, parsed = _criteria(search, body)
    report = services.create_report(
        actor=Actor.from_request(request),
        kind=search,
        body=body,
        criteria=criteria,
        parsed=parsed,
        orders=orders,
    )
    return _json(services.report_info(report))


@pcl_api("GET")
def download_status(
    request: SignedOnRequest, kind: str, report_id: str, client_code: str
) -> HttpResponse:
    report = services.find_report(request.user, KINDS[kind], report_id)
    if report is None:
        return not_found()
    return _json(services.report_info(report))


@pcl_api("GET", billable=True)
def download_results(
    request: SignedOnRequest, kind: str, report_id: str, client_code: str
) -> HttpResponse:
    report = services.find_report(request.user, KINDS[kind], report_id)
    if report is None:
        return not_found()
    return _json(
        services.download_report(
            actor=Actor.from_request(request), report=report, client_code=client_code
        )
    )


@pcl_api("GET")
def reports(request: SignedOnRequest, kind: str, client_code: str) -> HttpResponse:
    """The caller's reports of this kind, oldest first, all on one page."""
    content = [services.report_info(r) for r in services.user_reports(request.user, KINDS[kind])]
    count = len(content)
    return _json(
        {
            "receipt": None,
            "pageInfo": {
                "number": 0,
                "size": PAGE_SIZE,
                "totalPages": 1 if count else 0,
                "totalElements": count,
                "numberOfElements": count,
                "first": True,
                "last": True,
            },
            "content": content,
        }
    )


@pcl_api("DELETE")
def report_delete(
    request: SignedOnRequest, kind: str, report_id: str, client_code: str
) -> HttpResponse:
    report = services.find_report(request.user, KINDS[kind], report_id)
    if report is None:
        return not_found()
    services.delete_report(actor=Actor.from_request(request), report=report)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@public_api
@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /pcl-public-api/: a JSON 404, never an HTML page or a redirect."""
    return not_found("No such PCL API resource.")


@public
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 description of this API and of the authentication API."""
    if request.method not in ("GET", "HEAD"):
        response = error(405, "Use GET here.", error="Method Not Allowed")
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(openapi_document())
