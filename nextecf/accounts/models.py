"""Central (PACER-style) accounts and their sign-ons, shared by every court."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower, Upper
from django.utils import timezone

from nextecf.accounts.clientcodes import CLIENT_CODE_MAX_LENGTH
from nextecf.accounts.passwords import normalize
from nextecf.lib import secretbox

USERNAME_MIN_LENGTH = 8
USERNAME_MAX_LENGTH = 64
_USERNAME_CHARACTERS = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def validate_new_username(value: str) -> str | None:
    """Why a username (in its lower-case form) may not be chosen, or None. Upgraded
    usernames have 8 or more characters, so a 6-character legacy-style one never fits."""
    if len(value) < USERNAME_MIN_LENGTH:
        return f"must be at least {USERNAME_MIN_LENGTH} characters"
    if len(value) > USERNAME_MAX_LENGTH:
        return f"must be at most {USERNAME_MAX_LENGTH} characters"
    if not _USERNAME_CHARACTERS.match(value):
        return (
            "may contain only letters, digits, dots, hyphens and underscores, "
            "and must start with a letter or a digit"
        )
    return None


def canonical_email(address: str) -> str:
    """The mailbox an address reaches: lower-case, without a "+tag" (abc+1@x is abc@x)."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class RegistrationMatch:
    """How closely a new registration resembles existing accounts."""

    matches: int = 0  # most of (name, date of birth, email) matched by one existing account
    plus_alias: bool = False  # the email is a "+" alias of an existing account's address

    @property
    def warn(self) -> bool:
        return self.matches >= 2 or self.plus_alias

    @property
    def review_hold(self) -> bool:
        return self.matches >= 3 or self.plus_alias


