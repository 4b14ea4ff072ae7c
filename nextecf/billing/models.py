from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone


class PaymentQuerySet(models.QuerySet["Payment"]):
    def history(
        self, *, account_id: int, court_id: str, start: object, end: object
    ) -> PaymentQuerySet:
        return self.filter(
            account_id=account_id,
            court_id=court_id,
            status=Payment.Status.COMPLETED,
            paid_at__date__gte=start,
            paid_at__date__lte=end,
        ).order_by("-paid_at")

    @staticmethod
    def default_range() -> tuple[object, object]:
        today = timezone.localdate()
        return today - timedelta(days=30), today


class Payment(models.Model):
    """A filing-fee payment made online through the court's payment gateway."""

    class Status(models.TextChoices):
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=32)
    receipt_number = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=200)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    paid_at = models.DateTimeField(default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["account", "court", "paid_at"])]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.case_number} ${self.amount_cents / 100:.2f}"

    @property
    def amount(self) -> str:
        return f"${self.amount_cents / 100:,.2f}"
