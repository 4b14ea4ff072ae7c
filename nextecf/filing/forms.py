"""The forms of the filing screens. Every message names what is wrong; nothing a client
sends gets past them unchecked (control characters, lengths, choices from other cases)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from nextecf.billing.gateways import Card, card_problems
from nextecf.cases.forms import CourtNumbers
from nextecf.cases.models import Case, Party
from nextecf.filing.services import (
    DESCRIPTION_MAX,
    DOCKET_TEXT_MAX,
    normalize_text,
    text_problem,
)

MAX_PLAINTIFFS = 20
NAME_MAX = 300


def _plain(value: str, label: str, limit: int) -> str:
    problem = text_problem(value, limit=limit)
    if problem:
        raise forms.ValidationError(f"{label} {problem}.")
    return normalize_text(value)


class OpenCaseForm(forms.Form):
    """Case data for a new case, entered before its Summons is filed."""

    plaintiffs = forms.CharField(
        label="Plaintiff name(s)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line, as on the summons.",
        error_messages={"required": "Enter the name of at least one plaintiff."},
    )
    defendant = forms.CharField(
        label="Defendant",
        initial="United States",
        max_length=NAME_MAX,
        error_messages={"required": "Enter the defendant (usually United States)."},
    )
    title = forms.CharField(
        label="Case name (caption)",
        required=False,
        max_length=NAME_MAX,
        help_text="e.g. Acme Corp. v. United States. Left empty, it is made from the names.",
    )
    jurisdiction = forms.ChoiceField(
        label="Jurisdiction (28 U.S.C. § 1581)",
        choices=[("", "Choose a subsection"), *Case.Jurisdiction.choices],
        error_messages={
            "required": "Choose the subsection of 28 U.S.C. § 1581.",
            "invalid_choice": "Choose one of the listed subsections.",
        },
    )
    category = forms.CharField(
        label="Category",
        required=False,
        max_length=200,
        help_text="e.g. Classification 19USC § 1514(a)(2)",
    )
    agency = forms.CharField(
        label="Agency",
        required=False,
        max_length=200,
        help_text="e.g. U.S. Customs and Border Protection",
    )
    product_description = forms.CharField(
        label="Product description", required=False, max_length=300
    )
    export_country = forms.CharField(label="Export country", required=False, max_length=100)
    constitutional_question = forms.ChoiceField(
        label="Does this action raise an issue of constitutionality?",
        choices=[("N", "No"), ("Y", "Yes")],
        initial="N",
        widget=forms.RadioSelect,
        error_messages={"required": "Answer Yes or No.", "invalid_choice": "Answer Yes or No."},
    )
    lead = forms.BooleanField(label="LEAD ATTORNEY", required=False, initial=True)
    to_be_noticed = forms.BooleanField(label="ATTORNEY TO BE NOTICED", required=False, initial=True)

    def clean_plaintiffs(self) -> list[str]:
        raw: str = self.cleaned_data["plaintiffs"]
        if text_problem(raw.replace("\n", " "), limit=10**6):
            raise forms.ValidationError("Names may not contain control characters.")
        names = [normalize_text(line) for line in raw.splitlines()]
        names = [name for name in names if name]
        if not names:
            raise forms.ValidationError("Enter the name of at least one plaintiff.")
        if len(names) > MAX_PLAINTIFFS:
            raise forms.ValidationError(f"At most {MAX_PLAINTIFFS} plaintiffs.")
        for name in names:
            if len(name) > NAME_MAX:
                raise forms.ValidationError(f"Each name must be at most {NAME_MAX} characters.")
        if len({name.casefold() for name in names}) != len(names):
            raise forms.ValidationError("A plaintiff is listed twice.")
        return names

    def clean_defendant(self) -> str:
        return _plain(self.cleaned_data["defendant"], "The defendant's name", NAME_MAX)

    def clean_title(self) -> str:
        return _plain(self.cleaned_data["title"], "The case name", NAME_MAX)

    def clean_category(self) -> str:
        return _plain(self.cleaned_data["category"], "The category", 200)

    def clean_agency(self) -> str:
        return _plain(self.cleaned_data["agency"], "The agency", 200)

    def clean_product_description(self) -> str:
        return _plain(self.cleaned_data["product_description"], "The description", 300)

    def clean_export_country(self) -> str:
        return _plain(self.cleaned_data["export_country"], "The country", 100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names, defendant = data.get("plaintiffs"), data.get("defendant")
        if names and defendant and not data.get("title"):
            first = names[0] if len(names) == 1 else f"{names[0]} et al."
            data["title"] = f"{first} v. {defendant}"[:NAME_MAX]
        return data

    def case_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "jurisdiction": data["jurisdiction"],
            "category": data["category"],
            "agency": data["agency"],
            "product_description": data["product_description"],
            "export_country": data["export_country"],
            "constitutional_question": data["constitutional_question"] == "Y",
            "plaintiffs": data["plaintiffs"],
            "defendant": data["defendant"],
        }


class CaseNumberForm(CourtNumbers, forms.Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=40,
        help_text="e.g. 1:26-cv-00001, 26-00001 or 26-1",
        error_messages={
            "required": "Enter a case number.",
            "max_length": "Enter a case number like 1:26-cv-00001.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_case_number(self) -> str:
        number = self.court_number(self.cleaned_data["case_number"])
        if number is None:
            raise forms.ValidationError("Enter a case number like 1:26-cv-00001, 26-00001 or 26-1.")
        return number


class PartyChoiceField(forms.ModelMultipleChoiceField[Party]):
    def label_from_instance(self, obj: Party) -> str:
        return f"{obj.name} ({obj.role})"


class PartiesForm(forms.Form):
    parties = PartyChoiceField(
        label="Filing party",
        queryset=Party.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the party (or parties) you file for.",
            "invalid_choice": "Choose parties of this case.",
            "invalid_pk_value": "Choose parties of this case.",
        },
    )
    lead = forms.BooleanField(label="LEAD ATTORNEY", required=False, initial=True)
    to_be_noticed = forms.BooleanField(label="ATTORNEY TO BE NOTICED", required=False, initial=True)

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parties"]
        assert isinstance(field, PartyChoiceField)
        field.queryset = parties


class UploadForm(forms.Form):
    main_document = forms.FileField(
        label="Main document (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    attachment = forms.FileField(
        label="Attachment (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    attachment_description = forms.CharField(
        label="Attachment description",
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text="e.g. Exhibit A, Proposed Order",
        error_messages={"max_length": f"At most {DESCRIPTION_MAX} characters."},
    )

    main_level = forms.ChoiceField(
        label="Main document access",
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Main document access: this event does not allow it."},
    )
    attachment_level = forms.ChoiceField(
        label="Attachment access",
        required=False,
        choices=[],
        error_messages={"invalid_choice": "Attachment access: this event does not allow it."},
    )

    def __init__(self, *args: Any, levels: list[tuple[str, str]] | None = None, **kwargs: Any):
        """`levels`: the access levels the event allows (the catalogue's), Public first;
        with Public only, the fields are not shown and every document is public."""
        super().__init__(*args, **kwargs)
        self.levels = levels or [("public", "Public")]
        for name in ("main_level", "attachment_level"):
            self.fields[name].choices = self.levels  # type: ignore[attr-defined]
            self.fields[name].help_text = (
                "Confidential: readable by the court and counsel admitted under the "
                "protective order; file its public version (bracketed) by the court's deadline."
            )

    @property
    def chooses_level(self) -> bool:
        return len(self.levels) > 1

    def clean_attachment_description(self) -> str:
        return _plain(
            self.cleaned_data["attachment_description"], "The description", DESCRIPTION_MAX
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("attachment") and not data.get("attachment_description"):
            self.add_error("attachment_description", "Describe the attachment.")
        return data


class DocketTextForm(forms.Form):
    public_version_of = forms.TypedChoiceField(
        label="Public version of",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        help_text="If this filing is the public version of a confidential filing, choose it.",
        error_messages={"invalid_choice": "Public version of: choose an entry of the list."},
    )
    docket_text = forms.CharField(
        label="Docket text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"Plain text, at most {DOCKET_TEXT_MAX} characters. The attachments and your "
            "name are added at the end."
        ),
        error_messages={"required": "The docket text cannot be empty."},
    )

    member_cases = forms.TypedMultipleChoiceField(
        label="Also docket in these consolidated cases",
        required=False,
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="The entry is docketed in each case chosen, with one fee and one notice.",
        error_messages={
            "invalid_choice": "Also docket in: choose member cases consolidated with this case."
        },
    )

    def __init__(
        self,
        *args: Any,
        confidential: list[tuple[int, str]] | None = None,
        members: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.confidential = confidential or []
        self.members = members or []
        self.fields["member_cases"].choices = self.members  # type: ignore[attr-defined]
        self.fields["public_version_of"].choices = [  # type: ignore[attr-defined]
            ("", "Not a public version"),
            *self.confidential,
        ]


class CardForm(forms.Form):
    """Card details for the filing fee; the SANDBOX gateway takes only its test cards."""

    fee_cents = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    card_number = forms.CharField(
        label="Card number",
        max_length=30,
        error_messages={"required": "Enter the card number."},
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    exp_month = forms.IntegerField(
        label="Expiration month (MM)",
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter the expiration month.",
            "invalid": "Enter the month as a number from 1 to 12.",
            "min_value": "Enter the month as a number from 1 to 12.",
            "max_value": "Enter the month as a number from 1 to 12.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp-month", "inputmode": "numeric"}),
    )
    exp_year = forms.IntegerField(
        label="Expiration year (YYYY)",
        min_value=0,
        max_value=9999,
        error_messages={
            "required": "Enter the expiration year.",
            "invalid": "Enter the year, e.g. 2028.",
            "min_value": "Enter the year, e.g. 2028.",
            "max_value": "Enter the year, e.g. 2028.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp-year", "inputmode": "numeric"}),
    )
    cvv = forms.CharField(
        label="Security code (CVV)",
        max_length=4,
        error_messages={
            "required": "Enter the security code.",
            "max_length": "The security code has 3 or 4 digits.",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    name_on_card = forms.CharField(
        label="Name on card",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    authorize = forms.BooleanField(
        label="I authorize the charge of the filing fee to this card.",
        error_messages={"required": "Tick the box to authorize the charge."},
    )

    MESSAGES = {
        "card_number": "Enter a valid card number.",
        "exp_month": "Enter the month as a number from 1 to 12.",
        "exp_year": "The card has expired or the year is wrong.",
        "cvv": "The security code has 3 or 4 digits.",
    }

    def clean_card_number(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["card_number"])

    def clean_name_on_card(self) -> str:
        return _plain(self.cleaned_data["name_on_card"], "The name", 100)

    def clean(self) -> dict[str, Any]:
        """Every problem at once: a field that failed its own check is left as it is, the
        others are checked as a card."""
        data = super().clean() or {}
        year = data.get("exp_year", 0)
        card = Card(
            number=data.get("card_number", ""),
            exp_month=data.get("exp_month", 0),
            exp_year=year + 2000 if year < 100 else year,
            cvv=data.get("cvv", ""),
            name=data.get("name_on_card", ""),
        )
        checkable = {"card_number", "exp_month", "cvv"} & set(data)
        if "exp_month" in data and "exp_year" in data:
            checkable.add("exp_year")
        for field, _message in card_problems(card):
            if field in checkable:
                self.add_error(field, self.MESSAGES[field])
        if not self.errors:
            data["card"] = card
        return data