class AccountManager(BaseUserManager["Account"]):
    def normalize_username(self, username: str) -> str:
        # PACER usernames are case-insensitive; one canonical form keeps them unique.
        return username.strip().lower()

    def get_by_natural_key(self, username: str | None) -> Account:
        return self.get(username=self.normalize_username(username or ""))

    def find_for_login(self, username: str) -> Account | None:
        key = self.normalize_username(username)
        if not key or len(key) > 254:
            return None
        if "@" in key:
            # Usernames never contain "@": this is an email address, which opens the
            # account only when exactly one account holds it.
            holders = list(self.filter(email__iexact=key)[:2])
            return holders[0] if len(holders) == 1 else None
        return self.filter(username=key).first() if len(key) <= 64 else None

    def username_taken(self, username: str, *, exclude: Account | None = None) -> bool:
        others = self.filter(username=self.normalize_username(username))
        if exclude is not None:
            others = others.exclude(pk=exclude.pk)
        return others.exists()

    def holding_email(self, email: str) -> models.QuerySet[Account]:
        """Accounts whose address is this one, ignoring case."""
        return self.filter(email__iexact=email.strip())

    def registration_matches(
        self, *, first_name: str, last_name: str, date_of_birth: date, email: str
    ) -> RegistrationMatch:
        """Compare a registration with existing people. Any two matching attributes
        include the email or the date of birth, so only those candidates are read."""
        canonical = canonical_email(email)
        base, _, domain = canonical.rpartition("@")
        candidates = self.filter(
            models.Q(email__iexact=canonical)
            | models.Q(email__istartswith=f"{base}+", email__iendswith=f"@{domain}")
            | models.Q(date_of_birth=date_of_birth, last_name__iexact=last_name.strip())
        ).only("first_name", "last_name", "date_of_birth", "email")[:500]
        best, alias = 0, False
        for other in candidates:
            same_email = canonical_email(other.email) == canonical
            alias = alias or (same_email and other.email.lower() != email.strip().lower())
            score = (
                int(
                    _same_name(other.first_name, first_name)
                    and _same_name(other.last_name, last_name)
                )
                + int(other.date_of_birth == date_of_birth)
                + int(same_email)
            )
            best = max(best, score)
        return RegistrationMatch(matches=best, plus_alias=alias)

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> Account:
        account = self.model(username=self.normalize_username(username), **fields)
        account.set_password(password)
        account.save_with_new_number()
        return account

    def create_superuser(
        self, username: str, password: str | None = None, **fields: Any
    ) -> Account:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    """A central sign-on account, as an upgraded or legacy PACER account."""

    class Kind(models.TextChoices):
        UPGRADED = "upgraded", "Upgraded PACER Account"
        LEGACY = "legacy", "Legacy PACER Account"

    class Sharing(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        SHARED = "shared", "Shared (firm)"

    username = models.CharField(
        max_length=64, unique=True, help_text="Stored lower-case; login is case-insensitive."
    )
    account_number = models.CharField(
        max_length=7, unique=True, editable=False, help_text="The 7-digit PACER account number."
    )
    first_name = models.CharField(max_length=80)
    middle_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80)
    email = models.EmailField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPGRADED)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.INDIVIDUAL)
    is_active = models.BooleanField(
        "active", default=True, help_text="A disabled account cannot sign on; its sign-ons end."
    )
    cja_eligible = models.BooleanField(
        "CJA exemption eligible",
        default=False,
        help_text="May switch a session to exempt for Criminal Justice Act work.",
    )
    client_code_required = models.BooleanField(default=False)
    fee_exempt = models.BooleanField(
        "court-granted fee exemption", default=False, help_text="Never charged access fees."
    )
    is_staff = models.BooleanField(default=False, help_text="May use the staff tools.")
    date_joined = models.DateTimeField(default=timezone.now)
    date_of_birth = models.DateField(null=True, blank=True, help_text="Permanent once given.")
    email_verified = models.BooleanField(
        default=True, help_text="Registration leaves this off until the emailed link is used."
    )
    review_hold = models.BooleanField(
        default=False, help_text="Registration matched an existing person; staff must review."
    )
    cja_requested = models.BooleanField(
        "CJA exemption requested", default=False, help_text="Asked for at registration."
    )
    client_code_format = models.CharField(
        max_length=CLIENT_CODE_MAX_LENGTH,
        blank=True,
        help_text="Client codes must match: # a digit, A a letter, * any character, "
        "anything else itself. Empty: any client code.",
    )
    password_changed_at = models.DateTimeField(null=True, blank=True)
    failed_logins = models.PositiveIntegerField(
        default=0, help_text="Consecutive wrong passwords since the last success."
    )
    lockouts = models.PositiveSmallIntegerField(
        default=0, help_text="Temporary locks in a row; each one lasts twice as long."
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    mfa_skips = models.PositiveSmallIntegerField(
        default=0, help_text="Times a filer postponed MFA enrollment at login (three allowed)."
    )

    objects: ClassVar[AccountManager] = AccountManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "first_name", "last_name"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(username=Lower("username")),
                name="account_username_lowercase",
            ),
        ]
        indexes = [
            # Recovery, duplicate checks and login by email look addresses up ignoring case.
            models.Index(Upper("email"), name="account_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.full_name})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    @property
    def is_shared(self) -> bool:
        return self.sharing == self.Sharing.SHARED

    @property
    def is_legacy(self) -> bool:
        return self.kind == self.Kind.LEGACY

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(None if raw_password is None else normalize(raw_password))
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password: str) -> bool:
        return super().check_password(normalize(raw_password))

    def is_locked(self, now: datetime | None = None) -> bool:
        """Temporarily locked after too many wrong passwords (accounts.services)."""
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    @property
    def is_disabled(self) -> bool:
        """Turned off (by staff, or held for review) rather than awaiting email verification."""
        return not self.is_active and self.email_verified

    def mark_email_verified(self) -> None:
        """The emailed link was used: the account opens, unless staff must review it."""
        self.email_verified = True
        if not self.review_hold:
            self.is_active = True

    @property
    def has_mfa(self) -> bool:
        """An authenticator app or a passkey: either is a second factor at login."""
        return self.totp_devices.filter(confirmed=True).exists() or self.passkeys.exists()

    def save_with_new_number(self) -> None:
        """Insert with a fresh random account number, retrying the rare collision."""
        for _ in range(20):
            self.account_number = f"{secrets.randbelow(9_000_000) + 1_000_000}"
            try:
                with transaction.atomic():
                    self.save(force_insert=True)
                return
            except IntegrityError:
                if Account.objects.filter(account_number=self.account_number).exists():
                    continue
                raise
        raise RuntimeError("no free account number after 20 tries")


class LockedAccount(Account):
    """The staff tools' view of accounts with wrong-password trouble: locked now, or with
    failures counted since their last success. Staff unlock them there."""

    class Meta:
        proxy = True
        verbose_name = "locked PACER account"
        verbose_name_plural = "locked PACER accounts"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignOnQuerySet(models.QuerySet["SignOn"]):
    def live(self) -> SignOnQuerySet:
        return self.filter(ended_at__isnull=True)


class SignOn(models.Model):
    """One sign-on: a browser login or an authentication-API token. Its token is the
    NextGenCSO cookie, valid at every court until it ends (logout, timeout, disabling)."""

    class Stage(models.TextChoices):
        PENDING = "pending", "Password accepted, login steps remain"
        ACTIVE = "active", "Signed on"

    class Via(models.TextChoices):
        WEB = "web", "Web login"
        API = "api", "Authentication API"
        # Never a session: the sign-on an API token's filing drafts belong to (it is
        # created ended, and its token is thrown away, so no cookie or header can use it).
        TOKEN = "token", "API token"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="signons")
    token_hash = models.CharField(max_length=64, unique=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.ACTIVE)
    via = models.CharField(max_length=5, choices=Via.choices, default=Via.WEB)
    court_id = models.CharField(max_length=16, blank=True, help_text="Where the login started.")
    created_at = models.DateTimeField(default=timezone.now)
    authenticated_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)
    client_code = models.CharField(max_length=CLIENT_CODE_MAX_LENGTH, blank=True)
    exempt = models.BooleanField(
        default=False, help_text="CJA exemption for this session only; off at every login."
    )
    redaction_agreed = models.BooleanField(default=False)
    mfa_verified = models.BooleanField(default=False)
    mfa_method = models.CharField(
        max_length=8,
        blank=True,
        help_text="How the second factor was given: totp, backup or passkey.",
    )
    mfa_failures = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    # An API token replaced by a fresh one in the X-NEXT-GEN-CSO response header (PCL's
    # token rotation); the old token keeps working until the sign-on's own limits.
    rotated_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rotated_from"
    )

    objects = SignOnQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["account", "ended_at"])]

    def __str__(self) -> str:
        return f"sign-on {self.pk} of {self.account_id}"

    @staticmethod
    def new_token() -> str:
        # 96 random bytes in URL-safe base64: the 128-character token PACER issues.
        return secrets.token_urlsafe(96)

    def expiry_reason(self, now: Any) -> str | None:
        if now - self.last_seen_at >= timedelta(seconds=settings.SIGNON_IDLE_SECONDS):
            return "idle_timeout"
        if now - self.authenticated_at >= timedelta(seconds=settings.SIGNON_ABSOLUTE_SECONDS):
            return "absolute_timeout"
        return None

    def seconds_left(self, now: Any) -> int:
        """Seconds until this sign-on ends unless it is used (idle) or at all (absolute)."""
        idle_end = self.last_seen_at + timedelta(seconds=settings.SIGNON_IDLE_SECONDS)
        absolute_end = self.authenticated_at + timedelta(seconds=settings.SIGNON_ABSOLUTE_SECONDS)
        return max(0, int((min(idle_end, absolute_end) - now).total_seconds()))

    def is_fresh(self, seconds: int) -> bool:
        return timezone.now() - self.authenticated_at < timedelta(seconds=seconds)

    def is_due_for_rotation(self, now: Any) -> bool:
        """An API token in use for SIGNON_TOKEN_ROTATE_SECONDS, not yet replaced."""
        return (
            self.via == self.Via.API
            and self.rotated_to_id is None
            and self.ended_at is None
            and now - self.created_at >= timedelta(seconds=settings.SIGNON_TOKEN_ROTATE_SECONDS)
        )


