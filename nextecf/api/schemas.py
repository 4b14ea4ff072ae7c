"""The PCL API's bodies as pydantic models: search criteria as the PACER Case Locator API User
Guide names them (§6.3 of reference/pacer-api-clients.md), checked field by field, and the
answers (§6.4-6.5) with exactly the guide's field names and JSON types. The views parse with
these models and answer with them; nextecf.api.openapi generates the OpenAPI description
from them.

Everything a client sends is read here and nowhere else. A field a model does not know, or
a value of the wrong type, is a CriteriaError naming the field (the first wrong one, in the
order the fields are declared); the view answers it with HTTP 406 ("invalid search
parameter"), as PCL does. Field names are case-sensitive; values are not.

Criteria that can never match what a court of this deployment holds (bankruptcy chapters,
discharge and dismissal dates, MDL numbers, natures of suit, aliases) are accepted and
checked like any other, and then match nothing: PCL answers them the same way for a court
that has no such cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,  # pydantic needs these on Python 3.11
    Self,
)

from django.utils import timezone
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
    with_config,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from nextecf.cases.numbers import parse_case_number
from nextecf.lib.schemas import Accepts
from nextecf.lib.text import printable

PAGE_SIZE = 54
MAX_PAGES = 100  # immediate searches stop here (5,400 rows); batch searches go on
BATCH_MAX_PAGES = 2000
MAX_LIST_ITEMS = 200
MAX_SORTS = 10

_COURT_ID = re.compile(r"[a-z0-9]{2,10}")
_OFFICE = re.compile(r"[0-9a-z]{1,2}")
_CODE = re.compile(r"[0-9a-z]{1,10}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SSN = re.compile(r"\d{3}-?\d{2}-?\d{4}")
_SSN4 = re.compile(r"\d{4}")

JURISDICTION_TYPES = {"ap", "bk", "cr", "cv", "mdl"}
CASE_NUMBER_FULL_HELP = "a case number such as 1:25-cv-00001, 25-00001, 25cv1 or 1:2025cv00001"


class CriteriaError(ValueError):
    """One invalid search parameter. `field` is its path (e.g. "party.lastName")."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    @property
    def message(self) -> str:
        return f"Invalid search parameter {self.field}: {self.problem}"

    @classmethod
    def from_validation(cls, error: ValidationError) -> CriteriaError:
        """The first of pydantic's errors, as the search parameter at fault and the problem.
        A rule about the whole object names its field in the error's context: "field" (a
        field of the object at loc) or "sibling" (a field next to the one at loc)."""
        first = error.errors(include_url=False, include_input=False)[0]
        path = [str(part) for part in first["loc"]]
        context = first.get("ctx") or {}
        if "sibling" in context:
            path[-1:] = [context["sibling"]]
        if "field" in context:
            path.append(context["field"])
        if first["type"] == "criteria":
            problem = str(context["problem"])
        elif first["type"] == "value_error":
            problem = str(context["error"])
        else:  # pydantic's own check, behind ours; not expected
            problem = first["msg"]
        return cls(printable(".".join(path), 80) or "body", problem)


def _refuse(problem: str, **where: str) -> PydanticCustomError:
    return PydanticCustomError("criteria", "{problem}", {"problem": problem, **where})


# --- Single values ----------------------------------------------------------------------------
# Each check reads a raw JSON value (None: not given) and raises ValueError with the problem.


def _text(value: Any, max_length: int = 254) -> str | None:
    """A string, stripped; None and "" mean "not given"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be a string")
    value = value.strip()
    if "\x00" in value or not _encodable(value):
        raise ValueError("contains a character that is not allowed")
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    return value or None


def _encodable(value: str) -> bool:
    """False for text no database can store, such as a lone UTF-16 surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(value: Any, low: int, high: int, what: str) -> int | None:
    """An integer, given as a JSON number or as a string of digits (clients differ)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"must be {what}")
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise ValueError(f"must be {what}")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(f"must be {what}")
    if not low <= value <= high:
        raise ValueError(f"must be {what}")
    return value


def full_year(year: int) -> int:
    """A 2-digit year as the 4-digit year it stands for: the latest one not after next year."""
    if year >= 100:
        return year
    this_century = 2000 + year
    return this_century if this_century <= timezone.localdate().year + 1 else 1900 + year


def _year(value: Any) -> int | None:
    year = _integer(value, 0, 9999, "a year such as 2025 (or 25)")
    if year is None:
        return None
    if year >= 100 and not 1900 <= year <= 2100:
        raise ValueError("must be a year between 1900 and 2100")
    return full_year(year)


def _date(value: Any) -> date | None:
    text = _text(value, 10)
    if text is None:
        return None
    if not _DATE.fullmatch(text):
        raise ValueError("must be a date in the form yyyy-MM-dd")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("must be a real date in the form yyyy-MM-dd") from None


def _boolean(value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _codes(
    value: Any, pattern: re.Pattern[str], what: str, numbers: bool = False
) -> list[str] | None:
    """A list of short codes, lower-cased; numbers allowed where the guide shows both."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ValueError('must be a list (e.g. ["cv"])')
    if len(value) > MAX_LIST_ITEMS:
        raise ValueError(f"may hold at most {MAX_LIST_ITEMS} values")
    codes: list[str] = []
    for item in value:
        if numbers and isinstance(item, int) and not isinstance(item, bool) and item >= 0:
            item = str(item)
        if not isinstance(item, str):
            raise ValueError(f"must hold only strings: {what}")
        item = item.strip().lower()
        if not item:
            continue
        if not pattern.fullmatch(item):
            raise ValueError(f"must hold only {what}")
        codes.append(item)
    return codes or None


