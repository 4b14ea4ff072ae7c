from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms


def printable_text(value: str, label: str) -> str:
    """The value without surrounding spaces; a form error naming the field when it holds a
    control character (a NUL, a line break, an escape)."""
    value = value.strip()
    if not value.isprintable():
        raise forms.ValidationError(f"{label} may contain only printable characters.")
    return value


# --- Dates and date ranges -------------------------------------------------------------------

DATE_FORMATS = ["%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"]
FIRST_YEAR, LAST_YEAR = 1900, 2999


class CmecfDateField(forms.DateField):
    """A date as CM/ECF takes it (1/31/2026, 01/31/26, 2026-01-31), within years that
    every database and every date calculation here can handle."""

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return day


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return CmecfDateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%m/%d/%Y", attrs={"size": 10}),
        error_messages={
            "invalid": f"{label} must be a date such as 01/31/2026.",
            "required": f"{label}: enter a date such as 01/31/2026.",
            "range": f"{label} must be a date from 01/01/{FIRST_YEAR} to 12/31/{LAST_YEAR}.",
        },
    )


class DateRangeCheck(forms.Form):
    """A form holding a range of dates: its end may not come before its start. Subclasses
    name the two fields (`range_fields`) and may put the refusal in their own words
    (`range_message`; by default "<end label> must not be before <start label>.")."""

    range_fields: ClassVar[tuple[str, str]] = ("start", "end")
    range_message: ClassVar[str] = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = self.range_fields
        start, end = data.get(first), data.get(last)
        if isinstance(start, date) and isinstance(end, date) and start > end:
            message = self.range_message or (
                f"{self.fields[last].label} must not be before {self.fields[first].label}."
            )
            self.add_error(last, message)
        return data


class DateRangeForm(DateRangeCheck):
    """From and To, both required (billing and payment histories)."""

    start = date_field("From", required=True)
    end = date_field("To", required=True)
