"""Payment gateways for filing fees: the edge of the world.

Filing code talks to a `PaymentGateway`; which one a deployment uses is the setting
PAYMENT_GATEWAY (a dotted path). Production plugs in its own (e.g. Pay.gov). The built-in
`SandboxGateway` is a FAKE for training databases, demos and tests: it moves no money, and
it refuses to serve a LIVE court database outside development.

The contract every gateway keeps: a charge is identified by its idempotency key (one
filing, one key), and charging again with the key of a live charge returns that charge
instead of taking the money twice. A voided charge no longer holds its key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from nextecf.billing.models import SandboxCharge
from nextecf.courts.models import Court


@dataclass(frozen=True)
class Card:
    """Card details as entered; never stored or logged (only the last four digits)."""

    number: str  # digits only
    exp_month: int
    exp_year: int  # four digits
    cvv: str
    name: str = ""

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:  # keep card numbers out of tracebacks and logs
        return f"Card(****{self.last4})"


@dataclass(frozen=True)
class ChargeResult:
    approved: bool
    reference: str = ""  # the gateway's transaction id (the card statement's number)
    reason: str = ""  # why it was declined, for the filer
    card_last4: str = ""
    replayed: bool = False  # an earlier charge with the same key, returned again


class PaymentGateway(Protocol):
    name: str

    def charge(self, *, amount_cents: int, card: Card, idempotency_key: str) -> ChargeResult:
        """Take the money, once per idempotency key."""
        ...

    def void(self, reference: str) -> bool:
        """Cancel a charge; True if it was live and is now void. Voiding twice is harmless."""
        ...

    def abandoned(self, *, older_than_seconds: int) -> list[tuple[str, str]]:
        """(reference, idempotency_key) of live charges older than this, for reconciliation."""
        ...


class PaymentUnavailable(Exception):
    """No gateway may take payments for this court now."""


def luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def card_problems(card: Card, *, today: date | None = None) -> list[tuple[str, str]]:
    """Every (field, message) for card details no gateway could accept, all at once (the
    expiry is judged only with a valid month)."""
    problems: list[tuple[str, str]] = []
    if not (card.number.isdigit() and 13 <= len(card.number) <= 19 and luhn_ok(card.number)):
        problems.append(("card_number", "is not a valid card number"))
    if not 1 <= card.exp_month <= 12:
        problems.append(("exp_month", "must be a month from 1 to 12"))
    else:
        today = today or timezone.localdate()
        if (card.exp_year, card.exp_month) < (today.year, today.month):
            problems.append(("exp_year", "the card has expired"))
        elif card.exp_year > today.year + 20:
            problems.append(("exp_year", "is too far in the future"))
    if not (card.cvv.isdigit() and len(card.cvv) in (3, 4)):
        problems.append(("cvv", "must be the 3 or 4 digits on the card"))
    return problems


def card_problem(card: Card, *, today: date | None = None) -> tuple[str, str] | None:
    """The first (field, message) of card_problems, or None."""
    problems = card_problems(card, today=today)
    return problems[0] if problems else None


class SandboxGateway:
    """A FAKE gateway: test card numbers only, no money moves. Its charges are rows of
    SandboxCharge, so that "one live charge per idempotency key" is a database constraint.

    4111 1111 1111 1111 approves; 4000 0000 0000 0002 is declined (insufficient funds);
    any other number is refused as an invalid card.
    """

    name = "sandbox"
    APPROVE = "4111111111111111"
    DECLINE = "4000000000000002"

    def charge(self, *, amount_cents: int, card: Card, idempotency_key: str) -> ChargeResult:
        if amount_cents <= 0:
            raise ValueError("nothing to charge")
        live = self._live(idempotency_key)
        if live is not None:
            return self._replay(live, amount_cents)
        if card_problem(card) is not None or card.number not in (self.APPROVE, self.DECLINE):
            return ChargeResult(False, reason="invalid card", card_last4=card.last4)
        if card.number == self.DECLINE:
            return ChargeResult(False, reason="card declined: insufficient funds")
        try:
            with transaction.atomic():
                row = SandboxCharge.objects.create(
                    idempotency_key=idempotency_key,
                    reference=f"SBX{secrets.randbelow(10**12):012d}",
                    amount_cents=amount_cents,
                    card_last4=card.last4,
                )
        except IntegrityError:
            # A concurrent charge with the same key won: that one is the charge.
            live = self._live(idempotency_key)
            if live is None:
                raise
            return self._replay(live, amount_cents)
        return ChargeResult(True, reference=row.reference, card_last4=row.card_last4)

    def void(self, reference: str) -> bool:
        return bool(
            SandboxCharge.objects.filter(
                reference=reference, status=SandboxCharge.Status.APPROVED
            ).update(status=SandboxCharge.Status.VOIDED, voided_at=timezone.now())
        )

    def abandoned(self, *, older_than_seconds: int) -> list[tuple[str, str]]:
        cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
        rows = SandboxCharge.objects.filter(
            status=SandboxCharge.Status.APPROVED, created_at__lt=cutoff
        ).values_list("reference", "idempotency_key")
        return list(rows)

    @staticmethod
    def _live(key: str) -> SandboxCharge | None:
        return SandboxCharge.objects.filter(
            idempotency_key=key, status=SandboxCharge.Status.APPROVED
        ).first()

    @staticmethod
    def _replay(live: SandboxCharge, amount_cents: int) -> ChargeResult:
        if live.amount_cents != amount_cents:
            return ChargeResult(False, reason="this filing was already charged another amount")
        return ChargeResult(
            True, reference=live.reference, card_last4=live.card_last4, replayed=True
        )


def configured_gateway() -> PaymentGateway:
    """The deployment's gateway (setting PAYMENT_GATEWAY), e.g. for reconciliation."""
    path = getattr(settings, "PAYMENT_GATEWAY", "nextecf.billing.gateways.SandboxGateway")
    gateway: PaymentGateway = import_string(path)()
    return gateway


def payment_gateway(court: Court) -> PaymentGateway:
    """The gateway that takes this court's filing fees: on a training instance always the
    sandbox, so practice filings never move money."""
    if settings.TRAINING_INSTANCE:
        return SandboxGateway()
    gateway = configured_gateway()
    if (
        gateway.name == SandboxGateway.name
        and not settings.DEVELOPMENT
        and court.database == Court.Database.LIVE
    ):
        raise PaymentUnavailable("the sandbox gateway never takes payments for a LIVE database")
    return gateway


def receipt_number(court: Court) -> str:
    """The court's receipt number for a payment, e.g. ACIT-4821730956."""
    return f"A{court.pk.upper()}-{secrets.randbelow(10**10):010d}"
