"""Linking a court's legacy CM/ECF account to a central account, and undoing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, SignOn
from nextecf.accounts.services import signon_rotate
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court, FilerAccount, PendingLink
from nextecf.lib.text import mask_identifier
from nextecf.notices.services import email_queue

LINK_WINDOW = timedelta(hours=1)


class LinkRefused(Exception):
    """A link step refused; reason is a code the views turn into a page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _link_budget_key(account: Account) -> str:
    return f"link:{account.pk}"


def link_start(
    *, request: HttpRequest, signon: SignOn, court: Court, login: str, password: str
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
                    request=request,
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
            request=request,
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
            request=request,
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


def link_pending(*, signon: SignOn, court: Court) -> PendingLink:
    """The link this sign-on is about to confirm, or LinkRefused("expired"). Its id never
    travels in a URL; the confirmation form posts it back so that a stale page can only
    ever confirm the accounts it showed."""
    pending = (
        PendingLink.objects.select_related("filer_account")
        .filter(signon=signon, court=court)
        .order_by("-created_at")
        .first()
    )
    if pending is None or pending.is_expired():
        raise LinkRefused("expired")
    return pending


@dataclass(frozen=True)
class LinkResult:
    filer: FilerAccount
    token: str  # the sign-on's new token: privileges changed, so it was rotated


def link_confirm(
    *, request: HttpRequest, signon: SignOn, court: Court, pending_id: str
) -> LinkResult:
    """Link the accounts, for good. Everything here commits together or not at all: the
    link, the retired CM/ECF password, the filing rights that follow from the link, the
    audit event, both confirmation emails and the new sign-on token."""
    try:
        with transaction.atomic():
            result = _link_confirm(
                request=request, signon=signon, court=court, pending_id=pending_id
            )
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
        request=request,
        court=court,
        reason=reason,
    )
    raise LinkRefused("already_linked" if reason == "race_lost" else reason)


def _link_confirm(
    *, request: HttpRequest, signon: SignOn, court: Court, pending_id: str
) -> LinkResult:
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
        request=request,
        actor=account,
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


def link_cancel(*, request: HttpRequest, signon: SignOn, court: Court, pending_id: str) -> None:
    deleted, _ = PendingLink.objects.filter(pk=pending_id[:64], signon=signon, court=court).delete()
    audit_record(
        event=Event.LINK_LEGACY_CANCELLED,
        success=bool(deleted),
        request=request,
        court=court,
        reason="" if deleted else "expired",
    )


def link_reverse(*, request: HttpRequest, staff: Account, filer: FilerAccount, reason: str) -> None:
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
            request=request,
            actor=staff,
            subject=former,
            court=filer.court,
            username=filer.login,
            detail={"reason": reason[:500], "filer_login": filer.login},
        )
