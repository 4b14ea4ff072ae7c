"""Query (iquery.pl): searching by case number, case name and party; a case's query page;
History/Documents and the Case Summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from nextecf.alerts.models import Subscription
from nextecf.billing.models import AccessCharge
from nextecf.cases.docket import LocalDates
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.numbers import normalize_case_number

QUERY = "/cit/cgi-bin/iquery.pl"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1:26-cv-00001", "1:26-cv-00001"),
        ("26-00001", "1:26-cv-00001"),
        ("26-1", "1:26-cv-00001"),
        (" 26-219 ", "1:26-cv-00219"),
        ("1:26-CV-00219-GSK", "1:26-cv-00219"),
        ("1:08-cv-00398-GWC-TCS-LMG", "1:08-cv-00398"),
        ("1:09-cv-00523-N/A", "1:09-cv-00523"),
        ("26cv1", "1:26-cv-00001"),
        ("2:26-cv-00001", None),
        ("1:26-cr-00001", None),
        ("26-0", None),
        ("26-123456", None),
        ("acme", None),
        ("", None),
    ],
)
def test_case_numbers_as_people_type_them(typed, number):
    assert normalize_case_number(typed) == number


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo", "Australia/Lord_Howe", "UTC"])
def test_local_dates_agree_with_zoneinfo_across_dst(zone):
    tz = ZoneInfo(zone)
    dates = LocalDates(tz)
    start = datetime(2026, 3, 7, tzinfo=UTC)
    for minutes in range(0, 60 * 24 * 240, 37):  # through both DST changes
        instant = start + timedelta(minutes=minutes)
        local = instant.astimezone(tz).date()
        text = instant.replace(tzinfo=None).isoformat(sep=" ")
        assert dates(text) == local.strftime("%m/%d/%Y"), text


def test_search_by_number_in_any_usual_form(cit_case, people, signed_in):
    client = signed_in(people.public)
    for typed in ["1:26-cv-00001", "26-00001", "26-1"]:
        page = client.get(QUERY, {"case_num": typed})
        assert page.status_code == 200
        html = page.content.decode()
        assert f'{QUERY}?{cit_case.case.pk}">1:26-cv-00001</a>' in html
        assert "Acme Imports, LLC v. United States" in html and "01/16/2026" in html
        assert "Transaction Receipt" in html and "/cgi-bin/login.pl?logout" in html
    charges = AccessCharge.objects.all()
    assert charges.count() == 3
    assert {c.search_criteria for c in charges} == {"Case Number: 1:26-cv-00001"}
    assert {c.description for c in charges} == {"Search"}


def test_search_by_case_name_or_party_ignores_case(cit_case, people, signed_in, court):
    CaseFactory(court=court, title="Zenith Widgets Corp. v. United States")
    client = signed_in(people.public)
    by_name = client.get(QUERY, {"case_name": "aCmE"}).content.decode()
    assert "Acme Imports" in by_name and "Zenith" not in by_name
    by_party = client.get(QUERY, {"party_name": "united STATES"}).content.decode()
    assert "United States (Defendant)" in by_party
    both = client.get(QUERY, {"case_name": "zenith", "party_name": "acme"}).content.decode()
    assert "no cases found" in both


def test_a_search_without_matches_costs_one_page(cit_case, people, signed_in):
    page = signed_in(people.public).get(QUERY, {"case_name": "nothing like this"})
    assert page.status_code == 200 and b"no cases found" in page.content
    charge = AccessCharge.objects.get()
    assert charge.pages == 1 and charge.cost_cents == 10


def test_searches_are_not_capped(court, people, signed_in, monkeypatch):
    monkeypatch.setattr("nextecf.billing.services.CAP_PAGES", 1)  # a cap any report exceeds
    for n in range(40):
        CaseFactory(court=court, title=f"Importer Number {n:03d}, Inc. v. United States")
    signed_in(people.public).get(QUERY, {"case_name": "importer number"})
    charge = AccessCharge.objects.get()
    assert charge.pages > 1 and charge.cost_cents == charge.pages * 10


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"case_num": "acme"}, "Case number must be a case number such as"),
        ({"case_name": "a"}, "Case name must have at least 2 characters."),
        ({"party_name": " x "}, "Party name must have at least 2 characters."),
        ({"case_name": "x" * 201}, "Case name must be at most 200 characters."),
        ({"case_num": "", "case_name": "", "party_name": ""}, "Enter a case number, a case name"),
    ],
)
def test_bad_searches_are_named_and_free(cit_case, people, signed_in, params, message):
    page = signed_in(people.public).get(QUERY, params)
    assert page.status_code == 400 and message in page.content.decode()
    assert not AccessCharge.objects.exists()


def test_the_query_form_and_a_case_query_page(cit_case, people, signed_in):
    client = signed_in(people.public)
    form = client.get(QUERY).content.decode()
    assert 'name="case_num"' in form and 'name="case_name"' in form and 'name="party_name"' in form
    page = client.get(f"{QUERY}?{cit_case.case.pk}")
    html = page.content.decode()
    pk = cit_case.case.pk
    assert '<b><font size="+1">1:26-cv-00001-GSK</font></b> Acme Imports' in html
    assert "Gary S. Katzmann, presiding" in html and "<b>Date filed:</b> 01/16/2026" in html
    assert "<b>Date of last filing:</b> 03/03/2026" in html
    assert f"/cit/cgi-bin/DktRpt.pl?{pk}" in html
    assert f"/cit/cgi-bin/HistDocQry.pl?{pk}" in html
    assert f"/cit/cgi-bin/qrySummary.pl?{pk}" in html
    assert not AccessCharge.objects.exists()  # the query page itself is free


@pytest.mark.parametrize(("query", "status"), [("abc", 400), ("0", 400), ("424242", 200)])
def test_bad_case_ids_on_the_query_page(cit_case, people, signed_in, query, status):
    response = signed_in(people.public).get(f"{QUERY}?{query}")
    assert response.status_code == status
    # An unknown case: CM/ECF's own answer, HTTP 200 and "Case not found.".
    assert (b"Case not found." in response.content) is (status == 200)


def test_history_asks_for_its_options_then_lists_entries_with_documents(
    cit_case, people, signed_in
):
    client = signed_in(people.public)
    pk = cit_case.case.pk
    options = client.get(f"/cit/cgi-bin/HistDocQry.pl?{pk}")
    html = options.content.decode()
    # CM/ECF's form: it posts to the address that carries the case's form token.
    assert f'action="/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{pk}"' in html
    assert 'name="QueryType"' in html and 'name="sort1"' in html
    assert 'name="DisplayDktText"' in html
    assert not AccessCharge.objects.exists()  # the options are free
    page = client.post(f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{pk}", {"DisplayDktText": "on"})
    html = page.content.decode()
    assert '<b><font size="+1">1:26-cv-00001-GSK</font></b> Acme Imports' in html
    assert "Gary S. Katzmann, presiding<br>" in html
    main = cit_case.main.doc_id
    assert (f"<a href=\"/cit/doc1/{main}\" onclick=\"goDLS('/cit/doc1/{main}','{pk}','2',") in html
    assert "<i>Filed:</i> 01/20/2026<br><i>Entered:</i> 01/20/2026</td>\n<td>Complaint</td>" in html
    assert "<i>Docket Text:</i> Minute entry: scheduling conference held.</td>" in html
    assert "<td>Docket entry</td>" in html  # the minute entry has no event
    assert "Transaction Receipt" in html
    charge = AccessCharge.objects.get()
    assert charge.description == "History/Documents" and charge.cost_cents == 10
    assert charge.search_criteria == "1:26-cv-00001-GSK"
    # Documents only, newest first, without the docket text.
    documents = client.post(
        f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{pk}", {"QueryType": "Documents", "sort1": "desc"}
    ).content.decode()
    assert "Minute entry" not in documents and "Docket Text" not in documents
    order = [documents.index(f">{n}</a>") for n in (4, 2, 1)]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"QueryType": "Everything"}, "Show must be History or Documents."),
        ({"sort1": "sideways"}, "Sort by must be asc or desc."),
    ],
)
def test_bad_history_options_are_named_and_free(cit_case, people, signed_in, fields, message):
    url = f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{cit_case.case.pk}"
    response = signed_in(people.public).post(url, fields)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AccessCharge.objects.exists()


def test_history_of_a_case_without_entries(court, people, signed_in):
    case = CaseFactory(court=court)
    url = f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{case.pk}"
    client = signed_in(people.public)
    assert b"There are no docket entries in this case." in client.post(url).content
    documents = client.post(url, {"QueryType": "Documents"}).content
    assert b"There are no documents in this case." in documents


def test_case_summary(cit_case, people, signed_in):
    page = signed_in(people.public).get(f"/cit/cgi-bin/qrySummary.pl?{cit_case.case.pk}")
    html = page.content.decode()
    assert "Case Summary for 1:26-cv-00001-GSK" in html
    assert "Acme Imports, LLC</li>" not in html  # counsel follows the party
    assert "Jane Q. Lawyer (lead)" in html and "Steel wire hangers" in html
    assert AccessCharge.objects.get().description == "Case Summary"


def test_the_case_summary_offers_to_follow_the_case(cit_case, people, signed_in):
    client = signed_in(people.public)
    html = client.get(f"/cit/cgi-bin/qrySummary.pl?{cit_case.case.pk}").content.decode()
    assert 'action="/account/alerts/follow/"' in html
    assert f'name="case_number" value="{cit_case.case.number}"' in html
    assert "Follow this case</button>" in html
    answer = client.post(
        "/account/alerts/follow/",
        {"court": "cit", "case_number": cit_case.case.number, "email": "digest"},
    )
    assert answer.status_code == 302
    subscription = Subscription.objects.get(account=people.public)
    assert (subscription.case, subscription.email) == (cit_case.case, "digest")


@pytest.mark.parametrize("path", ["HistDocQry.pl", "qrySummary.pl"])
@pytest.mark.parametrize(
    ("query", "status"),
    [("", 400), ("x", 400), ("77777", 200), ("1-L_1_0-1", 400), ("1-L_1_0-0-77777", 200)],
)
def test_history_and_summary_refuse_bad_ids_free(cit_case, people, signed_in, path, query, status):
    client = signed_in(people.public)
    responses = [client.get(f"/cit/cgi-bin/{path}?{query}")]
    if path == "HistDocQry.pl":
        responses.append(client.post(f"/cit/cgi-bin/{path}?{query}"))
    for response in responses:
        assert response.status_code == status
        # An unknown case: CM/ECF's own answer, HTTP 200 and "Case not found.".
        assert (b"Case not found." in response.content) is (status == 200)
    assert not AccessCharge.objects.exists()


def test_parties_are_matched_not_duplicated_across_cases(court, people, signed_in):
    case = CaseFactory(court=court, title="Acme v. United States", date_filed=date(2026, 2, 1))
    PartyFactory(case=case, name="Acme Steel")
    PartyFactory(case=case, name="Acme Wire")
    html = signed_in(people.public).get(QUERY, {"party_name": "acme"}).content.decode()
    assert "Acme Steel (Plaintiff)" in html and "Acme Wire (Plaintiff)" in html