def _shaped(value: Any, max_length: int, pattern: re.Pattern[str], problem: str) -> str | None:
    text = _text(value, max_length)
    if text is not None and not pattern.fullmatch(text):
        raise ValueError(problem)
    return text


def _office(value: Any) -> str | None:
    """An office code, any letter case; a number is read as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value, 2)
    if text is None:
        return None
    if not _OFFICE.fullmatch(text.lower()):
        raise ValueError('must be an office code such as "1"')
    return text.lower()


def _one_of(value: Any, max_length: int, allowed: set[str], problem: str) -> str | None:
    text = _text(value, max_length)
    if text is None:
        return None
    if text.lower() not in allowed:
        raise ValueError(problem)
    return text.lower()


@dataclass(frozen=True)
class CaseNumber:
    """A case number as typed: its office (if given), 4-digit year, type and sequence."""

    office: str | None
    year: int
    case_type: str | None
    sequence: int

    def __str__(self) -> str:
        office = f"{self.office}:" if self.office else ""
        return f"{office}{self.year % 100:02d}-{self.case_type or 'cv'}-{self.sequence:05d}"


def parse_case_number_full(value: Any) -> CaseNumber | None:
    text = _text(value, 64)
    if text is None:
        return None
    typed = parse_case_number(text)
    if typed is None or (typed.year_digits == 4 and not 1900 <= typed.year <= 2100):
        raise ValueError(f"must be {CASE_NUMBER_FULL_HELP}")
    if typed.sequence == 0:
        raise ValueError("has no case sequence number (it is 0)")
    return CaseNumber(
        office=str(typed.office) if typed.office is not None else None,
        year=full_year(typed.year),
        case_type=typed.case_type,
        sequence=typed.sequence,
    )


# --- Field types: each check with the JSON schema of the input it accepts --------------------


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A request field: null counts as not given."""
    schema = {**schema, "nullable": True}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _accepts(check: Callable[[Any], Any], schema: dict[str, Any]) -> Accepts:
    return Accepts(check=check, schema=_nullable(schema))


def Text(max_length: int, description: str = "", pattern: str = "") -> Accepts:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if pattern:
        schema["pattern"] = pattern
    if description:
        schema["description"] = description
    return _accepts(partial(_text, max_length=max_length), schema)


def Integer(low: int, high: int, what: str, digits: str = "[0-9]{1,18}") -> Accepts:
    """A JSON number or a string of digits (clients differ)."""
    return _accepts(
        partial(_integer, low=low, high=high, what=what),
        {
            "oneOf": [
                {"type": "integer", "minimum": low, "maximum": high},
                {"type": "string", "pattern": f"^ *{digits} *$"},
            ]
        },
    )


def Codes(what: str, description: str, numbers: bool = False) -> Accepts:
    """A list of short codes (numbers too where the guide shows both), any letter case."""
    code: dict[str, Any] = {"type": "string", "pattern": "^ *[A-Za-z0-9]{1,10} *$"}
    items = {"oneOf": [code, {"type": "integer", "minimum": 0}]} if numbers else code
    return _accepts(
        partial(_codes, pattern=_CODE, what=what, numbers=numbers),
        {"type": "array", "items": items, "maxItems": MAX_LIST_ITEMS, "description": description},
    )


OptionalText = Annotated[str | None, Text(64)]


def _tag(value: Any) -> str | None:
    return _text(
        str(value) if isinstance(value, int) and not isinstance(value, bool) else value, 64
    )


