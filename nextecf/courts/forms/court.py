from __future__ import annotations

from django import forms

from nextecf.accounts.clientcodes import CLIENT_CODE_MAX_LENGTH
from nextecf.accounts.forms.signon import clean_client_code_value


class LinkForm(forms.Form):
    login = forms.CharField(
        label="CM/ECF login",
        max_length=256,
        error_messages={"required": "Enter your CM/ECF login."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    password = forms.CharField(
        label="CM/ECF password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your CM/ECF password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ClientCodeForm(forms.Form):
    client_code = forms.CharField(
        label="New client code",
        required=False,
        max_length=CLIENT_CODE_MAX_LENGTH,
        error_messages={
            "max_length": f"Client Code must be at most {CLIENT_CODE_MAX_LENGTH} characters."
        },
    )

    def __init__(
        self, *args: object, required: bool, code_format: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.code_required = required
        self.code_format = code_format

    def clean_client_code(self) -> str:
        return clean_client_code_value(
            self.cleaned_data["client_code"], self.code_format, required=self.code_required
        )
