from __future__ import annotations

from django.db.models import QuerySet

from nextecf.accounts.models import Account
from nextecf.courts.models import Court, FilerAccount


def staff_courts(account: Account) -> QuerySet[Court]:
    """The courts whose records this staff member may see and manage."""
    if not account.is_active or not account.is_staff:
        return Court.objects.none()
    if account.is_superuser:
        return Court.objects.all()
    return Court.objects.filter(staff__account=account)


def has_filing_rights(account: Account) -> bool:
    """Whether the account may file in some court: what makes MFA required for it and the
    redaction agreement part of its login."""
    return FilerAccount.objects.filing_for(account).exists()
