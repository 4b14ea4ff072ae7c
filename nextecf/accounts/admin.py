from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from nextecf.accounts.models import Account, LockedAccount
from nextecf.accounts.services import account_unlock, signon_end_all
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor

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
    # A stable order, or paging (the autocomplete's too) is undefined and Django warns.
    ordering = ["username"]
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
            actor=Actor.from_request(request),
            subject=obj,
            username=obj.username,
            detail={"model": "account", "changed": sorted(form.changed_data)},
        )


@admin.register(LockedAccount)
class LockedAccountAdmin(admin.ModelAdmin[LockedAccount]):
    """PACER accounts locked after wrong passwords, or with failures counted since their
    last success. A court's staff may unlock one that files in their court (the help
    desk's job), deployment administrators any; nothing else about the account can be
    changed here."""

    list_display = ["username", "full_name", "failed_logins", "locked_until", "lockouts"]
    list_display_links = None
    search_fields = ["username", "account_number", "last_name", "email"]
    ordering = ["-locked_until", "username"]
    actions = ["unlock"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LockedAccount]:
        queryset = (
            super()
            .get_queryset(request)
            .filter(Q(locked_until__gt=timezone.now()) | Q(failed_logins__gt=0))
        )
        if not request.user.is_superuser:
            # A lock protects a deployment administrator from guessing; only their peers
            # may lift it.
            queryset = queryset.exclude(is_superuser=True)
        return queryset

    def _is_staff(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_staff(request)

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Name")
    def full_name(self, obj: LockedAccount) -> str:
        return obj.full_name

    @admin.action(description="Unlock the selected PACER accounts", permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[LockedAccount]) -> None:
        staff = request.user if isinstance(request.user, Account) else None
        actor = Actor.from_request(request).in_court(None).with_account(staff)
        mine = queryset
        if not request.user.is_superuser:
            # A central account belongs to no court: a court's staff may unlock it only
            # when it files in one of their courts; anyone else's lock is the deployment
            # administrators' (or the owner's own password reset).
            mine = queryset.filter(
                filer_accounts__court__in=Court.objects.staffed_by(request.user)  # type: ignore[arg-type]
            ).distinct()
        done = 0
        for account in mine:
            account_unlock(account=account, actor=actor, reason="staff_unlock")
            done += 1
        refused = queryset.exclude(pk__in=[a.pk for a in mine])
        for account in refused:
            audit_record(
                event=Event.ACCOUNT_UNLOCKED,
                success=False,
                actor=actor,
                subject=account,
                reason="not_a_filer_in_staff_court",
                username=account.username,
            )
        message = f"Unlocked {done} account(s)."
        if refused:
            message += (
                f" {len(refused)} not unlocked: they file in none of your courts (a "
                "deployment administrator can unlock them, or the owner can reset the password)."
            )
        self.message_user(request, message)
