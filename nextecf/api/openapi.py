"""The OpenAPI 3 description of the PCL API (nextecf.api) and of the authentication API
(nextecf.accounts.api_views), served at /pcl-public-api/openapi.json. Written by hand, to
match what the views answer field for field; the schemathesis test checks that it does."""

from __future__ import annotations

import copy
from typing import Any

from nextecf.accounts.services.api import LOGIN_FAILED, LOGIN_OK, LOGIN_OTP_NEEDED
from nextecf.accounts.views.api import LOGIN_FIELDS, LOGOUT_FIELDS
from nextecf.api.schemas import (
    CASE_DATE_RANGES,
    CASE_SORTS,
    MAX_PAGES,
    PAGE_SIZE,
    PARTY_SORTS,
    UNMATCHABLE_DATE_RANGES,
)

REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": REF + name}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date", "example": "2025-01-31"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A request field: null counts as not given."""
    schema = {**schema, "nullable": True}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _int_or_digits(low: int, high: int, digits: str = "[0-9]{1,18}") -> dict[str, Any]:
    return _nullable(
        {
            "oneOf": [
                {"type": "integer", "minimum": low, "maximum": high},
                {"type": "string", "pattern": f"^ *{digits} *$"},
            ]
        }
    )


def _codes(description: str, numbers: bool = False) -> dict[str, Any]:
    code: dict[str, Any] = {"type": "string", "pattern": "^ *[A-Za-z0-9]{1,10} *$"}
    items = {"oneOf": [code, {"type": "integer", "minimum": 0}]} if numbers else code
    return _nullable({"type": "array", "items": items, "maxItems": 200, "description": description})


def _text(max_length: int, description: str = "", pattern: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if pattern:
        schema["pattern"] = pattern
    if description:
        schema["description"] = description
    return _nullable(schema)


INT_OR_DIGITS = _int_or_digits(0, 2**31 - 1)
YEAR = _int_or_digits(1900, 2100, "([0-9]{2}|19[0-9]{2}|20[0-9]{2})")
YEAR["description"] = "yyyy, or yy (the latest such year not after next year)."
NULLABLE_DATE = _nullable(DATE)

TAGS = {
    "reportId": _text(64, "The caller's tag for the search; echoed in batch criteria."),
    "searchType": _text(64),
    "requestType": _text(64),
    "requestSource": _text(64),
    "searchName": _text(64),
    "page": _nullable(
        {"oneOf": [_text(64), {"type": "integer"}], "description": "Ignored; use ?page="}
    ),
}

PARTY_CRITERIA: dict[str, Any] = {
    "lastName": _text(
        200,
        "Starts-with match on the party's name (names are stored whole, so this is the "
        "whole name of a person or an entity); exact (ignoring case) with exactNameMatch.",
    ),
    "firstName": _text(50, "A word of the party's name."),
    "middleName": _text(50, "A word of the party's name."),
    "generation": _text(5, "A word of the party's name."),
    "partyType": _text(10, '"pty" (every party here).'),
    "role": _codes("Party role codes: pla, dft, intvp, intvd, cnpla, amc."),
    "exactNameMatch": _nullable({"type": "boolean"}),
    "ssn": _text(
        11,
        "Bankruptcy debtors only (none here); needs lastName.",
        r"^ *[0-9]{3}-?[0-9]{2}-?[0-9]{4} *$",
    ),
    "ssn4": _text(4, "Bankruptcy debtors only (none here); needs lastName.", "^[0-9]{4}$"),
    "seqNo": INT_OR_DIGITS,
    "aliasEq": INT_OR_DIGITS,
    "aliasType": _text(10),
    "description": _text(254, "Contained in the party's description."),
}


def _date_ranges() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in (*CASE_DATE_RANGES, *UNMATCHABLE_DATE_RANGES):
        for end in ("From", "To"):
            fields[f"{name}{end}"] = NULLABLE_DATE
    return fields


CASE_NUMBER_PATTERN = (
    r"^ *([0-9]{1,2}:)?([0-9]{2}|19[0-9]{2}|20[0-9]{2})[- ]?([A-Za-z]{2,3}[- ]?)?"
    r"0*[1-9][0-9]{0,4}(-[A-Za-z][A-Za-z0-9./-]*)? *$"
)
CASE_CRITERIA: dict[str, Any] = {
    "courtId": _codes('PCL court ids, any letter case: our court id plus "dc" (e.g. citdc).'),
    "caseId": _int_or_digits(1, 2**63 - 1),
    "caseYear": YEAR,
    "caseYearFrom": YEAR,
    "caseYearTo": YEAR,
    "caseNumber": _int_or_digits(1, 99999, "0*[1-9][0-9]{0,4}"),
    "caseNumberFull": _text(
        64,
        "yy-nnnnn, yy-tp-nnnnn, yy tp nnnnn or yytpnnnnn, optionally o: first; yy or yyyy.",
        CASE_NUMBER_PATTERN,
    ),
    "caseOffice": _nullable(
        {
            "oneOf": [
                {"type": "string", "pattern": "^ *[A-Za-z0-9]{1,2} *$"},
                {"type": "integer", "minimum": 0, "maximum": 99},
            ]
        }
    ),
    "caseType": _codes("Case types, e.g. cv."),
    "caseTitle": _text(254, "Starts-with match, ignoring case."),
    "caseStatus": _nullable({"type": "string", "enum": ["O", "C", "o", "c"]}),
    "jurisdictionType": _nullable(
        {"type": "string", "enum": ["ap", "bk", "cr", "cv", "mdl", "AP", "BK", "CR", "CV", "MDL"]}
    ),
    "natureOfSuit": _codes("Nature of suit codes (none here).", numbers=True),
    "nos": _codes("Nature of suit codes, the XSD's name (none here).", numbers=True),
    "jpmlNumber": _int_or_digits(1, 2**31 - 1),
    "federalBankruptcyChapter": _codes("Bankruptcy chapters (none here).", numbers=True),
    "dispositionMethod": _text(64),
    "dispMethodJt": _text(64),
    "dispoMethodJt": _text(64),
    "caseJoint": _text(64),
    **_date_ranges(),
}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }


def _case_item_properties() -> dict[str, Any]:
    return {
        "courtId": {"type": "string", "example": "citdc"},
        "caseId": {"type": "integer"},
        "caseYear": {"type": "integer", "example": 2025},
        "caseNumber": {"type": "integer", "example": 1},
        "caseOffice": {"type": "string", "example": "1"},
        "caseType": {"type": "string", "example": "cv"},
        "caseTitle": STRING,
        "dateFiled": DATE,
        "dateTermed": DATE,
        "effectiveDateClosed": DATE,
        "dateReopened": DATE,
        "jurisdictionType": {"type": "string", "example": "Civil"},
        "caseLink": {
            "type": "string",
            "example": "https://ecf.cit.example.gov/cgi-bin/iqquerymenu.pl?42",
        },
        "caseNumberFull": {"type": "string", "example": "1:2025cv00001"},
    }


CASE_ITEM_REQUIRED = [
    "courtId",
    "caseId",
    "caseYear",
    "caseNumber",
    "caseOffice",
    "caseType",
    "caseTitle",
    "dateFiled",
    "jurisdictionType",
    "caseLink",
    "caseNumberFull",
]


def _components() -> dict[str, Any]:
    case_item = {
        "type": "object",
        "description": "A case. Fields without a value are left out (never null).",
        "properties": _case_item_properties(),
        "required": CASE_ITEM_REQUIRED,
        "additionalProperties": False,
    }
    party_item_properties = {
        "courtId": {"type": "string"},
        "caseId": {"type": "integer"},
        "caseYear": {"type": "integer"},
        "caseNumber": {"type": "integer"},
        "lastName": STRING,
        "firstName": {"type": "string", "description": '" " (names are stored whole)'},
        "middleName": {"type": "string"},
        "generation": {"type": "string"},
        "partyType": {"type": "string", "example": "pty"},
        "partyRole": {"type": "string", "example": "pla"},
        "jurisdictionType": {"type": "string", "example": "Civil"},
        "courtCase": _ref("CaseItem"),
        **{
            key: value
            for key, value in _case_item_properties().items()
            if key
            in (
                "dateFiled",
                "dateTermed",
                "effectiveDateClosed",
                "caseOffice",
                "caseType",
                "caseTitle",
                "caseNumberFull",
            )
        },
    }
    party_item = {
        "type": "object",
        "description": "A party, with its case's fields repeated and the case nested.",
        "properties": party_item_properties,
        "required": [
            "courtId",
            "caseId",
            "caseYear",
            "caseNumber",
            "lastName",
            "firstName",
            "middleName",
            "generation",
            "partyType",
            "partyRole",
            "jurisdictionType",
            "courtCase",
            "dateFiled",
            "caseOffice",
            "caseType",
            "caseTitle",
            "caseNumberFull",
        ],
        "additionalProperties": False,
    }
    receipt = {
        "type": "object",
        "properties": {
            "transactionDate": {
                "type": "string",
                "example": "2025-03-04T11:01:48.267-0500",
                "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$",
            },
            "billablePages": {"type": "integer", "minimum": 0},
            "loginId": STRING,
            "clientCode": STRING,
            "firmId": STRING,
            "search": STRING,
            "description": {
                "type": "string",
                "enum": ["All Court Types Case Search", "All Court Types Party Search"],
            },
            "csoId": {"type": "integer"},
            "reportId": {"type": "string"},
            "searchFee": {"type": "string", "pattern": r"^\d*\.\d{2}$", "example": ".10"},
        },
        "required": [
            "transactionDate",
            "billablePages",
            "loginId",
            "clientCode",
            "firmId",
            "search",
            "description",
            "csoId",
            "reportId",
            "searchFee",
        ],
        "additionalProperties": False,
    }
    page_info = {
        "type": "object",
        "description": f"0-based pages of {PAGE_SIZE}.",
        "properties": {
            "number": {"type": "integer", "minimum": 0},
            "size": {"type": "integer", "enum": [PAGE_SIZE]},
            "totalPages": {"type": "integer", "minimum": 0},
            "totalElements": {"type": "integer", "minimum": 0},
            "numberOfElements": {"type": "integer", "minimum": 0},
            "first": {"type": "boolean"},
            "last": {"type": "boolean"},
        },
        "required": [
            "number",
            "size",
            "totalPages",
            "totalElements",
            "numberOfElements",
            "first",
            "last",
        ],
        "additionalProperties": False,
    }

    def result_list(item: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "receipt": _ref("Receipt"),
                "pageInfo": _ref("PageInfo"),
                "content": {"type": "array", "items": _ref(item)},
                "masterCase": {"type": "object", "nullable": True, "enum": [None]},
            },
            "required": ["receipt", "pageInfo", "content", "masterCase"],
            "additionalProperties": False,
        }

    def download(item: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "receipt": _ref("Receipt"),
                "pageInfo": _ref("PageInfo"),
                "content": {"type": "array", "items": _ref(item)},
            },
            "required": ["receipt", "pageInfo", "content"],
            "additionalProperties": False,
        }

    timestamp = {"type": "string", "example": "2025-03-04T11:01:48.267-0500"}
    report_info = {
        "type": "object",
        "properties": {
            "reportId": {"type": "integer"},
            "status": {"type": "string", "enum": ["WAITING", "RUNNING", "COMPLETED", "FAILED"]},
            "startTime": timestamp,
            "endTime": timestamp,
            "recordCount": {"type": "integer", "minimum": 0},
            "unbilledPageCount": {"type": "integer", "minimum": 0},
            "downloadFee": {"type": "number", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
            "sort": {
                "type": "object",
                "properties": {
                    "orders": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "direction": {"type": "string", "enum": ["ASC", "DESC"]},
                                "property": STRING,
                                "ignoreCase": {"type": "boolean"},
                                "nullHandling": STRING,
                            },
                            "required": ["direction", "property", "ignoreCase", "nullHandling"],
                        },
                    }
                },
                "required": ["orders"],
            },
            "searchType": {"type": "string", "enum": ["COURT_CASE", "PARTY"]},
            "criteria": {
                "type": "object",
                "description": "The criteria as understood (case numbers parsed, court ids "
                'lower-cased), with requestType "Batch" and requestSource "Other".',
            },
        },
        "required": [
            "reportId",
            "status",
            "recordCount",
            "unbilledPageCount",
            "downloadFee",
            "pages",
            "sort",
            "searchType",
            "criteria",
        ],
        "additionalProperties": False,
    }
    report_list = {
        "type": "object",
        "properties": {
            "receipt": {"type": "object", "nullable": True, "enum": [None]},
            "pageInfo": _ref("PageInfo"),
            "content": {"type": "array", "items": _ref("ReportInfo")},
        },
        "required": ["receipt", "pageInfo", "content"],
        "additionalProperties": False,
    }
    error = {
        "type": "object",
        "properties": {
            "error": STRING,
            "message": STRING,
            "field": {"type": "string", "description": "The search parameter at fault (406)."},
        },
        "required": ["error", "message"],
        "additionalProperties": False,
    }
    party_in_case = _nullable(
        _object(PARTY_CRITERIA, "Cases with at least one party meeting these.")
    )
    case_search = {
        **_object(
            {**CASE_CRITERIA, "party": party_in_case, **TAGS},
            "Case criteria (at least one). Every criterion given must be met.",
        ),
        "minProperties": 1,
    }
    party_search = _object(
        {
            **PARTY_CRITERIA,
            **{
                key: CASE_CRITERIA[key]
                for key in (
                    "courtId",
                    "caseId",
                    "caseYear",
                    "caseYearFrom",
                    "caseYearTo",
                    "caseNumber",
                    "caseNumberFull",
                    "jurisdictionType",
                )
            },
            "courtCase": _nullable(
                _object(copy.deepcopy(CASE_CRITERIA), "The party's case meets these.")
            ),
            **TAGS,
        },
        "Party criteria: lastName, or else caseId, caseNumberFull or a date range in "
        "courtCase. Every criterion given must be met.",
    )
    party_search["anyOf"] = [
        {"required": ["lastName"]},
        {"required": ["caseId"]},
        {"required": ["caseNumberFull"]},
        {"required": ["courtCase"]},
    ]
    auth_request = {
        "type": "object",
        "properties": {
            "loginId": {"type": "string", "maxLength": LOGIN_FIELDS["loginId"]},
            "password": {"type": "string", "maxLength": LOGIN_FIELDS["password"]},
            "clientCode": {
                "type": "string",
                "nullable": True,
                "maxLength": LOGIN_FIELDS["clientCode"],
                "description": "At most 32 characters, no space or comma (else loginResult "
                '"1"); tags the sign-on\'s charges.',
            },
            "otpCode": {
                "type": "string",
                "nullable": True,
                "maxLength": LOGIN_FIELDS["otpCode"],
                "description": "The one-time passcode (TOTP app or backup code) of an account "
                "with MFA; each code is accepted once.",
            },
            "redactFlag": {
                "type": "string",
                "nullable": True,
                "maxLength": LOGIN_FIELDS["redactFlag"],
                "description": '"1": the redaction agreement; required of filers.',
            },
        },
        "required": ["loginId", "password"],
        "xml": {"name": "CsoAuth"},
        "description": "Unknown fields are ignored; null counts as absent.",
    }
    auth_response = {
        "type": "object",
        "properties": {
            "nextGenCSO": {
                "type": "string",
                "minLength": 128,
                "maxLength": 128,
                "description": "The token; present only when loginResult is 0.",
            },
            "loginResult": {
                "type": "string",
                "enum": [LOGIN_OK, LOGIN_FAILED, LOGIN_OTP_NEEDED],
                "description": '"0" signed on; "1" refused; "13" one-time passcode missing '
                "or not accepted (the password was right).",
            },
            "errorDescription": {
                "type": "string",
                "description": "Why not, or a warning with loginResult 0 (client code).",
            },
        },
        "required": ["loginResult", "errorDescription"],
        "additionalProperties": False,
        "xml": {"name": "CsoAuth"},
    }
    logout_request = {
        "type": "object",
        "properties": {
            "nextGenCSO": {
                "type": "string",
                "nullable": True,
                "maxLength": LOGOUT_FIELDS["nextGenCSO"],
            }
        },
        "description": "The token to end; or else the X-NEXT-GEN-CSO header or the "
        "NextGenCSO/PacerSession cookie.",
        "xml": {"name": "CsoAuth"},
    }
    logout_response = {
        "type": "object",
        "properties": {
            "loginResult": {"type": "string", "enum": [LOGIN_OK]},
            "errorDescription": {"type": "string", "enum": [""]},
        },
        "required": ["loginResult", "errorDescription"],
        "additionalProperties": False,
        "xml": {"name": "CsoAuth"},
    }
    auth_error = {
        "type": "object",
        "properties": {
            "loginResult": {"type": "string", "enum": [LOGIN_FAILED]},
            "errorDescription": STRING,
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"field": STRING, "message": STRING},
                    "required": ["field", "message"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["loginResult", "errorDescription", "errors"],
        "additionalProperties": False,
    }
    return {
        "securitySchemes": {
            "NextGenCSO": {
                "type": "apiKey",
                "in": "header",
                "name": "X-NEXT-GEN-CSO",
                "description": "The nextGenCSO token from POST /services/cso-auth.",
            }
        },
        "parameters": {
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
                "description": "Tags this request's charge: at most 32 characters, no space or "
                "comma, in the account's client code format. Default: the sign-on's code.",
                "schema": {"type": "string", "maxLength": 32, "pattern": "^[!-+\\--~]*$"},
            },
        },
        "responses": {
            "BadRequest": _json(_ref("Error"), "The body is not JSON, or the report failed."),
            "Unauthorized": _json(
                _ref("Error"), "No X-NEXT-GEN-CSO header, or its token is unknown or ended."
            ),
            "NotFound": _json(_ref("Error"), "No such report of yours."),
            "NotAllowed": _json(_ref("Error"), "Another method is needed here (see Allow)."),
            "Invalid": _json(
                _ref("Error"),
                "Validation Exception: an invalid search parameter (unknown field, wrong type, "
                "bad value, no criteria, bad sort or page, bad client code), named in message "
                "and field.",
            ),
        },
        "schemas": {
            "Error": error,
            "Receipt": receipt,
            "PageInfo": page_info,
            "CaseItem": case_item,
            "PartyItem": party_item,
            "CaseList": result_list("CaseItem"),
            "PartyList": result_list("PartyItem"),
            "CaseDownload": download("CaseItem"),
            "PartyDownload": download("PartyItem"),
            "ReportInfo": report_info,
            "ReportList": report_list,
            "CaseSearch": case_search,
            "PartySearch": party_search,
            "CsoAuthRequest": auth_request,
            "CsoAuthResponse": auth_response,
            "CsoLogoutRequest": logout_request,
            "CsoLogoutResponse": logout_response,
            "CsoAuthError": auth_error,
        },
    }


def _sort_parameter(fields: dict[str, str | None]) -> dict[str, Any]:
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
            "maxItems": 10,
            "items": {
                "type": "string",
                "enum": [f"{name},{d}" for name in fields for d in ("ASC", "DESC")],
            },
        },
    }


def _errors(*codes: str) -> dict[str, Any]:
    names = {
        "400": "BadRequest",
        "401": "Unauthorized",
        "404": "NotFound",
        "405": "NotAllowed",
        "406": "Invalid",
    }
    return {code: {"$ref": f"#/components/responses/{names[code]}"} for code in codes}


def _report_id() -> dict[str, Any]:
    return {
        "name": "reportId",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
        "description": "The reportId of one of your reports.",
    }


def _paths() -> dict[str, Any]:
    security: list[dict[str, list[str]]] = [{"NextGenCSO": []}]
    client_code = {"$ref": "#/components/parameters/clientCode"}
    paths: dict[str, Any] = {}
    for kind, item, search, sorts in (
        ("cases", "Case", "CaseSearch", CASE_SORTS),
        ("parties", "Party", "PartySearch", PARTY_SORTS),
    ):
        base = f"/pcl-public-api/rest/{kind}"
        body = {"required": False, "content": {"application/json": {"schema": _ref(search)}}}
        paths[f"{base}/find"] = {
            "post": {
                "operationId": f"{kind}Find",
                "tags": ["PCL"],
                "summary": f"One page of {kind} in every court (billed: one page, $0.10).",
                "security": security,
                "parameters": [
                    {"$ref": "#/components/parameters/page"},
                    _sort_parameter(sorts),
                    client_code,
                ],
                "requestBody": body,
                "responses": {
                    "200": _json(_ref(f"{item}List"), "The page, its receipt and paging."),
                    **_errors("400", "401", "405", "406"),
                },
            }
        }
        paths[f"{base}/download"] = {
            "post": {
                "operationId": f"{kind}DownloadStart",
                "tags": ["PCL batch"],
                "summary": "Start a batch report (run at once; free until downloaded).",
                "security": security,
                "parameters": [_sort_parameter(sorts), client_code],
                "requestBody": body,
                "responses": {
                    "200": _json(_ref("ReportInfo"), "The report."),
                    **_errors("400", "401", "405", "406"),
                    "429": _json(_ref("Error"), "Too many reports held (10)."),
                },
            }
        }
        paths[f"{base}/download/status/{{reportId}}"] = {
            "get": {
                "operationId": f"{kind}DownloadStatus",
                "tags": ["PCL batch"],
                "summary": "A report's status (free).",
                "security": security,
                "parameters": [_report_id(), client_code],
                "responses": {
                    "200": _json(_ref("ReportInfo"), "The report."),
                    **_errors("401", "404", "405", "406"),
                },
            }
        }
        paths[f"{base}/download/{{reportId}}"] = {
            "get": {
                "operationId": f"{kind}DownloadResults",
                "tags": ["PCL batch"],
                "summary": "A report's rows; the first download is billed (a page per 54 rows).",
                "security": security,
                "parameters": [_report_id(), client_code],
                "responses": {
                    "200": _json(_ref(f"{item}Download"), "All rows, with the receipt."),
                    **_errors("400", "401", "404", "405", "406"),
                },
            }
        }
        paths[f"{base}/reports"] = {
            "get": {
                "operationId": f"{kind}Reports",
                "tags": ["PCL batch"],
                "summary": "Your reports of this kind (free).",
                "security": security,
                "parameters": [client_code],
                "responses": {
                    "200": _json(_ref("ReportList"), "The reports, oldest first."),
                    **_errors("401", "405", "406"),
                },
            }
        }
        paths[f"{base}/reports/{{reportId}}"] = {
            "delete": {
                "operationId": f"{kind}ReportDelete",
                "tags": ["PCL batch"],
                "summary": "Delete a report of yours.",
                "security": security,
                "parameters": [_report_id(), client_code],
                "responses": {
                    "204": {"description": "Deleted."},
                    **_errors("401", "404", "405", "406"),
                },
            }
        }
    auth_errors = {
        "400": _json(
            _ref("CsoAuthError"),
            "Malformed: not JSON/XML, not an object, a field not a string, too long or with a "
            "NUL, loginId or password missing (always JSON).",
        ),
        "405": {"description": "Only POST."},
    }

    def both(schema: str, description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {
                "application/json": {"schema": _ref(schema)},
                "application/xml": {"schema": _ref(schema)},
            },
        }

    paths["/services/cso-auth"] = {
        "post": {
            "operationId": "csoAuth",
            "tags": ["Authentication"],
            "summary": "Log in; answers HTTP 200 whatever the outcome (see loginResult).",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("CsoAuthRequest")},
                    "application/xml": {"schema": _ref("CsoAuthRequest")},
                },
            },
            "responses": {
                "200": both("CsoAuthResponse", "The outcome, in the request's format."),
                **auth_errors,
            },
        }
    }
    paths["/services/cso-logout"] = {
        "post": {
            "operationId": "csoLogout",
            "tags": ["Authentication"],
            "summary": "End a token's sign-on everywhere (the same answer for a dead token).",
            "security": [],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {"schema": _ref("CsoLogoutRequest")},
                    "application/xml": {"schema": _ref("CsoLogoutRequest")},
                },
            },
            "responses": {
                "200": both("CsoLogoutResponse", "Logged out."),
                **auth_errors,
            },
        }
    }
    return paths


def openapi_document() -> dict[str, Any]:
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
                "The PCL API answers in JSON only."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "Authentication"},
            {"name": "PCL"},
            {"name": "PCL batch"},
        ],
        "paths": _paths(),
        "components": _components(),
    }