# What tags a request rather than narrowing it (see CaseSearch).
Tag = Annotated[str | None, _accepts(_tag, {"type": "string", "maxLength": 64})]
ReportTag = Annotated[
    str | None,
    _accepts(
        _tag,
        {
            "type": "string",
            "maxLength": 64,
            "description": "The caller's tag for the search; echoed in batch criteria.",
        },
    ),
]
PageTag = Annotated[
    str | None,
    _accepts(
        _tag,
        {
            "oneOf": [_nullable({"type": "string", "maxLength": 64}), {"type": "integer"}],
            "description": "Ignored; use ?page=",
        },
    ),
]
CourtIds = Annotated[
    list[str] | None,
    _accepts(
        partial(_codes, pattern=_COURT_ID, what="court ids such as citdc"),
        {
            "type": "array",
            "items": {"type": "string", "pattern": "^ *[A-Za-z0-9]{1,10} *$"},
            "maxItems": MAX_LIST_ITEMS,
            "description": (
                "PCL court ids, any letter case (each court has its own, e.g. citdc, "
                "candc), or region codes (ny, 02)."
            ),
        },
    ),
]
CaseId = Annotated[int | None, Integer(1, 2**63 - 1, "a positive integer")]
_YEAR = _accepts(
    _year,
    {
        "oneOf": [
            {"type": "integer", "minimum": 1900, "maximum": 2100},
            {"type": "string", "pattern": "^ *([0-9]{2}|19[0-9]{2}|20[0-9]{2}) *$"},
        ],
        "description": "yyyy, or yy (the latest such year not after next year).",
    },
)
Year = Annotated[int | None, _YEAR]
CaseSequence = Annotated[
    int | None, Integer(1, 99999, "a case sequence number (1-99999)", "0*[1-9][0-9]{0,4}")
]
CASE_NUMBER_PATTERN = (
    r"^ *([0-9]{1,2}:)?([0-9]{2}|19[0-9]{2}|20[0-9]{2})[- ]?([A-Za-z]{2,3}[- ]?)?"
    r"0*[1-9][0-9]{0,4}(-[A-Za-z][A-Za-z0-9./-]*)? *$"
)
FullCaseNumber = Annotated[
    CaseNumber | None,
    _accepts(
        parse_case_number_full,
        {
            "type": "string",
            "maxLength": 64,
            "pattern": CASE_NUMBER_PATTERN,
            "description": "yy-nnnnn, yy-tp-nnnnn, yy tp nnnnn or yytpnnnnn, optionally o: "
            "first; yy or yyyy.",
        },
    ),
]
Jurisdiction = Annotated[
    str | None,
    _accepts(
        partial(
            _one_of,
            max_length=3,
            allowed=JURISDICTION_TYPES,
            problem="must be one of ap, bk, cr, cv, mdl",
        ),
        {
            "type": "string",
            "enum": [*sorted(JURISDICTION_TYPES), *sorted(t.upper() for t in JURISDICTION_TYPES)],
        },
    ),
]
_DAY = _accepts(_date, {"type": "string", "format": "date", "example": "2025-01-31"})
Day = Annotated[date | None, _DAY]
Flag = Annotated[bool | None, _accepts(_boolean, {"type": "boolean"})]
Count = Annotated[int | None, Integer(0, 2**31 - 1, "a whole number")]


# The date ranges of a case search that our cases can have: field prefix -> model field.
CASE_DATE_RANGES = {
    "dateFiled": "date_filed",
    "dateTermed": "date_terminated",
    "effectiveDateClosed": "date_terminated",
    "dateReopened": "date_reopened",
}
# Bankruptcy-only date ranges: accepted, checked, and never matched by a court of ours.
UNMATCHABLE_DATE_RANGES = (
    "dateDismissed",
    "dateDischarged",
    "dateDismissJt",
    "dateDischargeJt",
    "dateDismissedJt",
)


class Criteria(BaseModel):
    """A JSON object of known fields only: the first unknown one is refused, before any
    value is looked at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object_of_known_fields(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise _refuse("must be a JSON object")
        for key in data:
            if key not in cls.model_fields:
                raise _refuse("is not a search field here", field=printable(key, 80))
        return data

    @field_validator("caseYearTo", *(f"{name}To" for name in CASE_DATE_RANGES), check_fields=False)
    @classmethod
    def _not_before_its_start(cls, end: Any, info: ValidationInfo) -> Any:
        name = str(info.field_name).removesuffix("To")
        start = info.data.get(f"{name}From")
        if start is not None and end is not None and start > end:
            raise _refuse(f"is after {name}To", sibling=f"{name}From")
        return end


# --- Criteria ----------------------------------------------------------------------------------

DateRange = tuple[date | None, date | None]

NATURE_OF_SUIT = Codes("nature of suit codes", "Nature of suit codes (none here).", numbers=True)


class CaseFields(Criteria):
    """Cases meeting every criterion given."""

    courtId: CourtIds = None
    caseId: CaseId = None
    caseYear: Year = None
    caseYearFrom: Year = None
    caseYearTo: Year = None
    caseNumber: CaseSequence = None
    caseNumberFull: FullCaseNumber = None
    caseOffice: Annotated[
        str | None,
        _accepts(
            _office,
            {
                "oneOf": [
                    {"type": "string", "pattern": "^ *[A-Za-z0-9]{1,2} *$"},
                    {"type": "integer", "minimum": 0, "maximum": 99},
                ]
            },
        ),
    ] = None
    caseType: Annotated[
        list[str] | None, Codes("case types such as cv", "Case types, e.g. cv.")
    ] = None
    caseTitle: Annotated[str | None, Text(254, "Starts-with match, ignoring case.")] = None
    caseStatus: Annotated[
        str | None,
        _accepts(
            partial(
                _one_of,
                max_length=1,
                allowed={"o", "c"},
                problem='must be "O" (open) or "C" (closed)',
            ),
            {"type": "string", "enum": ["O", "C", "o", "c"]},
        ),
    ] = None
    jurisdictionType: Jurisdiction = None
    dateFiledFrom: Day = None
    dateFiledTo: Day = None
    dateTermedFrom: Day = None
    dateTermedTo: Day = None
    effectiveDateClosedFrom: Day = None
    effectiveDateClosedTo: Day = None
    dateReopenedFrom: Day = None
    dateReopenedTo: Day = None
    dateDismissedFrom: Day = None
    dateDismissedTo: Day = None
    dateDischargedFrom: Day = None
    dateDischargedTo: Day = None
    dateDismissJtFrom: Day = None
    dateDismissJtTo: Day = None
    dateDischargeJtFrom: Day = None
    dateDischargeJtTo: Day = None
    dateDismissedJtFrom: Day = None
    dateDismissedJtTo: Day = None
    natureOfSuit: Annotated[list[str] | None, NATURE_OF_SUIT] = None
    nos: Annotated[
        list[str] | None,
        Codes(
            "nature of suit codes",
            "Nature of suit codes, the XSD's name (none here).",
            numbers=True,
        ),
    ] = None
    federalBankruptcyChapter: Annotated[
        list[str] | None,
        Codes("bankruptcy chapters such as 7", "Bankruptcy chapters (none here).", numbers=True),
    ] = None
    jpmlNumber: Annotated[int | None, Integer(1, 2**31 - 1, "a positive integer")] = None
    dispositionMethod: OptionalText = None
    dispMethodJt: OptionalText = None
    dispoMethodJt: OptionalText = None
    caseJoint: OptionalText = None


class CourtCase(CaseFields):
    """The party's case meets these."""


