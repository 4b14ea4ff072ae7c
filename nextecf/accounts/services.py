"""Sign-on workflows: authenticate, start, rotate and end sign-ons."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from nextecf.accounts.models import Account, AttemptBucket, SignOn, hash_token
from nextecf.accounts.passwords import Identity, password_problems
from nextecf.accounts.tokens import (
    EmailClaim,
    email_token_make,
    reset_token_account,
    reset_token_check,
    reset_token_make,
)
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.http import client_ip
from nextecf.lib.text import mask_identifier, printable
from nextecf.notices.services import email_queue

if TYPE_CHECKING:
    from nextecf.courts.models import Court

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


def account_authenticate(
    *, username: str, password: str, ip: str, request: HttpRequest | None = None
) -> AuthResult:
    """Check a username and password, as the web login and the authentication API do.

    Every attempt costs one password-hash computation, whether the username is unknown,
    the account disabled or locked, or the password checked, so response time does not
    tell which. Only an attempt refused by the per-IP budget is answered without one: that
    answer says nothing about any account. request only enriches the audit rows.
    """
    known = Account.objects.find_for_login(username)
    if not _ip_budget_take(ip, request):
        return AuthResult(failure=AuthFailure.THROTTLED, known=known)
    if known is None:
        make_password(password)
        return AuthResult(failure=AuthFailure.INVALID)
    result = _password_check(account_id=known.pk, password=password, request=request)
    if result.ok:
        _ip_budget_return(ip)
    return result


def _password_check(*, account_id: int, password: str, request: HttpRequest | None) -> AuthResult:
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
            make_password(password)
            return AuthResult(failure=AuthFailure.DISABLED, known=account)
        if account.is_locked(now):
            # Not checked, not counted, and the lock is not extended.
            make_password(password)
            return AuthResult(failure=AuthFailure.LOCKED, known=account)
        if account.locked_until is not None:
            _record_unlock(account=account, request=request, actor=None, reason="lock_expired")
        if account.check_password(password):
            if account.failed_logins or account.lockouts or account.locked_until:
                account.failed_logins = account.lockouts = 0
                account.locked_until = None
                account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
            return AuthResult(account=account, known=account)
        account.failed_logins += 1
        locked_now = account.failed_logins >= settings.LOGIN_LOCKOUT_THRESHOLD
        if locked_now:
            # The count is not reset by a lock: once past the threshold, every further
            # wrong password (after the wait) locks again, for twice as long.
            seconds = lockout_seconds(account.lockouts)
            account.locked_until = now + timedelta(seconds=seconds)
            account.lockouts = min(account.lockouts + 1, LOCKOUTS_CEILING)
            audit_record(
                event=Event.ACCOUNT_LOCKED,
                success=True,
                request=request,
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
        account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
        return AuthResult(failure=AuthFailure.INVALID, known=account, locked_now=locked_now)


def _ip_budget_key(ip: str) -> str:
    return f"login-ip:{ip}"


def _ip_budget_take(ip: str, request: HttpRequest | None) -> bool:
    """Take one attempt from the address's budget of failures; False (and THROTTLED
    audited) when it is spent. Taking before checking keeps parallel attempts within the
    budget; a success gives its attempt back."""
    if not ip:
        return True
    window = timedelta(seconds=settings.LOGIN_IP_WINDOW_SECONDS)
    limit = settings.LOGIN_IP_FAILURES_PER_WINDOW
    with transaction.atomic():
        bucket = AttemptBucket.locked(_ip_budget_key(ip), window)
        allowed = bucket.failures < limit
        if allowed:
            bucket.failures += 1
        bucket.save()
    if not allowed:
        audit_record(
            event=Event.THROTTLED,
            success=False,
            request=request,
            reason="login_ip_budget",
            detail={"limit": limit, "window_seconds": int(window.total_seconds())},
        )
    return allowed


def _ip_budget_return(ip: str) -> None:
    if not ip:
        return
    with transaction.atomic():
        bucket = AttemptBucket.objects.select_for_update().filter(key=_ip_budget_key(ip)).first()
        if bucket is not None and bucket.failures > 0:
            bucket.failures -= 1
            bucket.save(update_fields=["failures"])


def _record_unlock(
    *, account: Account, request: HttpRequest | None, actor: Account | None, reason: str
) -> None:
    """Clear the lock state of a row-locked account and audit the unlock."""
    detail = {
        "failures": account.failed_logins,
        "lockouts": account.lockouts,
        "was_locked": account.locked_until is not None,
    }
    if reason != "lock_expired":  # an expired lock leaves the failure count running
        account.failed_logins = account.lockouts = 0
    account.locked_until = None
    account.save(update_fields=["failed_logins", "lockouts", "locked_until"])
    audit_record(
        event=Event.ACCOUNT_UNLOCKED,
        success=True,
        request=request,
        actor=actor,
        subject=account,
        reason=reason,
        username=account.username,
        detail=detail,
    )


def account_unlock(
    *, account: Account, request: HttpRequest | None, actor: Account | None, reason: str
) -> None:
    """End a lock and forget the failures: staff unlock (reason "staff_unlock") and a
    completed password reset ("password_reset") use this. Audited as ACCOUNT_UNLOCKED."""
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        _record_unlock(account=locked, request=request, actor=actor, reason=reason)
    account.failed_logins = account.lockouts = 0
    account.locked_until = None


def signon_start(
    *,
    account: Account,
    request: HttpRequest,
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
        ip=client_ip(request) or None,
        user_agent=printable(request.META.get("HTTP_USER_AGENT", ""), 256),
    )
    return signon, token


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


def signon_reauthenticate(
    *, signon: SignOn, password: str, ip: str, request: HttpRequest | None = None
) -> ReauthResult:
    """Re-check the password of a live sign-on; a new token on success.

    Wrong passwords count in the account's one lockout counter and the address's budget,
    exactly as at login, so the form is no side door for guessing. The failure that locks
    the account also ends this sign-on: a borrowed browser cannot keep guessing.
    """
    if not _ip_budget_take(ip, request):
        return ReauthResult(failure=AuthFailure.THROTTLED)
    result = _password_check(account_id=signon.account_id, password=password, request=request)
    if result.ok:
        _ip_budget_return(ip)
        signon.authenticated_at = signon.last_seen_at = timezone.now()
        return ReauthResult(token=signon_rotate(signon=signon))
    if result.locked_now:
        signon_end(signon=signon, reason="reauth_failures")
    return ReauthResult(failure=result.failure, signed_off=result.locked_now)


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


# --- Manage My Account ----------------------------------------------------------------------

EMAIL_CHANGE_SALT = "nextecf.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60
PENDING_SIGNON_SECONDS = 600


def signons_live(*, account: Account) -> list[SignOn]:
    """The account's sign-ons that still work (or, when pending, can still be finished),
    newest first. Expired ones the middleware has not yet closed are left out."""
    now = timezone.now()
    live = []
    for signon in SignOn.objects.live().filter(account=account).order_by("-created_at", "-pk"):
        if signon.stage == SignOn.Stage.PENDING:
            if now - signon.created_at < timedelta(seconds=PENDING_SIGNON_SECONDS):
                live.append(signon)
        elif signon.expiry_reason(now) is None:
            live.append(signon)
    return live


def signon_ref(signon: SignOn) -> str:
    """The digest the audit log uses for a sign-on (never its token)."""
    return hashlib.sha256(f"signon:{signon.pk}".encode()).hexdigest()[:16]


def signon_end_others(*, signon: SignOn, reason: str, request: HttpRequest | None = None) -> int:
    """End every other live sign-on of the account (web and API); audited when any ends."""
    others = list(SignOn.objects.live().filter(account_id=signon.account_id).exclude(pk=signon.pk))
    for other in others:
        signon_end(signon=other, reason=reason)
    if others:
        audit_record(
            event=Event.SIGNON_ENDED,
            success=True,
            request=request,
            actor=signon.account,
            reason=reason,
            detail={"ended": len(others), "signons": [signon_ref(o) for o in others]},
        )
    return len(others)


def signon_end_one(
    *, account: Account, signon_id: int, current: SignOn, request: HttpRequest
) -> SignOn | None:
    """End one other sign-on of this account; None when there is no such live one."""
    other = (
        SignOn.objects.live().filter(account=account, pk=signon_id).exclude(pk=current.pk).first()
    )
    if other is None:
        return None
    signon_end(signon=other, reason="ended_by_user")
    audit_record(
        event=Event.SIGNON_ENDED,
        success=True,
        request=request,
        actor=account,
        reason="ended_by_user",
        detail={"ended": 1, "signons": [signon_ref(other)]},
    )
    return other


def profile_update(
    *, account: Account, first_name: str, middle_name: str, last_name: str, request: HttpRequest
) -> list[str]:
    """Change the account holder's names; returns the fields that changed (audited)."""
    wanted = {"first_name": first_name, "middle_name": middle_name, "last_name": last_name}
    changed = [field for field, value in wanted.items() if getattr(account, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(account, field, wanted[field])
    with transaction.atomic():
        account.save(update_fields=changed)
        audit_record(
            event=Event.PROFILE_CHANGE,
            success=True,
            request=request,
            actor=account,
            detail={"fields": changed},
        )
    return changed


def billing_prefs_update(
    *,
    account: Account,
    client_code_required: bool,
    client_code_format: str,
    request: HttpRequest,
) -> bool:
    """Set whether every session needs a client code and the format codes must have."""
    if (account.client_code_required, account.client_code_format) == (
        client_code_required,
        client_code_format,
    ):
        return False
    account.client_code_required = client_code_required
    account.client_code_format = client_code_format
    with transaction.atomic():
        account.save(update_fields=["client_code_required", "client_code_format"])
        audit_record(
            event=Event.BILLING_PREFS_CHANGE,
            success=True,
            request=request,
            actor=account,
            detail={"client_code_required": client_code_required, "format": client_code_format},
        )
    return True


class PasswordChangeRefused(Exception):
    """The change was refused; `field` names the form field the messages belong to."""

    def __init__(self, field: str, messages: list[str], *, signed_off: bool = False) -> None:
        super().__init__(" ".join(messages))
        self.field = field
        self.messages = messages
        self.signed_off = signed_off


def password_change(
    *, signon: SignOn, current_password: str, new_password: str, request: HttpRequest
) -> str:
    """Change the password of a signed-on account and return the sign-on's new token.

    The current password is checked like a re-authentication (wrong ones count toward the
    account's lockout); every other sign-on of the account ends, and the account is
    emailed. PasswordChangeRefused when the current password is wrong or the new one is
    not allowed.
    """
    account = signon.account
    problems = password_problems(
        new_password,
        identity=Identity(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
        ),
        mfa=account.has_mfa,
    )
    if problems:
        raise PasswordChangeRefused("new_password", problems)
    check = signon_reauthenticate(
        signon=signon, password=current_password, ip=client_ip(request), request=request
    )
    if not check.token:
        audit_record(
            event=Event.PASSWORD_CHANGE,
            success=False,
            request=request,
            actor=account,
            reason="signed_off" if check.signed_off else str(check.failure),
        )
        message = (
            "Current password is not correct."
            if check.failure is AuthFailure.INVALID
            else "Too many unsuccessful attempts. Try again later, or reset your password."
        )
        raise PasswordChangeRefused("current_password", [message], signed_off=check.signed_off)
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password", "password_changed_at"])
        ended = signon_end_others(signon=signon, reason="password_change", request=request)
        audit_record(
            event=Event.PASSWORD_CHANGE,
            success=True,
            request=request,
            actor=account,
            detail={"other_signons_ended": ended},
        )
        email_queue(
            kind="password_changed",
            to=account.email,
            template="emails/password_changed.txt",
            context={"account": account, "when": timezone.now(), "ended": ended},
            account=account,
        )
    return check.token


def _email_fingerprint(account: Account) -> str:
    """Binds a change link to the address the account has now: once it changes (this link
    or another one used), every outstanding link stops working."""
    return salted_hmac(EMAIL_CHANGE_SALT, f"{account.pk}:{account.email.lower()}").hexdigest()[:32]


def email_change_link(*, account: Account, new_email: str) -> str:
    token = signing.dumps(
        {"a": account.pk, "e": new_email, "c": _email_fingerprint(account)},
        salt=EMAIL_CHANGE_SALT,
    )
    path = reverse("manage:email_confirm")
    return f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode({'t': token})}"


def email_change_request(*, account: Account, new_email: str, request: HttpRequest) -> None:
    """Mail a confirmation link (valid 24 hours) to the new address and a notice to the
    current one. The address changes only when the link is used."""
    with transaction.atomic():
        audit_record(
            event=Event.EMAIL_CHANGE_REQUEST,
            success=True,
            request=request,
            actor=account,
            detail={"new_email": new_email},
        )
        email_queue(
            kind="email_change_confirm",
            to=new_email,
            template="emails/email_change_confirm.txt",
            context={
                "account": account,
                "link": email_change_link(account=account, new_email=new_email),
                "hours": EMAIL_CHANGE_MAX_AGE // 3600,
            },
            account=account,
        )
        email_queue(
            kind="email_change_notice",
            to=account.email,
            template="emails/email_change_notice.txt",
            context={"account": account, "new_email": new_email, "when": timezone.now()},
            account=account,
        )


class EmailChangeInvalid(Exception):
    """The link is wrong, expired, already used, superseded, or for another account."""


def email_change_target(*, account: Account, token: str) -> str:
    """The new address an email change link asks for; EmailChangeInvalid unless it is
    this account's, unexpired, and made for the address the account has now."""
    if not token or len(token) > 2000:
        raise EmailChangeInvalid
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        raise EmailChangeInvalid from None
    if not isinstance(data, dict):
        raise EmailChangeInvalid
    new_email, fingerprint = data.get("e"), data.get("c")
    if data.get("a") != account.pk or not isinstance(new_email, str):
        raise EmailChangeInvalid
    if not isinstance(fingerprint, str) or not constant_time_compare(
        fingerprint, _email_fingerprint(account)
    ):
        raise EmailChangeInvalid
    return new_email


def email_change_confirm(*, account: Account, token: str, request: HttpRequest) -> str:
    """Use an email change link: the account's address becomes the new one (and counts as
    verified). The old address is told. Returns the new address."""
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        new_email = email_change_target(account=locked, token=token)
        old_email = locked.email
        locked.email = new_email
        locked.email_verified = True
        locked.save(update_fields=["email", "email_verified"])
        account.email, account.email_verified = new_email, True
        audit_record(
            event=Event.EMAIL_CHANGE,
            success=True,
            request=request,
            actor=account,
            detail={"old_email": old_email, "new_email": new_email},
        )
        email_queue(
            kind="email_changed",
            to=old_email,
            template="emails/email_changed.txt",
            context={"account": account, "new_email": new_email, "when": timezone.now()},
            account=account,
        )
    return new_email


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
    INVALID = "invalid"  # the link no longer applies (the address changed since)


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


def _recovery_throttled(*, request: HttpRequest, flow: str, address: str) -> bool:
    """Count a recovery request against its IP's and its address's hourly budgets; True,
    audited as THROTTLED, when either is spent. The caller then sends nothing but answers
    as usual, so the limit tells nothing either."""
    ip = client_ip(request) or "unknown"
    over_ip = _budget_spent(f"{flow}-ip:{ip}", RECOVERY_PER_IP_PER_HOUR)
    over_address = _budget_spent(
        f"{flow}-addr:{address.strip().lower()}", RECOVERY_PER_ADDRESS_PER_HOUR
    )
    if over_ip or over_address:
        audit_record(
            event=Event.THROTTLED,
            success=False,
            request=request,
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
    request: HttpRequest,
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
    ip = client_ip(request) or "unknown"
    if _budget_spent(f"register-ip:{ip}", REGISTRATIONS_PER_IP_PER_HOUR):
        audit_record(
            event=Event.THROTTLED, success=False, request=request, reason="register_rate_limit"
        )
        raise SelfServiceRefused("throttled")
    detail = {"matches": match.matches, "plus_alias": match.plus_alias}
    if match.warn and not duplicates_confirmed:
        audit_record(
            event=Event.REGISTER,
            success=False,
            request=request,
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
                request=request,
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
        request=request,
        court=court,
        reason=reason,
        username=registration.username,
    )
    raise SelfServiceRefused(reason)


def email_verify_state(*, account: Account | None, claim: EmailClaim) -> VerifyOutcome | None:
    """What using this claim would do now: None when it would verify the address."""
    if account is None or account.pk != claim.account_id:
        return VerifyOutcome.INVALID
    email = account.email.lower()
    if claim.new_email:
        if email == claim.new_email.lower() and account.email_verified:
            return VerifyOutcome.ALREADY
        return None if email == claim.current_email.lower() else VerifyOutcome.INVALID
    if email != claim.current_email.lower():
        return VerifyOutcome.INVALID
    return VerifyOutcome.ALREADY if account.email_verified else None


def account_verify_email(
    *, request: HttpRequest, court: Court | None, claim: EmailClaim
) -> VerifyOutcome:
    """Use an email verification link. A registration's account opens (unless held for
    review); an upgrade's new address replaces the old one. Using it again changes nothing
    and says the address is already verified."""
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(pk=claim.account_id).first()
        state = email_verify_state(account=account, claim=claim)
        if state is not None or account is None:
            outcome = state or VerifyOutcome.INVALID
            audit_record(
                event=Event.EMAIL_VERIFIED,
                success=outcome is VerifyOutcome.ALREADY,
                request=request,
                subject=account,
                court=court,
                reason=str(outcome),
            )
            return outcome
        if claim.new_email:
            old = account.email
            account.email = claim.new_email
            account.email_verified = True
            account.save(update_fields=["email", "email_verified"])
            audit_record(
                event=Event.EMAIL_CHANGE,
                success=True,
                request=request,
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
            request=request,
            subject=account,
            court=court,
            reason=str(outcome),
            username=account.username,
        )
        return outcome


def verification_resend(*, request: HttpRequest, court: Court | None, email: str) -> None:
    """Send a fresh verification link to every unverified account at this address. The
    caller answers the same whether or not there was one."""
    if _recovery_throttled(request=request, flow="verify", address=email):
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
            request=request,
            subject=accounts[0] if len(accounts) == 1 else None,
            court=court,
            reason="verification_resent" if accounts else "no_unverified_account",
            username=accounts[0].username if len(accounts) == 1 else mask_identifier(email),
            detail={"accounts": len(accounts)},
        )


def account_upgrade(
    *,
    request: HttpRequest,
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
                request=request,
                actor=account,
                court=court,
                username=account.username,
                detail={"old_username": old_username, "email_change_requested": email_changes},
            )
            if email_changes:
                audit_record(
                    event=Event.EMAIL_CHANGE_REQUEST,
                    success=True,
                    request=request,
                    actor=account,
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
        request=request,
        court=court,
        reason=reason,
        username=username,
    )
    raise SelfServiceRefused(reason)


def password_reset_request(*, request: HttpRequest, court: Court | None, identifier: str) -> None:
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
    if _recovery_throttled(request=request, flow="reset", address=address):
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
                request=request,
                subject=account,
                court=court,
                reason=reason,
                username=account.username,
            )
        if not accounts:
            audit_record(
                event=Event.PASSWORD_RESET_REQUEST,
                success=False,
                request=request,
                court=court,
                reason="unknown_account",
                username=mask_identifier(identifier),
            )


def password_reset_complete(
    *, request: HttpRequest, court: Court | None, token: str, password: str
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
                account_unlock(
                    account=account, request=request, actor=None, reason="password_reset"
                )
            audit_record(
                event=Event.PASSWORD_RESET,
                success=True,
                request=request,
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
            request=request,
            subject=found,
            court=court,
            reason=refusal.reason,
        )
        raise
    return account


def username_reminder_send(*, request: HttpRequest, court: Court | None, email: str) -> None:
    """Email every username of the active accounts at this address (ignoring case) to it.
    The caller answers the same whether or not there were any."""
    if _recovery_throttled(request=request, flow="username", address=email):
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
            request=request,
            subject=accounts[0] if len(accounts) == 1 else None,
            court=court,
            reason="sent" if accounts else "unknown_address",
            username=accounts[0].username if len(accounts) == 1 else mask_identifier(email),
            detail={"accounts": len(accounts)},
        )
