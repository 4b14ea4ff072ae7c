from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nextecf.billing.gateways import configured_gateway
from nextecf.filing.services import charges_void_abandoned


class Command(BaseCommand):
    help = (
        "Void filing-fee charges that no filing records, older than --older-than seconds: "
        "the process that charged was killed before its filing committed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=15 * 60, dest="older_than")

    def handle(self, *args: Any, **options: Any) -> None:
        voided = charges_void_abandoned(
            gateway=configured_gateway(), older_than_seconds=max(0, options["older_than"])
        )
        self.stdout.write(f"voided charges: {voided}")
