"""Forms of Manage My Account and of the MFA step of the login."""

from __future__ import annotations

from typing import Any

from django import forms

from nextecf.accounts.clientcodes import CLIENT_CODE_MAX_LENGTH, FORMAT_HELP, format_problem
from nextecf.accounts.models import Account
from nextecf.accounts.passwords import MAX_LENGTH, Identity, password_problems
from nextecf.lib.forms import printable_text


class CodeInput(forms.PasswordInput):
    """A one-time code box: plain text while typing, never filled in again on a redisplay
    (a used or wrong code is worth nothing to keep, and should not sit in the page)."""

    input_type = "text"


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=64,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app, or a backup code.",
            "max_length": "Code is too long: enter the 6-digit code from your authenticator "
            "app, or a backup code of 16 letters and digits.",
        },
        widget=CodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )


class EnrollStartForm(forms.Form):
    """No fields: starting an enrollment is a POST (it makes a new secret)."""


class EnrollConfirmForm(forms.Form):
    device = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**62,
        error_messages={"required": "This setup has expired. Start again."},
    )
    name = forms.CharField(
        label="Name for this app",
        max_length=64,
        help_text='So you can tell your apps apart later, e.g. "Work phone".',
        error_messages={
            "required": "Enter a name for this app.",
            "max_length": "Name for this app must be at most 64 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "aria-describedby": "id_name_help"}),
    )
    code = forms.CharField(
        label="Code shown by the app",
        max_length=64,
        error_messages={
            "required": "Enter the 6-digit code your authenticator app shows now.",
            "max_length": "Code shown by the app must be 6 digits.",
        },
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_name(self) -> str:
        name = printable_text(self.cleaned_data["name"], "Name for this app")
        if not name:
            raise forms.ValidationError("Enter a name for this app.")
        if self.account.totp_devices.filter(confirmed=True, name__iexact=name).exists():
            raise forms.ValidationError(
                f'Name for this app: you already have an app called "{name}". Choose another.'
            )
        return name


class ProfileForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=80,
        error_messages={
            "required": "Enter your first name.",
            "max_length": "First name must be at most 80 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    middle_name = forms.CharField(
        label="Middle name",
        max_length=80,
        required=False,
        error_messages={"max_length": "Middle name must be at most 80 characters."},
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=80,
        error_messages={
            "required": "Enter your last name.",
            "max_length": "Last name must be at most 80 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def clean_first_name(self) -> str:
        return printable_text(self.cleaned_data["first_name"], "First name")

    def clean_middle_name(self) -> str:
        return printable_text(self.cleaned_data["middle_name"], "Middle name")

    def clean_last_name(self) -> str:
        return printable_text(self.cleaned_data["last_name"], "Last name")


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New email address",
        max_length=254,
        error_messages={
            "required": "Enter the new email address.",
            "invalid": "New email address is not a valid address, e.g. name@example.com.",
            "max_length": "New email address must be at most 254 characters.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_new_email(self) -> str:
        value: str = self.cleaned_data["new_email"].strip()
        if value.lower() == self.account.email.lower():
            raise forms.ValidationError("New email address is the address you have now.")
        return value


def _password_field(label: str, autocomplete: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_LENGTH,
        strip=False,
        error_messages={
            "required": required,
            "max_length": f"{label} must be at most {MAX_LENGTH} characters.",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class PasswordChangeForm(forms.Form):
    current_password = _password_field(
        "Current password", "current-password", "Enter your current password."
    )
    new_password = _password_field("New password", "new-password", "Enter a new password.")
    new_password_again = _password_field(
        "New password again", "new-password", "Enter the new password a second time."
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.mfa = account.has_mfa

    def clean_new_password(self) -> str:
        value: str = self.cleaned_data["new_password"]
        problems = password_problems(
            value,
            identity=Identity(
                username=self.account.username,
                first_name=self.account.first_name,
                last_name=self.account.last_name,
                email=self.account.email,
            ),
            mfa=self.mfa,
        )
        if problems:
            raise forms.ValidationError(problems)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again is not None and new != again:
            self.add_error("new_password_again", "New password again does not match.")
        return data


class BillingPrefsForm(forms.Form):
    client_code_required = forms.BooleanField(
        label="Require a client code at every login", required=False
    )
    client_code_format = forms.CharField(
        label="Client code format",
        max_length=CLIENT_CODE_MAX_LENGTH,
        required=False,
        help_text=FORMAT_HELP,
        error_messages={
            "max_length": f"Client code format must be at most {CLIENT_CODE_MAX_LENGTH} characters."
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "aria-describedby": "id_client_code_format_help"}
        ),
    )

    def clean_client_code_format(self) -> str:
        value: str = self.cleaned_data["client_code_format"].strip()
        problem = format_problem(value)
        if problem:
            raise forms.ValidationError(f"Client code format {problem}.")
        return value
