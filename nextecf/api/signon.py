"""The PACER-compatible authentication API (cso-auth, cso-logout): its login rules.

The password check, lockout and per-IP budget are the web login's own
(services.account_authenticate), so the API is no side door for guessing. What the API adds
is PACER's answer codes and messages (nextgen-facts §2.3):

* "1"  no sign-on: bad credentials (unknown, wrong, locked, throttled or disabled: one and
       the same message), a filer without redactFlag "1", or a client code PACER's rules
       refuse (that is the caller's mistake, not a credential failure, so it is refused
       before the password is even looked at and counts toward no lockout);
* "13" the password was right but the account has an authenticator app and otpCode was
       missing or not accepted. A wrong password answers "1" whatever otpCode holds, so
       "13" never tells an attacker anything about a code without the password;
* "0"  signed on; errorDescription may still carry a warning about the client code.

Nothing secret (password, one-time code, token) is ever written to the audit log.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from nextecf.accounts.clientcodes import MISSING, account_code_problem, validate_client_code
from nextecf.accounts.mfa import mfa_skip, mfa_verify
from nextecf.accounts.models import Account, SignOn, hash_token
from nextecf.accounts.services import account_authenticate, signon_end, signon_start
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.selectors import has_filing_rights
from nextecf.lib.actor import Actor
from nextecf.lib.text import mask_identifier

LOGIN_OK = "0"
LOGIN_FAILED = "1"
LOGIN_OTP_NEEDED = "13"

INVALID_CREDENTIALS = "Invalid username or password"
INVALID_OTP = "Invalid username, password, or one-time passcode"
# PACER's own words when a filer logs in without redactFlag "1" (nextgen-facts §1.5, §2.3).
REDACTION_REQUIRED = (
    "All filers must redact: Social Security or taxpayer identification numbers; dates of "
    "birth; names of minor children; financial account numbers; and in criminal cases, home "
    "addresses, in compliance with Fed. R. App. P. 25(a)(5), Fed. R. Civ. P. 5.2, Fed. R. "
    "Crim. P. 49.1, or Fed. R. Bankr. P. 9037. This requirement applies to all documents, "
    "including attachments."
)
CLIENT_CODE_MISSING = "A required Client Code was not entered"
INVALID_CLIENT_CODE = "Invalid Client Code Entered"


@dataclass(frozen=True)
class ApiLogin:
    """What cso-auth answers: loginResult, errorDescription and, on success only, the
    token (nextGenCSO)."""

    result: str
    description: str = ""
    token: str = ""
    signon: SignOn | None = None

    @property
    def ok(self) -> bool:
        return self.result == LOGIN_OK


def _refuse(
    actor: Actor,
    *,
    result: str,
    description: str,
    reason: str,
    account: Account | None = None,
    username: str = "",
) -> ApiLogin:
    audit_record(
        event=Event.API_AUTH_ERROR,
        success=False,
        actor=actor,
        subject=account,
        reason=reason,
        username=username,
    )
    return ApiLogin(result=result, description=description)


def api_signon_login(
    *,
    actor: Actor,
    login_id: str,
    password: str,
    client_code: str = "",
    otp_code: str = "",
    redact_flag: str = "",
) -> ApiLogin:
    """Check a cso-auth request and, when it passes, start an API sign-on (SignOn.Via.API,
    not exempt, with the client code). See the module docstring for the answer codes."""
    # The API authenticates from the body alone: a browser cookie that came along must not
    # lend its account to the audit rows of this attempt.
    actor = dataclasses.replace(actor, account=None, signon=None)
    username = login_id.strip()
    client_code = client_code.strip()
    code_error = validate_client_code(client_code)
    if code_error:
        return _refuse(
            actor,
            result=LOGIN_FAILED,
            description=f"{INVALID_CLIENT_CODE}: Client Code {code_error}.",
            reason="invalid_client_code",
            username=mask_identifier(username),
        )

    checked = account_authenticate(username=username, password=password, actor=actor)
    account = checked.account
    if account is None:
        known = checked.known
        return _refuse(
            actor,
            result=LOGIN_FAILED,
            description=INVALID_CREDENTIALS,
            reason=str(checked.failure),
            account=known,
            username=username if known else mask_identifier(username),
        )

    # The password was right. The redaction agreement is checked before the one-time code,
    # so that a filer who forgot the flag can retry at once with the same (unspent) code.
    filer = has_filing_rights(account)
    if filer and redact_flag != "1":
        return _refuse(
            actor,
            result=LOGIN_FAILED,
            description=REDACTION_REQUIRED,
            reason="redaction_not_agreed",
            account=account,
            username=account.username,
        )

    mfa_method = ""
    if account.has_mfa:
        code = otp_code.strip()
        if not code:
            return _refuse(
                actor,
                result=LOGIN_OTP_NEEDED,
                description=INVALID_OTP,
                reason="otp_missing",
                account=account,
                username=account.username,
            )
        # Security trade-off, decided here: an accepted code is accepted once, as at the web
        # login (mfa_verify's replay protection: a TOTP step never twice, a backup code once).
        # pacersdk and pacer-cli re-login with the same code within its 30-second step, but
        # only after an HTTP 401, and our tokens live until logout or the sign-on timeouts,
        # so that re-login does not happen in practice; a replayed code answers "13".
        # Wrong codes count toward the account's hourly MFA limit (mfa.FAILURES_PER_HOUR).
        verification = mfa_verify(account=account, code=code, actor=actor)
        if not verification.ok:
            return _refuse(
                actor,
                result=LOGIN_OTP_NEEDED,
                description=INVALID_OTP,
                reason=f"otp_{verification.reason}",
                account=account,
                username=account.username,
            )
        mfa_method = verification.method

    # Client codes: a missing required one, or one not in the account's format, still signs
    # on (PACER: "A required Client Code was not entered" comes with loginResult "0"); the
    # sign-on then has no client code, and charges are recorded without one until the user
    # sets one with Utilities > Change Client Code. A code that does not fit the format is
    # not recorded, as the web login would not accept it either.
    recorded = client_code
    warning = ""
    reason = ""
    problem = account_code_problem(
        client_code, fmt=account.client_code_format, required=account.client_code_required
    )
    if problem == MISSING:
        warning = CLIENT_CODE_MISSING
        reason = "client_code_missing"
    elif problem:
        recorded = ""
        warning = f"Client Code {problem}; it was not recorded, so this sign-on has none"
        reason = "client_code_format"

    with transaction.atomic():
        signon, token = signon_start(
            account=account,
            actor=actor,
            via=SignOn.Via.API,
            pending=False,
            client_code=recorded,
        )
        signon.redaction_agreed = redact_flag == "1"
        signon.mfa_verified = bool(mfa_method)
        signon.save(update_fields=["redaction_agreed", "mfa_verified"])
        if filer and not account.has_mfa:
            # The API has no prompt to skip, so signing on without MFA is the skip: it uses
            # one of the chances the web login counts (mfa.SKIPS_ALLOWED), and once they are
            # gone the access policy (mfa.filing_blocked) refuses filing, whichever door the
            # filer came in by.
            mfa_skip(account=account, actor=actor.with_account(account, signon))
        audit_record(
            event=Event.API_AUTH,
            success=True,
            actor=actor.with_account(account, signon),
            reason=reason,
            username=account.username,
            detail={
                "client_code": bool(recorded),
                "filer": filer,
                "mfa": mfa_method or None,
            },
        )
    return ApiLogin(result=LOGIN_OK, description=warning, token=token, signon=signon)


def api_signon_rotate(*, actor: Actor, signon: SignOn) -> str:
    """A fresh token for an API sign-on due for rotation (SignOn.is_due_for_rotation), or ""
    when it is not due (or was rotated meanwhile). The new sign-on carries on the old one:
    same account, client code, redaction agreement and MFA, and the same authenticated_at,
    so rotation never stretches the absolute timeout past the password. The old token keeps
    working until its own limits (pacersdk never reads the header)."""
    with transaction.atomic():
        current = SignOn.objects.select_for_update().filter(pk=signon.pk).first()
        if current is None or not current.is_due_for_rotation(timezone.now()):
            return ""
        successor, token = signon_start(
            account=current.account,
            actor=actor,
            via=SignOn.Via.API,
            pending=False,
            client_code=current.client_code,
        )
        successor.authenticated_at = current.authenticated_at
        successor.redaction_agreed = current.redaction_agreed
        successor.mfa_verified = current.mfa_verified
        successor.save(update_fields=["authenticated_at", "redaction_agreed", "mfa_verified"])
        current.rotated_to = successor
        current.save(update_fields=["rotated_to"])
        audit_record(
            event=Event.API_AUTH,
            success=True,
            actor=actor.with_account(current.account, successor),
            reason="token_rotated",
            username=current.account.username,
            detail={"rotated_from": current.pk},
        )
    return token


def api_signon_logout(*, actor: Actor, token: str) -> bool:
    """End the sign-on this token belongs to, at every court (one sign-on serves them all).
    True when a live sign-on ended; an unknown, ended or malformed token changes nothing
    (the caller answers the same: logging out is idempotent)."""
    signon = None
    if token and len(token) <= 256:
        signon = (
            SignOn.objects.select_related("account")
            .filter(token_hash=hash_token(token), ended_at__isnull=True)
            .first()
        )
    if signon is None:
        audit_record(
            event=Event.API_LOGOUT,
            success=False,
            actor=actor,
            reason="unknown_token",
        )
        return False
    signon_end(signon=signon, reason="api_logout")
    for linked in _rotation_chain(signon):  # every token of this sign-on, old and new
        signon_end(signon=linked, reason="api_logout")
    audit_record(
        event=Event.API_LOGOUT,
        success=True,
        actor=actor.with_account(signon.account, signon),
        detail={"via": signon.via},
    )
    return True


def _rotation_chain(signon: SignOn) -> list[SignOn]:
    """The sign-ons this one replaced by rotation and those that replaced it."""
    chain: list[SignOn] = []
    later = signon.rotated_to
    while later is not None and later not in chain:
        chain.append(later)
        later = later.rotated_to
    earlier = SignOn.objects.filter(rotated_to=signon).first()
    while earlier is not None and earlier not in chain:
        chain.append(earlier)
        earlier = SignOn.objects.filter(rotated_to=earlier).first()
    return chain
