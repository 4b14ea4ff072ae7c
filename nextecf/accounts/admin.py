from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from nextecf.accounts.models import Account
from nextecf.accounts.services import signon_end_all
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record

# Court staff rights come from CourtStaff, not from Django's groups.
admin.site.unregister(Group)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    """Central accounts belong to no single court, so only deployment administrators
    (superusers) manage them."""

    list_display = [
        "username",
        "account_number",
        "full_name",
        "email",
        "kind",
        "sharing",
        "is_active",
    ]
    list_filter = ["kind", "sharing", "is_active", "cja_eligible", "is_staff"]
    search_fields = ["username", "account_number", "last_name", "email"]
    readonly_fields = ["account_number", "last_login", "date_joined"]
    fields = [
        "username",
        "account_number",
        "first_name",
        "middle_name",
        "last_name",
        "email",
        "kind",
        "sharing",
        "is_active",
        "cja_eligible",
        "client_code_required",
        "fee_exempt",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not obj.is_active:
            signon_end_all(account=obj, reason="account_disabled")
        audit_record(
            event=Event.STAFF_CHANGE,
            success=True,
            request=request,
            subject=obj,
            username=obj.username,
            detail={"model": "account", "changed": sorted(form.changed_data)},
        )
