from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nextecf.audit.chain import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's keyed chain; exits non-zero where it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_verify()
        if check.broken_at is not None:
            raise CommandError(
                f"audit chain broken at seal {check.broken_at}: {check.problem} "
                f"({check.checked} seals verified before it)"
            )
        if not check.ok:
            raise CommandError(f"audit chain cut short: {check.problem}")
        self.stdout.write(f"audit chain intact: {check.checked} seal(s) verified")
        if check.head is not None:
            # A chain cannot show its own tail cut off; a head recorded elsewhere can.
            self.stdout.write(f"head: seal {check.head.seq} {check.head.digest}")
        if check.checkpoint is None:
            self.stdout.write("no checkpoint yet: audit_seal writes one to AUDIT_CHECKPOINT_PATH")
        else:
            point = check.checkpoint
            self.stdout.write(f"reaches the checkpoint of {point.at} (seal {point.seq})")
