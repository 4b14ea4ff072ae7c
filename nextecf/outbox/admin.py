from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from nextecf.courts.models import Court
from nextecf.outbox.models import OutboundEmail

SHOWN = (
    "created_at",
    "kind",
    "to",
    "subject",
    "status",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "failed_at",
    "last_error",
    "court",
)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin[OutboundEmail]):
    """Delivery of the court's emails, read only: a clerk filters for the failed ones (a
    notice that never reached a filer) and reads why. Bodies are never shown: they hold
    free-look links and one-time tokens."""

    list_display = [
        "created_at",
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "failed_at",
        "last_error",
        "court",
    ]
    list_filter = ["status", "kind", "court"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["court"]
    show_full_result_count = False
    fields = SHOWN
    readonly_fields = SHOWN

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundEmail]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Emails about no court (sign-on, password) are the deployment's, not a court's.
        return queryset.filter(court__in=Court.objects.staffed_by(request.user))  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False
