"""The authentication API, wire-compatible with PACER's (nextgen-facts §2):

    POST /services/cso-auth    {"loginId", "password", "clientCode"?, "otpCode"?, "redactFlag"?}
    POST /services/cso-logout  {"nextGenCSO"}  (or the token in X-NEXT-GEN-CSO / the cookie)

Bodies are JSON objects, or XML documents with the root element CsoAuth and one child
element per field. The answer is in the request's format:

    {"nextGenCSO": "<128 characters>", "loginResult": "0", "errorDescription": ""}
    {"loginResult": "1", "errorDescription": "Invalid username or password"}
    <CsoAuth><nextGenCSO>…</nextGenCSO><loginResult>0</loginResult>
             <errorDescription/></CsoAuth>

nextGenCSO is present only on success (no key at all otherwise: clients such as pacersdk
fail fast on a missing key, but loop on an empty one). A well-formed request always gets
HTTP 200, whatever the outcome (services.api has the codes and rules). A malformed one
(not JSON or XML, a JSON value that is not an object, a field that is not a string, too
long or holding a NUL character, loginId or password missing or empty, XML with a DOCTYPE
or entity declarations) gets HTTP 400, always in JSON, naming the field:

    {"loginResult": "1", "errorDescription": "loginId is required.",
     "errors": [{"field": "loginId", "message": "loginId is required."}]}

Unknown fields are ignored; a JSON null counts as an absent field. The fields are read, and
the answers typed, by the models of accounts.schemas, which the OpenAPI description is
generated from. Both endpoints are CSRF exempt (client software posts without a form;
identity-anchors' documented exception) and set no cookie: cso-auth hands the token back in
the body only, so a cross-site POST to it can never plant a sign-on in someone's browser
(login CSRF).
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar, cast
from xml.etree import ElementTree
from xml.parsers import expat

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import BaseModel, ValidationError

from nextecf.accounts.cookies import clear_cookie, clear_signon_cookie
from nextecf.accounts.middleware import PACER_SESSION_COOKIE, signon_token
from nextecf.accounts.schemas import (
    XML_ROOT,
    CsoAuthError,
    CsoAuthRequest,
    CsoAuthResponse,
    CsoLogoutRequest,
    CsoLogoutResponse,
    LoginResult,
    field_errors,
    json_type,
)
from nextecf.api.signon import api_signon_login, api_signon_logout
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public_api
from nextecf.lib.safexml import hardened_parser

Format = Literal["json", "xml"]

# The largest body either endpoint reads; real requests are a few hundred bytes.
MAX_BODY_BYTES = 16 * 1024
# The most elements an XML body may hold (the root and its field elements).
XML_MAX_ELEMENTS = 32


class BadRequest(Exception):
    """A malformed request; answered with HTTP 400 and these field errors."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][1])
        self.errors = errors


def _bad(field: str, message: str) -> BadRequest:
    return BadRequest([(field, message)])


