"""Staff tools for cases: judges, case headers and parties, attorneys, the event catalogue
and court entries. Each court's staff see and change only their court's rows
(StaffScopedAdmin), every choice offered is from the same court, and every change is
audited as a STAFF_CHANGE."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import (
    Appearance,
    Case,
    CaseFlag,
    CaseSequence,
    DocketEntry,
    Document,
    DocumentText,
    EventType,
    Judge,
    Party,
)
from nextecf.cases.selectors import panel_of
from nextecf.cases.services import PANEL_SIZE
from nextecf.courts.admin import StaffScopedAdmin, _staff
from nextecf.courts.models import Court, CourtStaff, FilerAccount, StaffRole
from nextecf.filing.staff import CheckedPdf, DocketingRefused, court_entry_create, pdf_checked
from nextecf.lib.actor import Actor

INITIALS = re.compile(r"[A-Z]{2,5}")
ATTACHMENT_SLOTS = 3
CENT = Decimal("0.01")


def _courts(request: HttpRequest) -> QuerySet[Court]:
    return Court.objects.staffed_by(_staff(request))


def _audit(
    request: HttpRequest, court: Court, model: str, obj: Model, action: str, **detail: Any
) -> None:
    audit_record(
        event=Event.STAFF_CHANGE,
        success=True,
        actor=Actor.from_request(request),
        court=court,
        detail={"model": model, "action": action, "id": obj.pk, **detail},
    )


class StaffInline(admin.TabularInline[Any, Any]):
    """Inline rows follow their parent's scoping: any staff member who reached the parent
    may add and change them; nothing is deleted (parties and attorneys are terminated)."""

    extra = 0
    can_delete = False

    def _is_staff(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _formset_changes(formsets: list[BaseInlineFormSet[Any, Any, Any]]) -> dict[str, list[Any]]:
    added: list[Any] = []
    changed: list[Any] = []
    for formset in formsets:
        added += [{"id": o.pk, "name": str(o)} for o in formset.new_objects]
        changed += [
            {"id": o.pk, "name": str(o), "changed": sorted(fields)}
            for o, fields in formset.changed_objects
        ]
    return {k: v for k, v in (("added", added), ("changed", changed)) if v}


# --- Judges ---------------------------------------------------------------------------------


class JudgeForm(forms.ModelForm[Judge]):
    class Meta:
        model = Judge
        fields = ["court", "name", "initials", "title", "is_active", "account"]

    def clean_initials(self) -> str:
        value: str = self.cleaned_data["initials"].strip().upper()
        if not INITIALS.fullmatch(value):
            raise forms.ValidationError("Initials are 2 to 5 letters, e.g. GSK.")
        court = self.cleaned_data.get("court") or getattr(self.instance, "court", None)
        if court is not None:
            taken = Judge.objects.filter(court=court, initials=value).exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(f"Another judge of this court has initials {value}.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        account = data.get("account")
        court = data.get("court") or getattr(self.instance, "court", None)
        if account is not None and court is not None:
            judge_role = CourtStaff.objects.filter(
                court=court, account=account, role=StaffRole.JUDGE
            )
            if not judge_role.exists():
                self.add_error(
                    "account",
                    f"{account.username} does not hold the judge role in this court: add that "
                    "court staff role first.",
                )
        return data


@admin.register(Judge)
class JudgeAdmin(StaffScopedAdmin):
    form = JudgeForm
    list_display = ["name", "initials", "title", "court", "is_active", "account"]
    list_filter = ["is_active"]
    autocomplete_fields = ["account"]
    search_fields = ["name", "initials"]
    ordering = ["court", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["court"]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "court":
            kwargs["queryset"] = _courts(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Judge, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit(
            request,
            obj.court,
            "judge",
            obj,
            "changed" if change else "added",
            name=obj.name,
            changed=sorted(form.changed_data),
        )


# --- Cases, parties, attorneys ----------------------------------------------------------------


class CaseForm(forms.ModelForm[Case]):
    # Declared, as the admin leaves out a many-to-many field with its own through model;
    # saved with the seats' positions in CaseAdmin.save_related.
    panel = forms.ModelMultipleChoiceField(
        queryset=Judge.objects.all(),
        required=False,
        widget=FilteredSelectMultiple("panel", is_stacked=False),
    )

    class Meta:
        model = Case
        fields = [
            "court",
            "title",
            "jurisdiction",
            "category",
            "agency",
            "product_description",
            "export_country",
            "date_filed",
            "judge",
            "panel",
            "constitutional_question",
            "date_terminated",
            "date_reopened",
            "is_sealed",
            "jury_demand",
            "flags",
        ]

    jury_demand = forms.CharField(
        required=False, max_length=20, help_text='As the docket shows it; empty for "No".'
    )

    def clean_jury_demand(self) -> str:
        return str(self.cleaned_data.get("jury_demand") or "").strip() or "No"

    def clean_flags(self) -> Any:
        return self.cleaned_data.get("flags") or []  # an empty box: no flags

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        court = data.get("court") or getattr(self.instance, "court", None)
        judge, panel = data.get("judge"), list(data.get("panel") or [])
        if court is not None:
            if judge is not None and judge.court_id != court.pk:
                self.add_error("judge", "The judge must be a judge of this court.")
            if any(j.court_id != court.pk for j in panel):
                self.add_error("panel", "Every panel judge must be a judge of this court.")
        if panel and len(panel) != PANEL_SIZE:
            self.add_error(
                "panel", f"A panel has {PANEL_SIZE} judges; choose {PANEL_SIZE} or none."
            )
        if judge is not None and panel and judge not in panel:
            self.add_error("judge", "With a panel, the assigned judge must be one of the panel.")
        filed, terminated, reopened = (
            data.get("date_filed"),
            data.get("date_terminated"),
            data.get("date_reopened"),
        )
        if filed and terminated and terminated < filed:
            self.add_error("date_terminated", "A case cannot end before it was filed.")
        if reopened and not terminated:
            self.add_error("date_reopened", "Only a terminated case can be reopened.")
        if reopened and terminated and reopened < terminated:
            self.add_error("date_reopened", "A case cannot be reopened before it was terminated.")
        return data


class PartyInline(StaffInline):
    model = Party
    fields = ["name", "role", "extra_info", "terminated_on", "position"]
    show_change_link = True  # a party's attorneys are on its own page


@admin.register(CaseFlag)
class CaseFlagAdmin(StaffScopedAdmin):
    """The court's case-flag vocabulary, which Case.flags names."""

    list_display = ["name", "description", "court"]
    search_fields = ["name"]
    ordering = ["court", "name"]
    fields = ["court", "name", "description"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["court"]


@admin.register(Case)
class CaseAdmin(StaffScopedAdmin):
    form = CaseForm
    list_display = [
        "docket_number",
        "title",
        "jurisdiction",
        "date_filed",
        "date_terminated",
        "is_sealed",
    ]
    list_filter = ["jurisdiction", "is_sealed", ("date_terminated", admin.EmptyFieldListFilter)]
    search_fields = ["number", "title", "parties__name"]
    list_select_related = ["judge"]
    ordering = ["-date_filed", "-sequence"]
    show_full_result_count = False
    inlines = [PartyInline]
    readonly_fields = ["number", "opened_by", "created_at", "entries_link"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(CaseForm.Meta.fields)
        if obj is None:
            return fields
        return ["court", "number", *fields[1:], "opened_by", "created_at", "entries_link"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["court", *self.readonly_fields]

    @admin.display(description="Case number")
    def docket_number(self, obj: Case) -> str:
        return obj.number

    @admin.display(description="Docket entries")
    def entries_link(self, obj: Case) -> str:
        entries = reverse("admin:cases_docketentry_changelist")
        add = reverse("admin:cases_docketentry_add")
        return format_html(
            '<a href="{}?case__id__exact={}">{} entries</a> &middot; '
            '<a href="{}?case={}">Add a court entry (order, opinion, judgment)</a>',
            entries,
            obj.pk,
            obj.entries.count(),
            add,
            obj.pk,
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        judges = Judge.objects.filter(court__in=_courts(request))
        if obj is not None:
            judges = judges.filter(court=obj.court)
        for name in ("judge", "panel"):
            if name in form.base_fields:
                form.base_fields[name].queryset = judges  # type: ignore[attr-defined]
        if "court" in form.base_fields:
            form.base_fields["court"].queryset = _courts(request)  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        if not change:
            # A case the clerk opens (e.g. filed on paper) takes the next gapless number.
            obj.year = obj.date_filed.year
            obj.sequence = CaseSequence.take_next(obj.court, obj.year)
            obj.number = Case.format_number(obj.year, obj.sequence, obj.court)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj: Case = form.instance
        if "panel" in form.changed_data or not change:
            # A multiple choice has no order: seats already held keep theirs, new judges
            # take the seats after them. The court sets the order on the workspace's Case
            # assignment page (cases.services.case_assign), never by the judges' ids.
            chosen = list(form.cleaned_data.get("panel") or [])
            kept = [judge for judge in panel_of(obj) if judge in chosen]
            obj.panel_assign(kept + sorted(set(chosen) - set(kept), key=lambda j: j.name))
        parties = _formset_changes(formsets)
        if change and not form.changed_data and not parties:
            return
        _audit(
            request,
            obj.court,
            "case",
            obj,
            "changed" if change else "added",
            case=obj.number,
            changed=sorted(form.changed_data),
            panel=[j.initials for j in panel_of(obj)],
            judge=obj.judge.initials if obj.judge else "",
            parties=parties,
        )


class AppearanceInline(StaffInline):
    model = Appearance
    fields = ["filer", "lead", "to_be_noticed", "designations", "terminated_on"]
    autocomplete_fields = ["filer"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["filer"]
        # Only the case's own court's filer accounts may appear for its parties.
        court_id = obj.case.court_id if obj is not None else None
        field.queryset = FilerAccount.objects.filter(court_id=court_id)  # type: ignore[attr-defined]
        return formset


@admin.register(Party)
class PartyAdmin(StaffScopedAdmin):
    """A party and its attorneys. Parties are added on their case's page."""

    court_field = "case__court"
    list_display = ["name", "role", "case", "terminated_on"]
    search_fields = ["name", "case__number"]
    list_select_related = ["case"]
    fields = ["case", "name", "role", "extra_info", "terminated_on", "position"]
    readonly_fields = ["case"]
    inlines = [AppearanceInline]
    show_full_result_count = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj: Party = form.instance
        attorneys = _formset_changes(formsets)
        if not form.changed_data and not attorneys:
            return
        _audit(
            request,
            obj.case.court,
            "party",
            obj,
            "changed",
            case=obj.case.number,
            changed=sorted(form.changed_data),
            attorneys=attorneys,
        )


# --- Event catalogue ------------------------------------------------------------------------


class EventTypeForm(forms.ModelForm[EventType]):
    fee = forms.DecimalField(
        label="Fee ($)",
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        max_digits=8,
        initial=Decimal("0"),
        help_text="The filing fee charged when this event is filed; 0 for none.",
        error_messages={
            "invalid": "Fee must be an amount in dollars, e.g. 350.00.",
            "max_decimal_places": "Fee must have at most 2 decimal places (cents).",
        },
    )

    class Meta:
        model = EventType
        fields = [
            "court",
            "code",
            "name",
            "category",
            "docket_text",
            "requires_document",
            "is_opinion",
            "is_active",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["fee"] = (Decimal(self.instance.fee_cents) / 100).quantize(CENT)

    def clean_code(self) -> str:
        value: str = self.cleaned_data["code"]
        court = self.cleaned_data.get("court") or getattr(self.instance, "court", None)
        if court is not None:
            taken = EventType.objects.filter(court=court, code=value).exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError(f"This court already has an event with code {value}.")
        return value

    def save(self, commit: bool = True) -> EventType:
        self.instance.fee_cents = int(self.cleaned_data["fee"] * 100)
        return super().save(commit)


@admin.register(EventType)
class EventTypeAdmin(StaffScopedAdmin):
    form = EventTypeForm
    list_display = [
        "name",
        "code",
        "category",
        "fee",
        "requires_document",
        "is_opinion",
        "is_active",
        "court",
    ]
    list_filter = ["category", "is_active", "is_opinion"]
    search_fields = ["name", "code", "docket_text"]
    ordering = ["court", "category", "position", "name"]
    fields = [
        "court",
        "code",
        "name",
        "category",
        "docket_text",
        "fee",
        "requires_document",
        "is_opinion",
        "is_active",
        "position",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is what filings refer to; a changed code would be a different event.
        return [] if obj is None else ["court", "code"]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "court":
            kwargs["queryset"] = _courts(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: EventType, form: Any, change: bool) -> None:
        before = EventType.objects.filter(pk=obj.pk).values_list("fee_cents", flat=True).first()
        super().save_model(request, obj, form, change)
        detail: dict[str, Any] = {"code": obj.code, "changed": sorted(form.changed_data)}
        if before != obj.fee_cents:
            detail["fee_cents"] = {"from": before, "to": obj.fee_cents}
        _audit(request, obj.court, "event_type", obj, "changed" if change else "added", **detail)


# --- Docket entries -----------------------------------------------------------------------


class CourtEntryForm(forms.ModelForm[DocketEntry]):
    """A court entry (order, opinion, judgment, clerk's notice) with its PDF."""

    main_document = forms.FileField(
        label="Main document (PDF)",
        required=False,
        help_text="Required when the event requires a document.",
    )

    class Meta:
        model = DocketEntry
        fields = ["case", "event", "date_filed", "text"]
        labels = {"text": "Docket text"}
        help_texts = {
            "text": "e.g. ORDER granting Motion for Extension of Time. Signed by Judge "
            "Gary S. Katzmann on 11/24/2026. Left empty, the event's docket text is used."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["date_filed"].initial = timezone.localdate
        for n in range(1, ATTACHMENT_SLOTS + 1):
            self.fields[f"attachment_{n}"] = forms.FileField(
                label=f"Attachment {n} (PDF)", required=False
            )
            self.fields[f"attachment_{n}_description"] = forms.CharField(
                label=f"Attachment {n} description",
                required=False,
                max_length=200,
                help_text="e.g. Exhibit A" if n == 1 else "",
            )
        self.documents: list[CheckedPdf] = []

    def clean_text(self) -> str:
        value: str = self.cleaned_data.get("text", "").strip()
        if len(value) > 4000:
            raise forms.ValidationError("Docket text must be at most 4000 characters.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case, event = data.get("case"), data.get("event")
        if case is not None and event is not None and event.court_id != case.court_id:
            self.add_error("event", "Choose an event of the case's own court.")
        documents: list[CheckedPdf] = []
        main = data.get("main_document")
        court = case.court if case is not None else None
        if main and court is not None:
            try:
                documents.append(pdf_checked(court=court, upload=main, label="Main document"))
            except DocketingRefused as refused:
                self.add_error("main_document", refused.message)
        elif event is not None and event.requires_document:
            self.add_error("main_document", f"A {event.name} needs its PDF; choose the file.")
        for n in range(1, ATTACHMENT_SLOTS + 1):
            upload = data.get(f"attachment_{n}")
            description = (data.get(f"attachment_{n}_description") or "").strip()
            if not upload:
                if description:
                    self.add_error(f"attachment_{n}", "Choose the PDF for this description.")
                continue
            if not main:
                self.add_error(f"attachment_{n}", "An attachment needs a main document.")
                continue
            if not description:
                self.add_error(
                    f"attachment_{n}_description", "Describe the attachment, e.g. Exhibit A."
                )
                continue
            if court is None:
                continue
            try:
                documents.append(
                    pdf_checked(
                        court=court,
                        upload=upload,
                        label=f"Attachment {n}",
                        description=description,
                    )
                )
            except DocketingRefused as refused:
                self.add_error(f"attachment_{n}", refused.message)
        if event is not None and not data.get("text") and "text" not in self.errors:
            data["text"] = f"{event.docket_text}."
        self.documents = documents
        return data


class DocumentInline(admin.TabularInline[Document, DocketEntry]):
    model = Document
    extra = 0
    can_delete = False
    fields = [
        "attachment_number",
        "description",
        "doc_id",
        "pages",
        "size_bytes",
        "sha256",
        "text_search",
    ]
    readonly_fields = [
        "attachment_number",
        "description",
        "doc_id",
        "pages",
        "size_bytes",
        "sha256",
        "text_search",
    ]

    @admin.display(description="Full-text search")
    def text_search(self, obj: Document) -> str:
        """Whether the document's words can be found (a scanned PDF has no text layer)."""
        layer = DocumentText.objects.filter(document=obj).first()
        return layer.get_status_display() if layer else "Text not read yet"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


ENTRY_VIEW_FIELDS: list[str] = [
    "case",
    "number",
    "seq",
    "date_filed",
    "entered_at",
    "event",
    "text",
    "filer",
    "entered_by",
]


@admin.register(DocketEntry)
class DocketEntryAdmin(StaffScopedAdmin):
    """Docket entries are read-only here; staff add court entries (orders, opinions)."""

    court_field = "case__court"
    upload_files = 1 + ATTACHMENT_SLOTS  # the request body limit of its add form
    list_display = ["case", "number", "date_filed", "event", "short_text", "entered_by"]
    list_select_related = ["case", "event", "entered_by"]
    search_fields = ["case__number", "text"]
    ordering = ["-entered_at"]
    show_full_result_count = False
    autocomplete_fields = ["case"]
    readonly_fields = ENTRY_VIEW_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return [] if obj is None else [DocumentInline]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ENTRY_VIEW_FIELDS
        attachments = [
            name
            for n in range(1, ATTACHMENT_SLOTS + 1)
            for name in (f"attachment_{n}", f"attachment_{n}_description")
        ]
        return ["case", "event", "date_filed", "text", "main_document", *attachments]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ENTRY_VIEW_FIELDS if obj is not None else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        if obj is None:
            kwargs["form"] = CourtEntryForm
            kwargs["fields"] = ["case", "event", "date_filed", "text"]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            courts = _courts(request)
            form.base_fields["case"].queryset = Case.objects.filter(court__in=courts)  # type: ignore[attr-defined]
            form.base_fields["event"].queryset = EventType.objects.filter(  # type: ignore[attr-defined]
                court__in=courts, is_active=True
            ).order_by("-category", "position", "name")
            form.base_fields["event"].required = True
        return form

    @admin.display(description="Docket text")
    def short_text(self, obj: DocketEntry) -> str:
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:87]}..."

    def save_model(self, request: HttpRequest, obj: DocketEntry, form: Any, change: bool) -> None:
        # Only adds get here (entries cannot be changed); number, seq, storage and audit
        # are the service's, under the case's row lock.
        saved = court_entry_create(
            actor=Actor.from_request(request),
            staff=_staff(request),
            case=obj.case,
            event=form.cleaned_data["event"],
            date_filed=form.cleaned_data["date_filed"],
            text=form.cleaned_data["text"],
            documents=form.documents,
        )
        obj.pk = saved.pk
        obj.number, obj.seq = saved.number, saved.seq

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # no many-to-many fields and no inlines on the add form
