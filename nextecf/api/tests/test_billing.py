"""PCL billing (nextgen-facts §3.1): every page retrieved is one billable page at $0.10, not
capped, a search that finds nothing still costs its page; charges go through
billing.services, carry the client code, show in Review Billing History; and every search
is audited."""

from __future__ import annotations

import re
import uuid

import pytest
import time_machine

from nextecf.accounts.factories import AccountFactory
from nextecf.api.tests.conftest import make_cases
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge


def test_each_page_retrieved_is_one_billable_page_with_a_receipt(api, court, people):
    make_cases(court, 60, "Billed")
    client = api(people.public, signon_code="")
    people.public.signons.update(court_id="cit")  # the sign-on began at cit
    first = client.cases({"caseTitle": "billed"}).json()
    second = client.cases({"caseTitle": "billed"}, query="page=1").json()
    nothing = client.cases({"caseTitle": "nothing matches this"}).json()
    past_the_end = client.cases({"caseTitle": "billed"}, query="page=7").json()
    charges = list(AccessCharge.objects.order_by("pk"))
    assert [(c.pages, c.cost_cents, c.free_reason) for c in charges] == [(1, 10, "")] * 4
    assert {c.court_id for c in charges} == {"cit"}
    assert all(c.account_id == people.public.pk for c in charges)
    assert charges[0].description == "All Court Types Case Search"
    assert charges[0].search_criteria == "All Courts; Case Title billed; Page: 1"
    assert charges[1].search_criteria.endswith("Page: 2")
    for data, page in ((first, 1), (second, 2), (nothing, 1), (past_the_end, 8)):
        receipt = data["receipt"]
        assert receipt["billablePages"] == 1
        assert receipt["searchFee"] == ".10"
        assert receipt["loginId"] == people.public.username
        assert receipt["csoId"] == int(people.public.account_number)
        assert receipt["clientCode"] == "" and receipt["firmId"] == ""
        assert receipt["description"] == "All Court Types Case Search"
        assert receipt["search"].endswith(f"Page: {page}")
        assert uuid.UUID(receipt["reportId"])
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}", receipt["transactionDate"]
        )
    assert nothing["content"] == [] and nothing["pageInfo"]["totalElements"] == 0


def test_a_search_naming_one_court_is_billed_to_it(api, court, second_court, people):
    client = api(people.public)
    client.cases({"caseTitle": "x", "courtId": ["nyxdc"]})
    client.parties({"lastName": "x", "courtCase": {"courtId": ["NYXDC"]}})
    client.cases({"caseTitle": "x", "courtId": ["nyxdc", "citdc"]})  # two: the first by id
    make_cases(second_court, 1, "Found")
    client.cases({"caseTitle": "found"})  # none named: the court of the first row found
    client.cases({"caseTitle": "x"})  # nothing found: the first court by id (ca9 here)
    assert list(AccessCharge.objects.order_by("pk").values_list("court_id", flat=True)) == [
        "nyx",
        "nyx",
        "cit",
        "nyx",
        "ca9",
    ]
    assert AccessCharge.objects.order_by("pk")[1].description == "All Court Types Party Search"


def test_searches_are_not_capped_and_count_toward_the_quarter(api, court, people):
    from django.utils import timezone

    from nextecf.billing.services import quarter_total

    client = api(people.public)
    for _ in range(35):
        client.cases({"caseTitle": "x"})
    total = quarter_total(account=people.public, day=timezone.localdate())
    assert (total.pages, total.cost_cents) == (35, 350)


def test_the_client_code_comes_from_the_header_or_else_the_sign_on(api, court, people):
    api(people.public, signon_code="from-login").cases({"caseTitle": "x"})
    api(people.public, client_code="hdr/1", signon_code="from-login").cases({"caseTitle": "x"})
    api(people.public, client_code="  ", signon_code="from-login").cases({"caseTitle": "x"})
    codes = list(AccessCharge.objects.order_by("pk").values_list("client_code", flat=True))
    assert codes == ["from-login", "hdr/1", "from-login"]
    response = api(people.public, client_code="ACME.2025-07").cases({"caseTitle": "x"})
    assert response.json()["receipt"]["clientCode"] == "ACME.2025-07"


