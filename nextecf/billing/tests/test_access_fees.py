"""PACER access fees: the fee rules, Review Billing History (totals by client code, the
quarterly waiver) and View Your Transaction Log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.billing.models import AccessCharge
from nextecf.billing.services import (
    Free,
    access_charge,
    html_pages,
    quarter_of,
    quarter_total,
)
from nextecf.cases.factories import CaseFactory, DocketEntryFactory
from nextecf.courts.factories import CourtStaffFactory
from nextecf.courts.models import FilerAccount
from nextecf.lib.actor import Actor

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.get_fixed_timezone(-300))
BILLING = "/cit/utilities/billing/"
LOG = "/cit/utilities/transactions/"


def signed_actor(account, *, exempt: bool = False, client_code: str = ""):
    signon = SignOn.objects.create(
        account=account, token_hash=f"{account.pk:064d}", exempt=exempt, client_code=client_code
    )
    return Actor(account=account, signon=signon)


def charge(account, court, cents: int, *, when=NOW, code: str = "", description="Docket Report"):
    return AccessCharge.objects.create(
        account=account,
        court=court,
        created_at=when,
        client_code=code,
        description=description,
        search_criteria="1:26-cv-00001",
        pages=cents // 10,
        cost_cents=cents,
    )


def test_html_pages_are_4320_bytes_and_at_least_one():
    assert html_pages("") == 1
    assert html_pages("x" * 4320) == 1
    assert html_pages("x" * 4321) == 2
    assert html_pages("x" * 4000, "y" * 4000) == 2
    assert html_pages("é" * 2160) == 1 and html_pages("é" * 2161) == 2  # bytes, not characters
    assert html_pages(b"z" * 9000) == 3


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 8, 15), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
    ],
)
def test_quarters(day, quarter):
    assert quarter_of(day) == quarter


def test_the_fee_rules(court, db):
    public = AccountFactory()
    actor = signed_actor(public, client_code="acme-7")
    paid = access_charge(
        actor=actor, court=court, description="Image1-0", search_criteria="x", pages=45
    )
    assert (paid.pages, paid.cost_cents, paid.client_code) == (30, 300, "acme-7")
    search = access_charge(
        actor=actor,
        court=court,
        description="Search",
        search_criteria="x",
        pages=45,
        capped=False,
    )
    assert (search.pages, search.cost_cents) == (45, 450)
    opinion = access_charge(
        actor=actor,
        court=court,
        description="Image4-0",
        search_criteria="x",
        pages=3,
        free_reason=Free.OPINION,
    )
    assert (opinion.cost_cents, opinion.free_reason) == (0, Free.OPINION)
    # A session switched to exempt only counts for a CJA-eligible account.
    cja = AccountFactory(cja_eligible=True)
    exempt = access_charge(
        actor=signed_actor(cja, exempt=True),
        court=court,
        description="d",
        search_criteria="",
        pages=2,
    )
    assert (exempt.cost_cents, exempt.free_reason) == (0, Free.EXEMPT_SESSION)
    sneaky = access_charge(
        actor=signed_actor(AccountFactory(), exempt=True),
        court=court,
        description="d",
        search_criteria="",
        pages=2,
    )
    assert sneaky.cost_cents == 20
    granted = access_charge(
        actor=signed_actor(AccountFactory(fee_exempt=True)),
        court=court,
        description="d",
        search_criteria="",
        pages=2,
    )
    assert (granted.cost_cents, granted.free_reason) == (0, Free.COURT_EXEMPT)
    clerk = AccountFactory(is_staff=True)
    CourtStaffFactory(court=court, account=clerk)
    staff = access_charge(
        actor=signed_actor(clerk), court=court, description="d", search_criteria="", pages=2
    )
    assert staff.free_reason == Free.COURT_EXEMPT


def test_the_quarterly_waiver(court, other_court, db):
    account = AccountFactory()
    charge(account, court, 2000)
    charge(account, court, 990, when=NOW - timedelta(days=200))  # an earlier quarter
    assert quarter_total(account=account, day=NOW.date()).waived
    charge(account, other_court, 1000)  # every court counts toward the same quarter
    total = quarter_total(account=account, day=NOW.date())
    assert total.cost_cents == 3000 and total.waived and total.owed_cents == 0
    charge(account, court, 10)
    total = quarter_total(account=account, day=NOW.date())
    assert not total.waived and total.owed_cents == 3010 and total.owed == "$30.10"


@time_machine.travel(NOW, tick=False)
def test_billing_history_defaults_to_this_quarter_with_totals_by_client_code(
    court, other_court, john, signed_in
):
    charge(john, court, 120, code="acme")
    charge(john, court, 30, code="acme", description="Search")
    charge(john, court, 300, code="zeta")
    charge(john, court, 50, when=NOW - timedelta(days=100))  # the previous quarter
    charge(john, other_court, 700)  # another court: not listed, but in the quarter's total
    charge(AccountFactory(), court, 990)  # someone else
    page = signed_in(john).get(BILLING)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="10/01/2026"' in html and 'value="12/31/2026"' in html
    assert "<tr><td>acme</td><td>2</td><td>15</td><td>$1.50</td></tr>" in html
    assert "<tr><td>zeta</td><td>1</td><td>30</td><td>$3.00</td></tr>" in html
    assert "<td>3</td><td>45</td><td>$4.50</td>" in html  # the range's total, this court
    assert "$11.50 in every court" in html and "waived" in html
    assert "$0.50" not in html and "$9.90" not in html


@time_machine.travel(NOW, tick=False)
def test_billing_history_says_when_a_quarter_is_owed(court, john, signed_in):
    charge(john, court, 3100)
    html = signed_in(john).get(BILLING).content.decode()
    assert "owed: $31.00" in html


@time_machine.travel(NOW, tick=False)
def test_billing_history_ranges_and_sorting(court, john, signed_in):
    charge(john, court, 100, code="zeta", when=NOW - timedelta(hours=2))
    charge(john, court, 200, code="acme", when=NOW - timedelta(hours=1))
    charge(john, court, 50, when=NOW - timedelta(days=100))
    client = signed_in(john)
    by_date = client.get(BILLING, {"start": "01/01/2026", "end": "12/31/2026"}).content.decode()
    assert by_date.index("<td>zeta</td><td>Docket") < by_date.index("<td>acme</td><td>Docket")
    assert "$0.50" in by_date  # the earlier quarter is in range now
    assert "07/01/2026 to 09/30/2026" in by_date
    by_code = client.get(
        BILLING, {"start": "01/01/2026", "end": "12/31/2026", "sort": "client_code"}
    ).content.decode()
    assert by_code.index("<td>acme</td><td>Docket") < by_code.index("<td>zeta</td><td>Docket")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "13/45/2026", "end": "12/31/2026"}, "From must be a date such as"),
        ({"start": "12/31/2026", "end": "01/01/2026"}, "To must not be before From."),
        ({"start": "01/01/0001", "end": "12/31/9999"}, "must be a date from 01/01/1900"),
        ({"start": "01/01/2026", "end": "12/31/2026", "sort": "cost"}, "Sort by must be Date"),
        ({"start": "", "end": "12/31/2026"}, "From: enter a date such as 01/31/2026."),
    ],
)
@pytest.mark.parametrize("url", [BILLING, LOG])
def test_bad_ranges_are_named(court, john, signed_in, url, params, message):
    if url == LOG and "sort" in params:
        return  # the transaction log has no sort
    page = signed_in(john).get(url, params)
    assert page.status_code == 400 and message in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_transaction_log_lists_my_filings_here(people, court, other_court, signed_in):
    mine = FilerAccount.objects.get(court=court, account=people.filer)
    theirs = FilerAccount.objects.get(court=court, account=people.other_filer)
    case = CaseFactory(court=court)
    DocketEntryFactory(case=case, filer=mine, text="My complaint. (Doe, John)")
    DocketEntryFactory(
        case=case, filer=mine, text="My old motion.", date_filed=NOW.date() - timedelta(days=60)
    )
    DocketEntryFactory(case=case, filer=theirs, text="Their answer.")
    DocketEntryFactory(case=CaseFactory(court=other_court), text="Elsewhere.")
    html = signed_in(people.filer).get(LOG).content.decode()
    assert "My complaint." in html and case.number in html
    assert "My old motion." not in html and "Their answer." not in html
    assert "Elsewhere." not in html
    wider = signed_in(people.filer).get(LOG, {"start": "01/01/2026", "end": "12/31/2026"})
    assert b"My old motion." in wider.content
    assert not AccessCharge.objects.exists()  # utilities are free


def test_the_transaction_log_of_someone_without_a_filer_account(court, people, signed_in):
    html = signed_in(people.public).get(LOG).content.decode()
    assert "not linked to a CM/ECF filer account" in html
    assert "No transactions in this period." in html


def test_the_utilities_menu_lists_both(court, people, signed_in):
    html = signed_in(people.public).get("/cit/utilities/").content.decode()
    assert f'href="{BILLING}">Review Billing History</a>' in html
    assert f'href="{LOG}">View Your Transaction Log</a>' in html
