from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    """An email queued inside the transaction that caused it, sent after commit, retried
    until it goes out or runs out of attempts. Its status is the record of delivery."""

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
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # The table and index kept their names when the outbox left nextecf.notices.
        db_table = "notices_outboundemail"
        indexes = [
            models.Index(fields=["status", "created_at"], name="notices_out_status_33d9f0_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"