class AttemptBucket(models.Model):
    """Counts failures against one key (e.g. a central account's link attempts) within a
    window. Rows are locked while counting so parallel requests cannot overshoot a limit."""

    key = models.CharField(max_length=200, unique=True)
    window_start = models.DateTimeField(default=timezone.now)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"

    @classmethod
    def locked(cls, key: str, window: timedelta) -> AttemptBucket:
        """The bucket, row-locked until the caller's transaction ends, its window renewed."""
        bucket, _ = cls.objects.get_or_create(key=key)
        bucket = cls.objects.select_for_update().get(pk=bucket.pk)
        if timezone.now() - bucket.window_start >= window:
            bucket.window_start = timezone.now()
            bucket.failures = 0
        return bucket

    @classmethod
    def is_exhausted(cls, key: str, *, limit: int, window: timedelta) -> bool:
        bucket = cls.objects.filter(key=key).first()
        if bucket is None or timezone.now() - bucket.window_start >= window:
            return False
        return bucket.failures >= limit

    @classmethod
    def record_failure(cls, key: str, *, window: timedelta) -> int:
        with transaction.atomic():
            bucket = cls.locked(key, window)
            bucket.failures += 1
            bucket.save()
            return bucket.failures

    @classmethod
    def take(cls, key: str, *, limit: int, window: timedelta) -> bool:
        """Take one attempt from the key's budget before checking it (so parallel attempts
        stay within the limit); False when the budget is spent."""
        with transaction.atomic():
            bucket = cls.locked(key, window)
            allowed = bucket.failures < limit
            if allowed:
                bucket.failures += 1
            bucket.save()
        return allowed

    @classmethod
    def give_back(cls, key: str) -> None:
        """Return an attempt taken by `take` that turned out to be a success."""
        with transaction.atomic():
            bucket = cls.objects.select_for_update().filter(key=key).first()
            if bucket is not None and bucket.failures > 0:
                bucket.failures -= 1
                bucket.save(update_fields=["failures"])

    @classmethod
    def clear(cls, key: str) -> None:
        cls.objects.filter(key=key).delete()


