"""Manage My Account > Docket alerts: following a case, registering a webhook."""

from __future__ import annotations

from django import forms

from nextecf.alerts.models import Subscription
from nextecf.cases.numbers import normalize_case_number
from nextecf.courts.models import Court


class FollowForm(forms.Form):
    court = forms.ModelChoiceField(
        label="Court",
        queryset=Court.objects.order_by("name"),
        empty_label=None,
        error_messages={"invalid_choice": "Court: choose one of the list."},
    )
    case_number = forms.CharField(
        label="Case number",
        max_length=40,
        help_text="e.g. 1:25-cv-00137",
        error_messages={"required": "Enter a case number."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.ChoiceField(
        label="Email", choices=Subscription.Email.choices, initial=Subscription.Email.IMMEDIATE
    )

    def clean_case_number(self) -> str:
        number = normalize_case_number(self.cleaned_data["case_number"])
        if number is None:
            raise forms.ValidationError("Enter a case number like 1:26-cv-00001.")
        return number


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="Webhook URL",
        max_length=500,
        help_text="Where each new entry is POSTed as JSON (https://...).",
        error_messages={"required": "Enter the URL."},
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
