from __future__ import annotations

from django import forms

from nextecf.lib.forms import DateRangeForm


class AccessRangeForm(DateRangeForm):
    """A date range for Review Billing History and View Your Transaction Log."""

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("date", "Date"), ("client_code", "Client code, then date")],
        error_messages={"invalid_choice": "Sort by must be Date or Client code, then date."},
    )
