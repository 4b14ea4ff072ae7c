from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


@time_machine.travel(NOW, tick=False)
def test_many_payments_are_paged_fifty_at_a_time_keeping_the_range(john, court, signed_in):
    for n in range(55):
        Payment.objects.create(
            account=john,
            court=court,
            case_number="1:26-cv-00001",
            receipt_number=f"ACIT-{n:04d}",
            description="Summons",
            amount_cents=100,
            status=Payment.Status.COMPLETED,
            paid_at=NOW - timedelta(minutes=n),
        )
    client = signed_in(john)
    first = client.get("/cit/utilities/payments/", {"start": "11/01/2026", "end": "11/30/2026"})
    page = first.content.decode()
    assert "Payments 1 to 50 of 55 (page 1 of 2)" in page
    assert "ACIT-0000" in page and "ACIT-0049" in page and "ACIT-0050" not in page
    assert 'href="?start=11%2F01%2F2026&amp;end=11%2F30%2F2026&amp;page=2" rel="next"' in page
    second = client.get(
        "/cit/utilities/payments/", {"start": "11/01/2026", "end": "11/30/2026", "page": "2"}
    ).content.decode()
    assert "Payments 51 to 55 of 55" in second and "ACIT-0054" in second
    assert "ACIT-0049" not in second
    # A page past the end shows the last one; nonsense shows the first.
    assert "ACIT-0054" in client.get("/cit/utilities/payments/", {"page": "9"}).content.decode()
    assert client.get("/cit/utilities/payments/", {"page": "x"}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_payment_dates_are_mm_dd_yyyy_in_the_courts_zone(john, court, signed_in):
    # 02:00 UTC on 11/24 is still 11/23 in New York.
    Payment.objects.create(
        account=john,
        court=court,
        case_number="1:26-cv-00001",
        receipt_number="ACIT-0009",
        description="Summons",
        amount_cents=100,
        status=Payment.Status.COMPLETED,
        paid_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
    )
    page = signed_in(john).get("/cit/utilities/payments/").content.decode()
    assert "<td>11/23/2026</td>" in page
