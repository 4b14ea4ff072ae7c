"""The OpenAPI 3 description of the filing API, served at /api/v1/openapi.json: generated
from the pydantic models its views parse and answer with (api.v1.schemas), so it cannot
drift from what is built; the schemathesis test checks every answer against it."""

from __future__ import annotations

from functools import cache
from typing import Any

from nextecf.api.openapi import _Schemas
from nextecf.api.v1.schemas import (
    ApiError,
    CaseOut,
    DocketPage,
    DraftOut,
    DraftRequest,
    EventList,
    FeesCalculation,
    FilingRequest,
    FilingStatus,
    SubmitRequest,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionOut,
)

ERRORS = {
    "401": "No API token, or one unknown, expired, revoked or used from an address its "
    "allow-list does not name.",
    "403": "The token's scopes do not allow this.",
    "404": "No such court, case or filing (a case the token may not read is answered so).",
    "405": "Another method is expected.",
}

COURT = {"name": "court", "in": "path", "required": True, "schema": {"type": "string"}}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "The case number, e.g. 1:25-cv-00137.",
    "schema": {"type": "string"},
}


DRAFT = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _answers(schemas: _Schemas, ok: dict[str, Any], *extra: str) -> dict[str, Any]:
    error = {"application/json": {"schema": schemas.ref(ApiError)}}
    answers = dict(ok)
    for status in [*ERRORS, *extra]:
        text = (
            ERRORS.get(status)
            or {
                "402": "The card was declined or is not valid; nothing was filed.",
                "409": "A request with this Idempotency-Key is still being filed.",
                "413": "The request is larger than the court's PDF limits allow.",
                "415": "The body is not multipart/form-data.",
                "422": "Bad input: `field` names the field; nothing was filed or charged.",
            }[status]
        )
        answers[status] = {"description": text, "content": error}
    return answers


def _ok(schemas: _Schemas, model: Any, status: str = "200", text: str = "OK") -> dict[str, Any]:
    return {
        status: {
            "description": text,
            "content": {"application/json": {"schema": schemas.ref(model)}},
        }
    }


