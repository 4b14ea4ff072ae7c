"""Sign-on workflows: authenticate, start, rotate and end sign-ons."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, SignOn, hash_token
from nextecf.lib.http import client_ip
from nextecf.lib.text import printable

REAUTH_FAILURES_PER_HOUR = 10


def account_authenticate(*, username: str, password: str) -> Account | None:
    """The active account these credentials open, or None.

    Exactly one password-hash computation happens whether or not the username exists,
    so response time does not tell an attacker which usernames are real.
    """
    account = Account.objects.find_for_login(username)
    if account is None:
        make_password(password)
        return None
    if not account.check_password(password):
        return None
    if not account.is_active:
        return None
    return account


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


def signon_reauthenticate(*, signon: SignOn, password: str) -> str | None:
    """Re-check the password of a live sign-on; a new token on success, else None.

    Too many failures end the sign-on, so a borrowed browser cannot guess the password.
    """
    key = f"reauth:{signon.account_id}"
    window = timedelta(hours=1)
    if signon.account.check_password(password):
        AttemptBucket.clear(key)
        signon.authenticated_at = signon.last_seen_at = timezone.now()
        return signon_rotate(signon=signon)
    if AttemptBucket.record_failure(key, window=window) >= REAUTH_FAILURES_PER_HOUR:
        signon_end(signon=signon, reason="reauth_failures")
    return None


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
