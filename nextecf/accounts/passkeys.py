"""Passkeys (WebAuthn) with the maintained `webauthn` library: enrollment under Manage My
Account, a passkey as the second factor at login, and a passkey with user verification as
the only factor.

Every ceremony's challenge is a PasskeyChallenge row, used once (deleted as it is
answered) and only within CHALLENGE_SECONDS. The library checks the origin, the RP id,
the challenge, the signature and the signature counter; a counter that does not grow is a
cloned authenticator (or a replayed assertion) and is refused. Every outcome is audited,
without the credential's bytes.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nextecf.accounts.mfa import FAILURES_PER_SIGNON
from nextecf.accounts.models import Account, Passkey, PasskeyChallenge, SignOn
from nextecf.accounts.services import signon_end
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue

# The webauthn library (and the attestation formats it loads) is imported when a passkey
# is used, not when the URLconf loads: it costs most of a second of a worker's first request.

CHALLENGE_SECONDS = 300
MAX_CREDENTIAL_JSON = 64 * 1024
RP_NAME = "PACER"

Purpose = PasskeyChallenge.Purpose


class PasskeyRefused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Relying:
    """The relying party a request speaks to: its RP id (a domain) and the page's origin."""

    rp_id: str
    origin: str


@dataclass(frozen=True)
class Ceremony:
    challenge_id: str
    options_json: str


def _challenge(purpose: str, relying: Relying, account: Account | None) -> PasskeyChallenge:
    # Stale challenges of anyone are dropped as new ones are made; the table stays small.
    cutoff = timezone.now() - timedelta(seconds=CHALLENGE_SECONDS)
    PasskeyChallenge.objects.filter(created_at__lt=cutoff).delete()
    return PasskeyChallenge.objects.create(
        id=secrets.token_urlsafe(32),
        purpose=purpose,
        account=account,
        challenge=secrets.token_bytes(32),
        rp_id=relying.rp_id,
    )


def _take_challenge(challenge_id: str, purpose: str, account: Account | None) -> bytes:
    """The challenge's bytes, deleting its row: a second answer finds nothing."""
    if not challenge_id or len(challenge_id) > 64:
        raise PasskeyRefused("no_challenge", _EXPIRED)
    with transaction.atomic():
        row = PasskeyChallenge.objects.select_for_update().filter(pk=challenge_id).first()
        if row is None:
            raise PasskeyRefused("no_challenge", _EXPIRED)
        row.delete()
    fresh = timezone.now() - row.created_at < timedelta(seconds=CHALLENGE_SECONDS)
    if row.purpose != purpose or row.account_id != (account.pk if account else None) or not fresh:
        raise PasskeyRefused("no_challenge", _EXPIRED)
    return bytes(row.challenge)


_EXPIRED = "This passkey request has expired or was already used. Try again."
_FAILED = "Your passkey could not be verified. Try again, or use another way to log in."


def _credential(text: str) -> dict[str, Any]:
    if not text or len(text) > MAX_CREDENTIAL_JSON:
        raise PasskeyRefused("malformed", _FAILED)
    try:
        value = json.loads(text)
    except ValueError:
        raise PasskeyRefused("malformed", _FAILED) from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise PasskeyRefused("malformed", _FAILED)
    return value


def _descriptors(account: Account, relying: Relying) -> list[Any]:
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import AuthenticatorTransport, PublicKeyCredentialDescriptor

    out = []
    for key in account.passkeys.filter(rp_id=relying.rp_id):
        transports = []
        for name in key.transports:
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue
        out.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(key.credential_id), transports=transports
            )
        )
    return out


