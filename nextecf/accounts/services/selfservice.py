"""Self-service without a sign-on: registration, email verification, upgrade, and
forgotten passwords and usernames."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, EmailLink, SignOn
from nextecf.accounts.passwords import Identity, password_problems
from nextecf.accounts.services.signon import account_unlock, signon_end_all, signon_rotate
from nextecf.accounts.tokens import (
    EmailClaim,
    email_token_make,
    reset_token_account,
    reset_token_check,
    reset_token_make,
)
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.text import mask_identifier
from nextecf.outbox.services import email_queue

if TYPE_CHECKING:
    from nextecf.courts.models import Court

# --- Self-service: registration, upgrade, forgot password / username ---------------------
#
# Answers that could tell a stranger whether an account exists (forgot password, forgot
# username, resend verification) are the same whatever happens; the audit log records what
# did. Links in emails are built from SITE_URL, never from the request's Host header.

REGISTRATIONS_PER_IP_PER_HOUR = 10
RECOVERY_PER_ADDRESS_PER_HOUR = 5
RECOVERY_PER_IP_PER_HOUR = 20
RECOVERY_WINDOW = timedelta(hours=1)


class SelfServiceRefused(Exception):
    """A self-service step refused; reason is a code the views turn into a message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, repr=False)  # no repr: it would show the password
class Registration:
    """What a person registering gives, already checked by the form."""

    username: str
    password: str
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: date
    email: str
    cja_requested: bool


class VerifyOutcome(StrEnum):
    VERIFIED = "verified"
    HELD = "held"  # verified, but staff review the account before it opens
    EMAIL_CHANGED = "email_changed"
    ALREADY = "already_verified"
    ALREADY_USED = "already_used"  # this link was used, and the address is verified
    USED = "link_used"  # this link was used, and its address is not (or no longer) verified
    SUPERSEDED = "superseded"  # a newer link was sent; only that one works
    INVALID = "invalid"  # the link no longer applies (the address changed since)

    @property
    def audit_reason(self) -> str:
        return str(VerifyOutcome.ALREADY if self is VerifyOutcome.ALREADY_USED else self)

    @property
    def is_refusal(self) -> bool:
        """A 400 for the page: the link did nothing and the address is not verified."""
        return self in (VerifyOutcome.INVALID, VerifyOutcome.USED, VerifyOutcome.SUPERSEDED)


def site_link(name: str, **query: str) -> str:
    """An absolute link for an email, from SITE_URL only."""
    params = urlencode({key: value for key, value in query.items() if value})
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name)}" + (f"?{params}" if params else "")


def _require_policy(password: str, *, account: Account, mfa: bool) -> None:
    identity = Identity(
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        email=account.email,
    )
    if password_problems(password, identity=identity, mfa=mfa):
        raise SelfServiceRefused("password_policy")


def _budget_spent(key: str, limit: int) -> bool:
    """Count one request against a bucket; True once the bucket holds more than limit."""
    if len(key) > 150:
        key = f"{key[:40]}#{hashlib.sha256(key.encode()).hexdigest()}"
    return AttemptBucket.record_failure(key, window=RECOVERY_WINDOW) > limit


def _recovery_throttled(*, actor: Actor, flow: str, address: str) -> bool:
    """Count a recovery request against its IP's and its address's hourly budgets; True,
    audited as THROTTLED, when either is spent. The caller then sends nothing but answers
    as usual, so the limit tells nothing either."""
    ip = actor.ip or "unknown"
    over_ip = _budget_spent(f"{flow}-ip:{ip}", RECOVERY_PER_IP_PER_HOUR)
    over_address = _budget_spent(
        f"{flow}-addr:{address.strip().lower()}", RECOVERY_PER_ADDRESS_PER_HOUR
    )
    if over_ip or over_address:
        audit_record(
            event=Event.THROTTLED,
            success=False,
            actor=actor,
            reason=f"{flow}_rate_limit",
            detail={"per_ip": over_ip, "per_address": over_address},
        )
    return over_ip or over_address


