"""The docket report (DktRpt.pl): CM/ECF's layout that PACER software parses, its
options, its billing, bad input, and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import AppearanceFactory, CaseFactory, JudgeFactory, PartyFactory
from nextecf.cases.models import DocketEntry, Document, Party
from nextecf.courts.factories import FilerAccountFactory

URL = "/cit/cgi-bin/DktRpt.pl"

# What juriscraper's DocketReport.query() posts (multipart), token and all.
JURISCRAPER_FIELDS = {
    "sort1": "oldest date first",
    "date_range_type": "Filed",
    "output_format": "html",
    "case_num": " ",
    "date_from": "1/1/1960",
    "list_of_parties_and_counsel": "on",
    "terminated_parties": "on",
    "pdf_header": "1",
}


def run(client: Client, case, **fields):
    data = {"all_case_ids": case.pk, **JURISCRAPER_FIELDS, **fields}
    return client.post(f"{URL}?1-L_1_0-1", {k: v for k, v in data.items() if v is not None})


def main_content(html: str) -> str:
    return html.split('<div id="cmecfMainContent">', 1)[1]


class TopLevel(HTMLParser):
    """The tags directly inside div#cmecfMainContent, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.inside = False
        self.children: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "hr", "input", "img"):
            if self.inside and self.depth == 1:
                self.children.append(tag)
            return
        if tag == "div" and ("id", "cmecfMainContent") in attrs:
            self.inside, self.depth = True, 0
        if self.inside:
            if self.depth == 1:
                self.children.append(tag)
            self.depth += 1

    def handle_endtag(self, tag):
        if self.inside and tag not in ("br", "hr", "input", "img"):
            self.depth -= 1
            if self.depth == 0:
                self.inside = False


def test_the_options_form_names_every_field_as_cmecf_does(cit_case, people, signed_in):
    page = signed_in(people.public).get(f"{URL}?{cit_case.case.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    for name in [
        "all_case_ids",
        "sort1",
        "date_range_type",
        "date_from",
        "date_to",
        "documents_numbered_from_",
        "documents_numbered_to_",
        "list_of_parties_and_counsel",
        "terminated_parties",
        "output_format",
        "case_num",
        "pdf_header",
    ]:
        assert f'name="{name}"' in html, name
    assert 'value="most recent date first"' in html and 'value="document number"' in html
    assert b"/cgi-bin/login.pl?logout" in page.content
    assert not AccessCharge.objects.exists()  # the form is free


def test_the_report_follows_the_cit_layout(cit_case, people, signed_in):
    response = run(signed_in(people.public), cit_case.case)
    assert response.status_code == 200
    html = response.content.decode()
    content = main_content(html)
    number = f"{cit_case.case.number}-GSK"
    assert f"CIT DOCKET FOR CASE #: {number}</h3>" in content
    # The caption is the first text of the first cell of the Date Filed table.
    assert '<td valign="top" width="60%"><br>Acme Imports, LLC v. United States<br>' in content
    assert "<b>Assigned to:</b> Gary S. Katzmann<br>" in content
    for label in [
        "Jurisdiction:",
        "Category:",
        "Agency:",
        "Product Description:",
        "Export Country:",
    ]:
        assert f"<b>{label}</b><br> " in content
    assert "<b>Date Filed:</b> 01/16/2026<br>" in content
    assert "<b>Date Terminated: </b>" in content and "<b>Date Reopened: </b>" in content
    assert "Does this action raise an issue of constitutionality?: </b>N" in content
    # Parties and counsel.
    assert "<b><u>Plaintiff</u></b>" in content and "<b><u>Defendant</u></b>" in content
    assert "<b>Acme Imports, LLC</b>" in content and "represented&nbsp;by" in content
    assert "<b>Jane Q. Lawyer</b>\n<br>Lawyer &amp; Co.\n<br>1 Main Street\n" in content
    assert "<br>Fax: (212) 555-0101" in content and "<br>Email: jane@lawyer.example" in content
    assert "<i>LEAD ATTORNEY</i>" in content and "<i>ATTORNEY TO BE NOTICED</i>" in content
    assert "<i><b>Bar Status: ACTIVE</b></i>" in content
    # The entries: Date Filed | # | Docket Text, a goDLS link per numbered entry.
    assert "<tr><th>Date Filed</th><th>#</th><th>Docket Text</th></tr>" in content
    main = cit_case.main.doc_id
    assert (
        # The link absolute, as CM/ECF's are; goDLS's address relative.
        f'<a href="http://testserver/cit/doc1/{main}" onclick="goDLS(\'/cit/doc1/{main}\','
        f"'{cit_case.case.pk}','2','','1','1','','');return(false);\">2</a>"
    ) in content
    assert "Minute entry: scheduling conference held. (Entered: 02/02/2026)</td>" in content
    # Escaped, never markup.
    assert "Complaint &lt;against&gt; the United States &amp; others. (Lawyer, Jane)" in content
    # The receipt is inside <center>, after the entries table: never a table beside it.
    entries_at = content.index("Docket Text</th>")
    receipt_at = content.index("Transaction Receipt")
    assert entries_at < receipt_at
    assert "<hr><center><table" in content[entries_at:receipt_at]
    parser = TopLevel()
    parser.feed(html)
    tables = [i for i, tag in enumerate(parser.children) if tag == "table"]
    assert parser.children[tables[-1] + 1 :].count("table") == 0
    assert "center" in parser.children[tables[-1] + 1 :]
    for label in [
        "PACER Login:",
        "Client Code:",
        "Description:",
        "Search Criteria:",
        "Billable Pages:",
        "Cost: ",
    ]:
        assert label in content[receipt_at:]
    assert f" {people.public.username} " in content[receipt_at:]
    assert "/cgi-bin/login.pl?logout" in html


