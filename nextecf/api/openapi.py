"""The OpenAPI 3 description of the PCL API (nextecf.api) and of the authentication API
(nextecf.accounts.views.api), served at /pcl-public-api/openapi.json: generated from the
pydantic models the views parse and answer with (api.schemas, accounts.schemas) and the
table of operations below, so it cannot drift from what is built. The schemathesis test
checks the answers against it; test_openapi checks that it names every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from nextecf.accounts.schemas import (
    CsoAuthError,
    CsoAuthRequest,
    CsoAuthResponse,
    CsoLogoutRequest,
    CsoLogoutResponse,
)
from nextecf.api.models import PclReport
from nextecf.api.schemas import (
    CASE_SORTS,
    MAX_PAGES,
    MAX_SORTS,
    PAGE_SIZE,
    PARTY_SORTS,
    CaseDownload,
    CaseList,
    CaseSearch,
    Error,
    PartyDownload,
    PartyList,
    PartySearch,
    ReportInfo,
    ReportList,
)

REF = "#/components/schemas/"


class OpenApi30(GenerateJsonSchema):
    """Pydantic writes JSON Schema 2020-12; OpenAPI 3.0 schema objects are an older dialect:
    `nullable` instead of a null type, `enum` instead of `const`, no titles on fields."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        if "$ref" in inner:  # in OpenAPI 3.0 a $ref's siblings are ignored
            return {"allOf": [inner], "nullable": True}
        nullable = {**inner, "nullable": True}
        if "enum" in nullable:
            nullable["enum"] = [*nullable["enum"], None]
        return nullable

    def none_schema(self, schema: core_schema.NoneSchema) -> JsonSchemaValue:
        return {"type": "object", "nullable": True, "enum": [None]}

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        literal = super().literal_schema(schema)
        if "const" in literal:
            literal["enum"] = [literal.pop("const")]
        return literal

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        with_default = super().default_schema(schema)
        if with_default.get("default", "") is None:
            del with_default["default"]  # null is "not given", not a value
        return with_default

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


# --- The operations -------------------------------------------------------------------------

Model = type[BaseModel] | type[dict[str, Any]] | Any  # a pydantic model or a TypedDict


@dataclass(frozen=True)
class Answer:
    description: str
    model: Model | None = None  # None: no body
    # Also answered as XML: in the request's format (authentication API), or when the
    # Accept header prefers application/xml (PCL API).
    xml: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    tag: str
    summary: str
    answers: dict[str, Answer | str]  # status -> the answer, or a components.responses name
    body: Model | None = None
    body_required: bool = False
    xml: bool = False  # the body may be XML too
    parameters: tuple[str | dict[str, Any], ...] = ()  # a components.parameters name, or one
    secured: bool = True


def _sort(fields: dict[str, str | None]) -> dict[str, Any]:
    return {
        "name": "sort",
        "in": "query",
        "required": False,
        "description": "FIELD,ASC or FIELD,DESC, repeated in priority order. Sortable: "
        + ", ".join(fields)
        + ". Default order: cases by court, year and number; parties by name, then court, "
        "year and number.",
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_SORTS,
            "items": {
                "type": "string",
                "enum": [f"{name},{d}" for name in fields for d in ("ASC", "DESC")],
            },
        },
    }


REPORT_ID = {
    "name": "reportId",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "The reportId of one of your reports.",
}


