"""Linking a court's legacy CM/ECF account to a central account, and undoing it; e-file
registration requests and their approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, SignOn
from nextecf.accounts.services import signon_rotate
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court, CourtStaff, EfileRegistration, FilerAccount, PendingLink
from nextecf.lib.actor import Actor
from nextecf.lib.text import mask_identifier
from nextecf.outbox.services import email_queue

LINK_WINDOW = timedelta(hours=1)


class LinkRefused(Exception):
    """A link step refused; reason is a code the views turn into a page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _link_budget_key(account: Account) -> str:
    return f"link:{account.pk}"


def link_start(
    *, actor: Actor, signon: SignOn, court: Court, login: str, password: str
) -> PendingLink:
    """Check CM/ECF credentials; on success a pending link awaits the user's confirmation.

    Raises LinkRefused. A wrong login, a wrong password, a locked or inactive court
    account all give "invalid_credentials", so the form never tells whether a login
    exists; each failure counts against the court account and against the central
    account's hourly budget of link attempts.
    """
    key = login.strip().lower()
    verified = None
    reason = ""
    with transaction.atomic():
        # Row locks on the central account's budget, then on the court account, serialise
        # attempts, so parallel guesses cannot run past either limit.
        budget = AttemptBucket.locked(_link_budget_key(signon.account), LINK_WINDOW)
        filer = (
            FilerAccount.objects.select_for_update().filter(court=court, login=key).first()
            if key and len(key) <= 64
            else None
        )
        if budget.failures >= settings.LINK_ATTEMPTS_PER_HOUR:
            reason = "throttled"
        elif filer is None:
            make_password(password)  # same cost as a real check: no timing oracle
            reason = "unknown_login"
        elif filer.is_locked():
            make_password(password)
            reason = "locked"
        elif not filer.check_password(password):
            reason = "wrong_password"
            if filer.record_failure():
                audit_record(
                    event=Event.FILER_LOCKED,
                    success=True,
                    actor=actor,
                    court=court,
                    reason="too_many_failures",
                    detail={"filer_login": filer.login},
                )
            filer.save(update_fields=["failed_attempts", "locked_until"])
        elif not filer.is_active:
            reason = "inactive"
        else:
            verified = filer
            filer.failed_attempts = 0
            filer.save(update_fields=["failed_attempts"])

        if verified is None:
            if reason != "throttled":
                budget.failures += 1
            budget.save()
        else:
            budget.failures = 0
            budget.save()
        audit_record(
            event=(
                Event.LINK_LEGACY_CREDENTIALS_OK
                if verified
                else Event.LINK_LEGACY_CREDENTIALS_ERROR
            ),
            success=verified is not None,
            actor=actor,
            court=court,
            reason=reason,
            username=key if filer is not None else mask_identifier(key),
        )

    if verified is None:
        raise LinkRefused("throttled" if reason == "throttled" else "invalid_credentials")

    if verified.is_linked:
        # Said only to someone who just proved they know this account's password.
        audit_record(
            event=Event.LINK_LEGACY_ERROR,
            success=False,
            actor=actor,
            court=court,
            reason="already_linked",
            username=verified.login,
        )
        raise LinkRefused("filer_already_linked")

    with transaction.atomic():
        signon.pending_links.all().delete()
        pending = PendingLink.objects.create(
            id=PendingLink.new_id(), signon=signon, court=court, filer_account=verified
        )
    return pending


def link_form_open(*, actor: Actor, court: Court) -> None:
    """Audit that a person opened the link form (the seed's step 4): the start of a link,
    whether or not they go on."""
    audit_record(event=Event.LINK_LEGACY_START, success=True, actor=actor, court=court)


def link_pending(*, actor: Actor, signon: SignOn, court: Court) -> PendingLink:
    """The link this sign-on is about to confirm, or LinkRefused("expired") (audited). Its
    id never travels in a URL; the confirmation form posts it back so that a stale page can
    only ever confirm the accounts it showed."""
    pending = (
        PendingLink.objects.select_related("filer_account")
        .filter(signon=signon, court=court)
        .order_by("-created_at")
        .first()
    )
    if pending is None or pending.is_expired():
        audit_record(
            event=Event.LINK_LEGACY_ERROR,
            success=False,
            actor=actor,
            court=court,
            reason="expired",
        )
        raise LinkRefused("expired")
    return pending


