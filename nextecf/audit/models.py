"""The audit log: every access attempt and every change that matters, append-only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Event(models.TextChoices):
    LOGIN = "LOGIN", "Login"
    LOGIN_ERROR = "LOGIN_ERROR", "Login failed"
    LOGIN_STEP = "LOGIN_STEP", "Login step (redaction agreement, client code)"
    REAUTH = "REAUTH", "Re-authentication"
    REAUTH_ERROR = "REAUTH_ERROR", "Re-authentication failed"
    LOGOUT = "LOGOUT", "Logout"
    SIGNON_EXPIRED = "SIGNON_EXPIRED", "Sign-on timed out"
    ACCESS_DENIED = "ACCESS_DENIED", "Access denied"
    CLIENT_CODE_CHANGE = "CLIENT_CODE_CHANGE", "Client code changed"
    EXEMPTION_CHANGE = "EXEMPTION_CHANGE", "PACER exemption status changed"
    LINK_LEGACY_START = "LINK_LEGACY_START", "Link: form opened"
    LINK_LEGACY_CREDENTIALS_OK = "LINK_LEGACY_CREDENTIALS_OK", "Link: CM/ECF credentials accepted"
    LINK_LEGACY_CREDENTIALS_ERROR = (
        "LINK_LEGACY_CREDENTIALS_ERROR",
        "Link: CM/ECF credentials refused",
    )
    LINK_LEGACY_CONFIRMED = "LINK_LEGACY_CONFIRMED", "Link: accounts linked"
    LINK_LEGACY_CANCELLED = "LINK_LEGACY_CANCELLED", "Link: cancelled at confirmation"
    LINK_LEGACY_ERROR = "LINK_LEGACY_ERROR", "Link: refused"
    UNLINK_LEGACY = "UNLINK_LEGACY", "Link reversed by staff"
    FILER_LOCKED = "FILER_LOCKED", "CM/ECF account locked"
    FILER_UNLOCKED = "FILER_UNLOCKED", "CM/ECF account unlocked"
    FILER_PASSWORD_SET = "FILER_PASSWORD_SET", "CM/ECF password set by staff"
    FILER_IMPORT = "FILER_IMPORT", "CM/ECF accounts imported"
    ORDER_SIGNED = "ORDER_SIGNED", "Order signed by a judge and docketed"
    CASE_ASSIGNED = "CASE_ASSIGNED", "Case assigned or reassigned"
    CONVERSION_REMINDER = "CONVERSION_REMINDER", "Link reminders sent to not-yet-linked filers"
    STAFF_CHANGE = "STAFF_CHANGE", "Staff change in the admin"
    STAFF_VIEW = "STAFF_VIEW", "Staff read sealed records or the audit log"
    COURT_CREATED = "COURT_CREATED", "Court instance created"
    # Self-service and account security
    REGISTER = "REGISTER", "Registration"
    EMAIL_VERIFIED = "EMAIL_VERIFIED", "Email address verified"
    UPGRADE = "UPGRADE", "Legacy account upgraded"
    PASSWORD_RESET_REQUEST = "PASSWORD_RESET_REQUEST", "Password reset requested"
    PASSWORD_RESET = "PASSWORD_RESET", "Password reset completed"
    USERNAME_REMINDER = "USERNAME_REMINDER", "Username reminder requested"
    PASSWORD_CHANGE = "PASSWORD_CHANGE", "Password changed"
    PROFILE_CHANGE = "PROFILE_CHANGE", "Profile changed"
    EMAIL_CHANGE_REQUEST = "EMAIL_CHANGE_REQUEST", "Email change requested"
    EMAIL_CHANGE = "EMAIL_CHANGE", "Email changed"
    BILLING_PREFS_CHANGE = "BILLING_PREFS_CHANGE", "Billing preferences changed"
    SIGNON_ENDED = "SIGNON_ENDED", "Sign-on ended by the user or staff"
    MFA_ENROLL = "MFA_ENROLL", "MFA app enrolled"
    MFA_REMOVE = "MFA_REMOVE", "MFA app removed"
    MFA_CHALLENGE = "MFA_CHALLENGE", "MFA code accepted"
    MFA_ERROR = "MFA_ERROR", "MFA code refused"
    MFA_SKIP = "MFA_SKIP", "MFA enrollment postponed"
    PASSKEY_ENROLL = "PASSKEY_ENROLL", "Passkey enrolled"
    PASSKEY_REMOVE = "PASSKEY_REMOVE", "Passkey removed"
    PASSKEY_USED = "PASSKEY_USED", "Passkey accepted"
    PASSKEY_ERROR = "PASSKEY_ERROR", "Passkey refused"
    BACKUP_CODES_GENERATED = "BACKUP_CODES_GENERATED", "Backup codes generated"
    BACKUP_CODE_USED = "BACKUP_CODE_USED", "Backup code used"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED", "Account locked"
    ACCOUNT_UNLOCKED = "ACCOUNT_UNLOCKED", "Account unlocked"
    THROTTLED = "THROTTLED", "Request refused by a rate limit"
    EFILE_REQUEST = "EFILE_REQUEST", "E-file registration requested"
    EFILE_APPROVED = "EFILE_APPROVED", "E-file registration approved"
    EFILE_REJECTED = "EFILE_REJECTED", "E-file registration rejected"
    # Case records
    DOCUMENT_VIEW = "DOCUMENT_VIEW", "Document viewed"
    FREE_LOOK = "FREE_LOOK", "Free look link used"
    DOCUMENT_LEVEL_CHANGE = "DOCUMENT_LEVEL_CHANGE", "Document access level changed"
    DOCUMENT_GRANT = "DOCUMENT_GRANT", "Sealed document granted to an account"
    PROTECTIVE_ORDER_ADMIT = "PROTECTIVE_ORDER_ADMIT", "Counsel admitted under a protective order"
    PROTECTIVE_ORDER_REMOVE = "PROTECTIVE_ORDER_REMOVE", "Counsel removed from a protective order"
    CASE_CONSOLIDATED = "CASE_CONSOLIDATED", "Case consolidated under a lead case"
    CASE_UNCONSOLIDATED = "CASE_UNCONSOLIDATED", "Case unconsolidated"
    # Authentication API
    API_AUTH = "API_AUTH", "API authentication"
    API_AUTH_ERROR = "API_AUTH_ERROR", "API authentication failed"
    API_LOGOUT = "API_LOGOUT", "API logout"
    PCL_SEARCH = "PCL_SEARCH", "PCL API search"
    PCL_REPORT = "PCL_REPORT", "PCL API batch report downloaded or deleted"
    # API tokens and the filing API (/api/v1)
    API_TOKEN_CREATE = "API_TOKEN_CREATE", "API token created"
    API_TOKEN_REVOKE = "API_TOKEN_REVOKE", "API token revoked"
    API_TOKEN_REFUSED = "API_TOKEN_REFUSED", "API token refused"
    API_CALL = "API_CALL", "Filing API call"
    # Docket alerts
    ALERT_SUBSCRIBE = "ALERT_SUBSCRIBE", "Case followed"
    ALERT_UNSUBSCRIBE = "ALERT_UNSUBSCRIBE", "Case no longer followed"
    WEBHOOK_CHANGE = "WEBHOOK_CHANGE", "Webhook registered, changed or removed"
    WEBHOOK_DISABLED = "WEBHOOK_DISABLED", "Webhook disabled after failures"
    # Electronic filing and filing fees
    FILING_SUBMITTED = "FILING_SUBMITTED", "Filing submitted"
    FILING_ERROR = "FILING_ERROR", "Filing refused or failed"
    PAYMENT = "PAYMENT", "Filing fee charged"
    PAYMENT_VOID = "PAYMENT_VOID", "Filing fee charge voided"


def event_types() -> list[tuple[str, str]]:
    """The field's choices, looked up when used: the catalogue lives in code, so a new
    Event member needs no migration (the migration names this function, not the list)."""
    return Event.choices


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("audit events are append-only")


class AuditEvent(models.Model):
    """One audited event. Never holds a password, code or token."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    event_type = models.CharField(max_length=40, choices=event_types, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=64, blank=True, help_text="A reason code.")
    actor = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who acted.",
    )
    subject = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose account the event concerns, when not the actor's (staff actions).",
    )
    court = models.ForeignKey(
        "courts.Court", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(
        max_length=64, blank=True, help_text="The username as typed, escaped and truncated."
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    path = models.CharField(max_length=256, blank=True)
    signon_ref = models.CharField(
        max_length=16, blank=True, help_text="A digest of the sign-on id, not its token."
    )
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "event_type", "created_at"]),
            models.Index(fields=["court", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("audit events are append-only")
        # The database takes any string now; an event the catalogue does not know would be
        # a typo that no report or filter ever shows.
        if self.event_type not in Event.values:
            raise ValidationError(
                {"event_type": f"{self.event_type!r} is not an audit event type (see Event)"}
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("audit events are append-only")


class AuditSeal(models.Model):
    """One link of the chain over the audit log: each seal names the seal before it, and
    its digest is an HMAC (under a key kept outside the database) of its event and of that
    seal's digest. Changing, removing or reordering any sealed event or seal, even as a
    database superuser, breaks verification from there on.

    Events are sealed after they are written (`manage.py audit_seal`), in the order they
    are sealed, not in id order: a transaction that commits late is sealed late. Seal
    numbers may skip (a rolled-back sealing batch uses up its sequence values); the chain
    is the `previous` links, not the numbers."""

    seq = models.BigAutoField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    # One-to-one: no two seals can claim the same predecessor, so the chain cannot fork.
    # No foreign key constraint: the link is evidence, and a seal removed behind the
    # application's back must leave its successor naming the gap for audit_verify to report.
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        db_constraint=False,
    )
    key_id = models.CharField(max_length=16, help_text="Which chain key made the digest.")
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"seal {self.seq} of event {self.event_id}"
