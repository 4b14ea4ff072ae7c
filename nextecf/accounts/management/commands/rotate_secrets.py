from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nextecf.accounts.mfa import backup_codes_on_older_keys
from nextecf.accounts.models import TotpDevice


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored TOTP secret with the newest key of MFA_SECRET_KEYS. Put the "
        "new key first in every running process's settings before running it; afterwards "
        "the old key may leave the ring. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = TotpDevice.objects.reseal_all()
        self.stdout.write(
            f"authenticator app secrets: {done.resealed} re-encrypted with the newest key, "
            f"{done.current} already under it, {done.unreadable} unreadable"
        )
        if done.unreadable:
            self.stderr.write(
                f"{done.unreadable} secret(s) open under no key of the ring (tampered, or "
                "made with a key already removed): those apps cannot be used until their "
                "owners enroll them again."
            )
        older = backup_codes_on_older_keys()
        self.stdout.write(
            f"backup codes: {older} unused code(s) hashed under an older key; they keep "
            "working while that key stays in MFA_SECRET_KEYS (codes cannot be re-hashed: "
            "only their owners know them; a new set is made under the newest key)"
        )
