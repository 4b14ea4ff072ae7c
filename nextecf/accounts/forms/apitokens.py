"""Manage My Account > API tokens: the form that makes one."""

from __future__ import annotations

from typing import Any

from django import forms

from nextecf.accounts.forms.manage import CodeInput
from nextecf.accounts.models import ApiToken
from nextecf.accounts.services.apitokens import TokenRefused, allowlist_parse
from nextecf.lib.forms import printable_text


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text='What uses it, e.g. "Docketing software".',
        error_messages={
            "required": "Enter a name for the token.",
            "max_length": "Name must be at most 80 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the token may do."},
    )
    file_court = forms.ChoiceField(
        label="Court it files in",
        required=False,
        help_text="Only for a token that files; a court where your CM/ECF account is linked.",
    )
    days = forms.IntegerField(
        label="Expires in (days)",
        min_value=1,
        max_value=ApiToken.MAX_DAYS,
        initial=90,
        error_messages={
            "required": "Enter how many days the token lasts.",
            "min_value": f"Expires in: from 1 to {ApiToken.MAX_DAYS} days.",
            "max_value": f"Expires in: from 1 to {ApiToken.MAX_DAYS} days.",
            "invalid": "Expires in: a whole number of days.",
        },
    )
    ip_allowlist = forms.CharField(
        label="IP allow-list",
        required=False,
        max_length=2000,
        help_text="Optional: addresses or networks (CIDR), one a line. Empty: any address.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    mfa_code = forms.CharField(
        label="Authentication code",
        max_length=64,
        help_text="The 6-digit code your authenticator app shows now, or a backup code.",
        error_messages={"required": "Enter a code from your authenticator app."},
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, courts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        court_field = self.fields["file_court"]
        assert isinstance(court_field, forms.ChoiceField)
        court_field.choices = [("", "(none)"), *courts]

    def clean_name(self) -> str:
        return printable_text(self.cleaned_data["name"], "Name")

    def clean_ip_allowlist(self) -> list[str]:
        try:
            return allowlist_parse(self.cleaned_data["ip_allowlist"])
        except TokenRefused as refused:
            raise forms.ValidationError(refused.message) from None