def passkey_register_begin(*, account: Account, relying: Relying) -> Ceremony:
    """Options for navigator.credentials.create(): a discoverable credential is asked for
    (so it can log in alone later), user verification preferred, the account's existing
    passkeys excluded."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    if account.passkeys.count() >= Passkey.MAX_PER_ACCOUNT:
        raise PasskeyRefused(
            "too_many", f"You have {Passkey.MAX_PER_ACCOUNT} passkeys. Remove one to add another."
        )
    row = _challenge(Purpose.REGISTER, relying, account)
    options = generate_registration_options(
        rp_id=relying.rp_id,
        rp_name=RP_NAME,
        user_name=account.username,
        user_id=f"nextecf-account-{account.pk}".encode(),
        user_display_name=account.full_name or account.username,
        challenge=bytes(row.challenge),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(account, relying),
    )
    return Ceremony(row.pk, options_to_json(options))


def passkey_register(
    *,
    account: Account,
    relying: Relying,
    challenge_id: str,
    credential: str,
    name: str,
    actor: Actor,
) -> Passkey:
    """Verify the new credential and keep it; audited and mailed to the account."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        expected = _take_challenge(challenge_id, Purpose.REGISTER, account)
        value = _credential(credential)
    except PasskeyRefused as refused:
        _audit_refusal(actor, account, refused.reason)
        raise
    try:
        verified = verify_registration_response(
            credential=value,
            expected_challenge=expected,
            expected_rp_id=relying.rp_id,
            expected_origin=relying.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        audit_record(
            event=Event.PASSKEY_ERROR,
            success=False,
            actor=actor.with_account(account),
            reason="registration_invalid",
            detail={"error": type(error).__name__},
        )
        raise PasskeyRefused("invalid", _FAILED) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    transports = value.get("response", {}).get("transports") or []
    with transaction.atomic():
        if Passkey.objects.filter(credential_id=credential_id).exists():
            raise PasskeyRefused("duplicate", "This passkey is already enrolled.")
        passkey = Passkey.objects.create(
            account=account,
            name=name,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            rp_id=relying.rp_id,
            transports=[t for t in transports if isinstance(t, str)][:8],
            user_verified=verified.user_verified,
        )
        audit_record(
            event=Event.PASSKEY_ENROLL,
            success=True,
            actor=actor.with_account(account),
            detail={"passkey": passkey.pk, "name": name},
        )
        email_queue(
            kind="passkey_enrolled",
            to=account.email,
            template="emails/passkey_enrolled.txt",
            context={"account": account, "name": name, "when": timezone.now()},
            account=account,
        )
    return passkey


def passkey_login_begin(*, relying: Relying, account: Account | None) -> Ceremony:
    """Options for navigator.credentials.get(): the account's passkeys as a second factor;
    without an account, any discoverable passkey of this site, user verification required
    (it is then the only factor)."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import UserVerificationRequirement

    row = _challenge(
        Purpose.SECOND_FACTOR if account is not None else Purpose.LOGIN, relying, account
    )
    options = generate_authentication_options(
        rp_id=relying.rp_id,
        challenge=bytes(row.challenge),
        allow_credentials=_descriptors(account, relying) if account is not None else None,
        user_verification=(
            UserVerificationRequirement.PREFERRED
            if account is not None
            else UserVerificationRequirement.REQUIRED
        ),
    )
    return Ceremony(row.pk, options_to_json(options))


def passkey_authenticate(
    *,
    relying: Relying,
    challenge_id: str,
    credential: str,
    actor: Actor,
    account: Account | None,
) -> Passkey:
    """Check an assertion. With `account` (the second factor) the passkey must be that
    account's; without one (the only factor) the authenticator must have verified the
    user. The signature counter must grow (when the authenticator keeps one); the passkey's
    row is locked while it is checked, so two uses of one assertion cannot both pass."""
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    purpose = Purpose.SECOND_FACTOR if account is not None else Purpose.LOGIN
    try:
        expected = _take_challenge(challenge_id, purpose, account)
        value = _credential(credential)
    except PasskeyRefused as refused:
        _audit_refusal(actor, account, refused.reason)
        raise
    failure: tuple[str, Account | None, Passkey | None] | None = None
    with transaction.atomic():
        passkey = (
            Passkey.objects.select_for_update()
            .select_related("account")
            .filter(credential_id=value["id"], rp_id=relying.rp_id)
            .first()
        )
        if passkey is None or (account is not None and passkey.account_id != account.pk):
            failure = ("unknown_passkey", account, None)
        else:
            try:
                verified = verify_authentication_response(
                    credential=value,
                    expected_challenge=expected,
                    expected_rp_id=relying.rp_id,
                    expected_origin=relying.origin,
                    credential_public_key=bytes(passkey.public_key),
                    credential_current_sign_count=passkey.sign_count,
                    require_user_verification=account is None,
                )
            except (WebAuthnException, ValueError, KeyError, TypeError) as error:
                cloned = "sign count" in str(error).lower()
                reason = "cloned_or_replayed" if cloned else "assertion_invalid"
                failure = (reason, passkey.account, passkey)
            else:
                passkey.sign_count = verified.new_sign_count
                passkey.last_used_at = timezone.now()
                passkey.save(update_fields=["sign_count", "last_used_at"])
                audit_record(
                    event=Event.PASSKEY_USED,
                    success=True,
                    actor=actor.with_account(passkey.account),
                    reason="second_factor" if account is not None else "only_factor",
                    detail={"passkey": passkey.pk, "user_verified": verified.user_verified},
                )
    if failure is not None:
        reason, whose, refused_key = failure
        _audit_refusal(actor, whose, reason, refused_key)
        raise PasskeyRefused(reason, _FAILED)
    assert passkey is not None
    return passkey


def _audit_refusal(
    actor: Actor, account: Account | None, reason: str, passkey: Passkey | None = None
) -> None:
    audit_record(
        event=Event.PASSKEY_ERROR,
        success=False,
        actor=actor.with_account(account) if account is not None else actor,
        reason=reason,
        detail={"passkey": passkey.pk} if passkey is not None else {},
    )


def passkey_remove(*, account: Account, passkey_id: int, actor: Actor) -> Passkey:
    with transaction.atomic():
        passkey = account.passkeys.select_for_update().filter(pk=passkey_id).first()
        if passkey is None:
            raise PasskeyRefused("not_found", "No such passkey.")
        passkey.delete()
        audit_record(
            event=Event.PASSKEY_REMOVE,
            success=True,
            actor=actor.with_account(account),
            detail={"passkey": passkey_id, "name": passkey.name},
        )
        email_queue(
            kind="passkey_removed",
            to=account.email,
            template="emails/passkey_removed.txt",
            context={"account": account, "name": passkey.name, "when": timezone.now()},
            account=account,
        )
    return passkey


def passkey_second_factor(
    *, signon: SignOn, relying: Relying, challenge_id: str, credential: str, actor: Actor
) -> Passkey:
    """The MFA step of a web login answered with one of the account's passkeys. A refusal
    counts on the pending sign-on like a wrong code; the fifth ends it."""
    reserved = SignOn.objects.filter(
        pk=signon.pk, ended_at__isnull=True, mfa_failures__lt=FAILURES_PER_SIGNON
    ).update(mfa_failures=F("mfa_failures") + 1)
    if not reserved:
        signon_end(signon=signon, reason="mfa_failures")
        raise PasskeyRefused("too_many_failures", _FAILED)
    try:
        passkey = passkey_authenticate(
            relying=relying,
            challenge_id=challenge_id,
            credential=credential,
            actor=actor,
            account=signon.account,
        )
    except PasskeyRefused:
        signon.refresh_from_db(fields=["mfa_failures"])
        if signon.mfa_failures >= FAILURES_PER_SIGNON:
            signon_end(signon=signon, reason="mfa_failures")
        raise
    SignOn.objects.filter(pk=signon.pk).update(mfa_failures=F("mfa_failures") - 1)
    signon.mfa_verified = True
    signon.mfa_method = "passkey"
    signon.save(update_fields=["mfa_verified", "mfa_method"])
    return passkey


def passkey_only_factor_account(passkey: Passkey) -> Account | None:
    """The account a passkey alone signs on, when it may sign on now: active and not
    locked (a lock from wrong passwords holds for passkeys too)."""
    account = passkey.account
    if not account.is_active or account.is_locked():
        return None
    return account
