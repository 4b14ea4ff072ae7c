"""The access policy: the one place that answers "may this person do this here". Anything
not allowed by a rule below is denied.

It sits above cases and below billing, notices and filing (see README, "How the code is
laid out"). Its queries live on the models' managers, so that a list and a yes/no never
disagree: Case.objects.visible_to (sealed cases), Appearance.objects.of_record (filers of
record), CourtStaff.objects.serves and Court.objects.staffed_by (court staff),
FilerAccount.objects.filing_for (filing rights).

Documents have an access level (cases.models.AccessLevel). `may_read_document` answers for
one document, `readable_documents` filters a list the same way, and `case_reader` reads
once what a docket or a document page needs to answer for many (a constant number of
queries, whatever the case's size). A principal is an account, nobody (AnonymousUser), or
PUBLIC_ONLY: a token limited to public material, which reads public documents of
unsealed cases and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from nextecf.accounts.mfa import filing_blocked
from nextecf.accounts.models import Account, ApiToken
from nextecf.cases.models import (
    AccessLevel,
    Appearance,
    Case,
    DocketEntry,
    Document,
    DocumentGrant,
    Judge,
    ProtectiveOrderAdmission,
)
from nextecf.courts.models import Court, CourtStaff, FilerAccount, StaffRole


class PublicMaterialOnly:
    """A principal limited to public material (an API token, a feed): public documents of
    unsealed cases, never a restricted, sealed or confidential one."""

    def __repr__(self) -> str:
        return "PUBLIC_ONLY"


PUBLIC_ONLY = PublicMaterialOnly()
Principal = Account | AnonymousUser | PublicMaterialOnly


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


def entry_documents_readable(
    user: Account | AnonymousUser, court: Court, entry: DocketEntry
) -> Decision:
    """Whether this person may open the entry's documents, as far as the entry itself goes
    (the case's own rule is Action.VIEW_CASE): a stricken entry's documents are readable by
    the court's staff only."""
    if entry.stricken_at is None:
        return ALLOW
    if isinstance(user, Account) and user.is_active and is_court_staff(user, court):
        return ALLOW
    return Decision(False, "stricken_entry")


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
    document-level access (sealed, restricted documents, stricken entries) is decided here
    too: in one court, exactly readable_documents (the rule of may_read_document); across
    courts, the public documents of live entries of the cases they may see and every
    document of a court they serve."""
    if court is not None:
        return readable_documents(user, court)
    documents = Document.objects.filter(entry__case__in=visible_cases(user=user, court=court))
    if not isinstance(user, Account):
        return documents.none()
    return documents.filter(
        Q(access_level=AccessLevel.PUBLIC, entry__stricken_at__isnull=True)
        | Q(entry__case__court__in=Court.objects.staffed_by(user))
    )


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


# --- API tokens ---------------------------------------------------------------------------
#
# A token acts for its owner but is narrower than the owner: it reads public material only
# (never sealed, restricted or confidential, whatever the owner may see), files only in the
# court its FILE scope names, and does nothing else (no account, password, email, MFA or
# token management: the API has no such operation and the sign-on middleware never takes a
# token). "Public" is decided by is_public_case / public_entries below, so stricter access
# levels are added there, once, for every token read.

TOKEN_READ_SCOPES = frozenset({ApiToken.Scope.READ_PUBLIC, ApiToken.Scope.READ_OWN})


def is_public_case(case: Case) -> bool:
    """Whether a case is plainly public: anything with a restriction is not."""
    return not case.is_sealed


def is_public_document(document: Document) -> bool:
    """Whether a document is plainly public (not restricted, sealed or confidential)."""
    return bool(document.access_level == AccessLevel.PUBLIC)


def public_entries(case: Case) -> QuerySet[DocketEntry]:
    """A public case's entries a token may read (today every entry of an unsealed case;
    entry and document access levels narrow this when they exist)."""
    if not is_public_case(case):
        return DocketEntry.objects.none()
    return DocketEntry.objects.filter(case=case)


def token_cases(*, token: ApiToken, court: Court) -> QuerySet[Case]:
    """The cases a token may read in a court: public ones, and with READ_OWN alone only
    those its owner is a filer of record in."""
    cases = Case.objects.filter(court=court, is_sealed=False)
    if ApiToken.Scope.READ_PUBLIC in token.scopes:
        return cases
    if ApiToken.Scope.READ_OWN in token.scopes:
        of_record = Appearance.objects.of_record(token.account, court).values("party__case_id")
        return cases.filter(pk__in=of_record)
    return cases.none()


def decide_token(
    *,
    token: ApiToken,
    court: Court,
    action: Action,
    case: Case | None = None,
) -> Decision:
    """What a request made with this (live, already checked) token may do: the owner's
    own rights (decide) narrowed by the token's scopes and by the public-only rule."""
    owner = decide(user=token.account, court=court, action=Action.USE_CMECF)
    if not owner:
        return owner
    match action:
        case Action.USE_CMECF:
            # The court's catalogue, fees and public lists.
            return ALLOW
        case Action.VIEW_CASE:
            if not TOKEN_READ_SCOPES & set(token.scopes):
                return Decision(False, "token_scope")
            if case is None or case.court_id != court.pk:
                return Decision(False, "no_case")
            if not is_public_case(case):
                return Decision(False, "not_public")
            if not token_cases(token=token, court=court).filter(pk=case.pk).exists():
                return Decision(False, "token_scope")
            return ALLOW
        case Action.FILE | Action.FILE_IN_CASE:
            if ApiToken.Scope.FILE not in token.scopes or token.file_court_id != court.pk:
                return Decision(False, "token_scope")
            if case is not None and not is_public_case(case):
                return Decision(False, "not_public")
            return decide(user=token.account, court=court, action=action, case=case)
    return Decision(False, "token_scope")


