from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from nextecf.cases.forms import date_field


class AccessRangeForm(forms.Form):
    """A date range for Review Billing History and View Your Transaction Log."""

    start = date_field("From", required=True)
    end = date_field("To", required=True)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("date", "Date"), ("client_code", "Client code, then date")],
        error_messages={"invalid_choice": "Sort by must be Date or Client code, then date."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("end", "To must not be before From.")
        return data