@dataclass(frozen=True)
class LinkResult:
    filer: FilerAccount
    token: str  # the sign-on's new token: privileges changed, so it was rotated


def link_confirm(*, actor: Actor, signon: SignOn, court: Court, pending_id: str) -> LinkResult:
    """Link the accounts, for good. Everything here commits together or not at all: the
    link, the retired CM/ECF password, the filing rights that follow from the link, the
    audit event, both confirmation emails and the new sign-on token."""
    try:
        with transaction.atomic():
            result = _link_confirm(actor=actor, signon=signon, court=court, pending_id=pending_id)
    except IntegrityError:
        # The database constraints decided a race the row locks did not see.
        reason = "race_lost"
    except LinkRefused as refusal:
        reason = refusal.reason
    else:
        return result
    # The refusal rolled back the transaction, and with it the pending link's deletion:
    # it is single use, so it goes now.
    if PendingLink.is_well_formed(pending_id):
        PendingLink.objects.filter(pk=pending_id, signon=signon).delete()
    audit_record(
        event=Event.LINK_LEGACY_ERROR,
        success=False,
        actor=actor,
        court=court,
        reason=reason,
    )
    raise LinkRefused("already_linked" if reason == "race_lost" else reason)


def _link_confirm(*, actor: Actor, signon: SignOn, court: Court, pending_id: str) -> LinkResult:
    # The sign-on first: logout and re-authentication lock it and then delete its pending
    # links, so taking the pending link first would deadlock against them. NO KEY UPDATE
    # still lets another tab insert a pending link that refers to this sign-on.
    live = SignOn.objects.select_for_update(no_key=True).filter(pk=signon.pk, ended_at__isnull=True)
    if live.first() is None:
        raise LinkRefused("expired")
    pending = (
        PendingLink.objects.select_for_update()
        .filter(pk=pending_id, signon=signon, court=court)
        .first()
        if PendingLink.is_well_formed(pending_id)
        else None
    )
    if pending is None or pending.is_expired():
        raise LinkRefused("expired")
    filer_id = pending.filer_account_id
    pending.delete()  # single use, whatever happens next

    # Lock order is always sign-on, pending link, central account, court account.
    account = Account.objects.select_for_update().get(pk=signon.account_id)
    filer = FilerAccount.objects.select_for_update().get(pk=filer_id)
    if filer.is_linked:
        raise LinkRefused("filer_already_linked")
    if FilerAccount.objects.filter(court=court, account=account).exists():
        raise LinkRefused("already_linked_in_court")
    if not filer.is_active:
        raise LinkRefused("expired")

    filer.account = account
    filer.linked_at = timezone.now()
    filer.retire_password()
    filer.unlock()
    filer.save()

    token = signon_rotate(signon=signon)
    audit_record(
        event=Event.LINK_LEGACY_CONFIRMED,
        success=True,
        actor=actor.with_account(account),
        court=court,
        username=filer.login,
        detail={"filer_login": filer.login, "filer_account_id": filer.pk},
    )
    context = {"court": court, "account": account, "filer": filer, "linked_at": filer.linked_at}
    recipients = [account.email]
    if filer.email.lower() != account.email.lower():
        recipients.append(filer.email)
    for address in recipients:
        email_queue(
            kind="link_confirmation",
            to=address,
            template="emails/link_confirmation.txt",
            context=context,
            account=account,
        )
    return LinkResult(filer=filer, token=token)


def link_cancel(*, actor: Actor, signon: SignOn, court: Court, pending_id: str) -> None:
    deleted, _ = PendingLink.objects.filter(pk=pending_id[:64], signon=signon, court=court).delete()
    audit_record(
        event=Event.LINK_LEGACY_CANCELLED,
        success=bool(deleted),
        actor=actor,
        court=court,
        reason="" if deleted else "expired",
    )


