from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from nextecf.accounts.clientcodes import CLIENT_CODE_MAX_LENGTH, MISSING, account_code_problem
from nextecf.accounts.models import (
    USERNAME_MAX_LENGTH,
    Account,
    validate_new_username,
)
from nextecf.accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from nextecf.accounts.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from nextecf.accounts.passwords import MIN_LENGTH_WITH_MFA as PASSWORD_MIN_LENGTH_WITH_MFA
from nextecf.accounts.passwords import Identity, password_problems
from nextecf.lib.forms import printable_text

CLIENT_CODE_REQUIRED = "Your account requires a Client Code. It cannot be empty: enter one."


def clean_client_code_value(value: str, code_format: str = "", *, required: bool = False) -> str:
    """The client code, stripped, if PACER's rules, the account's format (when known) and
    whether the account requires one allow it; a ValidationError naming the field
    otherwise."""
    value = value.strip()
    problem = account_code_problem(value, fmt=code_format, required=required)
    if problem == MISSING:
        raise forms.ValidationError(CLIENT_CODE_REQUIRED)
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

    def __init__(
        self,
        *args: Any,
        needs_redaction: bool,
        needs_client_code: bool,
        client_code_required: bool = True,
        client_code_format: str = "",
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.needs_redaction = needs_redaction
        self.needs_client_code = needs_client_code
        self.client_code_required = client_code_required
        self.client_code_format = client_code_format
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
        return clean_client_code_value(
            self.cleaned_data.get("client_code", ""),
            self.client_code_format,
            required=self.client_code_required,
        )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label="PACER password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your PACER password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


# --- Self-service: registration, upgrade, forgot password / username ---------------------

NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254
EARLIEST_BIRTH_YEAR = 1900
USERNAME_TOO_LONG = f"Username must be at most {USERNAME_MAX_LENGTH} characters."
USERNAME_HELP = (
    "8 to 64 characters: letters, digits, dots, hyphens or underscores. "
    "Upper and lower case are the same."
)


def _name_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": f"Enter your {label.lower()}.",
            "max_length": f"{label} must be at most {NAME_MAX_LENGTH} characters.",
        },
    )


def _email_field(label: str = "Email address", **attrs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter a valid email address, like name@example.com.",
            "max_length": f"Email address must be at most {EMAIL_MAX_LENGTH} characters.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", **attrs}),
    )


def password_help(*, mfa: bool) -> str:
    minimum = PASSWORD_MIN_LENGTH_WITH_MFA if mfa else PASSWORD_MIN_LENGTH
    return (
        f"At least {minimum} characters; a few unrelated words make a good password. "
        "It must not contain your name, username or email address."
    )


def _password_field(label: str, *, autofocus: bool = False) -> forms.CharField:
    attrs: dict[str, Any] = {"autocomplete": "new-password"}
    if autofocus:
        attrs["autofocus"] = True
    # "Confirm new password" asks for the same password again, not for a "confirm password".
    confirmed = label.removeprefix("Confirm ")
    required = (
        f"Enter the {confirmed.lower()} again to confirm it."
        if confirmed != label
        else f"Enter your {label.lower()}."
    )
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        error_messages={
            "required": required,
            "max_length": f"{label} must be at most {PASSWORD_MAX_LENGTH} characters.",
        },
        widget=forms.PasswordInput(attrs=attrs),
    )


def _date_of_birth_field() -> forms.DateField:
    return forms.DateField(
        label="Date of birth",
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as YYYY-MM-DD or MM/DD/YYYY, "
            "for example 1980-04-30.",
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )


def _clean_name(value: str, label: str) -> str:
    return " ".join(printable_text(value, label).split())


def _clean_date_of_birth(value: date) -> date:
    if value >= timezone.localdate():
        raise forms.ValidationError("Date of birth must be in the past.")
    if value.year < EARLIEST_BIRTH_YEAR:
        raise forms.ValidationError(f"Date of birth must be in {EARLIEST_BIRTH_YEAR} or later.")
    return value


def _clean_new_username(value: str, *, exclude: Account | None = None) -> str:
    value = Account.objects.normalize_username(value)
    problem = validate_new_username(value)
    if problem:
        raise forms.ValidationError(f"Username {problem}.")
    if Account.objects.username_taken(value, exclude=exclude):
        raise forms.ValidationError("That username is taken. Choose another.")
    return value


