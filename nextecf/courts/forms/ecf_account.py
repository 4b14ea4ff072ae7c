"""Forms of Utilities > Maintain Your ECF Account."""

from __future__ import annotations

import re

from django import forms

from nextecf.courts.models import FilerAccount
from nextecf.lib.forms import printable_text

PHONE = re.compile(r"[0-9A-Za-z()+\-./ ]*")
ADDRESS_MAX_LINES = 6


class SecondaryEmailForm(forms.Form):
    email = forms.EmailField(
        label="Secondary email address",
        max_length=254,
        error_messages={
            "required": "Enter the secondary email address to add.",
            "invalid": "Enter a valid email address, such as paralegal@lawfirm.com.",
            "max_length": "Secondary email address must be at most 254 characters.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"].strip()
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"


class DocketContactForm(forms.ModelForm[FilerAccount]):
    """The firm, address, phone and fax shown under the filer's name on dockets."""

    class Meta:
        model = FilerAccount
        fields = ["firm", "address", "phone", "fax"]
        labels = {
            "firm": "Firm or office",
            "phone": "Phone",
            "fax": "Fax",
        }
        help_texts = {
            "phone": "e.g. (212) 555-0100 x216",
        }
        error_messages = {
            "firm": {"max_length": "Firm or office must be at most 200 characters."},
            "phone": {"max_length": "Phone must be at most 40 characters."},
            "fax": {"max_length": "Fax must be at most 40 characters."},
        }

    # The model's TextField has no length limit; a docket address is short.
    address = forms.CharField(
        label="Address",
        max_length=500,
        required=False,
        help_text=f"As it should appear on dockets, one line each (at most {ADDRESS_MAX_LINES} "
        "lines).",
        error_messages={"max_length": "Address must be at most 500 characters."},
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            field.required = False

    def clean_firm(self) -> str:
        return printable_text(self.cleaned_data["firm"], "Firm or office")

    def clean_address(self) -> str:
        raw: str = self.cleaned_data["address"]
        lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > ADDRESS_MAX_LINES:
            raise forms.ValidationError(f"Address may have at most {ADDRESS_MAX_LINES} lines.")
        for line in lines:
            printable_text(line, "Address")
        return "\n".join(lines)

    def _clean_phone(self, name: str, label: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if not PHONE.fullmatch(value):
            raise forms.ValidationError(
                f"{label} may contain only digits, letters, spaces and ( ) + - . /"
            )
        return value

    def clean_phone(self) -> str:
        return self._clean_phone("phone", "Phone")

    def clean_fax(self) -> str:
        return self._clean_phone("fax", "Fax")
