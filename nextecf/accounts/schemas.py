"""The authentication API's bodies (cso-auth, cso-logout) as pydantic models: what the views
accept and answer, and what the OpenAPI description says of them (nextecf.api.openapi
generates it from these).

A request field is a string or null (null counts as absent); anything else, a NUL
character, an overlong value or a missing required field is refused naming the field.
Pydantic collects every such problem, so one answer names every wrong field at once."""

from __future__ import annotations

from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,  # pydantic needs these on Python 3.11
)

from pydantic import BaseModel, ConfigDict, Field, ValidationError, with_config
from pydantic.config import JsonDict
from typing_extensions import TypedDict

from nextecf.lib.schemas import Accepts

XML_ROOT = "CsoAuth"
XML: JsonDict = {"xml": {"name": XML_ROOT}}
TOKEN_LENGTH = 128
# services.api's LOGIN_OK, LOGIN_FAILED and LOGIN_OTP_NEEDED.
LoginResult = Literal["0", "1", "13"]


def json_type(value: object) -> str:
    """How a JSON value's type is named in our messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else "null"


class LoginText(Accepts):
    """A string field of an authentication request; its limit both checks and describes it.
    Null reads as "" (absent)."""

    def __init__(self, max_length: int, *, required: bool = False) -> None:
        def check(value: object) -> str:
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise ValueError(f"must be a string, not {json_type(value)}.")
            if "\x00" in value:
                raise ValueError("must not contain a NUL character.")
            if len(value) > max_length:
                raise ValueError(f"must be at most {max_length} characters.")
            if required and not value.strip():
                raise ValueError("is required.")
            return value

        schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
        if not required:
            schema["nullable"] = True
        super().__init__(check=check, schema=schema)
        object.__setattr__(self, "max_length", max_length)

    max_length: int


class CsoAuthRequest(BaseModel):
    """Unknown fields are ignored; null counts as absent."""

    model_config = ConfigDict(extra="ignore", json_schema_extra=XML)

    loginId: Annotated[str, LoginText(256, required=True)]
    password: Annotated[str, LoginText(4096, required=True)]
    # PACER's own limit (32) is a login rule, answered with loginResult "1".
    clientCode: Annotated[
        str,
        LoginText(256),
        Field(
            description='At most 32 characters, no space or comma (else loginResult "1"); '
            "tags the sign-on's charges."
        ),
    ] = ""
    otpCode: Annotated[
        str,
        LoginText(64),
        Field(
            description="The one-time passcode (TOTP app or backup code) of an account with "
            "MFA; each code is accepted once."
        ),
    ] = ""
    redactFlag: Annotated[
        str,
        LoginText(16),
        Field(description='"1": the redaction agreement; required of filers.'),
    ] = ""


class CsoLogoutRequest(BaseModel):
    """The token to end; or else the X-NEXT-GEN-CSO header or the NextGenCSO/PacerSession
    cookie."""

    model_config = ConfigDict(extra="ignore", json_schema_extra=XML)

    nextGenCSO: Annotated[str, LoginText(512)] = ""


def _limits(model: type[BaseModel]) -> dict[str, int]:
    return {
        name: next(rule.max_length for rule in field.metadata if isinstance(rule, LoginText))
        for name, field in model.model_fields.items()
    }


# Field name -> longest accepted value (longer: malformed, HTTP 400).
LOGIN_FIELDS = _limits(CsoAuthRequest)
LOGOUT_FIELDS = _limits(CsoLogoutRequest)


def field_errors(error: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (field, message), in the words the API has always used: the
    field's name, then the problem ("loginId is required.")."""
    found: list[tuple[str, str]] = []
    for problem in error.errors(include_url=False, include_input=False):
        field = str(problem["loc"][0]) if problem["loc"] else "body"
        if problem["type"] == "missing":
            message = "is required."
        elif problem["type"] == "value_error":
            message = str(problem["ctx"]["error"])
        else:
            message = problem["msg"]
        found.append((field, f"{field} {message}"))
    return found


# --- Answers ---------------------------------------------------------------------------------


@with_config(ConfigDict(extra="forbid", json_schema_extra=XML))
class CsoAuthResponse(TypedDict):
    """What cso-auth answers (HTTP 200), in the request's format."""

    nextGenCSO: NotRequired[
        Annotated[
            str,
            Field(
                min_length=TOKEN_LENGTH,
                max_length=TOKEN_LENGTH,
                description="The token; present only when loginResult is 0.",
            ),
        ]
    ]
    loginResult: Annotated[
        LoginResult,
        Field(
            description='"0" signed on; "1" refused; "13" one-time passcode missing or not '
            "accepted (the password was right)."
        ),
    ]
    errorDescription: Annotated[
        str, Field(description="Why not, or a warning with loginResult 0 (client code).")
    ]


@with_config(ConfigDict(extra="forbid", json_schema_extra=XML))
class CsoLogoutResponse(TypedDict):
    """What cso-logout answers (HTTP 200), whether or not the token was live."""

    loginResult: Literal["0"]
    errorDescription: Literal[""]


@with_config(ConfigDict(extra="forbid"))
class FieldError(TypedDict):
    field: str
    message: str


@with_config(ConfigDict(extra="forbid"))
class CsoAuthError(TypedDict):
    """A malformed request (HTTP 400, always JSON), naming every wrong field."""

    loginResult: Literal["1"]
    errorDescription: str
    errors: list[FieldError]