# --- Documents ------------------------------------------------------------------------------


class Role(StrEnum):
    """Why a person may read a non-public document: what the view log shows."""

    COURT = "court staff"
    FILER = "filer of the document"
    COUNSEL = "counsel of record"
    ADMITTED = "counsel admitted under the protective order"
    GRANTED = "granted access by the court"


@dataclass
class CaseReader:
    """What the policy knows about one principal in one case, each fact read at most once
    (one query each), so a docket of 20,000 entries or a case with 200 admissions costs the
    same to answer for."""

    principal: Principal
    case: Case
    _grants: set[int] | None = field(default=None, repr=False)

    @property
    def account(self) -> Account | None:
        person = self.principal
        if isinstance(person, Account) and person.is_authenticated and person.is_active:
            return person
        return None

    @cached_property
    def court_staff(self) -> bool:
        account = self.account
        return account is not None and is_court_staff(account, self.case.court)

    @cached_property
    def filer_ids(self) -> frozenset[int]:
        """The person's active CM/ECF accounts in the case's court."""
        account = self.account
        if account is None:
            return frozenset()
        return frozenset(
            FilerAccount.objects.filter(
                court_id=self.case.court_id, account=account, is_active=True
            ).values_list("pk", flat=True)
        )

    @cached_property
    def of_record(self) -> bool:
        account = self.account
        return account is not None and is_filer_of_record(account, self.case)

    @cached_property
    def admitted(self) -> bool:
        """Counsel of record admitted (and not removed) under the case's protective order."""
        if not self.filer_ids or not self.of_record:
            return False
        return (
            ProtectiveOrderAdmission.objects.current()
            .filter(case=self.case, filer_id__in=self.filer_ids)
            .exists()
        )

    @cached_property
    def sees_case(self) -> bool:
        if isinstance(self.principal, PublicMaterialOnly):
            return not self.case.is_sealed
        if self.account is None:
            return False
        return not self.case.is_sealed or self.court_staff or self.of_record

    def granted(self, document_pk: int) -> bool:
        account = self.account
        if account is None:
            return False
        if self._grants is None:
            self._grants = set(
                DocumentGrant.objects.filter(
                    account=account, document__entry__case=self.case
                ).values_list("document_id", flat=True)
            )
        return document_pk in self._grants

    def role(
        self, *, level: str, filer_id: int | None = None, document_pk: int | None = None
    ) -> Role | None:
        """The role by which this principal reads a document of this level (filed by
        filer_id), or None. Public documents need only the case."""
        if isinstance(self.principal, PublicMaterialOnly) or self.account is None:
            return None
        if self.court_staff:
            return Role.COURT
        if filer_id is not None and filer_id in self.filer_ids:
            return Role.FILER
        if level == AccessLevel.RESTRICTED and self.of_record:
            return Role.COUNSEL
        if level == AccessLevel.CONFIDENTIAL and self.admitted:
            return Role.ADMITTED
        if document_pk is not None and self.granted(document_pk):
            return Role.GRANTED
        return None

    def may_open(self, level: str, filer_id: int | None, document_pk: int) -> bool:
        """may_read for a row of a list (a docket's entries): the case is already shown."""
        if level == AccessLevel.PUBLIC:
            return True
        return self.role(level=level, filer_id=filer_id, document_pk=document_pk) is not None

    def may_read(self, document: Document, *, filer_id: int | None = None) -> Decision:
        """Whether this principal may read the document (its entry's filer_id given when
        the caller has it, to spare a query)."""
        level = document.access_level
        if not self.sees_case:
            if self.account is None and not isinstance(self.principal, PublicMaterialOnly):
                return Decision(False, "not_logged_in")
            return Decision(False, "sealed_case")
        # A stricken entry's documents are the court's alone (entry_documents_readable).
        if document.entry.stricken_at is not None and not self.court_staff:
            return Decision(False, "stricken_entry")
        if level == AccessLevel.PUBLIC:
            return ALLOW
        if filer_id is None:
            filer_id = document.entry.filer_id
        if self.role(level=level, filer_id=filer_id, document_pk=document.pk) is not None:
            return ALLOW
        return Decision(False, f"document_{level}")

    def may_read_view_log(self, document: Document) -> bool:
        """The filer of the document, counsel of record in the case and the court read its
        view log; nobody else (and no token limited to public material)."""
        if document.access_level == AccessLevel.PUBLIC or self.account is None:
            return False
        return self.court_staff or self.of_record or document.entry.filer_id in self.filer_ids


