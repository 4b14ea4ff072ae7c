"""Authenticating, locking out, and the life of a sign-on: start, rotate, re-authenticate, end."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, SignOn, hash_token
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.text import mask_identifier
from nextecf.outbox.services import email_queue

if TYPE_CHECKING:
    pass

# --- Password checks, lockout and the per-IP budget ---------------------------------------
#
# Denial-of-service stance: anyone can type a username, so anyone can lock an account.
# The lock is therefore always temporary (30 s doubling to at most an hour by default),
# never permanent; while it lasts the password is not even checked, so guessing gains
# nothing. Password reset by email is never blocked by it, and proving control of the
# email address is stronger than a password, so a completed reset may lift the lock
# through account_unlock; staff can unlock at once in the staff tools. Guessing across
# many accounts from one address is held back by the per-IP budget instead.

# lockouts is a small integer field; past its range the wait is long since at the cap.
LOCKOUTS_CEILING = 32767


class AuthFailure(StrEnum):
    """Why a password check failed. Only ever for the audit log and the caller's own
    decisions: every one of them looks the same to the person at the keyboard."""

    INVALID = "invalid_credentials"  # unknown username or wrong password
    LOCKED = "locked"  # too many wrong passwords lately; the password was not checked
    THROTTLED = "throttled"  # too many failures from this address; nothing was checked
    DISABLED = "disabled"


@dataclass(frozen=True)
class AuthResult:
    account: Account | None = None  # the signed-on account, only on success
    failure: AuthFailure | None = None
    known: Account | None = None  # the account the username names, for the audit log
    locked_now: bool = False  # this failure locked the account

    @property
    def ok(self) -> bool:
        return self.account is not None


def lockout_seconds(lockouts: int) -> int:
    """How long the lock after `lockouts` earlier locks lasts: base x 2^lockouts, capped."""
    base: int = settings.LOGIN_LOCKOUT_BASE_SECONDS
    cap: int = settings.LOGIN_LOCKOUT_MAX_SECONDS
    wait: int = base * 2 ** min(lockouts, 32)
    return min(wait, cap)


def account_authenticate(*, username: str, password: str, actor: Actor) -> AuthResult:
    """Check a username and password, as the web login and the authentication API do.

    Every attempt costs one password-hash computation, whether the username is unknown,
    the account disabled or locked, or the password checked, so response time does not
    tell which.

    The per-IP budget (the actor's address) holds back failures, never a right password:
    30 wrong passwords from an address shared by a whole office (or from an attacker who
    shares it) must not keep everyone behind it out. So past the budget the password is
    still checked; a right one signs on, a wrong one is answered THROTTLED only after
    LOGIN_IP_THROTTLE_DELAY_MS, which slows guessing from that address without
    refusing anyone their own account. Each account's own lock still stops guessing at it.
    """
    known = Account.objects.find_for_login(username)
    within_budget = _ip_budget_take(actor)
    if known is None:
        make_password(password)
        result = AuthResult(failure=AuthFailure.INVALID)
    else:
        result = _password_check(account_id=known.pk, password=password, actor=actor)
    if result.ok:
        if within_budget:
            _ip_budget_return(actor.ip)
        return result
    if not within_budget:
        _throttled(actor)
        return AuthResult(failure=AuthFailure.THROTTLED, known=known)
    return result


def _password_check(*, account_id: int, password: str, actor: Actor) -> AuthResult:
    """Check the password while holding the account's row lock, so that parallel attempts
    are counted one after another: N parallel wrong passwords cost at most the threshold in
    verifications before the lock stops the rest. (On SQLite every write transaction is
    IMMEDIATE, which serialises them all the same.)"""
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(pk=account_id).first()
        if account is None:  # deleted a moment ago
            make_password(password)
            return AuthResult(failure=AuthFailure.INVALID)
        now = timezone.now()
        if not account.is_active:
            if account.email_verified or account.review_hold:
                make_password(password)
            elif account.check_password(password):
                # The owner, whose address is still unverified: the page says what it says
                # to everyone; their own inbox gets a fresh link (one hash either way).
                _verification_remind(account=account, actor=actor)
            return AuthResult(failure=AuthFailure.DISABLED, known=account)
        if account.is_locked(now):
            # Not checked, not counted, and the lock is not extended.
            make_password(password)
            return AuthResult(failure=AuthFailure.LOCKED, known=account)
        if account.locked_until is not None:
            _record_unlock(account=account, actor=actor, reason="lock_expired")
        if account.check_password(password):
            if account.failed_logins or account.lockouts or account.locked_until:
                account.failed_logins = account.lockouts = 0
                account.locked_until = None
                account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
            return AuthResult(account=account, known=account)
        account.failed_logins += 1
        locked_now = account.failed_logins >= settings.LOGIN_LOCKOUT_THRESHOLD
        if locked_now:
            # Each lock after a recent one lasts twice as long (see _record_unlock).
            seconds = lockout_seconds(account.lockouts)
            account.locked_until = now + timedelta(seconds=seconds)
            account.lockouts = min(account.lockouts + 1, LOCKOUTS_CEILING)
            audit_record(
                event=Event.ACCOUNT_LOCKED,
                success=True,
                actor=actor,
                subject=account,
                reason="too_many_failures",
                username=account.username,
                detail={
                    "failures": account.failed_logins,
                    "lockouts": account.lockouts,
                    "seconds": seconds,
                    "temporary": True,
                },
            )
            _lock_notice(account=account, locked_at=now)
        account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
        return AuthResult(failure=AuthFailure.INVALID, known=account, locked_now=locked_now)


def _lock_notice(*, account: Account, locked_at: datetime) -> None:
    """Tell the account's own address (never the person at the login page, who may be
    anyone) that it is locked, until when, and how to open it sooner."""
    from nextecf.accounts.services.selfservice import site_link

    email_queue(
        kind="account_locked",
        to=account.email,
        template="emails/account_locked.txt",
        context={
            "account": account,
            "locked_at": timezone.localtime(locked_at),
            "locked_until": timezone.localtime(account.locked_until),
            "failures": account.failed_logins,
            "reset_link": site_link("accounts:forgot_password"),
        },
        account=account,
    )


def _verification_remind(*, account: Account, actor: Actor) -> None:
    """A right password for an account whose address is not yet verified: a fresh link to
    that address, within the verification emails' hourly budgets."""
    from nextecf.accounts.services.selfservice import (
        _queue_verification,
        _recovery_throttled,
    )

    if _recovery_throttled(actor=actor, flow="verify", address=account.email):
        return
    _queue_verification(account=account, court=actor.court)
    audit_record(
        event=Event.REGISTER,
        success=True,
        actor=actor,
        subject=account,
        reason="verification_resent_at_login",
        username=account.username,
    )


