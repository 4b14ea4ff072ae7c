"""Multifactor authentication: authenticator apps (TOTP), backup codes, the login challenge,
and the enrollment requirement for filers.

Every change is audited and mailed to the account; no code or secret is ever written to an
audit row, an email or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nextecf.accounts.models import Account, AttemptBucket, BackupCode, SignOn, TotpDevice
from nextecf.accounts.services import signon_end
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib import secretbox, totp
from nextecf.outbox.services import email_queue

if TYPE_CHECKING:
    from nextecf.courts.models import Court
from nextecf.lib.actor import Actor

# A filer without MFA may postpone enrollment at login this many times; after that the
# prompt has no Skip and filing is refused until an app is enrolled (nextgen-facts §4.1).
SKIPS_ALLOWED = 3
# Wrong codes allowed in one half-finished login; the last one ends it (identity-anchors
# B31), so the password must be entered again.
FAILURES_PER_SIGNON = 5
# And across logins: past this many wrong codes in an hour the account's MFA step refuses
# every code, so restarting the login does not give an attacker endless guesses.
FAILURES_PER_HOUR = 20
FAILURE_WINDOW = timedelta(hours=1)
# An app added but never confirmed with a code stops being confirmable after this.
ENROLL_SECONDS = 30 * 60

# Crockford's base32: no I, L, O or U, so codes read aloud or copied by hand survive.
BACKUP_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BACKUP_CODE_LENGTH = 16  # 16 x 5 bits = 80 bits per code (B32 asks for at least 64)
_BACKUP_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


class MfaRefused(Exception):
    """A request that cannot be done, with a reason code and words for the user."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Enrollment:
    """An app being added: its (unconfirmed) device and what the user's app needs."""

    device: TotpDevice
    secret: str
    uri: str

    @property
    def grouped_secret(self) -> str:
        return totp.group(self.secret)


@dataclass(frozen=True)
class Verification:
    ok: bool
    method: str = ""  # "totp" or "backup" when ok
    reason: str = ""  # a reason code when not ok
    message: str = ""
    backup_codes_left: int = 0


# --- Who must have MFA --------------------------------------------------------------------


def skips_left(account: Account) -> int:
    return max(0, SKIPS_ALLOWED - account.mfa_skips)


def filing_blocked(account: Account) -> bool:
    """No app and no skips left: the account may search but not file."""
    return account.mfa_skips >= SKIPS_ALLOWED and not account.has_mfa


def mfa_skip(*, account: Account, actor: Actor, court: Court | None = None) -> int:
    """Postpone enrollment once (at login); returns how many skips are left. With none left
    nothing is counted, and the refusal is audited."""
    counted = Account.objects.filter(pk=account.pk, mfa_skips__lt=SKIPS_ALLOWED).update(
        mfa_skips=F("mfa_skips") + 1
    )
    account.refresh_from_db(fields=["mfa_skips"])
    audit_record(
        event=Event.MFA_SKIP,
        success=bool(counted),
        actor=actor.with_account(account),
        court=court,
        reason="" if counted else "no_skips_left",
        detail={"skips": account.mfa_skips},
    )
    return skips_left(account)


# --- Authenticator apps -------------------------------------------------------------------


def device_secret(device: TotpDevice) -> str:
    """The app's base32 secret; secretbox.SecretBoxError when it cannot be opened."""
    return device.secret()


def _enrollment(device: TotpDevice, secret: str) -> Enrollment:
    uri = totp.provisioning_uri(secret=secret, username=device.account.username)
    return Enrollment(device=device, secret=secret, uri=uri)


def mfa_enroll_check(*, account: Account) -> None:
    """MfaRefused when this account may not add an app now (email not verified, or the
    limit of five reached)."""
    if not account.email_verified:
        raise MfaRefused(
            "email_unverified",
            "Verify your email address before you set up multifactor authentication: the "
            "confirmation link we emailed you proves the address is yours, and we use it to "
            "tell you about every change to your sign-in methods.",
        )
    if account.totp_devices.filter(confirmed=True).count() >= TotpDevice.MAX_PER_ACCOUNT:
        raise MfaRefused(
            "too_many_apps",
            f"Your account already has {TotpDevice.MAX_PER_ACCOUNT} authenticator apps, the "
            "most allowed. Remove one before you add another.",
        )