def test_a_panel_is_listed_and_all_its_initials_follow_the_number(court, people, signed_in):
    panel = [
        JudgeFactory(court=court, name="Gregory W. Carman", initials="GWC"),
        JudgeFactory(court=court, name="Timothy C. Stanceu", initials="TCS"),
        JudgeFactory(court=court, name="Leo M. Gordon", initials="LMG"),
    ]
    case = CaseFactory(court=court, title="New Hampshire Ball Bearing, Inc. v. United States")
    case.panel.set(panel)
    html = run(signed_in(people.public), case).content.decode()
    assert f"CIT DOCKET FOR CASE #: {case.number}-GWC-TCS-LMG</h3>" in html
    assert "Panel: Gregory W. Carman<br>" in html and " Leo M. Gordon<br>" in html
    assert "Assigned to:" not in html


def test_an_unassigned_case_says_na(court, people, signed_in):
    case = CaseFactory(court=court)
    html = run(signed_in(people.public), case).content.decode()
    assert f"CIT DOCKET FOR CASE #: {case.number}-N/A</h3>" in html
    assert "No docket entries match these options." in html


def test_terminated_parties_and_attorneys_and_repeated_attorneys(cit_case, people, signed_in):
    intervenor = PartyFactory(
        case=cit_case.case,
        name="Domestic Hangers LLC",
        role=Party.Role.INTERVENOR_DEFENDANT,
        position=2,
        terminated_on=date(2026, 2, 1),
    )
    AppearanceFactory(party=intervenor, filer=cit_case.government, lead=True)
    other = FilerAccountFactory(court=cit_case.case.court, login="gone1", first_name="Gone")
    AppearanceFactory(party=cit_case.defendant, filer=other, terminated_on=date(2026, 1, 30))
    client = signed_in(people.public)
    html = run(client, cit_case.case).content.decode()
    assert "<b><u>Intervenor Defendant</u></b>" in html
    assert "<b>Domestic Hangers LLC</b><br><i>TERMINATED: 02/01/2026</i>" in html
    assert '<font color="#a00000"><i><b>TERMINATED: 01/30/2026</b></i></font>' in html
    assert "<b>John Gov</b>\n<br>(See above for address)" in html
    without = run(client, cit_case.case, terminated_parties=None).content.decode()
    assert "Domestic Hangers LLC" not in without and "TERMINATED: 01/30/2026" not in without
    assert "<b>United States</b>" in without
    no_parties = run(client, cit_case.case, list_of_parties_and_counsel=None).content.decode()
    assert "<b><u>Plaintiff</u></b>" not in no_parties and "represented" not in no_parties