def totp_secret_context(device_pk: int, account_pk: int) -> bytes:
    """What a device's sealed secret is bound to: its own row and its account. A sealed
    secret copied onto another device, or a device moved to another account, no longer
    decrypts, so knowing one app's secret never opens someone else's MFA step."""
    return f"accounts.totpdevice.secret:{device_pk}:{account_pk}".encode()


class EmailLinkManager(models.Manager["EmailLink"]):
    STALE_AFTER = timedelta(days=7)

    def issue(self, *, account: Account, purpose: str) -> EmailLink:
        """A new link for this account and purpose; every older one still open is
        superseded, so only the most recent email's link works."""
        now = timezone.now()
        with transaction.atomic():
            # Long past every token's max age (24 hours): no link could still name them.
            self.filter(account=account, created_at__lt=now - self.STALE_AFTER).delete()
            self.filter(
                account=account, purpose=purpose, used_at__isnull=True, superseded_at__isnull=True
            ).update(superseded_at=now)
            return self.create(account=account, purpose=purpose, nonce=secrets.token_urlsafe(24))

    def consume(self, *, nonce: str) -> bool:
        """Mark the link used; True for the one caller that did (a conditional UPDATE, so
        two parallel uses cannot both win)."""
        return bool(
            self.filter(nonce=nonce, used_at__isnull=True, superseded_at__isnull=True).update(
                used_at=timezone.now()
            )
        )


