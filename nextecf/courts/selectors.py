from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.courts.models import Court, FilerAccount


def has_filing_rights(account: Account) -> bool:
    """Whether the account may file in some court: what makes MFA required for it and the
    redaction agreement part of its login."""
    return FilerAccount.objects.filing_for(account).exists()


# --- The conversion to NextGen: how many legacy CM/ECF accounts are linked -----------------


class LinkStatus(StrEnum):
    """Where a court's CM/ECF filer account stands in the conversion. An inactive account
    counts as inactive whether or not it was linked: it needs nothing from its filer."""

    LINKED = "linked"
    NOT_LINKED = "not_linked"
    INACTIVE = "inactive"

    @property
    def label(self) -> str:
        return {"linked": "Linked", "not_linked": "Not yet linked", "inactive": "Inactive"}[
            self.value
        ]


_STATUS_FILTER = {
    LinkStatus.LINKED: Q(is_active=True, account__isnull=False),
    LinkStatus.NOT_LINKED: Q(is_active=True, account__isnull=True),
    LinkStatus.INACTIVE: Q(is_active=False),
}


@dataclass(frozen=True)
class ConversionCounts:
    role: str  # the role's label, or "All filer accounts" for the total line
    linked: int
    not_linked: int
    inactive: int

    @property
    def total(self) -> int:
        return self.linked + self.not_linked + self.inactive


def conversion_counts(court: Court) -> list[ConversionCounts]:
    """The court's CM/ECF filer accounts by role (every role, in the catalogue's order),
    then the total: one query."""
    counted = {
        row["role"]: row
        for row in FilerAccount.objects.filter(court=court)
        .values("role")
        .annotate(
            **{status.value: Count("pk", filter=_STATUS_FILTER[status]) for status in LinkStatus}
        )
        .order_by()
    }
    lines = []
    for value, label in FilerAccount.Role.choices:
        row = counted.get(value, {})
        lines.append(
            ConversionCounts(
                str(label),
                row.get("linked", 0),
                row.get("not_linked", 0),
                row.get("inactive", 0),
            )
        )
    lines.append(
        ConversionCounts(
            "All filer accounts",
            sum(line.linked for line in lines),
            sum(line.not_linked for line in lines),
            sum(line.inactive for line in lines),
        )
    )
    return lines


def filer_status(filer: FilerAccount) -> LinkStatus:
    if not filer.is_active:
        return LinkStatus.INACTIVE
    return LinkStatus.LINKED if filer.is_linked else LinkStatus.NOT_LINKED


def conversion_filers(court: Court, status: LinkStatus | None = None) -> QuerySet[FilerAccount]:
    """The court's filer accounts (with the linked central account, whose last login is
    the filer's: a linked filer signs on with it), by login; only one status if given."""
    filers = FilerAccount.objects.filter(court=court).select_related("account")
    if status is not None:
        filers = filers.filter(_STATUS_FILTER[status])
    return filers.order_by("login")


def locked_filers(court: Court) -> QuerySet[FilerAccount]:
    """The court's CM/ECF accounts locked now, the lock ending soonest first."""
    return FilerAccount.objects.filter(court=court, locked_until__gt=timezone.now()).order_by(
        "locked_until", "login"
    )


def locked_central_accounts(court: Court) -> QuerySet[Account]:
    """The PACER accounts of this court's filers locked now (wrong passwords at the
    central login), the lock ending soonest first."""
    return Account.objects.filter(
        filer_accounts__court=court, locked_until__gt=timezone.now()
    ).order_by("locked_until", "username")