def _court_query(court: Court | None) -> str:
    return court.pk if court is not None else ""


def _queue_verification(*, account: Account, court: Court | None, new_email: str = "") -> None:
    link = site_link(
        "accounts:register_verify",
        t=email_token_make(account=account, new_email=new_email),
        court=_court_query(court),
    )
    email_queue(
        kind="verify_email_change" if new_email else "verify_email",
        to=new_email or account.email,
        template="emails/verify_email_change.txt" if new_email else "emails/verify_email.txt",
        context={"account": account, "link": link, "court": court, "new_email": new_email},
        account=account,
    )


def account_register(
    *,
    actor: Actor,
    court: Court | None,
    registration: Registration,
    duplicates_confirmed: bool,
) -> Account:
    """Create an individual upgraded account that opens once its email is verified.

    Raises SelfServiceRefused: "possible_duplicate" when two of name, date of birth and
    email match someone (the person must confirm to go on), "throttled", "username_taken",
    "password_policy". When all three match, or the email is a "+" alias of an existing
    address, the new account is also held for staff review.
    """
    match = Account.objects.registration_matches(
        first_name=registration.first_name,
        last_name=registration.last_name,
        date_of_birth=registration.date_of_birth,
        email=registration.email,
    )
    ip = actor.ip or "unknown"
    if _budget_spent(f"register-ip:{ip}", REGISTRATIONS_PER_IP_PER_HOUR):
        audit_record(
            event=Event.THROTTLED, success=False, actor=actor, reason="register_rate_limit"
        )
        raise SelfServiceRefused("throttled")
    detail = {"matches": match.matches, "plus_alias": match.plus_alias}
    if match.warn and not duplicates_confirmed:
        audit_record(
            event=Event.REGISTER,
            success=False,
            actor=actor,
            court=court,
            reason="possible_duplicate",
            username=registration.username,
            detail=detail,
        )
        raise SelfServiceRefused("possible_duplicate")
    try:
        with transaction.atomic():
            account = Account(
                username=Account.objects.normalize_username(registration.username),
                first_name=registration.first_name,
                middle_name=registration.middle_name,
                last_name=registration.last_name,
                email=registration.email.strip(),
            )
            _require_policy(registration.password, account=account, mfa=False)
            account = Account.objects.create_user(
                registration.username,
                registration.password,
                first_name=registration.first_name,
                middle_name=registration.middle_name,
                last_name=registration.last_name,
                email=registration.email.strip(),
                date_of_birth=registration.date_of_birth,
                kind=Account.Kind.UPGRADED,
                sharing=Account.Sharing.INDIVIDUAL,
                cja_requested=registration.cja_requested,
                email_verified=False,
                is_active=False,
                review_hold=match.review_hold,
            )
            audit_record(
                event=Event.REGISTER,
                success=True,
                actor=actor,
                subject=account,
                court=court,
                reason="review_hold" if account.review_hold else "created",
                username=account.username,
                detail={**detail, "cja_requested": account.cja_requested},
            )
            _queue_verification(account=account, court=court)
    except IntegrityError:
        reason = "username_taken"
    except SelfServiceRefused as refusal:
        reason = refusal.reason
    else:
        return account
    audit_record(
        event=Event.REGISTER,
        success=False,
        actor=actor,
        court=court,
        reason=reason,
        username=registration.username,
    )
    raise SelfServiceRefused(reason)


def self_service_refused(
    *,
    actor: Actor,
    event: Event,
    court: Court | None,
    reason: str,
    subject: Account | None = None,
    fields: Iterable[str] = (),
) -> None:
    """A self-service page refused what was sent before any workflow ran: a form with
    errors (`fields` names them, never their values) or a link that no longer works.
    Audited, so the log shows the attempt."""
    audit_record(
        event=event,
        success=False,
        actor=actor,
        subject=subject,
        court=court,
        reason=reason,
        detail={"fields": sorted(fields)} if fields else None,
    )