def mfa_enroll_start(*, account: Account) -> Enrollment:
    """Begin adding an app: a new secret, stored encrypted, not usable until confirmed.
    Earlier unconfirmed attempts are discarded."""
    mfa_enroll_check(account=account)
    secret = totp.new_secret()
    with transaction.atomic():
        account.totp_devices.filter(confirmed=False).delete()
        device = TotpDevice.objects.create_with_secret(account=account, secret=secret)
    return _enrollment(device, secret)


def _pending_device(account: Account, device_id: int, *, lock: bool = False) -> TotpDevice | None:
    devices = TotpDevice.objects.select_related("account")
    if lock:
        devices = devices.select_for_update()
    return devices.filter(
        pk=device_id,
        account=account,
        confirmed=False,
        created_at__gte=timezone.now() - timedelta(seconds=ENROLL_SECONDS),
    ).first()


def mfa_enroll_resume(*, account: Account, device_id: int) -> Enrollment | None:
    """The app being added, to show its QR code again (after a wrong code), or None."""
    device = _pending_device(account, device_id)
    if device is None:
        return None
    try:
        return _enrollment(device, device_secret(device))
    except secretbox.SecretBoxError:
        return None


def mfa_enroll_confirm(
    *,
    account: Account,
    device_id: int,
    code: str,
    name: str,
    actor: Actor,
) -> tuple[TotpDevice, list[str]]:
    """Finish adding an app with a code it shows now. Returns the device and, when it is
    the account's first app and no backup codes exist yet, a new set of backup codes (to
    show once)."""
    with transaction.atomic():
        # The account row lock serialises two confirmations racing past the limit of five.
        locked = Account.objects.select_for_update().get(pk=account.pk)
        mfa_enroll_check(account=locked)
        device = _pending_device(account, device_id, lock=True)
        if device is None:
            raise MfaRefused(
                "enrollment_expired",
                "This setup has expired or was replaced by a newer one. Start again.",
            )
        try:
            secret = device_secret(device)
        except secretbox.SecretBoxError:
            raise MfaRefused(
                "enrollment_expired",
                "This setup has expired or was replaced by a newer one. Start again.",
            ) from None
        step = totp.match_step(secret, code, last_used_step=device.last_used_step)
        if step is None:
            raise MfaRefused(
                "invalid_code",
                "Code is not the one your app shows now. Check that the app was set up with "
                "the code above and that your device's clock is right, then enter the newest "
                "code.",
            )
        device.name = name
        device.confirmed = True
        device.last_used_step = step
        device.save(update_fields=["name", "confirmed", "last_used_step"])
        apps = locked.totp_devices.filter(confirmed=True).count()
        audit_record(
            event=Event.MFA_ENROLL,
            success=True,
            actor=actor.with_account(account),
            detail={"app": name, "apps": apps},
        )
        email_queue(
            kind="mfa_enrolled",
            to=account.email,
            template="emails/mfa_enrolled.txt",
            context={"account": account, "name": name, "when": timezone.now(), "apps": apps},
            account=account,
        )
        codes: list[str] = []
        if apps == 1 and not account.backup_codes.filter(used_at__isnull=True).exists():
            codes = backup_codes_generate(account=account, actor=actor)
    return device, codes


def mfa_remove(*, account: Account, device_id: int, actor: Actor, filer: bool) -> TotpDevice:
    """Remove an app. Removing the last one turns MFA off, and the backup codes go with it
    (they exist to stand in for an app). `filer`: whether the account may file in a court
    (a court-level fact, so the caller asks courts), which the notice mentions."""
    with transaction.atomic():
        Account.objects.select_for_update().get(pk=account.pk)
        device = account.totp_devices.filter(pk=device_id, confirmed=True).first()
        if device is None:
            raise MfaRefused("no_such_app", "That authenticator app is not on your account.")
        device.delete()
        apps = account.totp_devices.filter(confirmed=True).count()
        if apps == 0:
            account.backup_codes.all().delete()
        audit_record(
            event=Event.MFA_REMOVE,
            success=True,
            actor=actor.with_account(account),
            detail={"app": device.name, "apps": apps},
        )
        email_queue(
            kind="mfa_removed",
            to=account.email,
            template="emails/mfa_removed.txt",
            context={
                "account": account,
                "name": device.name,
                "when": timezone.now(),
                "apps": apps,
                "filer": filer,
            },
            account=account,
        )
    return device


