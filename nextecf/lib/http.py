from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str:
    """The caller's address; X-Forwarded-For counts only when a trusted proxy sent it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if remote in settings.TRUSTED_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed(hops):
            if hop and hop not in settings.TRUSTED_PROXIES:
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    break
    return remote


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    """Only same-site paths are followed after login, never another host."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