def _verify_unchanged(
    *, actor: Actor, court: Court | None, account: Account | None, outcome: VerifyOutcome
) -> None:
    audit_record(
        event=Event.EMAIL_VERIFIED,
        success=outcome in (VerifyOutcome.ALREADY, VerifyOutcome.ALREADY_USED),
        actor=actor,
        subject=account,
        court=court,
        reason=outcome.audit_reason,
        detail={"link": "used"} if outcome is VerifyOutcome.ALREADY_USED else None,
    )


def email_verify_check(
    *, actor: Actor, court: Court | None, claim: EmailClaim
) -> VerifyOutcome | None:
    """What a verification link shown (not yet used) would do: None when using it would
    verify the address; else the outcome, audited as it stands (already used or verified,
    superseded, or no longer applicable)."""
    account = Account.objects.filter(pk=claim.account_id).first()
    link = EmailLink.objects.filter(nonce=claim.nonce).first()
    outcome = email_verify_state(account=account, claim=claim, link=link)
    if outcome is not None:
        _verify_unchanged(actor=actor, court=court, account=account, outcome=outcome)
    return outcome


def _address_verified(account: Account, claim: EmailClaim) -> bool:
    return account.email_verified and account.email.lower() == claim.address.lower()


def email_verify_state(
    *, account: Account | None, claim: EmailClaim, link: EmailLink | None
) -> VerifyOutcome | None:
    """What using this claim would do now: None when it would verify the address."""
    if account is None or account.pk != claim.account_id:
        return VerifyOutcome.INVALID
    if link is None or link.account_id != account.pk:
        return VerifyOutcome.INVALID
    if link.state is EmailLink.State.USED:
        return (
            VerifyOutcome.ALREADY_USED if _address_verified(account, claim) else VerifyOutcome.USED
        )
    if link.state is EmailLink.State.SUPERSEDED:
        return (
            VerifyOutcome.ALREADY if _address_verified(account, claim) else VerifyOutcome.SUPERSEDED
        )
    email = account.email.lower()
    if claim.new_email:
        if email == claim.new_email.lower() and account.email_verified:
            return VerifyOutcome.ALREADY
        return None if email == claim.current_email.lower() else VerifyOutcome.INVALID
    if email != claim.current_email.lower():
        return VerifyOutcome.INVALID
    return VerifyOutcome.ALREADY if account.email_verified else None


def account_verify_email(*, actor: Actor, court: Court | None, claim: EmailClaim) -> VerifyOutcome:
    """Use an email verification link, once. A registration's account opens (unless held
    for review); an upgrade's new address replaces the old one. Using it again, or a link
    a newer one superseded, changes nothing and says so."""
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(pk=claim.account_id).first()
        link = EmailLink.objects.select_for_update().filter(nonce=claim.nonce).first()
        state = email_verify_state(account=account, claim=claim, link=link)
        if state is None and not EmailLink.objects.consume(nonce=claim.nonce):
            state = VerifyOutcome.USED  # unreachable while the rows are locked; kept as a guard
        if state is not None or account is None:
            outcome = state or VerifyOutcome.INVALID
            _verify_unchanged(actor=actor, court=court, account=account, outcome=outcome)
            return outcome
        if claim.new_email:
            old = account.email
            account.email = claim.new_email
            account.email_verified = True
            account.save(update_fields=["email", "email_verified"])
            audit_record(
                event=Event.EMAIL_CHANGE,
                success=True,
                actor=actor,
                subject=account,
                court=court,
                reason="verified",
                username=account.username,
                detail={"old_email": old, "new_email": account.email},
            )
            return VerifyOutcome.EMAIL_CHANGED
        account.mark_email_verified()
        account.save(update_fields=["email_verified", "is_active"])
        outcome = VerifyOutcome.HELD if account.review_hold else VerifyOutcome.VERIFIED
        audit_record(
            event=Event.EMAIL_VERIFIED,
            success=True,
            actor=actor,
            subject=account,
            court=court,
            reason=str(outcome),
            username=account.username,
        )
        return outcome