def _ip_budget_key(ip: str) -> str:
    return f"login-ip:{ip}"


def _ip_budget_take(actor: Actor) -> bool:
    """Take one attempt from the address's budget of failures; False when it is spent.
    Taking before checking keeps parallel attempts within the budget; a success gives its
    attempt back."""
    ip = actor.ip
    if not ip:
        return True
    return AttemptBucket.take(
        _ip_budget_key(ip),
        limit=settings.LOGIN_IP_FAILURES_PER_WINDOW,
        window=timedelta(seconds=settings.LOGIN_IP_WINDOW_SECONDS),
    )


def _throttled(actor: Actor) -> None:
    """A failure past the address's budget: audited, and answered only after a delay."""
    audit_record(
        event=Event.THROTTLED,
        success=False,
        actor=actor,
        reason="login_ip_budget",
        detail={
            "limit": settings.LOGIN_IP_FAILURES_PER_WINDOW,
            "window_seconds": settings.LOGIN_IP_WINDOW_SECONDS,
        },
    )
    delay: int = settings.LOGIN_IP_THROTTLE_DELAY_MS
    if delay > 0:
        time.sleep(delay / 1000)


def _ip_budget_return(ip: str) -> None:
    if ip:
        AttemptBucket.give_back(_ip_budget_key(ip))


def _record_unlock(*, account: Account, actor: Actor, reason: str) -> None:
    """Clear the lock state of a row-locked account and audit the unlock."""
    detail = {
        "failures": account.failed_logins,
        "lockouts": account.lockouts,
        "was_locked": account.locked_until is not None,
    }
    if reason != "lock_expired":
        account.failed_logins = account.lockouts = 0
    else:
        # The lock is temporary by rule: once it has ended, only a fresh run of threshold
        # failures locks again, so one wrong password an hour cannot hold it shut. The
        # ladder (lockouts) remembers recent locks to make the next one longer, and is
        # forgotten once a whole longest lock has passed since this one ended.
        account.failed_logins = 0
        longest = timedelta(seconds=settings.LOGIN_LOCKOUT_MAX_SECONDS)
        if account.locked_until is not None and timezone.now() - account.locked_until >= longest:
            account.lockouts = 0
    account.locked_until = None
    account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
    audit_record(
        event=Event.ACCOUNT_UNLOCKED,
        success=True,
        actor=actor,
        subject=account,
        reason=reason,
        username=account.username,
        detail=detail,
    )


