from __future__ import annotations

from typing import Any

from django import forms

from nextecf.accounts.models import CLIENT_CODE_MAX_LENGTH, validate_client_code


def clean_client_code_value(value: str) -> str:
    value = value.strip()
    problem = validate_client_code(value)
    if problem:
        raise forms.ValidationError(f"Client Code {problem}.")
    return value


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=256,
        error_messages={"required": "Enter your PACER username."},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your PACER password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    client_code = forms.CharField(
        label="Client Code",
        required=False,
        max_length=CLIENT_CODE_MAX_LENGTH,
        error_messages={
            "max_length": f"Client Code must be at most {CLIENT_CODE_MAX_LENGTH} characters."
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"].strip()
        if not value:
            raise forms.ValidationError("Enter your PACER username.")
        return value

    def clean_client_code(self) -> str:
        return clean_client_code_value(self.cleaned_data["client_code"])


class LoginStepForm(forms.Form):
    """What a login still needs after the password: the redaction agreement for filers,
    a client code for accounts that require one."""

    redaction = forms.BooleanField(
        label=(
            "I understand that, if I file, I must comply with the redaction rules. "
            "I have read this notice."
        ),
        required=False,
    )
    client_code = forms.CharField(
        label="Client Code",
        required=False,
        max_length=CLIENT_CODE_MAX_LENGTH,
        error_messages={
            "max_length": f"Client Code must be at most {CLIENT_CODE_MAX_LENGTH} characters."
        },
    )

    def __init__(self, *args: Any, needs_redaction: bool, needs_client_code: bool, **kw: Any):
        super().__init__(*args, **kw)
        self.needs_redaction = needs_redaction
        self.needs_client_code = needs_client_code
        if not needs_redaction:
            del self.fields["redaction"]
        if not needs_client_code:
            del self.fields["client_code"]

    def clean_redaction(self) -> bool:
        if not self.cleaned_data.get("redaction"):
            raise forms.ValidationError(
                "Tick the box to agree to the redaction rules; filers cannot log in without it."
            )
        return True

    def clean_client_code(self) -> str:
        value = clean_client_code_value(self.cleaned_data.get("client_code", ""))
        if not value:
            raise forms.ValidationError("Your account requires a Client Code. Enter one.")
        return value


class ReauthForm(forms.Form):
    password = forms.CharField(
        label="PACER password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your PACER password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