# --- Backup codes -------------------------------------------------------------------------


_BACKUP_PURPOSE = b"nextecf.backup-codes.v1"


def _backup_digest(key: secretbox.Key, account: Account, code: str) -> str:
    message = f"{account.pk}:{code}".encode()
    return hmac.new(key.hmac_key(_BACKUP_PURPOSE), message, hashlib.sha256).hexdigest()


def backup_code_hash(account: Account, code: str) -> str:
    """HMAC-SHA256 of account id and code, keyed with a key derived from the newest key of
    MFA_SECRET_KEYS, stored as "<key id>:<hex>" so rotate_secrets can count the codes still
    depending on an older key.

    Why not make_password (Argon2): a backup code is 80 random bits, not a human password,
    so a slow hash adds nothing against guessing, even offline (2^80 HMACs is out of
    reach), while the key keeps a stolen database alone from being checked at all. A slow
    salted hash would also cost up to ten Argon2 runs per code typed at the MFA step, which
    turns that step into a CPU lever for denial of service. The keyed hash lets the lookup
    be a single equality match.
    """
    key = secretbox.ring().newest
    return f"{key.id}:{_backup_digest(key, account, code)}"


def backup_code_hashes(account: Account, code: str) -> list[str]:
    """Every stored form this code can have: under each key of the ring (codes cannot be
    re-hashed, we never know them, so they keep working while their key is in the ring),
    and bare hex as stored before hashes named their key."""
    forms = []
    for key in secretbox.ring().keys:
        digest = _backup_digest(key, account, code)
        forms += [f"{key.id}:{digest}", digest]
    return forms


def backup_codes_on_older_keys() -> int:
    """Unused backup codes whose hash is not under the newest key: they stop working when
    the key they were made with leaves the ring."""
    newest = secretbox.ring().newest
    return (
        BackupCode.objects.filter(used_at__isnull=True)
        .exclude(code_hash__startswith=f"{newest.id}:")
        .count()
    )


def normalize_backup_code(code: str) -> str | None:
    """The code in its canonical form (upper case, no spaces or dashes, look-alike letters
    mapped as Crockford does), or None when it cannot be a backup code."""
    cleaned = code.replace(" ", "").replace("-", "").upper().translate(_BACKUP_CONFUSABLE)
    if len(cleaned) != BACKUP_CODE_LENGTH or any(c not in BACKUP_ALPHABET for c in cleaned):
        return None
    return cleaned


def format_backup_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def backup_codes_generate(*, account: Account, actor: Actor) -> list[str]:
    """A new set of backup codes, replacing every earlier one. The codes are returned once,
    formatted for display; only their hashes are kept."""
    codes = [
        "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        for _ in range(BackupCode.SET_SIZE)
    ]
    with transaction.atomic():
        account.backup_codes.all().delete()
        BackupCode.objects.bulk_create(
            [BackupCode(account=account, code_hash=backup_code_hash(account, c)) for c in codes]
        )
        audit_record(
            event=Event.BACKUP_CODES_GENERATED,
            success=True,
            actor=actor.with_account(account),
            detail={"codes": len(codes)},
        )
        email_queue(
            kind="backup_codes_generated",
            to=account.email,
            template="emails/backup_codes_generated.txt",
            context={"account": account, "when": timezone.now(), "count": len(codes)},
            account=account,
        )
    return [format_backup_code(c) for c in codes]


def backup_codes_left(account: Account) -> int:
    return account.backup_codes.filter(used_at__isnull=True).count()


# --- Verifying a code -------------------------------------------------------------------


def _throttle_key(account: Account) -> str:
    return f"mfa:{account.pk}"


def _use_totp(account: Account, code: str) -> str:
    """'ok', 'replay' or 'wrong' for a six-digit code against the account's apps."""
    seen_replay = False
    for device in account.totp_devices.filter(confirmed=True).order_by("pk"):
        try:
            secret = device_secret(device)
        except secretbox.SecretBoxError:
            continue  # a secret sealed under another key cannot be used; never a 500
        step = totp.find_step(secret, code)
        if step is None:
            continue
        # Compare-and-set: of two requests racing with the same code, one wins.
        won = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
            last_used_step=step
        )
        if won:
            return "ok"
        seen_replay = True
    return "replay" if seen_replay else "wrong"