def link_reverse(*, actor: Actor, staff: Account, filer: FilerAccount, reason: str) -> None:
    """Staff undo a mistaken link. The CM/ECF password stays retired: to link again, staff
    give the right person a new CM/ECF password."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required to reverse a link")
    with transaction.atomic():
        # Pending links before the court account: the order link_confirm takes its locks in.
        PendingLink.objects.filter(filer_account=filer).delete()
        filer = FilerAccount.objects.select_for_update().get(pk=filer.pk)
        if not filer.is_linked:
            raise LinkRefused("not_linked")
        former = filer.account
        filer.account = None
        filer.linked_at = None
        filer.retire_password()
        filer.save()
        audit_record(
            event=Event.UNLINK_LEGACY,
            success=True,
            actor=actor.with_account(staff),
            subject=former,
            court=filer.court,
            username=filer.login,
            detail={"reason": reason[:500], "filer_login": filer.login},
        )
        # The filer hears of it from the court, at the PACER address and the court account's.
        context: dict[str, object] = {
            "court": filer.court,
            "filer": filer,
            "account": former,
            "reason": reason[:500],
            "reversed_at": timezone.localtime(),
        }
        recipients = [former.email] if former is not None and former.email else []
        if filer.email and filer.email.lower() not in {r.lower() for r in recipients}:
            recipients.append(filer.email)
        for address in recipients:
            email_queue(
                kind="link_reversed",
                to=address,
                template="emails/link_reversed.txt",
                context=context,
                account=former,
                court=filer.court,
            )


def filer_unlock(*, actor: Actor, filer: FilerAccount) -> bool:
    """Staff end a CM/ECF account's lock now; False (and nothing written) if it was not
    locked by the time its row was locked here."""
    with transaction.atomic():
        filer = FilerAccount.objects.select_for_update().get(pk=filer.pk)
        if not filer.is_locked():
            return False
        filer.unlock()
        filer.save(update_fields=["failed_attempts", "locked_until"])
        audit_record(
            event=Event.FILER_UNLOCKED,
            success=True,
            actor=actor,
            court=filer.court,
            username=filer.login,
        )
    return True


# --- The conversion to NextGen: reminding filers who have not linked yet -------------------


def conversion_reminder_send(*, actor: Actor, court: Court) -> int:
    """Email every active, not-yet-linked CM/ECF filer of the court the seed's steps for
    linking, with the court's help desk; returns how many were queued. One audit event
    with the count, in the same transaction as the emails."""
    with transaction.atomic():
        filers = list(
            FilerAccount.objects.filter(
                court=court, is_active=True, account__isnull=True, email_inactive=False
            ).order_by("login")
        )
        link_url = settings.SITE_URL.rstrip("/") + f"/{court.pk}/utilities/link/"
        for filer in filers:
            email_queue(
                kind="conversion_reminder",
                to=filer.email,
                template="emails/conversion_reminder.txt",
                context={"court": court, "filer": filer, "link_url": link_url},
                court=court,
            )
        audit_record(
            event=Event.CONVERSION_REMINDER,
            success=True,
            actor=actor,
            court=court,
            detail={"sent": len(filers)},
        )
    return len(filers)


# --- E-file registration (PACER's Maintenance tab) -----------------------------------------


# What each refusal means, for the pages that show it (workspace and staff tools).
EFILE_REFUSALS = {
    "not_court_staff": "you are not staff of its court",
    "own_request": "it is your own request; another member of staff must decide it",
    "not_pending": "it has already been decided",
    "already_linked": "the requester's PACER account is already linked to a CM/ECF account "
    "in this court",
    "login_taken": "a CM/ECF account with the requester's PACER username as its login already "
    "exists in this court; if it is the requester's, they should link it instead",
    "account_unavailable": "the requester's PACER account is disabled, shared or not upgraded",
    "note_required": "a note is required to reject a request",
}


class EfileRefused(Exception):
    """An e-file registration step refused; reason is a code the pages explain."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def efile_account_refusal(account: Account) -> str | None:
    """Why this account may not ask any court for filing rights, or None. Filing needs an
    individual, upgraded account whose email address is proven: notices go there."""
    if account.is_shared:
        return "shared_account"
    if account.is_legacy:
        return "legacy_account"
    if not account.email_verified:
        return "email_unverified"
    return None