class PartyFields(Criteria):
    """Cases with at least one party meeting these."""

    lastName: Annotated[
        str | None,
        Text(
            200,
            "Starts-with match on the party's name (names are stored whole, so this is the "
            "whole name of a person or an entity); exact (ignoring case) with exactNameMatch.",
        ),
    ] = None
    firstName: Annotated[str | None, Text(50, "A word of the party's name.")] = None
    middleName: Annotated[str | None, Text(50, "A word of the party's name.")] = None
    generation: Annotated[str | None, Text(5, "A word of the party's name.")] = None
    partyType: Annotated[str | None, Text(10, '"pty" (every party here).')] = None
    description: Annotated[str | None, Text(254, "Contained in the party's description.")] = None
    role: Annotated[
        list[str] | None,
        Codes(
            "party role codes such as pla or dft",
            "Party role codes: pla, dft, intvp, intvd, cnpla, amc.",
        ),
    ] = None
    exactNameMatch: Flag = None
    ssn: Annotated[
        str | None,
        _accepts(
            partial(
                _shaped,
                max_length=11,
                pattern=_SSN,
                problem="must be a social security number of 9 digits",
            ),
            {
                "type": "string",
                "maxLength": 11,
                "pattern": r"^ *[0-9]{3}-?[0-9]{2}-?[0-9]{4} *$",
                "description": "Bankruptcy debtors only (none here); needs lastName.",
            },
        ),
    ] = None
    # Checked even when absent: the rule below is about ssn and ssn4 together.
    ssn4: Annotated[
        str | None,
        _accepts(
            partial(
                _shaped,
                max_length=4,
                pattern=_SSN4,
                problem="must be the last 4 digits of a social security number",
            ),
            {
                "type": "string",
                "maxLength": 4,
                "pattern": "^[0-9]{4}$",
                "description": "Bankruptcy debtors only (none here); needs lastName.",
            },
        ),
        Field(validate_default=True),
    ] = None
    seqNo: Count = None
    aliasEq: Count = None
    aliasType: Annotated[str | None, Text(10)] = None

    @field_validator("ssn4")
    @classmethod
    def _ssn_only_with_a_last_name(cls, ssn4: str | None, info: ValidationInfo) -> str | None:
        ssn = info.data.get("ssn")
        if (ssn is not None or ssn4 is not None) and info.data.get("lastName") is None:
            raise _refuse("is allowed only with lastName", sibling="ssn" if ssn else "ssn4")
        return ssn4


@dataclass
class CaseCriteria:
    court_ids: list[str] | None = None
    case_id: int | None = None
    case_year: int | None = None
    case_year_from: int | None = None
    case_year_to: int | None = None
    case_number: int | None = None
    case_number_full: CaseNumber | None = None
    case_office: str | None = None
    case_types: list[str] | None = None
    case_title: str | None = None
    case_status: str | None = None  # "o" open or "c" closed
    jurisdiction_type: str | None = None
    date_ranges: dict[str, DateRange] = field(default_factory=dict)
    # Criteria given that no case of ours can meet (see the module docstring).
    unmatchable: list[str] = field(default_factory=list)
    party: PartyCriteria | None = None

    def merge(self, other: CaseCriteria) -> None:
        """Add a party search's top-level case fields to its courtCase criteria (both apply)."""
        for name in (
            "case_id",
            "case_year",
            "case_number",
            "case_number_full",
            "jurisdiction_type",
        ):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is None:
                continue
            if mine is not None and mine != theirs:
                self.unmatchable.append(name)  # two different values: nothing has both
            setattr(self, name, theirs)
        if other.case_year_from is not None:
            self.case_year_from = max(other.case_year_from, self.case_year_from or 0)
        if other.case_year_to is not None:
            self.case_year_to = min(other.case_year_to, self.case_year_to or 9999)
        if other.court_ids is not None:
            if self.court_ids is None:
                self.court_ids = other.court_ids
            else:
                self.court_ids = [c for c in self.court_ids if c in other.court_ids] or ["-"]
        self.unmatchable.extend(other.unmatchable)


