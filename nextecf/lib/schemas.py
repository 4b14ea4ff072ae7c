"""Glue for request fields whose accepted input is wider than their validated type (a year
sent as 2025, "2025" or "25" is an int once read): `Accepts` runs our own check before
pydantic's and describes, in the OpenAPI description, the input the check accepts, so the
rule and its description come from one declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema


@dataclass(frozen=True)
class Accepts:
    """Annotated metadata: `check` reads the raw JSON value (raising ValueError with the
    problem, in our words) and `schema` is the JSON schema of what it accepts."""

    check: Callable[[Any], Any]
    schema: dict[str, Any] = field(default_factory=dict)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(self.schema)
