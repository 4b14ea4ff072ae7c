"""The access policy: the one place that answers "may this person do this here". Anything
not allowed by a rule below is denied.

It sits above cases and below billing, notices and filing (see README, "How the code is
laid out"). Its queries live on the models' managers, so that a list and a yes/no never
disagree: Case.objects.visible_to (sealed cases), Appearance.objects.of_record (filers of
record), CourtStaff.objects.serves and Court.objects.staffed_by (court staff),
FilerAccount.objects.filing_for (filing rights)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from nextecf.accounts.mfa import filing_blocked
from nextecf.accounts.models import Account
from nextecf.cases.models import Appearance, Case, Document, Judge
from nextecf.courts.models import Court, CourtStaff, FilerAccount, StaffRole


class Action(StrEnum):
    USE_CMECF = "use_cmecf"  # the signed-on court pages: menus, utilities, help
    LINK_ACCOUNT = "link_account"
    FILE = "file"
    MAINTAIN_ECF_ACCOUNT = "maintain_ecf_account"  # Utilities > Maintain Your ECF Account
    CHANGE_EXEMPTION = "change_exemption"
    STAFF = "staff"
    VIEW_CASE = "view_case"  # a case's query page, docket, history and documents (pass case=)
    FILE_IN_CASE = "file_in_case"  # file into an existing case (pass case=)
    # The staff workspace (/<court>/staff/), by court role (STAFF_ROLES_FOR below).
    STAFF_WORKSPACE = "staff_workspace"  # its home: any court role
    QUALITY_CONTROL = "quality_control"  # the QC queue and its actions
    DOCKET_EVENT = "docket_event"  # clerk docketing of court events
    CHAMBERS = "chambers"  # a judge's cases and what awaits them
    SIGN_ORDER = "sign_order"  # sign and docket an order (chambers: confirmed by the judge)
    MANAGE_FILERS = "manage_filers"  # conversion report, imports, filer accounts, e-file
    ASSIGN_CASE = "assign_case"  # assign or reassign a case to a judge or a panel
    AUDIT_LOG = "audit_log"


# Which court roles may do each staff action: the one table the workspace asks.
STAFF_ROLES_FOR: dict[Action, frozenset[StaffRole]] = {
    Action.STAFF_WORKSPACE: frozenset(StaffRole),
    Action.QUALITY_CONTROL: frozenset({StaffRole.QC_CLERK, StaffRole.ADMINISTRATOR}),
    Action.DOCKET_EVENT: frozenset({StaffRole.CLERK, StaffRole.ADMINISTRATOR}),
    Action.CHAMBERS: frozenset({StaffRole.JUDGE, StaffRole.CHAMBERS}),
    Action.SIGN_ORDER: frozenset({StaffRole.JUDGE, StaffRole.CHAMBERS}),
    Action.MANAGE_FILERS: frozenset({StaffRole.CLERK, StaffRole.ADMINISTRATOR}),
    Action.ASSIGN_CASE: frozenset({StaffRole.CLERK, StaffRole.ADMINISTRATOR}),
    Action.AUDIT_LOG: frozenset({StaffRole.ADMINISTRATOR}),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def is_court_staff(account: Account, court: Court) -> bool:
    return CourtStaff.objects.serves(account, court)


def staff_roles(account: Account | AnonymousUser, court: Court) -> set[StaffRole]:
    """The roles this person holds in this court; a role elsewhere counts for nothing."""
    if not isinstance(account, Account) or not account.is_authenticated:
        return set()
    return CourtStaff.objects.roles_of(account, court)


def may_staff(
    account: Account | AnonymousUser, court: Court, role_or_action: StaffRole | Action
) -> Decision:
    """Whether this person holds the role, or a role that may do the staff action, in this
    court. A superuser without a role in the court is no exception: deployment
    administration is the Django admin, not the court's workspace."""
    if isinstance(role_or_action, StaffRole):
        wanted = frozenset({role_or_action})
    else:
        wanted = STAFF_ROLES_FOR.get(role_or_action, frozenset())
    if not wanted:
        return Decision(False, "no_rule")
    held = staff_roles(account, court)
    if not held:
        return Decision(False, "not_court_staff")
    return ALLOW if held & wanted else Decision(False, "role_not_allowed")


def judge_served(account: Account | AnonymousUser, court: Court) -> Judge | None:
    """The judge whose chambers this person works in, in this court: their own judge
    record for a judge, the judge they act for for chambers staff."""
    if not isinstance(account, Account):
        return None
    roles = staff_roles(account, court)
    if StaffRole.JUDGE in roles:
        return Judge.objects.filter(court=court, account=account, is_active=True).first()
    if StaffRole.CHAMBERS in roles:
        acts_for = CourtStaff.objects.filter(
            court=court, account=account, role=StaffRole.CHAMBERS
        ).values("acts_for")
        return Judge.objects.filter(court=court, account__in=acts_for, is_active=True).first()
    return None


def is_filer_of_record(account: Account, case: Case) -> bool:
    return Appearance.objects.of_record(account, case.court).filter(party__case=case).exists()


def visible_cases(*, user: Account | AnonymousUser, court: Court | None = None) -> QuerySet[Case]:
    """The cases this person may find and open, in this court (or in every court, for the
    PACER Case Locator): the same rule as Action.VIEW_CASE."""
    return Case.objects.visible_to(user, court)


def visible_documents(
    *, user: Account | AnonymousUser, court: Court | None = None
) -> QuerySet[Document]:
    """The filed documents this person may find by their text and open: those of the
    cases they may see. The one place documents are filtered for a person, so that
    document-level access (sealed, restricted documents) is decided here too."""
    return Document.objects.filter(entry__case__in=visible_cases(user=user, court=court))


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
        case _ if action in STAFF_ROLES_FOR:
            return may_staff(user, court, action)
    return Decision(False, "no_rule")
