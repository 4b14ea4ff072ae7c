"""The one place that answers "may this person do this here". Anything not allowed by a
rule below is denied."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

from nextecf.accounts.models import Account
from nextecf.courts.models import Court, CourtStaff, FilerAccount


class Action(StrEnum):
    USE_CMECF = "use_cmecf"  # the signed-on court pages: menus, utilities, help
    LINK_ACCOUNT = "link_account"
    FILE = "file"
    CHANGE_EXEMPTION = "change_exemption"
    STAFF = "staff"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def is_court_staff(account: Account, court: Court) -> bool:
    if not account.is_staff:
        return False
    return account.is_superuser or CourtStaff.objects.filter(court=court, account=account).exists()


def decide(*, user: Account | AnonymousUser, court: Court, action: Action) -> Decision:
    if not isinstance(user, Account) or not user.is_authenticated:
        return Decision(False, "not_logged_in")
    if not user.is_active:
        return Decision(False, "account_disabled")
    match action:
        case Action.USE_CMECF:
            return ALLOW
        case Action.LINK_ACCOUNT:
            if user.is_shared:
                return Decision(False, "shared_account")
            if user.is_legacy:
                return Decision(False, "legacy_account")
            if FilerAccount.objects.filter(court=court, account=user).exists():
                return Decision(False, "already_linked_in_court")
            return ALLOW
        case Action.FILE:
            if user.is_shared:
                return Decision(False, "shared_account")
            if user.is_legacy:
                return Decision(False, "legacy_account")
            if FilerAccount.objects.filing_for(user).filter(court=court).exists():
                return ALLOW
            return Decision(False, "not_a_filer")
        case Action.CHANGE_EXEMPTION:
            return ALLOW if user.cja_eligible else Decision(False, "not_cja_eligible")
        case Action.STAFF:
            return ALLOW if is_court_staff(user, court) else Decision(False, "not_court_staff")
    return Decision(False, "no_rule")