class EmailLink(models.Model):
    """One emailed link (address verification or email change): the signed token carries
    its nonce, and the row makes the link single-use and lets a newer link supersede it."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", "Verify a registration's address"
        CHANGE = "change", "Confirm a new address"

    class State(models.TextChoices):
        OPEN = "open"
        USED = "used"
        SUPERSEDED = "superseded"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[EmailLinkManager] = EmailLinkManager()

    class Meta:
        indexes = (models.Index(fields=["account", "purpose"]),)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.account_id}: {self.state}"

    @property
    def state(self) -> EmailLink.State:
        if self.used_at is not None:
            return self.State.USED
        if self.superseded_at is not None:
            return self.State.SUPERSEDED
        return self.State.OPEN


class TotpDeviceManager(models.Manager["TotpDevice"]):
    def create_with_secret(
        self, *, account: Account, secret: str, name: str = "", confirmed: bool = False
    ) -> TotpDevice:
        """A device with its secret sealed to its row. The row is saved first and sealed
        second, in one transaction: the binding is to the primary key, which exists only
        after the insert (a value chosen before it would be stored on the row, where it
        could be copied along with the secret)."""
        with transaction.atomic():
            device = self.create(account=account, name=name, confirmed=confirmed)
            device.seal_secret(secret)
            device.save(update_fields=["secret_encrypted"])
        return device

    def reseal_all(self) -> Resealing:
        """Seal every stored secret again under the newest key of the ring, in one
        transaction. Values already under it are left alone, so running it again is safe."""
        keys = secretbox.ring()
        resealed = current = unreadable = 0
        with transaction.atomic():
            for device in self.select_for_update().order_by("pk").iterator(chunk_size=500):
                if keys.sealed_with_newest(device.secret_encrypted):
                    current += 1
                    continue
                try:
                    secret = device.secret()
                except secretbox.SecretBoxError:
                    unreadable += 1  # already unusable at login; re-sealing cannot help
                    continue
                device.seal_secret(secret)
                device.save(update_fields=["secret_encrypted"])
                resealed += 1
        return Resealing(resealed=resealed, current=current, unreadable=unreadable)


@dataclass(frozen=True)
class Resealing:
    resealed: int
    current: int
    unreadable: int


class TotpDevice(models.Model):
    """An authenticator app. The secret is stored encrypted, bound to this row (see
    lib.secretbox and totp_secret_context)."""

    MAX_PER_ACCOUNT = 5

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="totp_devices")
    name = models.CharField(max_length=64)
    secret_encrypted = models.TextField()
    confirmed = models.BooleanField(default=False)
    last_used_step = models.BigIntegerField(
        default=0, help_text="The last accepted time step; codes at or before it are replays."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[TotpDeviceManager] = TotpDeviceManager()

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"

    def _secret_context(self) -> bytes:
        if self.pk is None:
            raise ValueError("a device's secret is sealed to its row: save the device first")
        return totp_secret_context(self.pk, self.account_id)

    def seal_secret(self, secret: str) -> None:
        self.secret_encrypted = secretbox.encrypt_text(secret, context=self._secret_context())

    def secret(self) -> str:
        """The base32 secret; secretbox.SecretBoxError when the stored value cannot be
        opened (tampered, copied from another row, or under a key no longer in the ring)."""
        return secretbox.decrypt_text(self.secret_encrypted, context=self._secret_context())


class BackupCode(models.Model):
    """One single-use backup code, stored hashed."""

    SET_SIZE = 10

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"backup code {self.pk} ({self.account_id})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def listed(self) -> ApiTokenQuerySet:
        """The tokens Manage My Account lists: live ones first, then the revoked and
        expired ones (kept, with their last use, for the record)."""
        return self.order_by("revoked_at", "-created_at")


class ApiToken(models.Model):
    """A named, scoped credential for software acting for an account, used instead of its
    password (`Authorization: Bearer <token>`). Only its SHA-256 is stored; the token is
    shown once, when it is made. Whatever its owner may see, a token reads public material
    only (nextecf.access.decide_token) and never reaches the account's own settings."""

    PREFIX = "necf_"
    MAX_PER_ACCOUNT = 20
    MAX_DAYS = 366

    class Scope(models.TextChoices):
        READ_PUBLIC = "read_public", "Read public records"
        READ_OWN = "read_own", "Read my own cases"
        FILE = "file", "File in a named court"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=16, help_text="The token's first characters.")
    scopes = models.JSONField(default=list)
    # The court a FILE scope files in (accounts sit below courts, so its id, not a key).
    file_court_id = models.CharField(max_length=16, blank=True)
    ip_allowlist = models.JSONField(default=list, blank=True, help_text="CIDR networks.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    signon = models.OneToOneField(
        SignOn, on_delete=models.PROTECT, related_name="api_token", null=True, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="api_token_name_unique")
        ]

    def __str__(self) -> str:
        return f"API token {self.name!r} of {self.account_id}"

    @classmethod
    def new_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def has_scope(self, scope: ApiToken.Scope) -> bool:
        return scope in self.scopes

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "active"

    def admits(self, ip: str) -> bool:
        """Whether a request from this address may use the token (no list: any)."""
        if not self.ip_allowlist:
            return True
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(
            address in ipaddress.ip_network(network, strict=False) for network in self.ip_allowlist
        )


class Passkey(models.Model):
    """A WebAuthn credential (a passkey or security key): its id and public key as the
    authenticator gave them at enrollment, checked by the webauthn library at each use. A
    signature counter that fails to grow marks a cloned authenticator."""

    MAX_PER_ACCOUNT = 10

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=64)
    credential_id = models.CharField(max_length=1400, unique=True, help_text="base64url")
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    rp_id = models.CharField(max_length=253, help_text="The domain it was made for.")
    transports = models.JSONField(default=list, blank=True)
    user_verified = models.BooleanField(
        default=False, help_text="Whether it verified the user (PIN or biometric) when made."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"


class PasskeyChallenge(models.Model):
    """One WebAuthn ceremony's challenge: single-use (deleted when answered), short-lived,
    bound to the account (enrollment, second factor) or to nobody (a passkey login, where
    the credential names the account)."""

    class Purpose(models.TextChoices):
        REGISTER = "register", "Enrollment"
        SECOND_FACTOR = "second_factor", "Second factor at login"
        LOGIN = "login", "Login with a passkey alone"

    id = models.CharField(primary_key=True, max_length=64)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, blank=True)
    challenge = models.BinaryField()
    rp_id = models.CharField(max_length=253)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.purpose} challenge"