def verification_resend(*, actor: Actor, court: Court | None, email: str) -> None:
    """Send a fresh verification link to every unverified account at this address. The
    caller answers the same whether or not there was one."""
    if _recovery_throttled(actor=actor, flow="verify", address=email):
        return
    with transaction.atomic():
        accounts = list(
            Account.objects.holding_email(email).filter(email_verified=False).order_by("pk")[:10]
        )
        for account in accounts:
            _queue_verification(account=account, court=court)
        audit_record(
            event=Event.REGISTER,
            success=bool(accounts),
            actor=actor,
            subject=accounts[0] if len(accounts) == 1 else None,
            court=court,
            reason="verification_resent" if accounts else "no_unverified_account",
            username=accounts[0].username if len(accounts) == 1 else mask_identifier(email),
            detail={"accounts": len(accounts)},
        )


def account_upgrade(
    *,
    actor: Actor,
    signon: SignOn,
    court: Court | None,
    username: str,
    password: str,
    email: str,
    date_of_birth: date | None,
) -> str:
    """Upgrade the signed-on legacy account: new username and password at once, the same
    account number, history and links. The sign-on gets a new token (returned); the
    account's other sign-ons end, as after any password change. A changed email address
    takes effect when the link sent to it is used; the current address is told either way.

    Raises SelfServiceRefused: "already_upgraded", "username_taken", "password_policy".
    """
    try:
        with transaction.atomic():
            account = Account.objects.select_for_update().get(pk=signon.account_id)
            if not account.is_legacy:
                raise SelfServiceRefused("already_upgraded")
            old_username = account.username
            new_email = email.strip()
            email_changes = new_email.lower() != account.email.lower()
            account.username = Account.objects.normalize_username(username)
            _require_policy(password, account=account, mfa=account.has_mfa)
            account.set_password(password)
            account.kind = Account.Kind.UPGRADED
            if account.date_of_birth is None and date_of_birth is not None:
                account.date_of_birth = date_of_birth
            account.save()
            SignOn.objects.live().filter(account=account).exclude(pk=signon.pk).update(
                ended_at=timezone.now(), end_reason="password_changed"
            )
            signon.account = account
            token = signon_rotate(signon=signon)
            audit_record(
                event=Event.UPGRADE,
                success=True,
                actor=actor.with_account(account, signon),
                court=court,
                username=account.username,
                detail={"old_username": old_username, "email_change_requested": email_changes},
            )
            if email_changes:
                audit_record(
                    event=Event.EMAIL_CHANGE_REQUEST,
                    success=True,
                    actor=actor.with_account(account, signon),
                    court=court,
                    reason="upgrade",
                    username=account.username,
                )
                _queue_verification(account=account, court=court, new_email=new_email)
            email_queue(
                kind="upgrade_notice",
                to=account.email,
                template="emails/upgrade_notice.txt",
                context={
                    "account": account,
                    "court": court,
                    "new_email": new_email if email_changes else "",
                    "old_username": old_username,
                },
                account=account,
            )
    except IntegrityError:
        reason = "username_taken"
    except SelfServiceRefused as refusal:
        reason = refusal.reason
    else:
        return token
    audit_record(
        event=Event.UPGRADE,
        success=False,
        actor=actor,
        court=court,
        reason=reason,
        username=username,
    )
    raise SelfServiceRefused(reason)


