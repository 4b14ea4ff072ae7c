"""Query and report forms. Field names are CM/ECF's, which PACER client software posts."""

from __future__ import annotations

from typing import Any

from django import forms

from nextecf.cases.docket import SORT_OLDEST, SORTS, DocketOptions
from nextecf.cases.fulltext import parse
from nextecf.cases.models import AccessLevel, DocketEntry, Judge
from nextecf.cases.numbers import NumberFormat, normalize_case_number
from nextecf.cases.selectors import CASE_NUMBER_HELP
from nextecf.lib.forms import DateRangeCheck, date_field

MAX_DOCUMENT_NUMBER = 2_147_483_647  # the largest number a docket entry can carry


def document_number_field(label: str) -> forms.IntegerField:
    message = f"{label} must be a whole number from 0 to {MAX_DOCUMENT_NUMBER}."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_DOCUMENT_NUMBER,
        widget=forms.TextInput(attrs={"size": 6, "inputmode": "numeric"}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class CourtNumbers:
    """A form that reads case numbers in one court's format (`court=`; the default format
    without one)."""

    def __init__(self, *args: Any, court: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number_format = NumberFormat.of(court)

    def court_number(self, value: str) -> str | None:
        return normalize_case_number(value, self.number_format)


class QueryForm(CourtNumbers, forms.Form):
    """Query: a case number, a case name or a party name (any combination)."""

    case_num = forms.CharField(
        label="Case number",
        required=False,
        max_length=40,
        help_text="e.g. 1:26-cv-00001, 26-00001 or 26-1",
        error_messages={"max_length": "Case number is too long."},
    )
    case_name = forms.CharField(
        label="Case name",
        required=False,
        max_length=200,
        help_text="Words of the case title, e.g. Meridian Optical; Opt* for words it begins",
        error_messages={"max_length": "Case name must be at most 200 characters."},
    )
    party_name = forms.CharField(
        label="Party name",
        required=False,
        max_length=200,
        help_text="Words of a party's name, in order; end a word with * for words it begins",
        error_messages={"max_length": "Party name must be at most 200 characters."},
    )

    def clean_case_num(self) -> str:
        value: str = self.cleaned_data["case_num"]
        if not value:
            return ""
        number = self.court_number(value)
        if number is None:
            raise forms.ValidationError(f"Case number must be {CASE_NUMBER_HELP}.")
        return number

    def _name(self, field: str, label: str) -> str:
        value = " ".join(str(self.cleaned_data[field]).split())
        if value and len(value) < 2:
            raise forms.ValidationError(f"{label} must have at least 2 characters.")
        return value

    def clean_case_name(self) -> str:
        return self._name("case_name", "Case name")

    def clean_party_name(self) -> str:
        return self._name("party_name", "Party name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(f) for f in ("case_num", "case_name", "party_name")
        ):
            raise forms.ValidationError("Enter a case number, a case name or a party name.")
        return data

    def criteria(self) -> str:
        labels = {"case_num": "Case Number", "case_name": "Case Name", "party_name": "Party Name"}
        return "; ".join(
            f"{label}: {self.cleaned_data[field]}"
            for field, label in labels.items()
            if self.cleaned_data.get(field)
        )


class DocketReportForm(CourtNumbers, DateRangeCheck):
    """The docket report's options, under the names CM/ECF and juriscraper use."""

    range_fields = ("date_from", "date_to")
    range_message = "The start date must be less than or equal to the end date."

    all_case_ids = forms.CharField(label="Case id", required=False, max_length=40)
    case_num = forms.CharField(
        label="Case number",
        required=False,
        max_length=40,
        error_messages={"max_length": "Case number is too long."},
    )
    date_range_type = forms.CharField(label="Date range type", required=False, max_length=10)
    date_from = date_field("Date from")
    date_to = date_field("Date to")
    documents_numbered_from_ = document_number_field("Documents numbered from")
    documents_numbered_to_ = document_number_field("Documents numbered to")
    list_of_parties_and_counsel = forms.BooleanField(label="Parties and counsel", required=False)
    terminated_parties = forms.BooleanField(label="Terminated parties", required=False)
    sort1 = forms.CharField(label="Sort by", required=False, max_length=40)
    output_format = forms.CharField(label="Output format", required=False, max_length=10)
    view_multi_docs = forms.BooleanField(label="View multiple documents", required=False)

    def clean_date_range_type(self) -> str:
        value = str(self.cleaned_data["date_range_type"]).strip().capitalize() or "Filed"
        if value not in ("Filed", "Entered"):
            raise forms.ValidationError("Date range type must be Filed or Entered.")
        return value

    def clean_sort1(self) -> str:
        value = " ".join(str(self.cleaned_data["sort1"]).lower().split()) or SORT_OLDEST
        if value not in SORTS:
            raise forms.ValidationError(
                "Sort by must be oldest date first, most recent date first or document number."
            )
        return value

    def clean_output_format(self) -> str:
        value = str(self.cleaned_data["output_format"]).strip().lower() or "html"
        if value != "html":
            raise forms.ValidationError("Output format must be html.")
        return value

    def clean_case_num(self) -> str:
        value = str(self.cleaned_data["case_num"]).strip()
        if not value:
            return ""
        number = self.court_number(value)
        if number is None:
            raise forms.ValidationError(f"Case number must be {CASE_NUMBER_HELP}.")
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("documents_numbered_from_"), data.get("documents_numbered_to_")
        if low is not None and high is not None and low > high:
            self.add_error(
                "documents_numbered_to_",
                "The starting document number must be less than or equal to the ending "
                "document number.",
            )
        return data

    def options(self) -> DocketOptions:
        data = self.cleaned_data
        return DocketOptions(
            date_range_type=data["date_range_type"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            number_from=data["documents_numbered_from_"],
            number_to=data["documents_numbered_to_"],
            parties=data["list_of_parties_and_counsel"],
            terminated=data["terminated_parties"],
            sort=data["sort1"],
            multiple=data["view_multi_docs"],
        )


class DateRangeReportForm(DateRangeCheck):
    """A report over a range of filing dates (Civil Cases, Written Opinions)."""

    range_fields = ("filed_from", "filed_to")

    filed_from = date_field("Filed from", required=True)
    filed_to = date_field("Filed to", required=True)


class HistoryForm(forms.Form):
    """History/Documents options, under CM/ECF's names (juriscraper's DocketHistoryReport
    posts QueryType, sort1 and, to include the docket text, DisplayDktText)."""

    QUERY_TYPES = (("History", "History"), ("Documents", "Documents"))
    SORTS = (("asc", "Oldest first"), ("desc", "Most recent first"))

    QueryType = forms.ChoiceField(  # CM/ECF's field name
        label="Show",
        choices=QUERY_TYPES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Show must be History or Documents."},
    )
    sort1 = forms.ChoiceField(
        label="Sort by",
        choices=SORTS,
        required=False,
        error_messages={"invalid_choice": "Sort by must be asc or desc."},
    )
    DisplayDktText = forms.BooleanField(  # CM/ECF's field name
        label="Include the docket text", required=False
    )

    def clean_QueryType(self) -> str:  # Django's clean_<field> for CM/ECF's name
        return str(self.cleaned_data["QueryType"] or "History")

    def clean_sort1(self) -> str:
        return str(self.cleaned_data["sort1"] or "asc")


class OpinionsForm(DateRangeReportForm):
    """The Written Opinions report, as CM/ECF's form posts it: the date range and Key1, the
    sort (juriscraper's FreeOpinionReport sends de_date_filed or cs_sort_case_numb)."""

    SORT_BY_DATE = "de_date_filed"
    SORT_BY_CASE = "cs_sort_case_numb"

    Key1 = forms.ChoiceField(  # CM/ECF's field name
        label="Sort by",
        choices=((SORT_BY_DATE, "Date filed"), (SORT_BY_CASE, "Case number")),
        required=False,
        error_messages={"invalid_choice": "Sort by must be date filed or case number."},
    )

    def clean_Key1(self) -> str:  # Django's clean_<field> for CM/ECF's name
        return str(self.cleaned_data["Key1"] or self.SORT_BY_DATE)


# --- The clerk's case records page (levels, protective order, consolidation) -------------


class RecordsCaseForm(forms.Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=40,
        help_text=CASE_NUMBER_HELP,
        error_messages={
            "required": "Case number: enter one.",
            "max_length": "Case number is too long.",
        },
    )

    def clean_case_number(self) -> str:
        number = normalize_case_number(self.cleaned_data["case_number"])
        if number is None:
            raise forms.ValidationError(f"Case number: {CASE_NUMBER_HELP}")
        return number


REASON_FIELD = {
    "label": "Reason",
    "max_length": 300,
    "error_messages": {
        "required": "Reason: say why (it is kept in the audit log).",
        "max_length": "Reason: at most 300 characters.",
    },
}


class LevelChangeForm(forms.Form):
    doc_id = forms.CharField(widget=forms.HiddenInput, max_length=12)
    level = forms.ChoiceField(
        label="Access level",
        choices=[],
        error_messages={"invalid_choice": "Access level: choose one of the list."},
    )
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = AccessLevel.choices  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    doc_id = forms.CharField(widget=forms.HiddenInput, max_length=12)
    username = forms.CharField(
        label="PACER username",
        max_length=150,
        error_messages={"required": "PACER username: enter one."},
    )


class AdmitForm(forms.Form):
    filer = forms.TypedChoiceField(
        label="Counsel of record",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Counsel of record: choose one.",
            "invalid_choice": "Counsel of record: choose one of the list.",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filer"].choices = [("", "Choose counsel"), *choices]  # type: ignore[attr-defined]


class RemoveAdmissionForm(forms.Form):
    admission = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]


class ConsolidateForm(RecordsCaseForm):
    """The member case to consolidate under this (lead) case."""


class AssignmentForm(forms.Form):
    """A case's judge, or its three-judge panel seat by seat in the court's order."""

    judge = forms.ModelChoiceField(
        queryset=Judge.objects.none(),  # the court's active judges, set in __init__
        required=False,
        label="Assigned judge (with a panel: its presiding judge, if any)",
        empty_label="(none)",
    )
    seat_1 = forms.ModelChoiceField(
        queryset=Judge.objects.none(), required=False, label="Panel seat 1"
    )
    seat_2 = forms.ModelChoiceField(
        queryset=Judge.objects.none(), required=False, label="Panel seat 2"
    )
    seat_3 = forms.ModelChoiceField(
        queryset=Judge.objects.none(), required=False, label="Panel seat 3"
    )

    SEATS = ("seat_1", "seat_2", "seat_3")

    def __init__(self, *args: Any, judges: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("judge", *self.SEATS):
            field = self.fields[name]
            field.queryset = judges  # type: ignore[attr-defined]
            field.empty_label = "(none)"  # type: ignore[attr-defined]

    def panel(self) -> list[Any]:
        return [self.cleaned_data[name] for name in self.SEATS if self.cleaned_data.get(name)]


class SignOrderForm(forms.Form):
    """Sign and docket: a party's proposed order, or the order's own PDF, and its text."""

    proposed = forms.ModelChoiceField(
        queryset=DocketEntry.objects.none(),  # the case's unsigned proposed orders
        required=False,
        label="Proposed order to sign",
        empty_label="(none: I upload the order)",
    )
    order = forms.FileField(label="Or the order's PDF", required=False)
    text = forms.CharField(
        label="Docket text (after ORDER)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the order's docket text."},
    )

    def __init__(self, *args: Any, proposed: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposed"]
        field.queryset = proposed  # type: ignore[attr-defined]
        field.label_from_instance = _proposed_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and (data.get("proposed") is None) == (not data.get("order")):
            raise forms.ValidationError("Choose a proposed order or upload the order's PDF (one).")
        return data


def _proposed_label(entry: DocketEntry) -> str:
    return f"No. {entry.number}, {entry.date_filed:%m/%d/%Y}: {entry.text[:120]}"


class TextSearchForm(DateRangeCheck):
    """Search the text of dockets and of filed documents, with optional filters."""

    range_fields = ("filed_from", "filed_to")

    q = forms.CharField(
        label="Words",
        max_length=200,
        help_text='Every word must appear; "quoted words" together; a word ending in * '
        "matches the words it begins",
        error_messages={
            "required": "Enter the words to search for.",
            "max_length": "Words must be at most 200 characters.",
        },
    )
    case_num = forms.CharField(
        label="Case number",
        required=False,
        max_length=40,
        help_text="Only this case, e.g. 1:26-cv-00001",
        error_messages={"max_length": "Case number is too long."},
    )
    filed_from = date_field("Filed from")
    filed_to = date_field("Filed to")
    event = forms.ChoiceField(label="Event", required=False)

    def __init__(self, *args: Any, events: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any event"), *events]
        field.error_messages["invalid_choice"] = "Event must be an event of this court."

    def clean_q(self) -> str:
        value = " ".join(str(self.cleaned_data["q"]).split())
        if not parse(value):
            raise forms.ValidationError("Words must contain at least one letter or digit.")
        return value

    def clean_case_num(self) -> str:
        value: str = self.cleaned_data["case_num"]
        if not value:
            return ""
        number = normalize_case_number(value)
        if number is None:
            raise forms.ValidationError(f"Case number must be {CASE_NUMBER_HELP}.")
        return number

    def criteria(self) -> str:
        data = self.cleaned_data
        parts = [f"Words: {data['q']}"]
        if data.get("case_num"):
            parts.append(f"Case Number: {data['case_num']}")
        for field, label in (("filed_from", "Filed From"), ("filed_to", "Filed To")):
            if data.get(field):
                parts.append(f"{label}: {data[field]:%m/%d/%Y}")
        if data.get("event"):
            parts.append(f"Event: {data['event']}")
        return "; ".join(parts)