def _pcl_operations() -> list[Operation]:
    operations: list[Operation] = []
    for kind, search, listed, download, sorts in (
        ("cases", CaseSearch, CaseList, CaseDownload, CASE_SORTS),
        ("parties", PartySearch, PartyList, PartyDownload, PARTY_SORTS),
    ):
        base = f"/pcl-public-api/rest/{kind}"
        operations += [
            Operation(
                "post",
                f"{base}/find",
                f"{kind}Find",
                "PCL",
                f"One page of {kind} in every court (billed: one page, $0.10).",
                body=search,
                xml=True,
                parameters=("page", _sort(sorts), "clientCode"),
                answers={
                    "200": Answer("The page, its receipt and paging.", listed, xml=True),
                    "400": "BadRequest",
                    "401": "Unauthorized",
                    "405": "NotAllowed",
                    "406": "Invalid",
                },
            ),
            Operation(
                "post",
                f"{base}/download",
                f"{kind}DownloadStart",
                "PCL batch",
                "Start a batch report (run by the task queue; free until downloaded).",
                body=search,
                xml=True,
                parameters=(_sort(sorts), "clientCode"),
                answers={
                    "200": Answer("The report.", ReportInfo, xml=True),
                    "400": "BadRequest",
                    "401": "Unauthorized",
                    "405": "NotAllowed",
                    "406": "Invalid",
                    "429": Answer(f"Too many reports held ({PclReport.MAX_PER_ACCOUNT}).", Error),
                },
            ),
            Operation(
                "get",
                f"{base}/download/status/{{reportId}}",
                f"{kind}DownloadStatus",
                "PCL batch",
                "A report's status (free).",
                parameters=(REPORT_ID, "clientCode"),
                answers={
                    "200": Answer("The report.", ReportInfo, xml=True),
                    "401": "Unauthorized",
                    "404": "NotFound",
                    "405": "NotAllowed",
                    "406": "Invalid",
                },
            ),
            Operation(
                "get",
                f"{base}/download/{{reportId}}",
                f"{kind}DownloadResults",
                "PCL batch",
                f"A report's rows; the first download is billed (a page per {PAGE_SIZE} rows).",
                parameters=(REPORT_ID, "clientCode"),
                answers={
                    "200": Answer("All rows, with the receipt.", download, xml=True),
                    "400": "BadRequest",
                    "401": "Unauthorized",
                    "404": "NotFound",
                    "405": "NotAllowed",
                    "406": "Invalid",
                },
            ),
            Operation(
                "get",
                f"{base}/reports",
                f"{kind}Reports",
                "PCL batch",
                "Your reports of this kind (free).",
                parameters=("clientCode",),
                answers={
                    "200": Answer("The reports, oldest first.", ReportList, xml=True),
                    "401": "Unauthorized",
                    "405": "NotAllowed",
                    "406": "Invalid",
                },
            ),
            Operation(
                "delete",
                f"{base}/reports/{{reportId}}",
                f"{kind}ReportDelete",
                "PCL batch",
                "Delete a report of yours.",
                parameters=(REPORT_ID, "clientCode"),
                answers={
                    "204": Answer("Deleted."),
                    "401": "Unauthorized",
                    "404": "NotFound",
                    "405": "NotAllowed",
                    "406": "Invalid",
                },
            ),
        ]
    return operations


MALFORMED = Answer(
    "Malformed: not JSON/XML, not an object, a field not a string, too long or with a NUL, "
    "loginId or password missing (always JSON).",
    CsoAuthError,
)
ONLY_POST = Answer("Only POST.")

OPERATIONS: list[Operation] = [
    *_pcl_operations(),
    Operation(
        "post",
        "/services/cso-auth",
        "csoAuth",
        "Authentication",
        "Log in; answers HTTP 200 whatever the outcome (see loginResult).",
        body=CsoAuthRequest,
        body_required=True,
        xml=True,
        secured=False,
        answers={
            "200": Answer("The outcome, in the request's format.", CsoAuthResponse, xml=True),
            "400": MALFORMED,
            "405": ONLY_POST,
        },
    ),
    Operation(
        "post",
        "/services/cso-logout",
        "csoLogout",
        "Authentication",
        "End a token's sign-on everywhere (the same answer for a dead token).",
        body=CsoLogoutRequest,
        xml=True,
        secured=False,
        answers={
            "200": Answer("Logged out.", CsoLogoutResponse, xml=True),
            "400": MALFORMED,
            "405": ONLY_POST,
        },
    ),
]

# Shared answers of the PCL operations (components.responses).
RESPONSES = {
    "BadRequest": "The body is not JSON or a caseSearch/partySearch XML document, or the "
    "report failed; or (in plain text) the address holds a NUL character.",
    "Unauthorized": "No X-NEXT-GEN-CSO header, or its token is unknown or ended.",
    "NotFound": "No such report of yours.",
    "NotAllowed": "Another method is needed here (see Allow).",
    "Invalid": "Validation Exception: an invalid search parameter (unknown field, wrong type, "
    "bad value, no criteria, bad sort or page, bad client code), named in message and field.",
}
PARAMETERS = {
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": f"0-based page of {PAGE_SIZE} rows; at most {MAX_PAGES} pages.",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_PAGES - 1, "default": 0},
    },
    "clientCode": {
        "name": "X-CLIENT-CODE",
        "in": "header",
        "required": False,
        "description": "Tags this request's charge: at most 32 characters, no space or comma, "
        "in the account's client code format. Default: the sign-on's code.",
        "schema": {"type": "string", "maxLength": 32, "pattern": "^[!-+\\--~]*$"},
    },
}