@dataclass
class PartyCriteria:
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    generation: str | None = None
    party_type: str | None = None
    roles: list[str] | None = None
    exact_name_match: bool = False
    description: str | None = None
    has_ssn: bool = False
    unmatchable: list[str] = field(default_factory=list)
    court_case: CaseCriteria | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.last_name
            or self.first_name
            or self.middle_name
            or self.generation
            or self.party_type
            or self.roles
            or self.description
            or self.has_ssn
            or self.unmatchable
        )


@dataclass
class Parsed:
    """Criteria read from a request body: what to search, what to echo back, and the human
    summary that goes on the receipt (never the SSN)."""

    summary: list[str]
    echo: dict[str, Any]


def _echo_at(parsed: Parsed, prefix: str) -> dict[str, Any]:
    """The (nested) object of the echo that a prefix such as "courtCase." stands for."""
    target = parsed.echo
    for part in filter(None, prefix.split(".")):
        target = target.setdefault(part, {})
    return target


def _case_criteria(v: dict[str, Any], prefix: str, parsed: Parsed) -> CaseCriteria:
    """The case criteria of validated fields (absent ones: None), noted in the echo and the
    summary in the order the fields are declared."""
    c = CaseCriteria()
    echo = _echo_at(parsed, prefix)
    summary = parsed.summary

    def note(key: str, label: str, value: Any, shown: str | None = None) -> None:
        echo[key] = value
        summary.append(f"{label} {shown if shown is not None else value}")

    c.court_ids = v.get("courtId")
    if c.court_ids:
        note("courtId", "Court", c.court_ids, ", ".join(c.court_ids))
    c.case_id = v.get("caseId")
    if c.case_id is not None:
        note("caseId", "Case Id", c.case_id)
    c.case_year, c.case_year_from, c.case_year_to = (
        v.get("caseYear"),
        v.get("caseYearFrom"),
        v.get("caseYearTo"),
    )
    for key, label in (
        ("caseYear", "Case Year"),
        ("caseYearFrom", "Case Year From"),
        ("caseYearTo", "Case Year To"),
    ):
        if v.get(key) is not None:
            note(key, label, v[key])
    c.case_number = v.get("caseNumber")
    if c.case_number is not None:
        note("caseNumber", "Case Number", c.case_number)
    c.case_number_full = v.get("caseNumberFull")
    if c.case_number_full is not None:
        note("caseNumberFull", "Case Number", str(c.case_number_full))
    c.case_office = v.get("caseOffice")
    if c.case_office is not None:
        note("caseOffice", "Case Office", c.case_office)
    c.case_types = v.get("caseType")
    if c.case_types:
        note("caseType", "Case Type", c.case_types, ", ".join(c.case_types))
    c.case_title = v.get("caseTitle")
    if c.case_title is not None:
        note("caseTitle", "Case Title", c.case_title)
    c.case_status = v.get("caseStatus")
    if c.case_status is not None:
        note("caseStatus", "Case Status", c.case_status.upper())
    c.jurisdiction_type = v.get("jurisdictionType")
    if c.jurisdiction_type is not None:
        note("jurisdictionType", "Jurisdiction", c.jurisdiction_type)
    for name in CASE_DATE_RANGES:
        low, high = v.get(f"{name}From"), v.get(f"{name}To")
        if low is not None or high is not None:
            c.date_ranges[name] = (low, high)
            if low is not None:
                note(f"{name}From", f"{name} From", low.isoformat())
            if high is not None:
                note(f"{name}To", f"{name} To", high.isoformat())
    # Accepted, checked, and never matched here (see the module docstring).
    for name in UNMATCHABLE_DATE_RANGES:
        for end in ("From", "To"):
            day = v.get(f"{name}{end}")
            if day is not None:
                c.unmatchable.append(f"{name}{end}")
                note(f"{name}{end}", f"{name} {end}", day.isoformat())
    for key in ("natureOfSuit", "nos"):
        codes = v.get(key)
        if codes:
            c.unmatchable.append(key)
            note(key, "Nature of Suit", codes, ", ".join(codes))
    chapters = v.get("federalBankruptcyChapter")
    if chapters:
        c.unmatchable.append("federalBankruptcyChapter")
        note("federalBankruptcyChapter", "Chapter", chapters, ", ".join(chapters))
    jpml = v.get("jpmlNumber")
    if jpml is not None:
        c.unmatchable.append("jpmlNumber")
        note("jpmlNumber", "JPML Number", jpml)
    for key in ("dispositionMethod", "dispMethodJt", "dispoMethodJt", "caseJoint"):
        text = v.get(key)
        if text is not None:
            c.unmatchable.append(key)
            note(key, key, text)
    party = v.get("party")
    if party is not None:
        criteria = _party_criteria(dict(party), prefix + "party.", parsed)
        if not criteria.is_empty:
            c.party = criteria
    return c


