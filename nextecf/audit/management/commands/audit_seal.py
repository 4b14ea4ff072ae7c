from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nextecf.audit.chain import audit_seal


class Command(BaseCommand):
    help = "Seal settled audit events into the hash chain (run it every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sealed {audit_seal()} event(s)")
