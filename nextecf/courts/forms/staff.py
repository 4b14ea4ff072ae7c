"""Forms of the court's staff workspace: quality control and clerk docketing. They check
the shape of what was sent; the services (nextecf/filing/quality.py, filing/staff.py)
check the rest and change nothing on a refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from nextecf.cases.catalogue import QC_EVENT_CODES
from nextecf.cases.models import Case, EventType
from nextecf.courts.models import Court, FilerAccount
from nextecf.filing.quality import REASON_MAX
from nextecf.filing.staff import DOCKET_TEXT_MAX


class QueueFilterForm(forms.Form):
    event = forms.ChoiceField(label="Event", required=False)
    case = forms.CharField(
        label="Case number", required=False, max_length=20, help_text="e.g. 1:26-cv-00042"
    )

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = EventType.objects.filter(court=court).exclude(category=EventType.Category.COURT)
        choices = [("", "All events"), *((e.code, e.name) for e in events)]
        self.fields["event"].choices = choices  # type: ignore[attr-defined]


class CorrectForm(forms.Form):
    event = forms.ModelChoiceField(label="Event", queryset=EventType.objects.none())
    text = forms.CharField(
        label="Docket text", widget=forms.Textarea(attrs={"rows": 4}), max_length=DOCKET_TEXT_MAX
    )
    filer = forms.ModelChoiceField(label="Filer", queryset=FilerAccount.objects.none())

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = EventType.objects.filter(  # type: ignore[attr-defined]
            court=court, is_active=True
        ).exclude(category=EventType.Category.COURT)
        self.fields["filer"].queryset = FilerAccount.objects.filter(  # type: ignore[attr-defined]
            court=court, is_active=True
        ).order_by("last_name", "first_name", "login")
        self.fields["filer"].label_from_instance = (  # type: ignore[attr-defined]
            lambda filer: f"{filer.last_name}, {filer.first_name} ({filer.login})"
        )


class StrikeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for striking",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text="Shown on the docket, e.g. Filed in the wrong case.",
    )


class DeficiencyForm(forms.Form):
    problem = forms.CharField(
        label="What is deficient",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text="e.g. The document is not signed. Emailed to the filer and docketed.",
    )


class DocketEventForm(forms.Form):
    """A court event docketed by the clerk, with or without its PDF."""

    case = forms.CharField(label="Case number", max_length=20, help_text="e.g. 1:25-cv-00137")
    event = forms.ModelChoiceField(label="Event", queryset=EventType.objects.none())
    date_filed = forms.DateField(label="Date filed", widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        label="Docket text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DOCKET_TEXT_MAX,
        help_text="Left empty, the event's docket text is used.",
    )
    main_document = forms.FileField(
        label="Document (PDF)",
        required=False,
        help_text="Required when the event requires a document.",
    )

    def __init__(self, *args: Any, court: Court, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        self.fields["event"].queryset = (  # type: ignore[attr-defined]
            EventType.objects.filter(court=court, is_active=True, category=EventType.Category.COURT)
            .exclude(code__in=QC_EVENT_CODES)
            .order_by("position", "name")
        )
        self.fields["date_filed"].initial = timezone.localdate

    def clean_case(self) -> Case:
        number = " ".join(str(self.cleaned_data.get("case", "")).split())
        case = Case.objects.filter(court=self.court, number=number[:20]).first()
        if case is None:
            raise forms.ValidationError(f"There is no case {number} in this court.")
        return case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event = data.get("event")
        if event is not None and not (data.get("text") or "").strip():
            data["text"] = f"{event.docket_text}."
        return data