def _party_criteria(v: dict[str, Any], prefix: str, parsed: Parsed) -> PartyCriteria:
    c = PartyCriteria()
    echo = _echo_at(parsed, prefix)
    summary = parsed.summary
    for key, attr, label in (
        ("lastName", "last_name", "Last Name"),
        ("firstName", "first_name", "First Name"),
        ("middleName", "middle_name", "Middle Name"),
        ("generation", "generation", "Generation"),
        ("partyType", "party_type", "Party Type"),
        ("description", "description", "Description"),
    ):
        value = v.get(key)
        if value is not None:
            setattr(c, attr, value)
            echo[key] = value
            summary.append(f"{label} {value}")
    c.roles = v.get("role")
    if c.roles:
        echo["role"] = c.roles
        summary.append(f"Role {', '.join(c.roles)}")
    exact = v.get("exactNameMatch")
    if exact is not None:
        c.exact_name_match = exact
        echo["exactNameMatch"] = exact
        if exact:
            summary.append("Exact Name Match")
    if v.get("ssn") is not None or v.get("ssn4") is not None:
        # Only bankruptcy debtors are found by SSN; no court here has any. Never echoed.
        c.has_ssn = True
        c.unmatchable.append("ssn")
        summary.append("SSN given")
    for key in ("seqNo", "aliasEq"):
        number = v.get(key)
        if number is not None:
            c.unmatchable.append(key)
            echo[key] = number
            summary.append(f"{key} {number}")
    alias = v.get("aliasType")
    if alias is not None:
        c.unmatchable.append("aliasType")
        echo["aliasType"] = alias
        summary.append(f"aliasType {alias}")
    return c


TAGS = ("page", "reportId", "requestSource", "requestType", "searchName", "searchType")


def _echo_tags(v: dict[str, Any], parsed: Parsed) -> None:
    for key in TAGS:
        if v.get(key) is not None and key != "page":
            parsed.echo[key] = v[key]


# The PCL API's XML (the guide's root elements, in its namespace).
XML_NAMESPACE = "https://pacer.uscourts.gov"


def xml_root(name: str) -> dict[str, Any]:
    return {"xml": {"name": name, "namespace": XML_NAMESPACE}}


class CaseSearch(CaseFields):
    """Case criteria (at least one). Every criterion given must be met."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, **xml_root("caseSearch")})

    party: PartyFields | None = None
    # The tags, in the order they are checked and echoed (TAGS).
    page: PageTag = None
    reportId: ReportTag = None
    requestSource: Tag = None
    requestType: Tag = None
    searchName: Tag = None
    searchType: Tag = None

    _criteria: CaseCriteria = PrivateAttr()
    _parsed: Parsed = PrivateAttr()

    @model_validator(mode="after")
    def _at_least_one_criterion(self) -> Self:
        parsed = Parsed(summary=[], echo={})
        self._criteria = _case_criteria(dict(self), "", parsed)
        _echo_tags(dict(self), parsed)
        if not parsed.summary:
            raise _refuse("no search criteria given: a case search needs at least one field")
        self._parsed = parsed
        return self

    @property
    def understood(self) -> tuple[CaseCriteria, Parsed]:
        return self._criteria, self._parsed


# A party search carries these case fields at its top level, besides its courtCase{}.
PARTY_SEARCH_CASE_KEYS = (
    "courtId",
    "caseId",
    "caseYear",
    "caseYearFrom",
    "caseYearTo",
    "caseNumber",
    "caseNumberFull",
    "jurisdictionType",
)


class PartySearch(PartyFields):
    """Party criteria: lastName, or else caseId, caseNumberFull or a date range in
    courtCase. Every criterion given must be met."""

    model_config = ConfigDict(
        json_schema_extra={
            **xml_root("partySearch"),
            "anyOf": [
                {"required": ["lastName"]},
                {"required": ["caseId"]},
                {"required": ["caseNumberFull"]},
                {"required": ["courtCase"]},
            ],
        }
    )

    courtId: CourtIds = None
    caseId: CaseId = None
    caseYear: Year = None
    caseYearFrom: Year = None
    caseYearTo: Year = None
    caseNumber: CaseSequence = None
    caseNumberFull: FullCaseNumber = None
    jurisdictionType: Jurisdiction = None
    courtCase: CourtCase | None = None
    page: PageTag = None
    reportId: ReportTag = None
    requestSource: Tag = None
    requestType: Tag = None
    searchName: Tag = None
    searchType: Tag = None

    _criteria: PartyCriteria = PrivateAttr()
    _parsed: Parsed = PrivateAttr()

    @model_validator(mode="after")
    def _a_name_case_or_date(self) -> Self:
        values = dict(self)
        parsed = Parsed(summary=[], echo={})
        party = _party_criteria(values, "", parsed)
        top = _case_criteria({key: values[key] for key in PARTY_SEARCH_CASE_KEYS}, "", parsed)
        if self.courtCase is not None:
            nested = _case_criteria(dict(self.courtCase), "courtCase.", parsed)
        else:
            nested = CaseCriteria()
        nested.merge(top)
        party.court_case = nested
        _echo_tags(values, parsed)
        if not parsed.summary:
            raise _refuse("no search criteria given: a party search needs at least one field")
        has_date = bool(nested.date_ranges) or any(
            name.startswith(UNMATCHABLE_DATE_RANGES) for name in nested.unmatchable
        )
        if not (
            party.last_name
            or party.has_ssn
            or has_date
            or nested.case_id is not None
            or nested.case_number_full is not None
        ):
            raise _refuse(
                "is required unless the search gives an SSN, a case number (caseNumberFull or "
                "caseId) or a date range (e.g. courtCase.dateFiledFrom)",
                field="lastName",
            )
        self._criteria, self._parsed = party, parsed
        return self

    @property
    def understood(self) -> tuple[PartyCriteria, Parsed]:
        return self._criteria, self._parsed


def parse_case_search(body: Any) -> tuple[CaseCriteria, Parsed]:
    """A /cases/find or /cases/download body."""
    try:
        return CaseSearch.model_validate(body).understood
    except ValidationError as error:
        raise CriteriaError.from_validation(error) from None


def parse_party_search(body: Any) -> tuple[PartyCriteria, Parsed]:
    """A /parties/find or /parties/download body."""
    try:
        return PartySearch.model_validate(body).understood
    except ValidationError as error:
        raise CriteriaError.from_validation(error) from None


# --- Answers ----------------------------------------------------------------------------------
# JSON types as the guide's examples show them: caseId, caseYear, caseNumber, billablePages,
# csoId and the pageInfo fields are numbers; caseOffice, natureOfSuit and searchFee are
# strings. A field without a value is left out (NotRequired), never null.

CASE_SEARCH = "All Court Types Case Search"
PARTY_SEARCH = "All Court Types Party Search"


def _example(value: Any, **schema: Any) -> Any:
    return Field(json_schema_extra={"example": value, **schema})


IsoDate = Annotated[str, _example("2025-01-31", format="date")]
Timestamp = Annotated[str, _example("2020-12-18T11:01:48.267-0600")]
NonNegative = Annotated[int, Field(ge=0)]


@with_config(ConfigDict(extra="forbid"))
class CaseItem(TypedDict):
    """A case. Fields without a value are left out (never null)."""

    courtId: Annotated[str, _example("citdc")]
    caseId: int
    caseYear: Annotated[int, _example(2025)]
    caseNumber: Annotated[int, _example(1)]
    caseOffice: Annotated[str, _example("1")]
    caseType: Annotated[str, _example("cv")]
    caseTitle: str
    dateFiled: IsoDate
    dateTermed: NotRequired[IsoDate]
    effectiveDateClosed: NotRequired[IsoDate]
    dateReopened: NotRequired[IsoDate]
    jurisdictionType: Annotated[str, _example("Civil")]
    judgeLastName: NotRequired[Annotated[str, _example("Katzmann")]]
    caseLink: Annotated[str, _example("https://ecf.cit.example.gov/cgi-bin/iqquerymenu.pl?42")]
    caseNumberFull: Annotated[str, _example("1:2025cv00001")]


@with_config(ConfigDict(extra="forbid"))
class PartyItem(TypedDict):
    """A party, with its case's fields repeated and the case nested."""

    courtId: str
    caseId: int
    caseYear: int
    caseNumber: int
    lastName: str
    firstName: Annotated[str, Field(description='" " (names are stored whole)')]
    middleName: str
    generation: str
    partyType: Annotated[str, _example("pty")]
    partyRole: Annotated[str, _example("pla")]
    jurisdictionType: Annotated[str, _example("Civil")]
    courtCase: CaseItem
    dateFiled: IsoDate
    dateTermed: NotRequired[IsoDate]
    effectiveDateClosed: NotRequired[IsoDate]
    caseOffice: Annotated[str, _example("1")]
    caseType: Annotated[str, _example("cv")]
    caseTitle: str
    caseNumberFull: Annotated[str, _example("1:2025cv00001")]


