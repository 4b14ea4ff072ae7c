from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from nextecf.accounts.clientcodes import CLIENT_CODE_MAX_LENGTH


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
        VOIDED = "voided", "Voided"

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=32)
    receipt_number = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=200)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    paid_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, help_text="One charge per filing."
    )
    gateway = models.CharField(max_length=20, default="sandbox")
    gateway_reference = models.CharField(max_length=64, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["account", "court", "paid_at"])]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.case_number} ${self.amount_cents / 100:.2f}"

    @property
    def amount(self) -> str:
        return f"${self.amount_cents / 100:,.2f}"


class AccessCharge(models.Model):
    """One billable PACER access (a docket report, a document, a search), with the
    transaction receipt's fields. Free accesses are recorded too, at zero, with the reason."""

    class Free(models.TextChoices):
        NONE = "", "Charged"
        EXEMPT_SESSION = "exempt_session", "CJA exemption (this session)"
        COURT_EXEMPT = "court_exempt", "Court-granted exemption"
        OPINION = "opinion", "Written opinion"
        FREE_LOOK = "free_look", "Free look from a Notice of Electronic Filing"

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    signon = models.ForeignKey(
        "accounts.SignOn", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    client_code = models.CharField(max_length=CLIENT_CODE_MAX_LENGTH, blank=True)
    description = models.CharField(max_length=100, help_text="e.g. Docket Report")
    search_criteria = models.CharField(max_length=300, blank=True)
    pages = models.PositiveIntegerField()
    cost_cents = models.PositiveIntegerField()
    free_reason = models.CharField(max_length=20, choices=Free.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "created_at"])]

    def __str__(self) -> str:
        return f"{self.description} {self.pages}p ${self.cost_cents / 100:.2f}"

    @property
    def cost(self) -> str:
        return f"{self.cost_cents / 100:.2f}"


class SandboxCharge(models.Model):
    """A charge taken by the SANDBOX payment gateway (billing.gateways), which is a fake:
    no money moves. At most one live (approved) charge per idempotency key, so that one
    filing is never charged twice; a voided charge gives its key back."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        VOIDED = "voided", "Voided"

    idempotency_key = models.CharField(max_length=64, db_index=True)
    reference = models.CharField(max_length=32, unique=True)
    amount_cents = models.PositiveIntegerField()
    card_last4 = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    created_at = models.DateTimeField(default=timezone.now)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(status="approved"),
                name="sandbox_one_live_charge_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ${self.amount_cents / 100:.2f} ({self.status})"
