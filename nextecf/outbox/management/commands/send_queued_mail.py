from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nextecf.outbox.services import email_send_pending


class Command(BaseCommand):
    help = "Send queued emails; with --loop, keep retrying every --interval seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent = email_send_pending()
            if sent:
                self.stdout.write(f"sent {sent} email(s)")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