@with_config(ConfigDict(extra="forbid"))
class Receipt(TypedDict):
    transactionDate: Annotated[
        str,
        _example(
            "2020-12-18T11:01:48.267-0600",
            pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$",
        ),
    ]
    billablePages: NonNegative
    loginId: str
    clientCode: str
    firmId: str
    search: str
    description: Literal["All Court Types Case Search", "All Court Types Party Search"]
    csoId: int
    reportId: str
    searchFee: Annotated[str, _example(".10", pattern=r"^\d*\.\d{2}$")]


@with_config(
    ConfigDict(extra="forbid", json_schema_extra={"description": f"0-based pages of {PAGE_SIZE}."})
)
class PageInfo(TypedDict):
    number: NonNegative
    size: Annotated[int, Field(json_schema_extra={"enum": [PAGE_SIZE]})]
    totalPages: NonNegative
    totalElements: NonNegative
    numberOfElements: NonNegative
    first: bool
    last: bool


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("caseList")))
class CaseList(TypedDict):
    receipt: Receipt
    pageInfo: PageInfo
    content: list[CaseItem]
    masterCase: None


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("partyList")))
class PartyList(TypedDict):
    receipt: Receipt
    pageInfo: PageInfo
    content: list[PartyItem]
    masterCase: None


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("download")))
class CaseDownload(TypedDict):
    receipt: Receipt
    pageInfo: PageInfo
    content: list[CaseItem]


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("download")))
class PartyDownload(TypedDict):
    receipt: Receipt
    pageInfo: PageInfo
    content: list[PartyItem]


class SortOrderInfo(TypedDict):
    direction: Literal["ASC", "DESC"]
    property: str
    ignoreCase: bool
    nullHandling: str


