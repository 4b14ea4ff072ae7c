from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.billing.models import Payment

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.get_fixed_timezone(-300))


def pay(account, court, days_ago: int, receipt: str, status=Payment.Status.COMPLETED):
    return Payment.objects.create(
        account=account,
        court=court,
        case_number="1:26-cv-00001",
        receipt_number=receipt,
        description="Summons",
        amount_cents=35000,
        status=status,
        paid_at=NOW - timedelta(days=days_ago),
    )


@time_machine.travel(NOW, tick=False)
def test_the_default_is_the_last_30_days_of_my_completed_payments(john, court, signed_in):
    pay(john, court, 3, "ACIT-0001")
    pay(john, court, 45, "ACIT-0002")
    pay(john, court, 1, "ACIT-0003", status=Payment.Status.DECLINED)
    pay(AccountFactory(), court, 1, "ACIT-0004")
    page = signed_in(john).get("/cit/utilities/payments/").content.decode()
    assert "ACIT-0001" in page and "$350.00" in page and "1:26-cv-00001" in page
    for absent in ("ACIT-0002", "ACIT-0003", "ACIT-0004"):
        assert absent not in page


@time_machine.travel(NOW, tick=False)
def test_a_date_range_can_be_chosen(john, court, signed_in):
    pay(john, court, 45, "ACIT-0002")
    page = signed_in(john).get(
        "/cit/utilities/payments/", {"start": "09/01/2026", "end": "10/31/2026"}
    )
    assert b"ACIT-0002" in page.content


@time_machine.travel(NOW, tick=False)
def test_a_bad_date_range_is_named(john, court, signed_in):
    client = signed_in(john)
    bad = client.get("/cit/utilities/payments/", {"start": "31/31/2026", "end": "10/31/2026"})
    assert bad.status_code == 400 and b"From must be a date" in bad.content
    backwards = client.get("/cit/utilities/payments/", {"start": "10/31/2026", "end": "10/01/2026"})
    assert backwards.status_code == 400 and b"To must not be before From." in backwards.content


def test_no_payments_says_so(john, court, signed_in):
    assert (
        b"No internet payments in this period."
        in signed_in(john).get("/cit/utilities/payments/").content
    )