# --- Reading the body ---------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _bad(key, f"{key} appears more than once.")
        seen[key] = value
    return seen


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _parse_json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(
            raw.decode("utf-8-sig"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constants,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _bad("body", "The request body is not valid JSON (UTF-8).") from error
    if not isinstance(data, dict):
        raise _bad("body", f"The request body must be a JSON object, not {json_type(data)}.")
    return data


def _local_name(name: str) -> str:
    return name.rsplit(" ", 1)[-1]  # "namespace-uri local-name" -> local-name


def _parse_xml(raw: bytes) -> dict[str, Any]:
    """The field elements of a <CsoAuth> document, as strings.

    Read with expat directly and defensively, as defusedxml would: any DOCTYPE (and so any
    entity declaration, internal or external) is refused outright, external entities are
    never resolved, nested elements and repeated fields are refused, and the body was
    already capped at MAX_BODY_BYTES.
    """
    parser = hardened_parser(lambda message: _bad("body", message))
    fields: dict[str, Any] = {}
    state: dict[str, Any] = {"depth": 0, "elements": 0, "field": "", "text": []}

    def start(name: str, attributes: dict[str, str]) -> None:
        state["depth"] += 1
        state["elements"] += 1
        local = _local_name(name)
        if state["elements"] > XML_MAX_ELEMENTS:
            raise _bad("body", f"The XML document has more than {XML_MAX_ELEMENTS} elements.")
        if state["depth"] == 1 and local != XML_ROOT:
            raise _bad("body", f"The XML root element must be {XML_ROOT}, not {local[:40]}.")
        if state["depth"] == 2:
            if local in fields:
                raise _bad(local[:40], f"{local[:40]} appears more than once.")
            state["field"], state["text"] = local, []
        if state["depth"] > 2:
            field = state["field"][:40]
            raise _bad(field, f"{field} must hold text only, not elements.")

    def end(name: str) -> None:
        if state["depth"] == 2:
            fields[state["field"]] = "".join(state["text"])
        state["depth"] -= 1

    def text(data: str) -> None:
        if state["depth"] == 2:
            state["text"].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as error:
        raise _bad("body", "The request body is not well-formed XML.") from error
    return fields


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _body_format(request: HttpRequest, raw: bytes) -> Format:
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        raise _bad("body", "The request body must be a JSON object or a CsoAuth XML, not a form.")
    if "json" in content_type:
        return "json"
    if "xml" in content_type:
        return "xml"
    return "xml" if raw.lstrip().startswith(b"<") else "json"


def _read_body(request: HttpRequest, *, allow_empty: bool = False) -> tuple[dict[str, Any], Format]:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise _bad("body", f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    raw = request.body  # at most CONTENT_LENGTH bytes are read, and that was just checked
    if allow_empty and request.content_type in FORM_TYPES and not _form_fields(request):
        return {}, "json"  # a bare POST from a form library: no body to speak of
    fmt = _body_format(request, raw)
    if not raw.strip():
        if allow_empty:
            return {}, fmt
        raise _bad("body", "The request body is empty; send a JSON object or a CsoAuth XML.")
    return (_parse_xml(raw) if fmt == "xml" else _parse_json(raw)), fmt


def _form_fields(request: HttpRequest) -> bool:
    try:
        return bool(request.POST or request.FILES)
    except Exception:  # an unreadable form is not an empty one; _body_format refuses it
        return True


Body = TypeVar("Body", bound=BaseModel)


def _validated(model: type[Body], data: dict[str, Any]) -> Body:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BadRequest(field_errors(error)) from None


# --- Answers --------------------------------------------------------------------------------


def _answer(
    fields: CsoAuthResponse | CsoLogoutResponse, fmt: Format, status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        root = ElementTree.Element(XML_ROOT)
        for name, value in fields.items():
            ElementTree.SubElement(root, name).text = str(value)
        body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
        return HttpResponse(body, status=status, content_type="application/xml; charset=utf-8")
    return JsonResponse(fields, status=status)


def _bad_request(request: HttpRequest, endpoint: str, error: BadRequest) -> HttpResponse:
    audit_record(
        event=Event.API_LOGOUT if endpoint == "logout" else Event.API_AUTH_ERROR,
        success=False,
        actor=Actor.from_request(request),
        reason="bad_request",
        detail={"fields": sorted({field for field, _ in error.errors})},
    )
    payload: CsoAuthError = {
        "loginResult": "1",
        "errorDescription": " ".join(message for _, message in error.errors),
        "errors": [{"field": field, "message": message} for field, message in error.errors],
    }
    return JsonResponse(payload, status=400)


# --- Views ----------------------------------------------------------------------------------


@public_api
@csrf_exempt
@never_cache
@require_POST
def cso_auth(request: HttpRequest) -> HttpResponse:
    try:
        data, fmt = _read_body(request)
        login = _validated(CsoAuthRequest, data)
    except BadRequest as error:
        return _bad_request(request, "auth", error)
    outcome = api_signon_login(
        actor=Actor.from_request(request),
        login_id=login.loginId,
        password=login.password,
        client_code=login.clientCode,
        otp_code=login.otpCode,
        redact_flag=login.redactFlag,
    )
    result = cast(LoginResult, outcome.result)
    if outcome.ok:  # the token first, as PACER answers
        answer = CsoAuthResponse(
            nextGenCSO=outcome.token, loginResult=result, errorDescription=outcome.description
        )
    else:
        answer = CsoAuthResponse(loginResult=result, errorDescription=outcome.description)
    return _answer(answer, fmt)


@public_api
@csrf_exempt
@never_cache
@require_POST
def cso_logout(request: HttpRequest) -> HttpResponse:
    """End the token's sign-on everywhere. The token comes from the body's nextGenCSO, or
    else from the X-NEXT-GEN-CSO header or the NextGenCSO / PacerSession cookie. The answer
    is the same whether or not the token was live (logging out twice is not an error);
    only a request with no token at all is malformed."""
    try:
        data, fmt = _read_body(request, allow_empty=True)
        token = _validated(CsoLogoutRequest, data).nextGenCSO.strip() or signon_token(request)
        if not token:
            raise _bad("nextGenCSO", "nextGenCSO is required (in the body, header or cookie).")
    except BadRequest as error:
        return _bad_request(request, "logout", error)
    api_signon_logout(actor=Actor.from_request(request), token=token)
    response = _answer(CsoLogoutResponse(loginResult="0", errorDescription=""), fmt)
    # Cookies holding the token just ended are dropped (a browser or juriscraper's jar).
    if request.COOKIES.get(settings.SIGNON_COOKIE_NAME) == token:
        clear_signon_cookie(response, request=request)
    if request.COOKIES.get(PACER_SESSION_COOKIE) == token:
        clear_cookie(response, PACER_SESSION_COOKIE, request=request)
    return response