class SortInfo(TypedDict):
    orders: list[SortOrderInfo]


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("reportInfo")))
class ReportInfo(TypedDict):
    reportId: int
    status: Literal["WAITING", "RUNNING", "COMPLETED", "FAILED"]
    startTime: NotRequired[Timestamp]
    endTime: NotRequired[Timestamp]
    recordCount: NonNegative
    unbilledPageCount: NonNegative
    downloadFee: Annotated[float, Field(ge=0)]
    pages: NonNegative
    sort: SortInfo
    searchType: Literal["COURT_CASE", "PARTY"]
    criteria: Annotated[
        dict[str, Any],
        Field(
            description="The criteria as understood (case numbers parsed, court ids "
            'lower-cased), with requestType "Batch" and requestSource "Other".'
        ),
    ]


@with_config(ConfigDict(extra="forbid", json_schema_extra=xml_root("reportList")))
class ReportList(TypedDict):
    receipt: None
    pageInfo: PageInfo
    content: list[ReportInfo]


@with_config(ConfigDict(extra="forbid"))
class Error(TypedDict):
    error: str
    message: str
    field: NotRequired[Annotated[str, Field(description="The search parameter at fault (406).")]]


# --- Sorting and paging -------------------------------------------------------------------------

# The guide's sortable fields, typos included (bankrupctyChapter, mdlLittype), mapped to the
# model field that orders them here. None: the field has one value for every case of ours,
# so sorting by it keeps the order of the fields after it.
CASE_SORTS: dict[str, str | None] = {
    "courtId": "court_id",
    "caseId": "pk",
    "caseYear": "year",
    "caseNumber": "sequence",
    "caseOffice": None,
    "caseType": None,
    "caseTitle": "title",
    "dateFiled": "date_filed",
    "dateTermed": "date_terminated",
    "effectiveDateClosed": "date_terminated",
    "dateReopened": "date_reopened",
    **dict.fromkeys(
        (
            "dateDismissed",
            "dateDischarged",
            "bankrupctyChapter",
            "bankruptcyChapter",
            "dispositionMethod",
            "jointDispositionMethod",
            "jointDismissedDate",
            "jointDischargedDate",
            "jointBankruptcyFlag",
            "natureOfSuit",
            "jurisdictionType",
            "jpmlNumber",
            "mdlCourtId",
            "civilDateInitiate",
            "civilDateDisposition",
            "civilDateTerminated",
            "civilStatDisposition",
            "civilStatTerminated",
            "civilCtoNumber",
            "civilTransferee",
            "mdlExtension",
            "mdlTransfereeDistrict",
            "mdlLittype",
            "mdlStatus",
            "mdlDateReceived",
            "mdlDateOrdered",
            "mdlTransferee",
        )
    ),
}
PARTY_SORTS: dict[str, str | None] = {
    "courtId": "case__court_id",
    "caseId": "case_id",
    "caseYear": "case__year",
    "caseNumber": "case__sequence",
    "lastName": "name",
    "firstName": None,
    "middleName": None,
    "generation": None,
    "partyType": None,
    "role": "role",
    "jurisdictionType": None,
    "seqNo": "position",
    "aliasEq": None,
    "aliasType": None,
    "description": "extra_info",
}
# The order when no sort is asked for: cases by court, year and number; parties by name,
# then the same. The row id breaks any remaining tie, so pages never overlap.
DEFAULT_CASE_ORDER = ("court_id", "year", "sequence", "pk")
DEFAULT_PARTY_ORDER = ("name", "case__court_id", "case__year", "case__sequence", "position", "pk")


@dataclass(frozen=True)
class SortOrder:
    field: str  # the API's name
    descending: bool

    def as_dict(self) -> SortOrderInfo:
        return {
            "direction": "DESC" if self.descending else "ASC",
            "property": self.field,
            "ignoreCase": False,
            "nullHandling": "NATIVE",
        }


def parse_sort(values: list[str], allowed: dict[str, str | None]) -> list[SortOrder]:
    """Repeated sort=FIELD,ASC|DESC parameters, in priority order (the comma may arrive
    percent-encoded; Django has decoded it). A field alone sorts ascending."""
    if len(values) > MAX_SORTS:
        raise CriteriaError("sort", f"may be given at most {MAX_SORTS} times")
    orders: list[SortOrder] = []
    for raw in values:
        parts = [part.strip() for part in raw.split(",")]
        if len(parts) > 2 or not parts[0]:
            raise CriteriaError("sort", "must be FIELD,ASC or FIELD,DESC (e.g. caseYear,DESC)")
        name = parts[0]
        if name not in allowed:
            shown = name[:40].encode("ascii", "backslashreplace").decode()
            raise CriteriaError("sort", f"cannot sort by {shown!r}; sortable: {', '.join(allowed)}")
        direction = parts[1].upper() if len(parts) == 2 else "ASC"
        if direction not in {"ASC", "DESC"}:
            raise CriteriaError("sort", "direction must be ASC or DESC")
        orders.append(SortOrder(field=name, descending=direction == "DESC"))
    return orders


def parse_page(value: str | None, *, max_pages: int = MAX_PAGES) -> int:
    """The 0-based page; absent means 0."""
    if value is None or value.strip() == "":
        return 0
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise CriteriaError("page", "must be a page number: 0, 1, 2 ...")
    page = int(text)
    if page >= max_pages:
        raise CriteriaError(
            "page",
            f"an immediate search returns at most {max_pages} pages of {PAGE_SIZE} "
            "(pages 0 to 99); narrow the search or use a batch search",
        )
    return page