@pytest.mark.parametrize("code", ["has space", "a,b", "x" * 33, "tab\there"])
def test_a_client_code_pacer_forbids_answers_406(api, court, people, code):
    response = api(people.public, client_code=code).cases({"caseTitle": "x"})
    assert response.status_code == 406
    assert response.json()["field"] == "X-CLIENT-CODE"
    assert "client code" in response.json()["message"]
    assert not AccessCharge.objects.exists()


def test_the_accounts_client_code_rules_apply(api, court, db):
    account = AccountFactory(
        username="firmuser01", client_code_required=True, client_code_format="##-AAA"
    )
    assert api(account).cases({"caseTitle": "x"}).status_code == 406  # required, none
    assert api(account, client_code="123").cases({"caseTitle": "x"}).status_code == 406
    assert api(account, client_code="12-abc").cases({"caseTitle": "x"}).status_code == 200
    assert api(account, signon_code="07-XYZ").cases({"caseTitle": "x"}).status_code == 200
    # Free calls need no client code.
    assert api(account).get("/cases/reports").status_code == 200
    assert list(AccessCharge.objects.values_list("client_code", flat=True)) == ["12-abc", "07-XYZ"]


def test_exempt_accounts_get_a_zero_receipt_and_a_free_row(api, court, people, db):
    exempt = AccountFactory(username="exemptuser1", fee_exempt=True)
    data = api(exempt).cases({"caseTitle": "x"}).json()
    assert (data["receipt"]["billablePages"], data["receipt"]["searchFee"]) == (1, ".00")
    charge = AccessCharge.objects.get(account=exempt)
    assert (charge.cost_cents, charge.free_reason) == (0, "court_exempt")
    # The court's own staff are not charged in their court.
    api(people.clerk).cases({"caseTitle": "x", "courtId": ["citdc"]})
    assert AccessCharge.objects.get(account=people.clerk).cost_cents == 0


def test_charges_appear_in_review_billing_history(api, court, people, signed_in):
    make_cases(court, 1, "Acme")
    api(people.public, client_code="matter-42").cases({"caseTitle": "Acme"})
    page = signed_in(people.public).get("/cit/utilities/billing/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "All Court Types Case Search" in html
    assert "matter-42" in html
    assert "Case Title Acme" in html


def test_every_search_is_audited_without_secrets(api, court, people):
    client = api(people.public)
    client.cases({"caseTitle": "Acme"})
    client.parties({"lastName": "Doe", "ssn": "123-45-6789"})
    rows = list(AuditEvent.objects.filter(event_type=Event.PCL_SEARCH).order_by("pk"))
    assert [(r.outcome, r.actor_id, r.detail["search"]) for r in rows] == [
        ("success", people.public.pk, "cases"),
        ("success", people.public.pk, "parties"),
    ]
    assert rows[0].detail["criteria"] == "All Courts; Case Title Acme; Page: 1"
    assert rows[0].detail["results"] == 0 and rows[0].signon_ref
    assert "6789" not in str(rows[1].detail) and "SSN given" in rows[1].detail["criteria"]
    token_free = str([r.detail for r in rows]) + "".join(r.path for r in rows)
    assert client.token not in token_free
    # The SSN is not on the receipt or the charge either.
    assert not AccessCharge.objects.filter(search_criteria__contains="6789").exists()


@pytest.mark.parametrize(
    ("utc", "central"),
    [
        # Winter: CST, -0600 (the guide's own example is "2020-12-18T11:01:48.267-0600").
        ("2020-12-18T17:01:48.267+00:00", "2020-12-18T11:01:48.267-0600"),
        # Summer: CDT, -0500; the court's Eastern zone would have said 12:30 -0400.
        ("2025-07-01T16:30:00.005+00:00", "2025-07-01T11:30:00.005-0500"),
    ],
)
def test_receipts_are_stamped_in_central_time_as_pcl_stamps_them(api, court, people, utc, central):
    with time_machine.travel(utc, tick=False):
        receipt = api(people.public).cases({"caseTitle": "anything"}).json()["receipt"]
    assert receipt["transactionDate"] == central