def case_reader(principal: Principal, case: Case) -> CaseReader:
    return CaseReader(principal=principal, case=case)


def may_read_document(principal: Principal, document: Document) -> Decision:
    """May this principal open this document (its PDF, its free look, its API)?"""
    return case_reader(principal, document.entry.case).may_read(document)


def reader_role(principal: Principal, document: Document) -> Role | None:
    """The role the view log records for this principal's opening of the document."""
    reader = case_reader(principal, document.entry.case)
    return reader.role(
        level=document.access_level, filer_id=document.entry.filer_id, document_pk=document.pk
    )


def may_read_view_log(principal: Principal, document: Document) -> bool:
    return case_reader(principal, document.entry.case).may_read_view_log(document)


def readable_documents(principal: Principal, court: Court) -> QuerySet[Document]:
    """The court's documents this principal may open (the same rule as may_read_document,
    as one query filter): for lists, search and APIs."""
    documents = Document.objects.filter(entry__case__court=court)
    if isinstance(principal, PublicMaterialOnly):
        return documents.filter(
            access_level=AccessLevel.PUBLIC,
            entry__case__is_sealed=False,
            entry__stricken_at__isnull=True,
        )
    if not isinstance(principal, Account) or not principal.is_active:
        return documents.none()
    documents = documents.filter(entry__case__in=visible_cases(user=principal, court=court))
    if is_court_staff(principal, court):
        return documents
    documents = documents.filter(entry__stricken_at__isnull=True)
    mine = FilerAccount.objects.filter(court=court, account=principal, is_active=True)
    of_record = Appearance.objects.of_record(principal, court).values("party__case_id")
    admitted = (
        ProtectiveOrderAdmission.objects.current()
        .filter(filer__in=mine, case_id__in=of_record)
        .values("case_id")
    )
    granted = DocumentGrant.objects.filter(account=principal).values("document_id")
    return documents.filter(
        Q(access_level=AccessLevel.PUBLIC)
        | Q(entry__filer__in=mine)
        | Q(access_level=AccessLevel.RESTRICTED, entry__case_id__in=of_record)
        | Q(access_level=AccessLevel.CONFIDENTIAL, entry__case_id__in=admitted)
        | Q(pk__in=granted)
    )
