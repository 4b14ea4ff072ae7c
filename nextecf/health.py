"""Probes for the load balancer and the process supervisor. Both answer without a sign-on
and record nothing: they are asked every few seconds, and are not access attempts."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nextecf.lib.guards import public
from nextecf.lib.queue import queue_reachable
from nextecf.lib.storage import document_store

logger = logging.getLogger(__name__)


@public
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("readyz", "1", 10)
    if cache.get("readyz") != "1":
        raise RuntimeError("the cache did not keep a value")


def _storage() -> None:
    # The filed documents' store (a directory or an S3 bucket), which every node must reach.
    document_store().exists("0" * 64)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "queue": queue_reachable,
}


@public
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Every service a request may need answers: 200, or 503 naming what does not."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # whatever the failure, the node is not ready
            logger.warning("readyz: %s unreachable: %s", name, type(exc).__name__)
            checks[name] = f"failed: {type(exc).__name__}"
        else:
            checks[name] = "ok"
    failed = [name for name, state in checks.items() if state != "ok"]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed},
        status=503 if failed else 200,
    )
