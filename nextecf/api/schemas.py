"""The PCL API's request side: search criteria as the PACER Case Locator API User Guide
names them (§6.3 of reference/pacer-api-clients.md), checked field by field.

Everything a client sends is read here and nowhere else. A field this module does not
know, or a value of the wrong type, is a CriteriaError naming the field; the view answers
it with HTTP 406 ("invalid search parameter"), as PCL does. Field names are
case-sensitive; values are not.

Criteria that can never match what a court of this deployment holds (bankruptcy chapters,
discharge and dismissal dates, MDL numbers, natures of suit, aliases) are accepted and
checked like any other, and then match nothing: PCL answers them the same way for a court
that has no such cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from nextecf.cases.numbers import parse_case_number
from nextecf.lib.text import printable

PAGE_SIZE = 54
MAX_PAGES = 100  # immediate searches stop here (5,400 rows); batch searches go on
BATCH_MAX_PAGES = 2000
MAX_LIST_ITEMS = 200
MAX_SORTS = 10

# Names a client may send that tag or describe a request rather than narrow it. pacersdk's
# criteria types carry them (GenericSearchCriteria), and the guide's examples echo them.
_TAGS = {"reportId", "searchType", "requestType", "requestSource", "searchName", "page"}

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


# --- Single values ----------------------------------------------------------------------------


def _text(value: Any, path: str, max_length: int = 254) -> str | None:
    """A string, stripped; None and "" mean "not given"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CriteriaError(path, "must be a string")
    value = value.strip()
    if "\x00" in value or not _encodable(value):
        raise CriteriaError(path, "contains a character that is not allowed")
    if len(value) > max_length:
        raise CriteriaError(path, f"must be at most {max_length} characters")
    return value or None


def _encodable(value: str) -> bool:
    """False for text no database can store, such as a lone UTF-16 surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(value: Any, path: str, low: int, high: int, what: str) -> int | None:
    """An integer, given as a JSON number or as a string of digits (clients differ)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CriteriaError(path, f"must be {what}")
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise CriteriaError(path, f"must be {what}")
        value = int(text)
    if not isinstance(value, int):
        raise CriteriaError(path, f"must be {what}")
    if not low <= value <= high:
        raise CriteriaError(path, f"must be {what}")
    return value


def full_year(year: int) -> int:
    """A 2-digit year as the 4-digit year it stands for: the latest one not after next year."""
    if year >= 100:
        return year
    this_century = 2000 + year
    return this_century if this_century <= timezone.localdate().year + 1 else 1900 + year


def _year(value: Any, path: str) -> int | None:
    year = _integer(value, path, 0, 9999, "a year such as 2025 (or 25)")
    if year is None:
        return None
    if year >= 100 and not 1900 <= year <= 2100:
        raise CriteriaError(path, "must be a year between 1900 and 2100")
    return full_year(year)


def _date(value: Any, path: str) -> date | None:
    text = _text(value, path, 10)
    if text is None:
        return None
    if not _DATE.fullmatch(text):
        raise CriteriaError(path, "must be a date in the form yyyy-MM-dd")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CriteriaError(path, "must be a real date in the form yyyy-MM-dd") from None


