"""Forms for e-file registration: the filer's request and the staff's decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from nextecf.courts.models import Court, EfileRegistration
from nextecf.lib.forms import printable_text

ATTORNEY_FIELDS = ("bar_number", "bar_jurisdiction", "admission_date")
PRO_SE_FIELDS = ("permission_reference",)


class EfileRequestForm(forms.Form):
    court = forms.ChoiceField(
        label="Court",
        error_messages={
            "required": "Choose the court where you want to file.",
            "invalid_choice": "Choose one of the courts in the list.",
        },
    )
    kind = forms.ChoiceField(
        label="Registration type",
        choices=EfileRegistration.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose attorney or non-attorney (pro se) registration.",
            "invalid_choice": "Choose attorney or non-attorney (pro se) registration.",
        },
    )
    bar_number = forms.CharField(
        label="Bar number",
        required=False,
        max_length=32,
        error_messages={"max_length": "Bar number must be at most 32 characters."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    bar_jurisdiction = forms.CharField(
        label="Bar jurisdiction",
        required=False,
        max_length=64,
        help_text="The state or court where you are admitted, e.g. New York.",
        error_messages={"max_length": "Bar jurisdiction must be at most 64 characters."},
    )
    admission_date = forms.DateField(
        label="Admission date",
        required=False,
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%m/%d/%Y", attrs={"placeholder": "MM/DD/YYYY"}),
        error_messages={"invalid": "Admission date must be a date such as 11/24/2016."},
    )
    permission_reference = forms.CharField(
        label="Court permission",
        required=False,
        max_length=200,
        help_text=(
            "Non-attorneys: the court order or letter that permits you to file "
            "electronically (case number and date, or the letter's reference)."
        ),
        error_messages={"max_length": "Court permission must be at most 200 characters."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["court"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Choose a court"),
            *Court.objects.order_by("name").values_list("pk", "name"),
        ]

    def clean_court(self) -> Court:
        court = Court.objects.filter(pk=self.cleaned_data["court"]).first()
        if court is None:  # deleted since the page was drawn
            raise forms.ValidationError("Choose one of the courts in the list.")
        return court

    def clean_bar_number(self) -> str:
        return printable_text(self.cleaned_data["bar_number"], "Bar number")

    def clean_bar_jurisdiction(self) -> str:
        return printable_text(self.cleaned_data["bar_jurisdiction"], "Bar jurisdiction")

    def clean_permission_reference(self) -> str:
        return printable_text(self.cleaned_data["permission_reference"], "Court permission")

    def clean_admission_date(self) -> date | None:
        value: date | None = self.cleaned_data["admission_date"]
        if value is not None:
            if value > timezone.localdate():
                raise forms.ValidationError("Admission date cannot be in the future.")
            if value.year < 1900:
                raise forms.ValidationError("Admission date must be after 1900.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == EfileRegistration.Kind.ATTORNEY:
            required = {
                "bar_number": "Enter your bar number.",
                "bar_jurisdiction": "Enter the jurisdiction of your bar admission.",
                "admission_date": "Enter the date of your bar admission.",
            }
            for name, message in required.items():
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
            for name in PRO_SE_FIELDS:
                data[name] = ""
        elif kind == EfileRegistration.Kind.PRO_SE:
            if "permission_reference" not in self.errors and not data.get("permission_reference"):
                self.add_error(
                    "permission_reference",
                    "Enter the court order or letter that permits you to file electronically.",
                )
            # A pro se filer has no bar admission; whatever was typed there is dropped.
            for name in ATTORNEY_FIELDS:
                data[name] = None if name == "admission_date" else ""
            for name in ATTORNEY_FIELDS:
                self.errors.pop(name, None)
        return data


class EfileDecisionForm(forms.Form):
    """The note staff give with a decision: required to reject, optional to approve."""

    note = forms.CharField(
        label="Note to the requester",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be at most 500 characters."},
    )

    def __init__(self, *args: Any, note_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note_required = note_required
        if note_required:
            self.fields["note"].required = True
            self.fields["note"].label = "Reason for rejecting (sent to the requester)"
            self.fields["note"].error_messages["required"] = (
                "A note is required to reject a request; it is sent to the requester."
            )

    def clean_note(self) -> str:
        value: str = self.cleaned_data["note"].strip()
        if self.note_required and not value:
            raise forms.ValidationError(
                "A note is required to reject a request; it is sent to the requester."
            )
        if not all(ch.isprintable() or ch in "\r\n\t" for ch in value):
            raise forms.ValidationError("The note may contain only printable characters.")
        return value