def _check_new_password(form: forms.Form, *, identity: Identity, mfa: bool) -> None:
    """Apply the password policy and the confirmation to a form's two password fields."""
    password = form.cleaned_data.get("password")
    confirm = form.cleaned_data.get("password_confirm")
    if not password:
        return
    for problem in password_problems(password, identity=identity, mfa=mfa):
        form.add_error("password", problem)
    if confirm is not None and confirm != password:
        confirm_label = form.fields["password_confirm"].label
        password_label = str(form.fields["password"].label).lower()
        form.add_error("password_confirm", f"{confirm_label} does not match the {password_label}.")


class RegistrationForm(forms.Form):
    """Need an account? An individual, upgraded PACER account."""

    first_name = _name_field("First name")
    middle_name = _name_field("Middle name", required=False)
    last_name = _name_field("Last name")
    date_of_birth = _date_of_birth_field()
    email = _email_field()
    username = forms.CharField(
        label="Username",
        max_length=256,
        help_text=USERNAME_HELP,
        error_messages={"required": "Choose a username.", "max_length": USERNAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = _password_field("Password")
    password_confirm = _password_field("Confirm password")
    cja_requested = forms.BooleanField(
        label="Request a CJA exemption (for attorneys appointed under the Criminal Justice "
        "Act; the court decides)",
        required=False,
    )
    confirm_duplicate = forms.BooleanField(
        label="Continue: I have checked, and I want to register a new account anyway",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_help(mfa=False)

    def clean_first_name(self) -> str:
        return _clean_name(self.cleaned_data["first_name"], "First name")

    def clean_middle_name(self) -> str:
        return _clean_name(self.cleaned_data["middle_name"], "Middle name")

    def clean_last_name(self) -> str:
        return _clean_name(self.cleaned_data["last_name"], "Last name")

    def clean_date_of_birth(self) -> date:
        return _clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean_username(self) -> str:
        return _clean_new_username(self.cleaned_data["username"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identity = Identity(
            username=cleaned.get("username", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
            email=cleaned.get("email", ""),
        )
        _check_new_password(self, identity=identity, mfa=False)
        return cleaned


class UpgradeForm(forms.Form):
    """A legacy account's holder chooses a username and password and confirms the email."""

    username = forms.CharField(
        label="New username",
        max_length=256,
        help_text=USERNAME_HELP,
        error_messages={"required": "Choose a new username.", "max_length": USERNAME_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = _password_field("New password")
    password_confirm = _password_field("Confirm new password")
    email = _email_field()
    date_of_birth = _date_of_birth_field()

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"email": account.email})
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["password"].help_text = password_help(mfa=account.has_mfa)
        self.fields["email"].help_text = (
            "If you change it, we email a link to the new address; the change takes effect "
            "when you use the link."
        )
        if account.date_of_birth is not None:
            del self.fields["date_of_birth"]

    def clean_username(self) -> str:
        return _clean_new_username(self.cleaned_data["username"], exclude=self.account)

    def clean_date_of_birth(self) -> date:
        return _clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identity = Identity(
            username=cleaned.get("username", ""),
            first_name=self.account.first_name,
            last_name=self.account.last_name,
            email=cleaned.get("email") or self.account.email,
        )
        _check_new_password(self, identity=identity, mfa=self.account.has_mfa)
        return cleaned


class ForgotPasswordForm(forms.Form):
    identifier = forms.CharField(
        label="Username or email address",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter your username or your email address.",
            "max_length": "Username or email address must be at most "
            f"{EMAIL_MAX_LENGTH} characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class EmailOnlyForm(forms.Form):
    """Forgot username, resend the verification email: just an address."""

    email = _email_field(autofocus=True)


class SetPasswordForm(forms.Form):
    """A new password, chosen through a reset link."""

    password = _password_field("New password", autofocus=True)
    password_confirm = _password_field("Confirm new password")

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["password"].help_text = password_help(mfa=account.has_mfa)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        identity = Identity(
            username=self.account.username,
            first_name=self.account.first_name,
            last_name=self.account.last_name,
            email=self.account.email,
        )
        _check_new_password(self, identity=identity, mfa=self.account.has_mfa)
        return cleaned