def efile_access_check(*, actor: Actor, account: Account) -> str | None:
    """efile_account_refusal for the person at the e-file pages: a refusal is audited as
    ACCESS_DENIED."""
    refusal = efile_account_refusal(account)
    if refusal is not None:
        audit_record(
            event=Event.ACCESS_DENIED,
            success=False,
            actor=actor,
            reason=refusal,
            detail={"action": "efile_request"},
        )
    return refusal


def efile_existing_filer(*, account: Account, court: Court) -> FilerAccount | None:
    """A court account not yet linked that carries this account's email address: most
    likely this person's own CM/ECF account, which they should link instead of applying."""
    return (
        FilerAccount.objects.filter(court=court, account__isnull=True, email__iexact=account.email)
        .order_by("pk")
        .first()
    )


def efile_pending(*, account: Account, court: Court) -> EfileRegistration | None:
    """The account's request to this court that awaits a decision, if any."""
    return EfileRegistration.objects.filter(
        account=account, court=court, status=EfileRegistration.Status.PENDING
    ).first()


def efile_registration_request(
    *,
    actor: Actor,
    account: Account,
    court: Court,
    kind: str,
    bar_number: str = "",
    bar_jurisdiction: str = "",
    admission_date: date | None = None,
    permission_reference: str = "",
) -> EfileRegistration:
    """File a request for filing rights in a court; the court's staff decide it.

    Raises EfileRefused and creates nothing when the account may not apply, already has a
    CM/ECF account in the court (linked: it files already; not linked but with its email:
    it must link that one), or already has a request pending there.
    """
    reason = efile_account_refusal(account)
    if reason is None:
        if FilerAccount.objects.filter(court=court, account=account).exists():
            reason = "already_filer"
        elif efile_existing_filer(account=account, court=court) is not None:
            reason = "must_link"
        elif efile_pending(account=account, court=court) is not None:
            reason = "pending_exists"
    if reason is None:
        attorney = kind == EfileRegistration.Kind.ATTORNEY
        try:
            with transaction.atomic():
                registration = EfileRegistration.objects.create(
                    account=account,
                    court=court,
                    kind=kind,
                    bar_number=bar_number if attorney else "",
                    bar_jurisdiction=bar_jurisdiction if attorney else "",
                    admission_date=admission_date if attorney else None,
                    permission_reference="" if attorney else permission_reference,
                )
                audit_record(
                    event=Event.EFILE_REQUEST,
                    success=True,
                    actor=actor.with_account(account),
                    court=court,
                    detail={"registration": registration.pk, "kind": kind},
                )
                email_queue(
                    kind="efile_request_received",
                    to=account.email,
                    template="emails/efile_request_received.txt",
                    context={"court": court, "account": account, "registration": registration},
                    account=account,
                )
            return registration
        except IntegrityError:
            # efile_one_pending_per_court decided a double submission.
            reason = "pending_exists"
    audit_record(
        event=Event.EFILE_REQUEST,
        success=False,
        actor=actor.with_account(account),
        court=court,
        reason=reason,
    )
    raise EfileRefused(reason)


def _efile_locked_pending(*, staff: Account, registration: EfileRegistration) -> EfileRegistration:
    """The registration, row-locked, if this staff member may decide it now."""
    locked = EfileRegistration.objects.select_for_update().filter(pk=registration.pk).first()
    if locked is None or not CourtStaff.objects.serves(staff, locked.court):
        raise EfileRefused("not_court_staff")
    if locked.account_id == staff.pk:
        raise EfileRefused("own_request")  # someone else must decide
    if locked.status != EfileRegistration.Status.PENDING:
        raise EfileRefused("not_pending")
    return locked


