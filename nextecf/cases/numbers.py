"""Case numbers as people and PACER software type them: the one parser every form, CM/ECF
page and the PCL API use, and the one canonical form of a court's numbers
(o:YY-tt-NNNNN: the court's office digit and case type, 1:YY-cv-NNNNN at the CIT).

Accepted: 1:26-cv-00001, 1:26-cv-00001-GSK (judges' initials or N/A), 26-00001, 26-1,
26cv1, 26 cv 1, 2600001, PCL's 1:2025cv00001 and 25-ap-1, and the "Court No. 21-00219"
practitioners write in briefs. What a context accepts beyond that (another office, a
4-digit year, another case type) is decided by its caller from the parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIX = re.compile(r"^court\s+no\.?\s*", re.IGNORECASE | re.ASCII)
# CM/ECF's judge suffix, which says who is assigned and is not part of the number.
_SUFFIX = r"(?:-[a-z][a-z0-9./-]*)?"
_TYPED = re.compile(
    r"(?P<year>\d{4}|\d{2})[- ]?(?P<type>[a-z]{2,3})[- ]?(?P<seq>\d{1,5})" + _SUFFIX,
    re.IGNORECASE | re.ASCII,
)
_SEPARATED = re.compile(
    r"(?P<year>\d{4}|\d{2})[- ](?P<seq>\d{1,5})" + _SUFFIX, re.IGNORECASE | re.ASCII
)
_DIGITS = re.compile(r"\d{3,9}", re.ASCII)

OUR_OFFICE = 1
OUR_TYPE = "cv"  # the default court's cases are all civil cases


@dataclass(frozen=True)
class NumberFormat:
    """A court's case numbers: its office digit and its one case type (Court.case_office,
    Court.case_type)."""

    office: int = OUR_OFFICE
    case_type: str = OUR_TYPE

    @classmethod
    def of(cls, court: object) -> NumberFormat:
        """The format of a court (anything with case_office and case_type)."""
        return cls(
            office=int(getattr(court, "case_office", OUR_OFFICE) or OUR_OFFICE),
            case_type=str(getattr(court, "case_type", OUR_TYPE) or OUR_TYPE),
        )


DEFAULT_FORMAT = NumberFormat()


def cmecf_number(year: int, sequence: int, number_format: NumberFormat = DEFAULT_FORMAT) -> str:
    """A court's canonical case number: o:YY-tt-NNNNN."""
    office, case_type = number_format.office, number_format.case_type
    return f"{office}:{year % 100:02d}-{case_type}-{sequence:05d}"


@dataclass(frozen=True)
class TypedNumber:
    """The parts of a case number as typed. `year` is as typed (26 or 2026); `sequence`
    may be 0, which no case has, so that a caller can say so."""

    office: int | None
    year: int
    year_digits: int
    case_type: str | None
    sequence: int

    def ours(self, number_format: NumberFormat = DEFAULT_FORMAT) -> str | None:
        """The canonical number this names in a court of this format (its office, a
        2-digit year, its case type, a sequence from 1), or None when it cannot name one
        of the court's cases."""
        if self.office not in (None, number_format.office) or self.year_digits != 2:
            return None
        if self.case_type not in (None, number_format.case_type) or self.sequence == 0:
            return None
        return cmecf_number(self.year, self.sequence, number_format)


def parse_case_number(text: str) -> TypedNumber | None:
    """The parts of a typed case number, or None when it is not one."""
    text = _PREFIX.sub("", text.strip(), count=1).lower() if text else ""
    office = None
    if ":" in text:
        office_text, _, text = text.partition(":")
        if not (office_text.isascii() and office_text.isdigit() and len(office_text) <= 2):
            return None
        office = int(office_text)
    case_type = None
    if match := _TYPED.fullmatch(text):
        year_text, case_type, seq_text = match["year"], match["type"], match["seq"]
    elif match := _SEPARATED.fullmatch(text):
        year_text, seq_text = match["year"], match["seq"]
    elif _DIGITS.fullmatch(text):
        # Digits only: a 2-digit year when what follows fits a sequence, else 4.
        split = 2 if len(text) <= 7 else 4
        year_text, seq_text = text[:split], text[split:]
        if len(seq_text) > 5:
            return None
    else:
        return None
    return TypedNumber(
        office=office,
        year=int(year_text),
        year_digits=len(year_text),
        case_type=case_type,
        sequence=int(seq_text),
    )


def normalize_case_number(text: str, number_format: NumberFormat = DEFAULT_FORMAT) -> str | None:
    """The canonical number of one of a court's cases as typed, or None."""
    typed = parse_case_number(text)
    return typed.ours(number_format) if typed is not None else None
