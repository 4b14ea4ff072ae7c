from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = [
        "created_at",
        "event_type",
        "outcome",
        "reason",
        "actor",
        "username",
        "court",
        "ip",
    ]
    list_filter = ["event_type", "outcome", "court"]
    search_fields = ["username", "actor__username", "reason", "ip"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "court"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(court__in=Court.objects.staffed_by(request.user))  # type: ignore[arg-type]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Who read the audit log is itself audited (one event's page is, by the admin
        site's get_object)."""
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_record(
                event=Event.STAFF_VIEW,
                success=True,
                actor=Actor.from_request(request).in_court(None),
                reason="audit_log",
                detail={"query": request.GET.urlencode()[:200]},
            )
        return response

    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