def efile_registration_approve(
    *, actor: Actor, staff: Account, registration: EfileRegistration, note: str = ""
) -> FilerAccount:
    """Approve: the court's filer account is created already linked to the requester's
    central account (login = PACER username, no CM/ECF password of its own: the filer
    signs on with PACER). The new account, the decision, the audit event and the email to
    the requester commit together or not at all. Raises EfileRefused."""
    try:
        with transaction.atomic():
            return _efile_approve(actor=actor, staff=staff, registration=registration, note=note)
    except IntegrityError:
        # A constraint decided a race the checks did not see: a link, or the login.
        linked = FilerAccount.objects.filter(
            court_id=registration.court_id, account_id=registration.account_id
        ).exists()
        reason = "already_linked" if linked else "login_taken"
    except EfileRefused as refusal:
        reason = refusal.reason
    audit_record(
        event=Event.EFILE_APPROVED,
        success=False,
        actor=actor.with_account(staff),
        subject=registration.account,
        court=registration.court,
        reason=reason,
        detail={"registration": registration.pk},
    )
    raise EfileRefused(reason)


def _efile_approve(
    *, actor: Actor, staff: Account, registration: EfileRegistration, note: str
) -> FilerAccount:
    # Lock order: registration, then central account (as linking does: account, filer).
    locked = _efile_locked_pending(staff=staff, registration=registration)
    court = locked.court
    account = Account.objects.select_for_update().get(pk=locked.account_id)
    if not account.is_active or efile_account_refusal(account) is not None:
        raise EfileRefused("account_unavailable")
    if FilerAccount.objects.filter(court=court, account=account).exists():
        raise EfileRefused("already_linked")
    if FilerAccount.objects.filter(court=court, login=account.username).exists():
        raise EfileRefused("login_taken")
    attorney = locked.kind == EfileRegistration.Kind.ATTORNEY
    now = timezone.now()
    filer = FilerAccount.objects.create(
        court=court,
        login=account.username,
        password=make_password(None),
        first_name=account.first_name,
        middle_name=account.middle_name,
        last_name=account.last_name,
        email=account.email,
        role=FilerAccount.Role.ATTORNEY if attorney else FilerAccount.Role.PRO_SE,
        bar_status="ACTIVE" if attorney else "",
        account=account,
        linked_at=now,
    )
    locked.status = EfileRegistration.Status.APPROVED
    locked.decided_by = staff
    locked.decided_at = now
    locked.decision_note = note.strip()[:500]
    locked.filer_account = filer
    locked.save()
    audit_record(
        event=Event.EFILE_APPROVED,
        success=True,
        actor=actor.with_account(staff),
        subject=account,
        court=court,
        username=filer.login,
        detail={"registration": locked.pk, "kind": locked.kind, "filer_account_id": filer.pk},
    )
    email_queue(
        kind="efile_approved",
        to=account.email,
        template="emails/efile_approved.txt",
        context={"court": court, "account": account, "registration": locked, "filer": filer},
        account=account,
    )
    return filer


def efile_registration_reject(
    *, actor: Actor, staff: Account, registration: EfileRegistration, note: str
) -> None:
    """Reject with a note, which the requester receives by email. Raises EfileRefused."""
    note = note.strip()[:500]
    try:
        if not note:
            raise EfileRefused("note_required")
        with transaction.atomic():
            locked = _efile_locked_pending(staff=staff, registration=registration)
            locked.status = EfileRegistration.Status.REJECTED
            locked.decided_by = staff
            locked.decided_at = timezone.now()
            locked.decision_note = note
            locked.save()
            audit_record(
                event=Event.EFILE_REJECTED,
                success=True,
                actor=actor.with_account(staff),
                subject=locked.account,
                court=locked.court,
                detail={"registration": locked.pk, "kind": locked.kind, "note": note},
            )
            email_queue(
                kind="efile_rejected",
                to=locked.account.email,
                template="emails/efile_rejected.txt",
                context={"court": locked.court, "account": locked.account, "registration": locked},
                account=locked.account,
            )
    except EfileRefused as refusal:
        audit_record(
            event=Event.EFILE_REJECTED,
            success=False,
            actor=actor.with_account(staff),
            subject=registration.account,
            court=registration.court,
            reason=refusal.reason,
            detail={"registration": registration.pk},
        )
        raise
