from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.services import court_create
from nextecf.courts.forms.efile import EfileDecisionForm
from nextecf.courts.models import Court, CourtStaff, EfileRegistration, FilerAccount
from nextecf.courts.services import (
    EFILE_REFUSALS,
    EfileRefused,
    LinkRefused,
    efile_registration_approve,
    efile_registration_reject,
    link_reverse,
)
from nextecf.lib.actor import Actor


def _staff(request: HttpRequest) -> Account:
    return request.user  # type: ignore[return-value]


class StaffScopedAdmin(admin.ModelAdmin[Any]):
    """Court staff may view and manage only their own court's rows."""

    court_field = "court"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.court_field}__in": Court.objects.staffed_by(_staff(request))}
        )

    def _is_staff(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CourtAddForm(forms.ModelForm[Court]):
    """A new court: its fields, and the court whose event catalogue and fees it starts with."""

    template = forms.ModelChoiceField(
        queryset=Court.objects.order_by("name"),
        label="Copy the event catalogue and fees of",
        error_messages={"required": "Choose the court whose events the new court starts with."},
    )

    class Meta:
        model = Court
        fields = [
            "id",
            "name",
            "kind",
            "login_title",
            "abbreviation",
            "time_zone",
            "case_office",
            "case_type",
            "pcl_court_id",
            "pcl_regions",
            "helpdesk_phone",
            "helpdesk_email",
            "database_name",
        ]

    def clean_template(self) -> Court:
        template: Court = self.cleaned_data["template"]
        if not template.events.exists():
            raise forms.ValidationError(f"{template.name} has no events to copy.")
        return template


@admin.register(Court)
class CourtAdmin(StaffScopedAdmin):
    court_field = "pk"
    list_display = ["id", "name", "kind", "time_zone", "database", "helpdesk_phone"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["id"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = CourtAddForm
            kwargs["fields"] = [*CourtAddForm.Meta.fields, "template"]
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": [*CourtAddForm.Meta.fields, "template"]})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request: HttpRequest, obj: Court, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new court is created by the one service the command uses too: its row, its
        # copied events and its audit event in one transaction.
        data = form.cleaned_data
        created = court_create(
            actor=Actor.from_request(request),
            court_id=obj.pk,
            name=obj.name,
            kind=obj.kind,
            time_zone=obj.time_zone,
            case_office=obj.case_office,
            case_type=obj.case_type,
            helpdesk_phone=obj.helpdesk_phone,
            helpdesk_email=obj.helpdesk_email,
            template=data["template"],
            abbreviation=obj.abbreviation,
            login_title=obj.login_title,
            database_name=obj.database_name,
            pcl_court_id=obj.pcl_court_id,
            pcl_regions=obj.pcl_regions,
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(CourtStaff)
class CourtStaffAdmin(StaffScopedAdmin):
    list_display = ["account", "court", "role", "acts_for"]
    list_filter = ["role"]
    fields = ["court", "account", "role", "acts_for"]
    autocomplete_fields = ["account", "acts_for"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class ReverseLinkForm(forms.Form):
    reason = forms.CharField(
        label="Reason for reversing the link",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "A reason is required to reverse a link."},
    )


class FilerAccountForm(forms.ModelForm[FilerAccount]):
    new_password = forms.CharField(
        label="New CM/ECF password",
        required=False,
        strip=False,
        min_length=12,
        max_length=128,
        widget=forms.PasswordInput(render_value=False),
        help_text=(
            "Only for an account that is not linked: give the filer a new CM/ECF password so "
            "they can link (for example after a link made in error was reversed)."
        ),
    )

    class Meta:
        model = FilerAccount
        fields = [
            "first_name",
            "middle_name",
            "last_name",
            "email",
            "role",
            "bar_status",
            "is_active",
        ]

    def clean_new_password(self) -> str:
        value: str = self.cleaned_data["new_password"]
        if value and self.instance.is_linked:
            raise forms.ValidationError(
                "A linked account has no CM/ECF password; reverse the link first."
            )
        return value


@admin.register(FilerAccount)
class FilerAccountAdmin(StaffScopedAdmin):
    form = FilerAccountForm
    ordering = ["court", "login"]
    list_display = [
        "login",
        "full_name",
        "email",
        "role",
        "bar_status",
        "court",
        "account",
        "linked_at",
        "is_active",
        "locked_until",
    ]
    list_filter = ["court", "role", ("account", admin.EmptyFieldListFilter), "is_active"]
    search_fields = ["login", "last_name", "first_name", "email", "account__username"]
    list_select_related = ["court", "account"]
    readonly_fields = [
        "court",
        "login",
        "account",
        "linked_at",
        "failed_attempts",
        "locked_until",
        "created_at",
    ]
    fields = [
        "court",
        "login",
        "first_name",
        "middle_name",
        "last_name",
        "email",
        "role",
        "bar_status",
        "is_active",
        "new_password",
        "account",
        "linked_at",
        "failed_attempts",
        "locked_until",
        "created_at",
    ]
    actions = ["unlock", "reverse_link"]

    def save_model(self, request: HttpRequest, obj: FilerAccount, form: Any, change: bool) -> None:
        if form.cleaned_data.get("new_password"):
            obj.set_password(form.cleaned_data["new_password"])
            obj.unlock()
            audit_record(
                event=Event.FILER_PASSWORD_SET,
                success=True,
                actor=Actor.from_request(request),
                court=obj.court,
                username=obj.login,
            )
        super().save_model(request, obj, form, change)
        audit_record(
            event=Event.STAFF_CHANGE,
            success=True,
            actor=Actor.from_request(request),
            subject=obj.account,
            court=obj.court,
            username=obj.login,
            detail={"model": "filer_account", "changed": sorted(form.changed_data)},
        )

    @admin.action(description="Unlock the selected CM/ECF accounts")
    def unlock(self, request: HttpRequest, queryset: QuerySet[FilerAccount]) -> None:
        for filer in queryset.select_related("court"):
            filer.unlock()
            filer.save(update_fields=["failed_attempts", "locked_until"])
            audit_record(
                event=Event.FILER_UNLOCKED,
                success=True,
                actor=Actor.from_request(request),
                court=filer.court,
                username=filer.login,
            )
        self.message_user(request, f"Unlocked {queryset.count()} account(s).")

    @admin.action(description="Reverse the link of the selected CM/ECF accounts")
    def reverse_link(
        self, request: HttpRequest, queryset: QuerySet[FilerAccount]
    ) -> HttpResponse | None:
        form = ReverseLinkForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for filer in queryset:
                try:
                    link_reverse(
                        actor=Actor.from_request(request),
                        staff=_staff(request),
                        filer=filer,
                        reason=form.cleaned_data["reason"],
                    )
                    done += 1
                except LinkRefused:
                    self.message_user(request, f"{filer.login} was not linked.", messages.WARNING)
            self.message_user(request, f"Reversed {done} link(s).")
            return None
        return TemplateResponse(
            request,
            "admin/courts/reverse_link.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reverse account links",
                "form": form,
                "filers": queryset.select_related("account"),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


EFILE_FIELDS = (
    "account",
    "court",
    "kind",
    "bar_number",
    "bar_jurisdiction",
    "admission_date",
    "permission_reference",
    "status",
    "created_at",
    "decided_at",
    "decided_by",
    "decision_note",
    "filer_account",
)


@admin.register(EfileRegistration)
class EfileRegistrationAdmin(StaffScopedAdmin):
    """Requests for filing rights: the court's staff approve or reject them. Rows are
    read-only; the decision is made only through the actions, which record and notify."""

    list_display = [
        "account",
        "requester_name",
        "court",
        "kind",
        "bar_number",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "kind", "court"]
    search_fields = ["account__username", "account__last_name", "account__email", "bar_number"]
    list_select_related = ["account", "court", "decided_by"]
    ordering = ["-created_at"]
    fields = EFILE_FIELDS
    readonly_fields = EFILE_FIELDS
    actions = ["approve", "reject"]

    @admin.display(description="Name")
    def requester_name(self, obj: EfileRegistration) -> str:
        return obj.account.full_name

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    @admin.action(description="Approve the selected requests", permissions=["decide"])
    def approve(
        self, request: HttpRequest, queryset: QuerySet[EfileRegistration]
    ) -> HttpResponse | None:
        return self._decide(request, queryset, approve=True)

    @admin.action(description="Reject the selected requests (with a note)", permissions=["decide"])
    def reject(
        self, request: HttpRequest, queryset: QuerySet[EfileRegistration]
    ) -> HttpResponse | None:
        return self._decide(request, queryset, approve=False)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[EfileRegistration], *, approve: bool
    ) -> HttpResponse | None:
        registrations = queryset.select_related("account", "court")
        form = EfileDecisionForm(
            request.POST if "apply" in request.POST else None, note_required=not approve
        )
        if form.is_bound and form.is_valid():
            done = 0
            for registration in registrations:
                try:
                    if approve:
                        efile_registration_approve(
                            actor=Actor.from_request(request),
                            staff=_staff(request),
                            registration=registration,
                            note=form.cleaned_data["note"],
                        )
                    else:
                        efile_registration_reject(
                            actor=Actor.from_request(request),
                            staff=_staff(request),
                            registration=registration,
                            note=form.cleaned_data["note"],
                        )
                    done += 1
                except EfileRefused as refusal:
                    why = EFILE_REFUSALS.get(refusal.reason, refusal.reason)
                    self.message_user(
                        request,
                        f"Request {registration.pk} of {registration.account.username} was not "
                        f"decided: {why}.",
                        messages.WARNING,
                    )
            verb = "Approved" if approve else "Rejected"
            self.message_user(request, f"{verb} {done} request(s); the requesters were emailed.")
            return None
        return TemplateResponse(
            request,
            "admin/courts/efile_decision.html",
            {
                **self.admin_site.each_context(request),
                "title": "Approve e-file registrations"
                if approve
                else "Reject e-file registrations",
                "approve": approve,
                "action": "approve" if approve else "reject",
                "form": form,
                "registrations": registrations,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