# --- The generator ----------------------------------------------------------------------------


@dataclass
class _Schemas:
    """Every model the operations name, described once under components.schemas."""

    models: list[Model] = field(default_factory=list)

    def ref(self, model: Model) -> dict[str, Any]:
        if model not in self.models:
            self.models.append(model)
        return {"$ref": REF + model.__name__}

    def components(self) -> dict[str, Any]:
        inputs = [(model, "validation", TypeAdapter(model)) for model in self.models]
        _refs, definitions = TypeAdapter.json_schemas(
            inputs,  # type: ignore[arg-type]
            ref_template=REF + "{model}",
            schema_generator=OpenApi30,
        )
        return dict(definitions["$defs"])


# Any address holding a NUL character is refused in plain text before a view sees it
# (lib.middleware.RejectNulMiddleware), so every operation can answer this 400.
NUL_REFUSED = {"text/plain": {"schema": {"type": "string"}}}
BAD_ADDRESS = "The address holds a NUL character (refused before the API reads it)."


def _content(schema: dict[str, Any], xml: bool) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    if xml:
        content["application/xml"] = {"schema": schema}
    return content


def _operation(op: Operation, schemas: _Schemas) -> dict[str, Any]:
    described: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "security": [{"NextGenCSO": []}] if op.secured else [],
    }
    if op.parameters:
        described["parameters"] = [
            {"$ref": f"#/components/parameters/{p}"} if isinstance(p, str) else p
            for p in op.parameters
        ]
    if op.body is not None:
        described["requestBody"] = {
            "required": op.body_required,
            "content": _content(schemas.ref(op.body), op.xml),
        }
    responses: dict[str, Any] = {}
    for status, answer in op.answers.items():
        if isinstance(answer, str):
            responses[status] = {"$ref": f"#/components/responses/{answer}"}
        elif answer.model is None:
            responses[status] = {"description": answer.description}
        else:
            responses[status] = {
                "description": answer.description,
                "content": _content(schemas.ref(answer.model), answer.xml),
            }
    if "400" not in responses:
        responses["400"] = {"$ref": "#/components/responses/BadAddress"}
    elif "content" in responses["400"]:
        responses["400"]["content"].update(NUL_REFUSED)
    described["responses"] = dict(sorted(responses.items()))
    return described


@cache
def openapi_document() -> dict[str, Any]:
    schemas = _Schemas()
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, schemas)
    error = schemas.ref(Error)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "NextECF PACER Case Locator and Authentication APIs",
            "version": "1.0",
            "description": (
                "Wire-compatible with PACER's Authentication API (/services/cso-auth, "
                "/services/cso-logout) and PACER Case Locator API (/pcl-public-api/rest), over "
                'every court of this deployment. PCL court ids are our court ids plus "dc" '
                "(citdc). Searches are billed $0.10 per page retrieved (54 rows a page; a search "
                "that finds nothing is one page; no cap) to the account, tagged with the "
                "X-CLIENT-CODE header or the sign-on's client code; batch reports are billed "
                "once, on their first download. Sealed cases appear only to the court's staff "
                "and the case's filers of record. Criteria this deployment's courts cannot meet "
                "(bankruptcy, MDL, nature of suit, aliases) are accepted and match nothing. "
                "The PCL API takes JSON or XML (Content-Type application/xml: a caseSearch or "
                "partySearch document, one element per field, a list field's element "
                "repeated) and answers in JSON, or in XML when the Accept header prefers "
                "application/xml: the guide's root elements (caseList, partyList, reportInfo, "
                "reportList, download) in the namespace https://pacer.uscourts.gov, one element "
                "per field and per list item, null fields left out, times with a colon in the "
                "zone offset (-06:00). Errors are always JSON."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": "Authentication"}, {"name": "PCL"}, {"name": "PCL batch"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "NextGenCSO": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-NEXT-GEN-CSO",
                    "description": "The nextGenCSO token from POST /services/cso-auth.",
                }
            },
            "parameters": PARAMETERS,
            "responses": {
                **{
                    name: {"description": text, "content": _content(error, xml=False)}
                    for name, text in RESPONSES.items()
                },
                "BadRequest": {
                    "description": RESPONSES["BadRequest"],
                    "content": {**_content(error, xml=False), **NUL_REFUSED},
                },
                "BadAddress": {"description": BAD_ADDRESS, "content": NUL_REFUSED},
            },
            "schemas": schemas.components(),
        },
    }