def _boolean(value: Any, path: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise CriteriaError(path, "must be true or false")
    return value


def _codes(
    value: Any, path: str, pattern: re.Pattern[str], what: str, numbers: bool = False
) -> list[str] | None:
    """A list of short codes, lower-cased; numbers allowed where the guide shows both."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise CriteriaError(path, 'must be a list (e.g. ["cv"])')
    if len(value) > MAX_LIST_ITEMS:
        raise CriteriaError(path, f"may hold at most {MAX_LIST_ITEMS} values")
    codes: list[str] = []
    for item in value:
        if numbers and isinstance(item, int) and not isinstance(item, bool) and item >= 0:
            item = str(item)
        if not isinstance(item, str):
            raise CriteriaError(path, f"must hold only strings: {what}")
        item = item.strip().lower()
        if not item:
            continue
        if not pattern.fullmatch(item):
            raise CriteriaError(path, f"must hold only {what}")
        codes.append(item)
    return codes or None


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


def parse_case_number_full(value: Any, path: str) -> CaseNumber | None:
    text = _text(value, path, 64)
    if text is None:
        return None
    typed = parse_case_number(text)
    if typed is None or (typed.year_digits == 4 and not 1900 <= typed.year <= 2100):
        raise CriteriaError(path, f"must be {CASE_NUMBER_FULL_HELP}")
    if typed.sequence == 0:
        raise CriteriaError(path, "has no case sequence number (it is 0)")
    return CaseNumber(
        office=str(typed.office) if typed.office is not None else None,
        year=full_year(typed.year),
        case_type=typed.case_type,
        sequence=typed.sequence,
    )


# --- Criteria ----------------------------------------------------------------------------------

DateRange = tuple[date | None, date | None]

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
PARTY_KEYS = {
    "lastName",
    "firstName",
    "middleName",
    "generation",
    "partyType",
    "role",
    "exactNameMatch",
    "ssn",
    "ssn4",
    "seqNo",
    "aliasEq",
    "aliasType",
    "description",
}
CASE_KEYS = {
    "courtId",
    "caseId",
    "caseYear",
    "caseYearFrom",
    "caseYearTo",
    "caseNumber",
    "caseNumberFull",
    "caseOffice",
    "caseType",
    "caseTitle",
    "caseStatus",
    "jurisdictionType",
    "natureOfSuit",
    "nos",
    "jpmlNumber",
    "federalBankruptcyChapter",
    "dispositionMethod",
    "dispMethodJt",
    "dispoMethodJt",
    "caseJoint",
    *(f"{name}{end}" for name in CASE_DATE_RANGES for end in ("From", "To")),
    *(f"{name}{end}" for name in UNMATCHABLE_DATE_RANGES for end in ("From", "To")),
}
# A party search carries these case fields at its top level, besides its courtCase{}.
PARTY_SEARCH_CASE_KEYS = {
    "courtId",
    "caseId",
    "caseYear",
    "caseYearFrom",
    "caseYearTo",
    "caseNumber",
    "caseNumberFull",
    "jurisdictionType",
}


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


def _check_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CriteriaError(path or "body", "must be a JSON object")
    return value


def _unknown(body: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in body:
        if key not in allowed:
            raise CriteriaError(printable(f"{prefix}{key}", 80), "is not a search field here")


def _echo_at(parsed: Parsed, prefix: str) -> dict[str, Any]:
    """The (nested) object of the echo that a prefix such as "courtCase." stands for."""
    target = parsed.echo
    for part in filter(None, prefix.split(".")):
        target = target.setdefault(part, {})
    return target


def _parse_case(
    body: dict[str, Any], prefix: str, parsed: Parsed, allowed: set[str]
) -> CaseCriteria:
    _unknown(body, allowed, prefix)
    p = prefix
    c = CaseCriteria()
    echo = _echo_at(parsed, p)
    summary = parsed.summary

    def note(key: str, label: str, value: Any, shown: str | None = None) -> None:
        echo[key] = value
        summary.append(f"{label} {shown if shown is not None else value}")

    c.court_ids = _codes(body.get("courtId"), p + "courtId", _COURT_ID, "court ids such as citdc")
    if c.court_ids:
        note("courtId", "Court", c.court_ids, ", ".join(c.court_ids))
    c.case_id = _integer(body.get("caseId"), p + "caseId", 1, 2**63 - 1, "a positive integer")
    if c.case_id is not None:
        note("caseId", "Case Id", c.case_id)
    for key, attr, label in (
        ("caseYear", "case_year", "Case Year"),
        ("caseYearFrom", "case_year_from", "Case Year From"),
        ("caseYearTo", "case_year_to", "Case Year To"),
    ):
        year = _year(body.get(key), p + key)
        setattr(c, attr, year)
        if year is not None:
            note(key, label, year)
    if c.case_year_from and c.case_year_to and c.case_year_from > c.case_year_to:
        raise CriteriaError(p + "caseYearFrom", "is after caseYearTo")
    c.case_number = _integer(
        body.get("caseNumber"), p + "caseNumber", 1, 99999, "a case sequence number (1-99999)"
    )
    if c.case_number is not None:
        note("caseNumber", "Case Number", c.case_number)
    c.case_number_full = parse_case_number_full(body.get("caseNumberFull"), p + "caseNumberFull")
    if c.case_number_full is not None:
        note("caseNumberFull", "Case Number", str(c.case_number_full))
    office = body.get("caseOffice")
    if isinstance(office, int) and not isinstance(office, bool):
        office = str(office)
    c.case_office = _text(office, p + "caseOffice", 2)
    if c.case_office is not None:
        c.case_office = c.case_office.lower()
        if not _OFFICE.fullmatch(c.case_office):
            raise CriteriaError(p + "caseOffice", 'must be an office code such as "1"')
        note("caseOffice", "Case Office", c.case_office)
    c.case_types = _codes(body.get("caseType"), p + "caseType", _CODE, "case types such as cv")
    if c.case_types:
        note("caseType", "Case Type", c.case_types, ", ".join(c.case_types))
    c.case_title = _text(body.get("caseTitle"), p + "caseTitle", 254)
    if c.case_title is not None:
        note("caseTitle", "Case Title", c.case_title)
    status = _text(body.get("caseStatus"), p + "caseStatus", 1)
    if status is not None:
        if status.lower() not in {"o", "c"}:
            raise CriteriaError(p + "caseStatus", 'must be "O" (open) or "C" (closed)')
        c.case_status = status.lower()
        note("caseStatus", "Case Status", status.upper())
    jurisdiction = _text(body.get("jurisdictionType"), p + "jurisdictionType", 3)
    if jurisdiction is not None:
        if jurisdiction.lower() not in JURISDICTION_TYPES:
            raise CriteriaError(p + "jurisdictionType", "must be one of ap, bk, cr, cv, mdl")
        c.jurisdiction_type = jurisdiction.lower()
        note("jurisdictionType", "Jurisdiction", c.jurisdiction_type)
    for name in CASE_DATE_RANGES:
        low = _date(body.get(f"{name}From"), f"{p}{name}From")
        high = _date(body.get(f"{name}To"), f"{p}{name}To")
        if low is not None and high is not None and low > high:
            raise CriteriaError(f"{p}{name}From", f"is after {name}To")
        if low is not None or high is not None:
            c.date_ranges[name] = (low, high)
            if low is not None:
                note(f"{name}From", f"{name} From", low.isoformat())
            if high is not None:
                note(f"{name}To", f"{name} To", high.isoformat())
    # Accepted, checked, and never matched here (see the module docstring).
    for name in UNMATCHABLE_DATE_RANGES:
        for end in ("From", "To"):
            day = _date(body.get(f"{name}{end}"), f"{p}{name}{end}")
            if day is not None:
                c.unmatchable.append(f"{name}{end}")
                note(f"{name}{end}", f"{name} {end}", day.isoformat())
    for key, what in (("natureOfSuit", "nature of suit codes"), ("nos", "nature of suit codes")):
        codes = _codes(body.get(key), p + key, _CODE, what, numbers=True)
        if codes:
            c.unmatchable.append(key)
            note(key, "Nature of Suit", codes, ", ".join(codes))
    chapters = _codes(
        body.get("federalBankruptcyChapter"),
        p + "federalBankruptcyChapter",
        _CODE,
        "bankruptcy chapters such as 7",
        numbers=True,
    )
    if chapters:
        c.unmatchable.append("federalBankruptcyChapter")
        note("federalBankruptcyChapter", "Chapter", chapters, ", ".join(chapters))
    jpml = _integer(body.get("jpmlNumber"), p + "jpmlNumber", 1, 2**31 - 1, "a positive integer")
    if jpml is not None:
        c.unmatchable.append("jpmlNumber")
        note("jpmlNumber", "JPML Number", jpml)
    for key in ("dispositionMethod", "dispMethodJt", "dispoMethodJt", "caseJoint"):
        text = _text(body.get(key), p + key, 64)
        if text is not None:
            c.unmatchable.append(key)
            note(key, key, text)
    if "party" in allowed:
        party = body.get("party")
        if party is not None:
            criteria = _parse_party(_check_object(party, p + "party"), p + "party.", parsed)
            if not criteria.is_empty:
                c.party = criteria
    return c


def _parse_party(body: dict[str, Any], prefix: str, parsed: Parsed) -> PartyCriteria:
    top_level = not prefix
    allowed = (
        PARTY_KEYS | {"courtCase"} | PARTY_SEARCH_CASE_KEYS | _TAGS if top_level else PARTY_KEYS
    )
    _unknown(body, allowed, prefix)
    p = prefix
    c = PartyCriteria()
    echo = _echo_at(parsed, p)
    summary = parsed.summary
    for key, limit, label in (
        ("lastName", 200, "Last Name"),
        ("firstName", 50, "First Name"),
        ("middleName", 50, "Middle Name"),
        ("generation", 5, "Generation"),
        ("partyType", 10, "Party Type"),
        ("description", 254, "Description"),
    ):
        value = _text(body.get(key), p + key, limit)
        if value is not None:
            setattr(c, re.sub(r"([A-Z])", r"_\1", key).lower(), value)
            echo[key] = value
            summary.append(f"{label} {value}")
    c.roles = _codes(body.get("role"), p + "role", _CODE, "party role codes such as pla or dft")
    if c.roles:
        echo["role"] = c.roles
        summary.append(f"Role {', '.join(c.roles)}")
    exact = _boolean(body.get("exactNameMatch"), p + "exactNameMatch")
    if exact is not None:
        c.exact_name_match = exact
        echo["exactNameMatch"] = exact
        if exact:
            summary.append("Exact Name Match")
    ssn = _text(body.get("ssn"), p + "ssn", 11)
    if ssn is not None and not _SSN.fullmatch(ssn):
        raise CriteriaError(p + "ssn", "must be a social security number of 9 digits")
    ssn4 = _text(body.get("ssn4"), p + "ssn4", 4)
    if ssn4 is not None and not _SSN4.fullmatch(ssn4):
        raise CriteriaError(p + "ssn4", "must be the last 4 digits of a social security number")
    if ssn is not None or ssn4 is not None:
        if c.last_name is None:
            raise CriteriaError(p + "ssn" if ssn else p + "ssn4", "is allowed only with lastName")
        # Only bankruptcy debtors are found by SSN; no court here has any. Never echoed.
        c.has_ssn = True
        c.unmatchable.append("ssn")
        summary.append("SSN given")
    for key in ("seqNo", "aliasEq"):
        number = _integer(body.get(key), p + key, 0, 2**31 - 1, "a whole number")
        if number is not None:
            c.unmatchable.append(key)
            echo[key] = number
            summary.append(f"{key} {number}")
    alias = _text(body.get("aliasType"), p + "aliasType", 10)
    if alias is not None:
        c.unmatchable.append("aliasType")
        echo["aliasType"] = alias
        summary.append(f"aliasType {alias}")
    return c


def _empty(message: str) -> CriteriaError:
    return CriteriaError("body", message)


def parse_case_search(body: Any) -> tuple[CaseCriteria, Parsed]:
    """A /cases/find or /cases/download body."""
    body = _check_object(body, "")
    parsed = Parsed(summary=[], echo={})
    criteria = _parse_case(body, "", parsed, CASE_KEYS | _TAGS | {"party"})
    _tags(body, parsed)
    if not parsed.summary:
        raise _empty("no search criteria given: a case search needs at least one field")
    return criteria, parsed


def parse_party_search(body: Any) -> tuple[PartyCriteria, Parsed]:
    """A /parties/find or /parties/download body."""
    body = _check_object(body, "")
    parsed = Parsed(summary=[], echo={})
    party = _parse_party(body, "", parsed)
    top = _parse_case(
        {k: v for k, v in body.items() if k in PARTY_SEARCH_CASE_KEYS}, "", parsed, CASE_KEYS
    )
    court_case = body.get("courtCase")
    if court_case is not None:
        nested = _parse_case(
            _check_object(court_case, "courtCase"), "courtCase.", parsed, CASE_KEYS
        )
    else:
        nested = CaseCriteria()
    nested.merge(top)
    party.court_case = nested
    _tags(body, parsed)
    if not parsed.summary:
        raise _empty("no search criteria given: a party search needs at least one field")
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
        raise CriteriaError(
            "lastName",
            "is required unless the search gives an SSN, a case number (caseNumberFull or "
            "caseId) or a date range (e.g. courtCase.dateFiledFrom)",
        )
    return party, parsed


def _tags(body: dict[str, Any], parsed: Parsed) -> None:
    """reportId and the like: checked as strings, echoed, never searched."""
    for key in sorted(_TAGS & body.keys()):
        value = body[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = _text(value, key, 64)
        if text is not None and key != "page":
            parsed.echo[key] = text


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

    def as_dict(self) -> dict[str, Any]:
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
