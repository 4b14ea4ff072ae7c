"""Tokens sent by email: address verification and password reset.

An email token is a signature over the account, the address it verifies, the time and
the nonce of its EmailLink row, which makes it single-use and lets a newer link supersede
it. A reset token is not stored: it is Django's password-reset token, bound to the
password hash, the address and the account's latest sign-on, so it works once and dies
when the password changes or the holder logs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from nextecf.accounts.models import Account, EmailLink

EMAIL_TOKEN_MAX_AGE = timedelta(hours=24)
TOKEN_MAX_LENGTH = 512
_EMAIL_SALT = "nextecf.accounts.tokens.email"


class TokenInvalid(Exception):
    """The token is malformed, forged, expired or no longer applies."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EmailClaim:
    """What an email token proves: whoever holds it reads mail at `address`."""

    account_id: int
    current_email: str  # the account's address when the token was made
    new_email: str  # the address to adopt (an upgrade's change), or "" for registration
    nonce: str  # the EmailLink this token is

    @property
    def address(self) -> str:
        return self.new_email or self.current_email


def email_token_make(*, account: Account, new_email: str = "") -> str:
    """Issue a link (superseding the account's older ones for the same purpose) and sign
    it; call inside the transaction that queues the email."""
    purpose = EmailLink.Purpose.CHANGE if new_email else EmailLink.Purpose.VERIFY
    link = EmailLink.objects.issue(account=account, purpose=purpose)
    payload = {"a": account.pk, "e": account.email, "n": new_email, "l": link.nonce}
    return signing.TimestampSigner(salt=_EMAIL_SALT).sign_object(payload, compress=True)


def email_token_read(token: str) -> EmailClaim:
    """The claim of a genuine token less than 24 hours old; raises TokenInvalid."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise TokenInvalid("malformed")
    try:
        payload = signing.TimestampSigner(salt=_EMAIL_SALT).unsign_object(
            token, max_age=EMAIL_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired:
        raise TokenInvalid("expired") from None
    except (signing.BadSignature, ValueError):
        raise TokenInvalid("malformed") from None
    if not isinstance(payload, dict):
        raise TokenInvalid("malformed")
    account_id, current, new = payload.get("a"), payload.get("e"), payload.get("n")
    nonce = payload.get("l")
    if not (
        isinstance(account_id, int)
        and isinstance(current, str)
        and isinstance(new, str)
        and isinstance(nonce, str)
        and nonce
    ):
        raise TokenInvalid("malformed")
    return EmailClaim(account_id=account_id, current_email=current, new_email=new, nonce=nonce)


class ResetTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token (valid for PASSWORD_RESET_TIMEOUT), also bound to the latest
    sign-on: our logins do not touch last_login, so a new sign-on stands in for it."""

    key_salt = "nextecf.accounts.tokens.ResetTokenGenerator"

    def _make_hash_value(self, user: Account, timestamp: int) -> str:
        latest = user.signons.order_by("-pk").values_list("pk", flat=True).first() or 0
        return f"{super()._make_hash_value(user, timestamp)}|{latest}|{user.is_active}"


reset_tokens = ResetTokenGenerator()


def reset_token_make(*, account: Account) -> str:
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    return f"{uid}.{reset_tokens.make_token(account)}"


def _reset_token_parts(value: str) -> tuple[int, str] | None:
    if not value or len(value) > TOKEN_MAX_LENGTH or value.count(".") != 1:
        return None
    uid, token = value.split(".")
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return pk, token


def reset_token_account(value: str) -> Account | None:
    """The account a reset token is good for right now, or None."""
    parts = _reset_token_parts(value)
    account = Account.objects.filter(pk=parts[0]).first() if parts else None
    if account is None or not reset_token_check(account=account, value=value):
        return None
    return account


def reset_token_check(*, account: Account, value: str) -> bool:
    """Whether this reset token is (still) good for this account."""
    parts = _reset_token_parts(value)
    return (
        parts is not None and parts[0] == account.pk and reset_tokens.check_token(account, parts[1])
    )
