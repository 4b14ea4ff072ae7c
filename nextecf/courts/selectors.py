from __future__ import annotations

from nextecf.accounts.models import Account
from nextecf.courts.models import FilerAccount


def has_filing_rights(account: Account) -> bool:
    """Whether the account may file in some court: what makes MFA required for it and the
    redaction agreement part of its login."""
    return FilerAccount.objects.filing_for(account).exists()