@cache
def openapi_v1_document() -> dict[str, Any]:
    s = _Schemas()
    secured: list[dict[str, list[str]]] = [{"ApiToken": []}]
    filing_form = {
        "type": "object",
        "required": ["metadata"],
        "properties": {
            "metadata": {
                "type": "string",
                "description": "A FilingRequest as JSON (see components.schemas).",
            },
            "main_document": {"type": "string", "format": "binary"},
            "attachment": {"type": "array", "items": {"type": "string", "format": "binary"}},
        },
    }
    s.ref(FilingRequest)
    document_form = {
        "type": "object",
        "properties": {
            "main_document": {"type": "string", "format": "binary"},
            "attachment": {"type": "string", "format": "binary"},
            "description": {"type": "string", "maxLength": 200},
        },
    }
    paths: dict[str, Any] = {
        "/api/v1/courts/{court}/events": {
            "get": {
                "operationId": "ListEvents",
                "summary": "The events a filer may file in this court, with their fees.",
                "security": secured,
                "parameters": [COURT],
                "responses": _answers(s, _ok(s, EventList)),
            }
        },
        "/api/v1/courts/{court}/fees": {
            "get": {
                "operationId": "GetFeesCalculation",
                "summary": "The fee of a filing of one event.",
                "security": secured,
                "parameters": [
                    COURT,
                    {
                        "name": "event",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": _answers(s, _ok(s, FeesCalculation), "422"),
            }
        },
        "/api/v1/courts/{court}/cases/{number}": {
            "get": {
                "operationId": "GetCase",
                "summary": "A public case's caption and parties.",
                "security": secured,
                "parameters": [COURT, NUMBER],
                "responses": _answers(s, _ok(s, CaseOut)),
            }
        },
        "/api/v1/courts/{court}/cases/{number}/docket": {
            "get": {
                "operationId": "GetDocket",
                "summary": "A public case's docket, oldest entry first, a page at a time.",
                "security": secured,
                "parameters": [
                    COURT,
                    NUMBER,
                    {
                        "name": "page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100000},
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                    },
                ],
                "responses": _answers(s, _ok(s, DocketPage), "422"),
            }
        },
        "/api/v1/courts/{court}/documents/{doc_id}": {
            "get": {
                "operationId": "GetDocument",
                "summary": "A public document's PDF, by the doc_id its docket entry lists.",
                "description": (
                    "Charged as PACER charges a document (a fee per page, capped; written "
                    "opinions free). Sealed, restricted, confidential and stricken documents "
                    "are never served to a token: they are answered as 404."
                ),
                "security": secured,
                "parameters": [
                    COURT,
                    {
                        "name": "doc_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": _answers(
                    s,
                    {
                        "200": {
                            "description": "The PDF.",
                            "content": {
                                "application/pdf": {
                                    "schema": {"type": "string", "format": "binary"}
                                }
                            },
                        }
                    },
                ),
            }
        },
        "/api/v1/courts/{court}/filings": {
            "post": {
                "operationId": "ReviewFiling",
                "summary": "File: open a case or file into one, with the PDFs and the fee.",
                "description": (
                    "The same filing as the court's web pages make. Send an Idempotency-Key "
                    "header so that a retry files once."
                ),
                "security": secured,
                "parameters": [
                    COURT,
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "maxLength": 80},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": filing_form}},
                },
                "responses": _answers(
                    s,
                    {
                        **_ok(s, FilingStatus, "201", "Filed."),
                        **_ok(s, FilingStatus, "200", "Filed earlier with this key."),
                    },
                    "402",
                    "409",
                    "413",
                    "415",
                    "422",
                ),
            }
        },
        "/api/v1/courts/{court}/filings/{filing_id}": {
            "get": {
                "operationId": "GetFilingStatus",
                "summary": "One of the token owner's filings, with its NEF.",
                "security": secured,
                "parameters": [
                    COURT,
                    {
                        "name": "filing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": _answers(s, _ok(s, FilingStatus)),
            }
        },
        "/api/v1/courts/{court}/drafts": {
            "post": {
                "operationId": "StageFiling",
                "summary": "Stage a filing: checked as ReviewFiling checks it; PDFs come next.",
                "security": secured,
                "parameters": [COURT],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": s.ref(DraftRequest)}},
                },
                "responses": _answers(s, _ok(s, DraftOut, "201", "Staged."), "413", "422"),
            }
        },
        "/api/v1/courts/{court}/drafts/{draft_id}/documents": {
            "post": {
                "operationId": "StageDocument",
                "summary": "Add one PDF to a staged filing (the main document or an attachment).",
                "security": secured,
                "parameters": [COURT, DRAFT],
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": document_form}},
                },
                "responses": _answers(s, _ok(s, DraftOut, "201", "Staged."), "413", "415", "422"),
            },
            "delete": {
                "operationId": "CancelFiling",
                "summary": "Drop a staged filing and its PDFs.",
                "security": secured,
                "parameters": [COURT, DRAFT],
                "responses": _answers(s, {"204": {"description": "Dropped."}}),
            },
        },
        "/api/v1/courts/{court}/drafts/{draft_id}/submit": {
            "post": {
                "operationId": "SubmitFiling",
                "summary": "Pay and file a staged filing (again: its filing, not a second one).",
                "security": secured,
                "parameters": [COURT, DRAFT],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": s.ref(SubmitRequest)}},
                },
                "responses": _answers(
                    s,
                    {
                        **_ok(s, FilingStatus, "201", "Filed."),
                        **_ok(s, FilingStatus, "200", "Filed before."),
                    },
                    "402",
                    "409",
                    "413",
                    "422",
                ),
            }
        },
        "/api/v1/subscriptions": {
            "get": {
                "operationId": "ListSubscriptions",
                "summary": "The cases the token's account follows.",
                "security": secured,
                "responses": _answers(s, _ok(s, SubscriptionList)),
            },
            "post": {
                "operationId": "Subscribe",
                "summary": "Follow a public case: email, RSS and webhook alerts of new entries.",
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": s.ref(SubscriptionIn)}},
                },
                "responses": _answers(s, _ok(s, SubscriptionOut, "201", "Followed."), "413", "422"),
            },
        },
        "/api/v1/subscriptions/{subscription_id}": {
            "delete": {
                "operationId": "Unsubscribe",
                "summary": "Stop following a case.",
                "security": secured,
                "parameters": [
                    {
                        "name": "subscription_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": _answers(s, {"204": {"description": "No longer followed."}}),
            }
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "NextECF filing API",
            "version": "1.0",
            "description": (
                "Filing, fees, cases and dockets for filers' software, with a scoped API "
                "token made under Manage My Account > API tokens. A token reads public "
                "material only, whatever its account may see. Operation names follow OASIS "
                "ECF 5 where it has one."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ApiToken": {"type": "http", "scheme": "bearer", "description": "necf_..."}
            },
            "schemas": s.components(),
        },
    }