def password_reset_request(*, actor: Actor, court: Court | None, identifier: str) -> None:
    """Email a reset link to the account named by this username, or to every account at
    this email address. Nothing goes to a disabled or not yet verified account, or when a
    rate limit is spent; the caller answers the same in every case. The account's lockout
    state is neither checked nor changed."""
    identifier = identifier.strip()
    if "@" in identifier:
        accounts = list(Account.objects.holding_email(identifier).order_by("pk")[:10])
        address = identifier
    else:
        found = Account.objects.find_for_login(identifier)
        accounts = [found] if found is not None else []
        address = found.email if found is not None else identifier
    if _recovery_throttled(actor=actor, flow="reset", address=address):
        return
    with transaction.atomic():
        for account in accounts:
            if not account.is_active:
                reason = "disabled" if account.email_verified else "not_verified"
            else:
                reason = "sent"
                link = site_link(
                    "accounts:password_reset",
                    t=reset_token_make(account=account),
                    court=_court_query(court),
                )
                email_queue(
                    kind="password_reset",
                    to=account.email,
                    template="emails/password_reset.txt",
                    context={
                        "account": account,
                        "court": court,
                        "link": link,
                        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                    },
                    account=account,
                )
            audit_record(
                event=Event.PASSWORD_RESET_REQUEST,
                success=reason == "sent",
                actor=actor,
                subject=account,
                court=court,
                reason=reason,
                username=account.username,
            )
        if not accounts:
            audit_record(
                event=Event.PASSWORD_RESET_REQUEST,
                success=False,
                actor=actor,
                court=court,
                reason="unknown_account",
                username=mask_identifier(identifier),
            )


def password_reset_complete(
    *, actor: Actor, court: Court | None, token: str, password: str
) -> Account:
    """Set a new password with a reset token, which then stops working. Every sign-on of
    the account ends and the holder is told by email; nobody is signed on (the next login
    asks for MFA as usual). A login lock is lifted: whoever reset the password proved they
    hold the mailbox, and a lock must never keep the owner out for its full length.

    Raises SelfServiceRefused: "invalid_token", "password_policy".
    """
    try:
        with transaction.atomic():
            found = reset_token_account(token)
            account = (
                Account.objects.select_for_update().filter(pk=found.pk).first() if found else None
            )
            if (
                account is None
                or not account.is_active
                or not reset_token_check(account=account, value=token)
            ):
                raise SelfServiceRefused("invalid_token")
            _require_policy(password, account=account, mfa=account.has_mfa)
            account.set_password(password)
            account.save(update_fields=["password", "password_changed_at"])
            ended = signon_end_all(account=account, reason="password_reset")
            if account.failed_logins or account.locked_until:
                account_unlock(account=account, actor=actor, reason="password_reset")
            audit_record(
                event=Event.PASSWORD_RESET,
                success=True,
                actor=actor,
                subject=account,
                court=court,
                username=account.username,
                detail={"signons_ended": ended},
            )
            email_queue(
                kind="password_reset_done",
                to=account.email,
                template="emails/password_reset_done.txt",
                context={
                    "account": account,
                    "court": court,
                    "changed_at": timezone.now(),
                    "forgot_link": site_link("accounts:forgot_password", court=_court_query(court)),
                },
                account=account,
            )
    except SelfServiceRefused as refusal:
        audit_record(
            event=Event.PASSWORD_RESET,
            success=False,
            actor=actor,
            subject=found,
            court=court,
            reason=refusal.reason,
        )
        raise
    return account


def username_reminder_send(*, actor: Actor, court: Court | None, email: str) -> None:
    """Email every username of the active accounts at this address (ignoring case) to it.
    The caller answers the same whether or not there were any."""
    if _recovery_throttled(actor=actor, flow="username", address=email):
        return
    with transaction.atomic():
        accounts = list(
            Account.objects.holding_email(email).filter(is_active=True).order_by("username")[:50]
        )
        if accounts:
            email_queue(
                kind="username_reminder",
                to=accounts[0].email,
                template="emails/username_reminder.txt",
                context={
                    "accounts": accounts,
                    "court": court,
                    "login_link": site_link("accounts:login", court=_court_query(court)),
                    "forgot_link": site_link("accounts:forgot_password", court=_court_query(court)),
                },
                account=accounts[0] if len(accounts) == 1 else None,
            )
        audit_record(
            event=Event.USERNAME_REMINDER,
            success=bool(accounts),
            actor=actor,
            subject=accounts[0] if len(accounts) == 1 else None,
            court=court,
            reason="sent" if accounts else "unknown_address",
            username=accounts[0].username if len(accounts) == 1 else mask_identifier(email),
            detail={"accounts": len(accounts)},
        )
