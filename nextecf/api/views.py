"""The PACER Case Locator (PCL) API, at PCL's own paths under /pcl-public-api/rest:

    POST   /cases/find?page=N[&sort=FIELD,ASC|DESC...]      one page of cases (billed)
    POST   /parties/find?page=N[&sort=...]                  one page of parties (billed)
    POST   /{cases|parties}/download                        start a batch report (free)
    GET    /{cases|parties}/download/status/{reportId}      its state (free)
    GET    /{cases|parties}/download/{reportId}             its rows (billed once)
    GET    /{cases|parties}/reports                         the caller's reports (free)
    DELETE /{cases|parties}/reports/{reportId}              204

Every answer is JSON. The token comes in the X-NEXT-GEN-CSO request header (a missing,
unknown or ended one: 401); a token in use for SIGNON_TOKEN_ROTATE_SECONDS gets a fresh one
back in the X-NEXT-GEN-CSO response header, once (the old one keeps working). The
NextGenCSO cookie alone never authorises an API call, so a cross-site form cannot run up
charges in someone's name, which is also why these views can be CSRF-exempt (a cookie of
one sign-on with the header of another is refused too: the middleware reads the cookie
first). Invalid criteria: 406 {"message": "Invalid search parameter FIELD: ...", "field":
FIELD}; a body that is not JSON: 400; someone else's
report, or none: 404; too many reports: 429.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import TypeAdapter

from nextecf.accounts.models import hash_token
from nextecf.accounts.request import SignedOnRequest
from nextecf.api import services
from nextecf.api.models import PclReport
from nextecf.api.openapi import openapi_document
from nextecf.api.schemas import (
    CASE_SORTS,
    PAGE_SIZE,
    PARTY_SORTS,
    XML_NAMESPACE,
    CaseSearch,
    CriteriaError,
    Error,
    PartySearch,
    parse_case_search,
    parse_page,
    parse_party_search,
    parse_sort,
)
from nextecf.api.services import KINDS, SearchKind
from nextecf.api.signon import api_signon_rotate
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public, public_api
from nextecf.lib.safexml import hardened_parser
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


XML_TYPES = ("application/json", "application/xml", "text/xml")
# In XML the guide writes a time's zone offset with a colon: 2020-12-18T11:01:48.267-06:00.
XML_TIMES = frozenset({"transactionDate", "startTime", "endTime"})
ZONE = re.compile(r"([+-]\d{2})(\d{2})$")


def _answer(request: HttpRequest, data: dict[str, Any], root: str) -> HttpResponse:
    """The answer in JSON, or in XML when the Accept header prefers it (the guide's roots
    caseList, partyList, reportInfo, reportList and download, in PCL's namespace)."""
    if request.get_preferred_type(XML_TYPES) not in ("application/xml", "text/xml"):
        return _json(data)
    element = ElementTree.Element(root, xmlns=XML_NAMESPACE)
    _xml_fields(element, data)
    body = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _xml_fields(parent: ElementTree.Element, data: dict[str, Any]) -> None:
    """Each field an element of its name, a list one element per item (as JAXB writes
    them); a null field is left out."""
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            child = ElementTree.SubElement(parent, name)
            if isinstance(item, dict):
                _xml_fields(child, item)
            elif isinstance(item, bool):
                child.text = "true" if item else "false"
            elif name in XML_TIMES and isinstance(item, str):
                child.text = ZONE.sub(r"\1:\2", item)
            else:
                child.text = str(item)


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
    if "xml" in (request.content_type or ""):
        return _read_xml(raw)
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadBody("The request body is not valid JSON (UTF-8).") from None


XML_ROOTS: dict[str, type[CaseSearch] | type[PartySearch]] = {
    "caseSearch": CaseSearch,
    "partySearch": PartySearch,
}
XML_MAX_ELEMENTS = 500
XML_MAX_DEPTH = 4


@dataclass
class _Node:
    name: str
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _read_xml(raw: bytes) -> dict[str, Any]:
    """A caseSearch or partySearch document (the guide's XML requests) as the JSON body it
    stands for: one element per field, a list field's element repeated, party and
    courtCase nested. Read with expat, as defusedxml would: no DOCTYPE or entity
    declarations at all, no external entities, bounded size and depth."""
    parser = hardened_parser(BadBody)
    stack: list[_Node] = []
    roots: list[_Node] = []
    count = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > XML_MAX_ELEMENTS or len(stack) >= XML_MAX_DEPTH:
            raise BadBody("The XML document is too large or too deeply nested.")
        node = _Node(name.rsplit(" ", 1)[-1])
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(raw, True)
    except expat.ExpatError:
        raise BadBody("The request body is not well-formed XML.") from None
    root = roots[0]
    model = XML_ROOTS.get(root.name)
    if model is None:
        raise BadBody(
            f"The XML root element must be caseSearch or partySearch, not {root.name[:40]}."
        )
    return _xml_object(root, _request_schema(model), _request_schema(model).get("$defs", {}))


@cache
def _request_schema(model: type[CaseSearch] | type[PartySearch]) -> dict[str, Any]:
    return TypeAdapter(model).json_schema()


def _xml_object(node: _Node, schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    fields: dict[str, Any] = {}
    for child in node.children:
        described = _resolved(properties.get(child.name, {}), defs)
        if described.get("type") == "object" or "properties" in described:
            value: Any = _xml_object(child, described, defs)
        else:
            value = _xml_scalar("".join(child.text).strip(), described)
        if described.get("type") == "array":
            fields.setdefault(child.name, []).append(value)
        elif child.name in fields:
            raise CriteriaError(child.name[:40], "given more than once")
        else:
            fields[child.name] = value
    return fields


def _xml_scalar(text: str, described: dict[str, Any]) -> Any:
    """XML's text of a boolean field as JSON's boolean (xsd:boolean: true, false, 1, 0);
    everything else stays text, which the models read as JSON strings."""
    types = {described.get("type"), *(o.get("type") for o in described.get("anyOf", []))}
    if "boolean" in types and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


def _resolved(described: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A property's schema with a $ref (also inside anyOf: an optional object) followed."""
    for option in [described, *described.get("anyOf", [])]:
        ref = option.get("$ref")
        if isinstance(ref, str):
            return dict(defs.get(ref.rsplit("/", 1)[-1], {}))
    return described


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


def _rotate_token(request: SignedOnRequest, response: HttpResponse) -> None:
    """PCL's token rotation: a token in use for SIGNON_TOKEN_ROTATE_SECONDS gets a fresh one
    in the X-NEXT-GEN-CSO response header of a successful answer (pacer-cli adopts it;
    pacersdk ignores it, and its old token keeps working)."""
    if response.status_code >= 400 or not request.signon.is_due_for_rotation(timezone.now()):
        return
    token = api_signon_rotate(actor=Actor.from_request(request), signon=request.signon)
    if token:
        response[TOKEN_HEADER] = token


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
                answer: HttpResponse = view(signed, *args, client_code=client_code, **kwargs)
                _rotate_token(signed, answer)
                return answer
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
    found = services.find(
        actor=Actor.from_request(request),
        kind=search,
        criteria=criteria,
        parsed=parsed,
        orders=orders,
        page=page,
        client_code=client_code,
    )
    return _answer(request, found, "caseList" if search.is_cases else "partyList")


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
    return _answer(request, dict(services.report_info(report)), "reportInfo")


@pcl_api("GET")
def download_status(
    request: SignedOnRequest, kind: str, report_id: str, client_code: str
) -> HttpResponse:
    report = services.find_report(request.user, KINDS[kind], report_id)
    if report is None:
        return not_found()
    return _answer(request, dict(services.report_info(report)), "reportInfo")


@pcl_api("GET", billable=True)
def download_results(
    request: SignedOnRequest, kind: str, report_id: str, client_code: str
) -> HttpResponse:
    report = services.find_report(request.user, KINDS[kind], report_id)
    if report is None:
        return not_found()
    rows = services.download_report(
        actor=Actor.from_request(request), report=report, client_code=client_code
    )
    return _answer(request, rows, "download")


@pcl_api("GET")
def reports(request: SignedOnRequest, kind: str, client_code: str) -> HttpResponse:
    """The caller's reports of this kind, oldest first, all on one page."""
    content = [services.report_info(r) for r in services.user_reports(request.user, KINDS[kind])]
    count = len(content)
    return _answer(
        request,
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
        },
        "reportList",
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
