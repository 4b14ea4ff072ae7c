from __future__ import annotations

from django.db import models
from django.utils import timezone


class FreeLook(models.Model):
    """The free look an NEF recipient gets at a filed document: one use or 15 days,
    whichever comes first. Only the token's hash is stored."""

    VALID_DAYS = 15

    document = models.ForeignKey("cases.Document", on_delete=models.CASCADE, related_name="+")
    email = models.ForeignKey(
        "outbox.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"free look at {self.document_id} for {self.recipient}"
