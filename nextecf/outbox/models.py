from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def due(self, now: datetime) -> OutboundEmailQuerySet:
        """Queued emails whose next attempt has come."""
        return self.filter(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now)


class OutboundEmail(models.Model):
    """An email queued inside the transaction that caused it, sent after commit, retried
    with a doubling wait until it goes out or runs out of attempts (a little over a day).
    Its status is the record of delivery; failed ones are listed for the court's clerk."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, help_text="e.g. link_confirmation")
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="When the scheduler next tries to send it."
    )
    failed_at = models.DateTimeField(null=True, blank=True)
    court = models.ForeignKey(
        "courts.Court",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The court whose activity it is about (an NEF), if any.",
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # The table and index kept their names when the outbox left nextecf.notices.
        db_table = "notices_outboundemail"
        indexes = [
            models.Index(fields=["status", "created_at"], name="notices_out_status_33d9f0_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    objects: ClassVar[OutboundEmailQuerySet] = OutboundEmailQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"

    @staticmethod
    def retry_delay(attempts: int) -> timedelta:
        """The wait after the given number of failed attempts: doubling, with a ceiling."""
        seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
        return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_DELAY_SECONDS))

    def record_failure(self, error: str, now: datetime) -> None:
        """One more failed attempt: wait longer before the next, or give up for good."""
        self.last_error = error[:500]
        if self.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            self.status = self.Status.FAILED
            self.failed_at = now
        else:
            self.next_attempt_at = now + self.retry_delay(self.attempts)
