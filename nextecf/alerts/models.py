"""Docket alerts: the cases an account follows, how it hears of their new entries (email
at once or in a daily digest, a private RSS feed per case, webhooks), and the log of each
webhook delivery."""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.cases.models import Case, DocketEntry


class Subscription(models.Model):
    """An account follows a case."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", "Email each new entry"
        DIGEST = "digest", "Email a daily digest"
        NONE = "none", "No email (RSS feed and webhooks only)"

    MAX_PER_ACCOUNT = 500

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.IMMEDIATE)
    # The case's private RSS feed is /alerts/feed/<feed_key>/: a capability, like a
    # calendar's private address; following again gives a new one.
    feed_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Subscription]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "case"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} follows {self.case_id}"

    @staticmethod
    def new_feed_key() -> str:
        return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A URL the account registered: every new entry of a case it follows is POSTed there
    as JSON, signed with HMAC-SHA256 under the webhook's secret."""

    MAX_PER_ACCOUNT = 5

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret_sealed = models.TextField(help_text="The signing secret, encrypted at rest.")
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Webhook]]

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.account_id}"

    @property
    def secret_context(self) -> bytes:
        return f"alerts.webhook.secret:{self.pk}:{self.account_id}".encode()


class WebhookDelivery(models.Model):
    """One entry sent to one webhook: at most one per pair, retried with backoff until it
    is delivered or its attempts run out."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        WITHHELD = "withheld", "Withheld (no longer visible to the account)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[WebhookDelivery]]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "entry"], name="delivery_unique")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"delivery {self.event_id} ({self.status})"


class DigestItem(models.Model):
    """A new entry waiting for its follower's daily digest."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="digest_items"
    )
    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[DigestItem]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "entry"], name="digest_item_unique")
        ]

    def __str__(self) -> str:
        return f"digest item {self.entry_id} for {self.subscription_id}"