def _use_backup(account: Account, code: str) -> bool:
    row = account.backup_codes.filter(
        code_hash__in=backup_code_hashes(account, code), used_at__isnull=True
    ).first()
    if row is None:
        return False
    return bool(
        BackupCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
    )


WRONG_CODE = (
    "That code is not correct. Enter the current 6-digit code from your authenticator app, "
    "or one of your unused backup codes."
)


def mfa_verify(
    *,
    account: Account,
    code: str,
    actor: Actor,
    court: Court | None = None,
) -> Verification:
    """Check a code typed at a challenge: a TOTP code of any confirmed app, or an unused
    backup code. Accepted codes cannot be used again. Audits the outcome; using a backup
    code also emails the account."""
    key = _throttle_key(account)
    # Every attempt takes a slot before any code is checked, and a right code gives the
    # count back: parallel guesses cannot check more codes than the limit allows.
    if AttemptBucket.record_failure(key, window=FAILURE_WINDOW) > FAILURES_PER_HOUR:
        result = Verification(
            False,
            reason="throttled",
            message="Too many wrong codes for this account. Wait an hour and try again.",
        )
    elif (six := totp.normalize_code(code)) is not None:
        outcome = _use_totp(account, six)
        if outcome == "ok":
            result = Verification(True, method="totp")
        elif outcome == "replay":
            result = Verification(
                False,
                reason="replayed_code",
                message="That code was already used. Wait for your app to show a new code.",
            )
        else:
            result = Verification(False, reason="invalid_code", message=WRONG_CODE)
    elif (backup := normalize_backup_code(code)) is not None:
        if _use_backup(account, backup):
            result = Verification(
                True, method="backup", backup_codes_left=backup_codes_left(account)
            )
        else:
            result = Verification(False, reason="invalid_backup_code", message=WRONG_CODE)
    else:
        result = Verification(
            False,
            reason="malformed_code",
            message="Code must be the 6 digits your authenticator app shows, or a backup code "
            "of 16 letters and digits.",
        )
    if result.ok:
        AttemptBucket.clear(key)
        if result.method == "backup":
            audit_record(
                event=Event.BACKUP_CODE_USED,
                success=True,
                actor=actor.with_account(account),
                court=court,
                detail={"left": result.backup_codes_left},
            )
            email_queue(
                kind="backup_code_used",
                to=account.email,
                template="emails/backup_code_used.txt",
                context={
                    "account": account,
                    "when": timezone.now(),
                    "left": result.backup_codes_left,
                },
                account=account,
            )
        else:
            audit_record(
                event=Event.MFA_CHALLENGE,
                success=True,
                actor=actor.with_account(account),
                court=court,
            )
        return result
    audit_record(
        event=Event.MFA_ERROR,
        success=False,
        actor=actor.with_account(account),
        court=court,
        reason=result.reason,
    )
    return result


def mfa_login_verify(
    *, signon: SignOn, code: str, actor: Actor, court: Court | None = None
) -> Verification:
    """The MFA step of a web login. Wrong codes count on the pending sign-on; the fifth
    ends it, and the user must start again with the password.

    The attempt is counted before the code is checked (a right code takes it back), so a
    burst of parallel guesses on one login checks at most FAILURES_PER_SIGNON codes."""
    reserved = SignOn.objects.filter(
        pk=signon.pk, ended_at__isnull=True, mfa_failures__lt=FAILURES_PER_SIGNON
    ).update(mfa_failures=F("mfa_failures") + 1)
    if not reserved:
        signon_end(signon=signon, reason="mfa_failures")
        return Verification(False, reason="too_many_failures", message=WRONG_CODE)
    result = mfa_verify(account=signon.account, code=code, actor=actor, court=court)
    if result.ok:
        SignOn.objects.filter(pk=signon.pk).update(mfa_failures=F("mfa_failures") - 1)
        signon.mfa_verified = True
        signon.mfa_method = result.method
        signon.save(update_fields=["mfa_verified", "mfa_method"])
        return result
    signon.refresh_from_db(fields=["mfa_failures"])
    if signon.mfa_failures >= FAILURES_PER_SIGNON or result.reason == "throttled":
        signon_end(signon=signon, reason="mfa_failures")
        audit_record(
            event=Event.MFA_ERROR,
            success=False,
            actor=actor.with_account(signon.account),
            court=court,
            reason="too_many_failures",
            detail={"failures": signon.mfa_failures},
        )
    return result