def account_unlock(*, account: Account, actor: Actor, reason: str) -> None:
    """End a lock and forget the failures: staff unlock (reason "staff_unlock", the actor
    is the staff member) and a completed password reset ("password_reset") use this.
    Audited as ACCOUNT_UNLOCKED."""
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        _record_unlock(account=locked, actor=actor, reason=reason)
    account.failed_logins = account.lockouts = 0
    account.locked_until = None


def signon_start(
    *,
    account: Account,
    actor: Actor,
    via: SignOn.Via,
    pending: bool,
    client_code: str = "",
    court_id: str = "",
) -> tuple[SignOn, str]:
    """A new sign-on and its token. Exemption status starts off at every login."""
    token = SignOn.new_token()
    now = timezone.now()
    signon = SignOn.objects.create(
        account=account,
        token_hash=hash_token(token),
        stage=SignOn.Stage.PENDING if pending else SignOn.Stage.ACTIVE,
        via=via,
        court_id=court_id,
        created_at=now,
        authenticated_at=now,
        last_seen_at=now,
        client_code=client_code,
        exempt=False,
        ip=actor.ip or None,
        user_agent=actor.user_agent,
    )
    return signon, token


# --- The web login ---------------------------------------------------------------------------


def account_login(*, username: str, password: str, actor: Actor) -> AuthResult:
    """The web login's password check. A failure of any kind is audited as LOGIN_ERROR
    (the person is told only that it failed); an unknown username is kept masked."""
    result = account_authenticate(username=username, password=password, actor=actor)
    if result.account is None:
        known = result.known
        audit_record(
            event=Event.LOGIN_ERROR,
            success=False,
            actor=actor,
            subject=known,
            reason=str(result.failure),
            username=username if known else mask_identifier(username),
        )
    return result


def signon_login_start(
    *, account: Account, actor: Actor, pending: bool, client_code: str, court_id: str
) -> tuple[SignOn, str]:
    """The web sign-on after a right password: pending when steps remain (a second factor,
    the redaction agreement, a client code), audited as LOGIN_STEP then."""
    signon, token = signon_start(
        account=account,
        actor=actor,
        via=SignOn.Via.WEB,
        pending=pending,
        client_code=client_code,
        court_id=court_id,
    )
    if pending:
        audit_record(
            event=Event.LOGIN_STEP,
            success=True,
            actor=actor.with_account(account),
            reason="password_ok",
        )
    return signon, token


def signon_login_step_refused(*, actor: Actor, signon: SignOn) -> None:
    """A login step was posted without what it needs; the sign-on stays pending."""
    audit_record(
        event=Event.LOGIN_STEP,
        success=False,
        actor=actor.with_account(signon.account),
        reason="incomplete",
    )


def signon_login_complete(*, actor: Actor, signon: SignOn) -> None:
    """A web login is complete: its sign-on is active. Audited as LOGIN."""
    audit_record(
        event=Event.LOGIN,
        success=True,
        actor=actor.with_account(signon.account, signon),
        username=signon.account.username,
        detail={"client_code": bool(signon.client_code)},
    )


def signon_logout(*, actor: Actor, signon: SignOn) -> None:
    """End the person's own sign-on (Logout). Audited as LOGOUT."""
    signon_end(signon=signon, reason="logout")
    audit_record(event=Event.LOGOUT, success=True, actor=actor)


def signon_reauth(*, actor: Actor, signon: SignOn, password: str) -> ReauthResult:
    """The re-authentication page: signon_reauthenticate, audited as REAUTH or
    REAUTH_ERROR."""
    result = signon_reauthenticate(signon=signon, password=password, actor=actor)
    if result.token:
        audit_record(event=Event.REAUTH, success=True, actor=actor)
    else:
        audit_record(
            event=Event.REAUTH_ERROR,
            success=False,
            actor=actor,
            reason="signed_off" if result.signed_off else str(result.failure),
        )
    return result


