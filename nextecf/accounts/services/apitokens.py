"""Manage My Account > API tokens: making, listing, revoking and checking scoped tokens.

A token is shown once and stored as its SHA-256. Making one needs a fresh MFA check (a
current authenticator code or an unused backup code, typed on the form itself, however
recent the sign-on), so a stolen session cookie alone cannot mint a lasting credential.
Every use of a token is audited under its name (api_token_authenticate)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from nextecf.accounts.mfa import mfa_verify
from nextecf.accounts.models import Account, ApiToken, SignOn, hash_token
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor

MAX_ALLOWLIST = 20


class TokenRefused(Exception):
    """The token cannot be made as asked; `field` names the form field at fault."""

    def __init__(self, reason: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field


@dataclass(frozen=True)
class TokenCheck:
    token: ApiToken | None
    reason: str = ""


def allowlist_parse(raw: str) -> list[str]:
    """CIDR networks or addresses, one a line or comma-separated, normalised; raises
    TokenRefused naming the first entry that is neither."""
    networks: list[str] = []
    for item in raw.replace(",", "\n").splitlines():
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise TokenRefused(
                "bad_allowlist",
                f"IP allow-list: {item[:60]!r} is not an IP address or network.",
                field="ip_allowlist",
            ) from None
    if len(networks) > MAX_ALLOWLIST:
        raise TokenRefused(
            "bad_allowlist",
            f"IP allow-list: at most {MAX_ALLOWLIST} entries.",
            field="ip_allowlist",
        )
    return sorted(set(networks))


def api_token_create(
    *,
    account: Account,
    name: str,
    scopes: list[ApiToken.Scope],
    file_court_id: str,
    days: int,
    ip_allowlist: list[str],
    mfa_code: str,
    actor: Actor,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once). Raises TokenRefused naming the field."""
    if not account.totp_devices.filter(confirmed=True).exists():
        raise TokenRefused(
            "mfa_not_enrolled",
            "Set up multifactor authentication before making an API token.",
            field="mfa_code",
        )
    if not scopes:
        raise TokenRefused("no_scope", "Scopes: choose at least one.", field="scopes")
    if ApiToken.Scope.FILE in scopes and not file_court_id:
        raise TokenRefused(
            "no_court", "Court: name the court a filing token files in.", field="file_court"
        )
    if ApiToken.Scope.FILE not in scopes:
        file_court_id = ""
    if not 1 <= days <= ApiToken.MAX_DAYS:
        raise TokenRefused(
            "bad_expiry",
            f"Expires in: from 1 to {ApiToken.MAX_DAYS} days.",
            field="days",
        )
    if account.api_tokens.filter(revoked_at=None).count() >= ApiToken.MAX_PER_ACCOUNT:
        raise TokenRefused(
            "too_many_tokens",
            f"At most {ApiToken.MAX_PER_ACCOUNT} tokens; revoke one first.",
            field="name",
        )
    if account.api_tokens.filter(name=name).exists():
        raise TokenRefused(
            "name_taken", "Name: you already have a token of that name.", field="name"
        )
    # The code is checked last, so a form with another mistake does not spend it.
    verification = mfa_verify(account=account, code=mfa_code, actor=actor)
    if not verification.ok:
        raise TokenRefused(verification.reason, verification.message, field="mfa_code")
    secret = ApiToken.new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            signon = SignOn.objects.create(
                account=account,
                token_hash=hash_token(ApiToken.new_token()),  # thrown away: never a session
                via=SignOn.Via.TOKEN,
                created_at=now,
                authenticated_at=now,
                last_seen_at=now,
                ended_at=now,
                end_reason="api_token",
                redaction_agreed=True,
                mfa_verified=True,
            )
            token = ApiToken.objects.create(
                account=account,
                name=name,
                token_hash=hash_token(secret),
                hint=secret[: len(ApiToken.PREFIX) + 4],
                scopes=sorted(set(scopes)),
                file_court_id=file_court_id,
                ip_allowlist=ip_allowlist,
                created_at=now,
                expires_at=now + timedelta(days=days),
                signon=signon,
            )
            audit_record(
                event=Event.API_TOKEN_CREATE,
                success=True,
                actor=actor.with_account(account),
                detail=_detail(token),
            )
    except IntegrityError:
        raise TokenRefused(
            "name_taken", "Name: you already have a token of that name.", field="name"
        ) from None
    return token, secret


def api_token_revoke(*, account: Account, token_id: int, actor: Actor) -> ApiToken | None:
    """Revoke one of the account's tokens (at once: its next request gets 401)."""
    with transaction.atomic():
        token = account.api_tokens.select_for_update().filter(pk=token_id).first()
        if token is None:
            return None
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                event=Event.API_TOKEN_REVOKE,
                success=True,
                actor=actor.with_account(account),
                detail=_detail(token),
            )
    return token


def api_token_authenticate(*, secret: str, actor: Actor) -> TokenCheck:
    """The live token behind an `Authorization: Bearer` value, or why there is none.
    Every attempt is audited: a use under the token's name, a refusal with its reason."""
    token = None
    if secret.startswith(ApiToken.PREFIX) and len(secret) <= 128:
        token = (
            ApiToken.objects.select_related("account", "signon")
            .filter(token_hash=hash_token(secret))
            .first()
        )
    now = timezone.now()
    reason = ""
    if token is None:
        reason = "unknown_token"
    elif token.state(now) != "active":
        reason = f"{token.state(now)}_token"
    elif not token.account.is_active:
        reason = "account_disabled"
    elif not token.admits(actor.ip):
        reason = "ip_not_allowed"
    if reason:
        audit_record(
            event=Event.API_TOKEN_REFUSED,
            success=False,
            actor=actor.with_account(token.account if token else None),
            reason=reason,
            detail=_detail(token) if token else {},
        )
        return TokenCheck(None, reason)
    assert token is not None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=actor.ip or None)
    token.last_used_at = now
    return TokenCheck(token)


def token_actor(actor: Actor, token: ApiToken) -> Actor:
    """The actor of a request made with a token: its owner, under the token's sign-on."""
    return actor.with_account(token.account, token.signon)


def _detail(token: ApiToken) -> dict[str, object]:
    return {
        "token": token.name,
        "token_id": token.pk,
        "scopes": list(token.scopes),
        "court": token.file_court_id,
    }
