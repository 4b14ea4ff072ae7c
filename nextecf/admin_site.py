from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from nextecf.lib.guards import public


class NextECFAdminSite(admin.AdminSite):
    """Staff tools. Staff sign on like everyone else (central login); each court's staff
    see only their court's records (enforced in each ModelAdmin's queryset)."""

    site_header = "NextECF staff tools"
    site_title = "NextECF staff"
    index_title = "Court administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff)

    @public  # to the central login, which every staff member signs on through
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("accounts:logout"))