def signon_find_pending(*, token: str, max_age_seconds: int = 600) -> SignOn | None:
    if not token or len(token) > 256:
        return None
    signon = (
        SignOn.objects.select_related("account")
        .filter(
            token_hash=hash_token(token),
            stage=SignOn.Stage.PENDING,
            ended_at__isnull=True,
            created_at__gte=timezone.now() - timedelta(seconds=max_age_seconds),
        )
        .first()
    )
    if signon is None or not signon.account.is_active:
        return None
    return signon


def signon_activate(*, signon: SignOn, client_code: str, redaction_agreed: bool) -> str:
    """Finish a pending login: it becomes a full sign-on under a new token."""
    signon.stage = SignOn.Stage.ACTIVE
    signon.client_code = client_code
    signon.redaction_agreed = redaction_agreed
    signon.authenticated_at = signon.last_seen_at = timezone.now()
    return signon_rotate(signon=signon)


def signon_rotate(*, signon: SignOn) -> str:
    """Give the sign-on a new token (privilege or authentication changed); the old token
    and any half-finished link confirmation bound to it stop working."""
    token = SignOn.new_token()
    signon.token_hash = hash_token(token)
    with transaction.atomic():
        signon.save()
        signon.pending_links.all().delete()
    return token


@dataclass(frozen=True)
class ReauthResult:
    token: str = ""  # the sign-on's new token, on success
    failure: AuthFailure | None = None
    signed_off: bool = False  # the failure locked the account and ended the sign-on


def signon_reauthenticate(*, signon: SignOn, password: str, actor: Actor) -> ReauthResult:
    """Re-check the password of a live sign-on; a new token on success.

    Wrong passwords count in the account's one lockout counter and the address's budget,
    exactly as at login, so the form is no side door for guessing. The failure that locks
    the account also ends this sign-on: a borrowed browser cannot keep guessing.
    """
    within_budget = _ip_budget_take(actor)
    result = _password_check(account_id=signon.account_id, password=password, actor=actor)
    if result.ok:
        if within_budget:
            _ip_budget_return(actor.ip)
        signon.authenticated_at = signon.last_seen_at = timezone.now()
        return ReauthResult(token=signon_rotate(signon=signon))
    if result.locked_now:
        signon_end(signon=signon, reason="reauth_failures")
    if not within_budget:
        _throttled(actor)
        return ReauthResult(failure=AuthFailure.THROTTLED, signed_off=result.locked_now)
    return ReauthResult(failure=result.failure, signed_off=result.locked_now)


def signon_client_code_set(*, actor: Actor, signon: SignOn, client_code: str) -> None:
    """Utilities > Change Client Code: the code this sign-on's charges carry from now on
    (already checked against the account's rules by the caller's form). Audited."""
    with transaction.atomic():
        signon.client_code = client_code
        signon.save(update_fields=["client_code"])
        audit_record(
            event=Event.CLIENT_CODE_CHANGE,
            success=True,
            actor=actor,
            detail={"client_code": client_code},
        )


def signon_exemption_refused(*, actor: Actor, reason: str) -> None:
    """A person who may not switch exempt status asked to (the access policy said no)."""
    audit_record(event=Event.EXEMPTION_CHANGE, success=False, actor=actor, reason=reason)


def signon_exemption_set(*, actor: Actor, signon: SignOn, exempt: bool) -> None:
    """Switch a CJA-eligible person's sign-on to exempt or back (whether they may is the
    access policy's decision, made before). Audited."""
    with transaction.atomic():
        signon.exempt = exempt
        signon.save(update_fields=["exempt"])
        audit_record(
            event=Event.EXEMPTION_CHANGE, success=True, actor=actor, detail={"exempt": exempt}
        )


def signon_end(*, signon: SignOn, reason: str) -> None:
    if signon.ended_at is None:
        signon.ended_at = timezone.now()
        signon.end_reason = reason
        with transaction.atomic():
            signon.save(update_fields=["ended_at", "end_reason"])
            signon.pending_links.all().delete()


def signon_end_all(*, account: Account, reason: str) -> int:
    """End every live sign-on of the account (disabling it, staff action)."""
    return (
        SignOn.objects.live()
        .filter(account=account)
        .update(ended_at=timezone.now(), end_reason=reason)
    )


def signon_touch(*, signon: SignOn) -> None:
    """The person asked to stay signed in: now counts as activity for the idle timeout
    (the absolute timeout stays where it was)."""
    now = timezone.now()
    SignOn.objects.filter(pk=signon.pk, ended_at__isnull=True).update(last_seen_at=now)
    signon.last_seen_at = now
