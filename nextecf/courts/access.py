"""The one place that answers "may this person do this here". Anything not allowed by a
rule below is denied."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from nextecf.accounts.mfa import filing_blocked
from nextecf.accounts.models import Account
from nextecf.cases.models import Appearance, Case
from nextecf.courts.models import Court, CourtStaff, FilerAccount


class Action(StrEnum):
    USE_CMECF = "use_cmecf"  # the signed-on court pages: menus, utilities, help
    LINK_ACCOUNT = "link_account"
    FILE = "file"
    MAINTAIN_ECF_ACCOUNT = "maintain_ecf_account"  # Utilities > Maintain Your ECF Account
    CHANGE_EXEMPTION = "change_exemption"
    STAFF = "staff"
    VIEW_CASE = "view_case"  # a case's query page, docket, history and documents (pass case=)
    FILE_IN_CASE = "file_in_case"  # file into an existing case (pass case=)


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


def _cases_of_record(account: Account, court: Court) -> QuerySet[Appearance, int]:
    """The ids of the cases in which this person is a filer of record: their active court
    account appears, not terminated, for a party."""
    return Appearance.objects.filter(
        filer__account=account,
        filer__court=court,
        filer__is_active=True,
        terminated_on__isnull=True,
        party__case__court=court,
    ).values_list("party__case_id", flat=True)


def is_filer_of_record(account: Account, case: Case) -> bool:
    return _cases_of_record(account, case.court).filter(party__case=case).exists()


def visible_cases(*, user: Account, court: Court) -> QuerySet[Case]:
    """The court's cases this person may find and open: sealed cases only for the court's
    staff and the case's filers of record (the same rule as Action.VIEW_CASE)."""
    cases = Case.objects.filter(court=court)
    if is_court_staff(user, court):
        return cases
    return cases.filter(Q(is_sealed=False) | Q(pk__in=_cases_of_record(user, court)))


def decide(
    *,
    user: Account | AnonymousUser,
    court: Court,
    action: Action,
    case: Case | None = None,
) -> Decision:
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
        case Action.FILE | Action.MAINTAIN_ECF_ACCOUNT:
            # Maintaining the court account (secondary NEF addresses, docket contact) is
            # CM/ECF-level access like filing: its linked filer only, with MFA when due.
            if user.is_shared:
                return Decision(False, "shared_account")
            if user.is_legacy:
                return Decision(False, "legacy_account")
            if not FilerAccount.objects.filing_for(user).filter(court=court).exists():
                return Decision(False, "not_a_filer")
            if filing_blocked(user):
                # Enrollment postponed at login as often as allowed: search yes, file no.
                return Decision(False, "mfa_required")
            return ALLOW
        case Action.CHANGE_EXEMPTION:
            return ALLOW if user.cja_eligible else Decision(False, "not_cja_eligible")
        case Action.STAFF:
            return ALLOW if is_court_staff(user, court) else Decision(False, "not_court_staff")
        case Action.VIEW_CASE:
            if case is None or case.court_id != court.pk:
                return Decision(False, "no_case")
            if not case.is_sealed:
                return ALLOW
            if is_court_staff(user, court) or is_filer_of_record(user, case):
                return ALLOW
            return Decision(False, "sealed_case")
        case Action.FILE_IN_CASE:
            # Any filer of the court may file in a case, for any party (a first filing for
            # a party makes the filer its attorney); in a sealed case only its filers of
            # record may.
            filing = decide(user=user, court=court, action=Action.FILE)
            if not filing:
                return filing
            if case is None or case.court_id != court.pk:
                return Decision(False, "no_case")
            if case.is_sealed and not is_filer_of_record(user, case):
                return Decision(False, "sealed_case")
            return ALLOW
    return Decision(False, "no_rule")
