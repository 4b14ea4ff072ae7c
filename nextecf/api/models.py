"""Batch (download) searches of the PCL API, kept until their owner deletes them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone


class PclReport(models.Model):
    """One batch search: its criteria, its state and, once run, its rows (stored here, so
    downloading them later shows what the search found when it ran). The id is the
    reportId clients see."""

    MAX_PER_ACCOUNT = 10  # PCL: at most 10 running or stored batch jobs per user

    class Kind(models.TextChoices):
        CASES = "cases", "Case search"
        PARTIES = "parties", "Party search"

    class Status(models.TextChoices):
        WAITING = "WAITING", "Waiting"
        RUNNING = "RUNNING", "Running"
        COMPLETED = "COMPLETED", "Completed"
        FAILED = "FAILED", "Failed"

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="pcl_reports"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    criteria = models.JSONField(help_text="The request body, as received and checked.")
    echo = models.JSONField(default=dict, help_text="The criteria as understood, echoed back.")
    sort = models.JSONField(default=list, help_text="[[field, 'ASC'|'DESC'], ...]")
    search = models.TextField(blank=True, help_text="The criteria in words, for the receipt.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    results = models.TextField(
        default="[]",
        help_text="The rows found: the content[] items as JSON text (kept as sent, in the "
        "guide's field order, which jsonb would not keep).",
    )
    court = models.ForeignKey(
        "courts.Court",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the download is billed.",
    )
    billed_at = models.DateTimeField(null=True, blank=True)
    charge = models.ForeignKey(
        "billing.AccessCharge", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receipt = models.JSONField(
        null=True, blank=True, help_text="The receipt of the (single) billed download."
    )

    objects: ClassVar[models.Manager[PclReport]]

    class Meta:
        indexes = [models.Index(fields=["account", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"PCL report {self.pk} ({self.kind}, {self.status})"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a filing-API client sent with a filing: a retry with the same
    key (and the same request) answers with the filing the first one made, instead of
    filing again. The key names the filing's draft, whose id is the filing's own
    idempotency key (one draft is filed, and charged, at most once)."""

    MAX_LENGTH = 80

    token = models.ForeignKey(
        "accounts.ApiToken", on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=MAX_LENGTH)
    request_digest = models.CharField(max_length=64, help_text="SHA-256 of the request.")
    draft_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[IdempotencyKey]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"idempotency key {self.key[:12]} of token {self.token_id}"