def entries_shown(response) -> list[str]:
    return re.findall(r"\(Entered: (\d\d/\d\d/\d{4})\)", response.content.decode())


def test_ranges_and_sort_orders(cit_case, people, signed_in):
    client = signed_in(people.public)
    case = cit_case.case
    all_dates = ["01/16/2026", "01/20/2026", "02/02/2026", "03/03/2026"]
    assert entries_shown(run(client, case)) == all_dates
    assert entries_shown(run(client, case, sort1="most recent date first")) == all_dates[::-1]
    by_number = entries_shown(run(client, case, sort1="document number"))
    assert by_number == ["01/16/2026", "01/20/2026", "03/03/2026", "02/02/2026"]
    dated = run(client, case, date_from="01/17/2026", date_to="02/28/2026")
    assert entries_shown(dated) == ["01/20/2026", "02/02/2026"]
    entered = run(client, case, date_range_type="Entered", date_from="2026-03-01", date_to="")
    assert entries_shown(entered) == ["03/03/2026"]
    numbered = run(client, case, documents_numbered_from_="2", documents_numbered_to_="4")
    assert entries_shown(numbered) == ["01/20/2026", "03/03/2026"]
    assert "Starting with document: 2  Ending with document: 4" in numbered.content.decode()


def test_urlencoded_posts_and_posts_without_a_csrf_token_are_accepted(cit_case, people, signed_in):
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in(people.public).cookies  # the sign-on, and no CSRF cookie
    data = {"all_case_ids": str(cit_case.case.pk), **JURISCRAPER_FIELDS}
    response = client.post(
        f"{URL}?1-L_1_0-1", urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and b"CIT DOCKET FOR CASE" in response.content
    multipart = client.post(URL, data)
    assert multipart.status_code == 200


def test_a_case_may_be_named_by_its_number(cit_case, people, signed_in):
    client = signed_in(people.public)
    response = client.post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": "", "case_num": "26-1"})
    assert response.status_code == 200
    assert f"CIT DOCKET FOR CASE #: {cit_case.case.number}-GSK".encode() in response.content


def test_billing_counts_the_report_without_its_receipt_and_caps_at_30_pages(
    court, people, signed_in
):
    client = signed_in(people.public)
    small = CaseFactory(court=court)
    html = run(client, small).content.decode()
    body = main_content(html).split("<h3", 1)[1].split("<hr><center>", 1)[0]
    charge = AccessCharge.objects.get()
    assert charge.description == "Docket Report" and charge.pages == 1
    assert charge.cost_cents == 10 and charge.free_reason == ""
    assert len(body.encode()) < 4320
    big = CaseFactory(court=court)
    bulk_entries(big, 600)
    run(client, big)
    capped = AccessCharge.objects.latest("pk")
    assert capped.pages == 30 and capped.cost_cents == 300  # 600 rows are well over 30 pages


def bulk_entries(case, count: int) -> None:
    start = timezone.now() - timedelta(days=count)
    DocketEntry.objects.bulk_create(
        DocketEntry(
            case=case,
            number=n,
            seq=n,
            date_filed=timezone.localdate(start + timedelta(days=n)),
            entered_at=start + timedelta(days=n),
            text=f"Motion no. {n} for an extension of time, filed by the plaintiff. (Doe, John)",
        )
        for n in range(1, count + 1)
    )
    Document.objects.bulk_create(
        Document(
            entry=entry,
            doc_id=f"0140{case.pk % 1000:03d}{entry.number:05d}",  # 12 characters at any case id
            sha256="0" * 64,
            storage_key="0" * 64,
            pages=2,
            size_bytes=1000,
            original_filename="motion.pdf",
        )
        for entry in DocketEntry.objects.filter(case=case)
    )


@pytest.mark.parametrize("count", [3, 300])
def test_the_report_reads_a_constant_number_of_queries(
    court, people, signed_in, django_assert_num_queries, count
):
    """Sign-on, court, filing menu, case, panel, entries, parties, attorneys, consolidated
    members, charge."""
    case = CaseFactory(court=court, judge=JudgeFactory(court=court))
    for position, role in enumerate([Party.Role.PLAINTIFF, Party.Role.DEFENDANT]):
        party = PartyFactory(case=case, role=role, position=position)
        AppearanceFactory(party=party, filer=FilerAccountFactory(court=court))
        AppearanceFactory(party=party, filer=FilerAccountFactory(court=court), lead=False)
    bulk_entries(case, count)
    client = signed_in(people.public)
    with django_assert_num_queries(10):
        response = run(client, case)
    assert response.content.decode().count("(Entered: ") == count


BAD_INPUT = [
    ({"date_from": "13/45/2026"}, "Date from must be a date such as 01/31/2026."),
    ({"date_to": "02/30/2026"}, "Date to must be a date such as 01/31/2026."),
    ({"date_from": "01/01/0001"}, "Date from must be a date from 01/01/1900 to 12/31/2999."),
    ({"date_to": "12/31/9999"}, "Date to must be a date from 01/01/1900 to 12/31/2999."),
    (
        {"date_from": "03/01/2026", "date_to": "02/01/2026"},
        "The start date must be less than or equal to the end date.",
    ),
    ({"documents_numbered_from_": "-5"}, "Documents numbered from must be a whole number"),
    ({"documents_numbered_to_": "9" * 40}, "Documents numbered to must be a whole number"),
    ({"documents_numbered_to_": "1.5e3"}, "Documents numbered to must be a whole number"),
    (
        {"documents_numbered_from_": "9", "documents_numbered_to_": "2"},
        "The starting document number must be less than or equal to the ending",
    ),
    ({"sort1": "alphabetical"}, "Sort by must be oldest date first"),
    ({"date_range_type": "Docketed"}, "Date range type must be Filed or Entered."),
    ({"output_format": "text"}, "Output format must be html."),
    ({"date_from": "01/01/2026\x00"}, "Date from must be a date"),
    ({"case_num": "\x00"}, "Null characters are not allowed."),
]


@pytest.mark.parametrize(("fields", "message"), BAD_INPUT)
def test_bad_options_are_named_and_charge_nothing(cit_case, people, signed_in, fields, message):
    response = run(signed_in(people.public), cit_case.case, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize(
    ("case_id", "status", "message"),
    [
        ("abc", 400, b"must be a whole number"),
        ("-1", 400, b"must be a whole number"),
        ("1" * 30, 400, b"must be a whole number"),
        ("\x00", 400, b"Null characters are not allowed."),
        ("999999", 200, b"Case not found."),  # CM/ECF's own answer, HTTP 200
    ],
)
def test_bad_or_unknown_case_ids(cit_case, people, signed_in, case_id, status, message):
    client = signed_in(people.public)
    response = client.post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": case_id})
    assert response.status_code == status and message in response.content
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize(
    ("query", "status", "found"),
    [("abc", 400, True), ("0", 400, True), ("99999999", 200, False), ("1-L_1_0-1", 200, True)],
)
def test_bad_case_ids_in_the_address(cit_case, people, signed_in, query, status, found):
    response = signed_in(people.public).get(f"{URL}?{query}")
    assert response.status_code == status
    assert (b"Case not found." not in response.content) is found


def test_a_case_of_another_court_is_not_found(cit_case, people, signed_in, other_court):
    other = CaseFactory(court=other_court)
    response = signed_in(people.public).post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": other.pk})
    assert response.status_code == 200 and b"Case not found." in response.content
    assert signed_in(people.public).get(f"{URL}?{cit_case.case.pk}").status_code == 200


def test_a_number_that_does_not_parse_or_is_missing(people, signed_in, court):
    client = signed_in(people.public)
    bad = client.post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": "", "case_num": "banana"})
    assert bad.status_code == 400 and b"Case number must be a case number such as" in bad.content
    missing = client.post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": ""})
    assert missing.status_code == 400 and b"Enter a case number." in missing.content
    unknown = client.post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": "", "case_num": "26-999"})
    assert unknown.status_code == 200 and b"Case not found." in unknown.content
    assert not AccessCharge.objects.exists()


def test_a_stranger_is_sent_to_log_in(cit_case):
    response = Client().post(URL, {**JURISCRAPER_FIELDS, "all_case_ids": cit_case.case.pk})
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")
    assert not AccessCharge.objects.exists()
