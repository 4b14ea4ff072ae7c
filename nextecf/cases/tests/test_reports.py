"""Reports: Civil Cases (billed, no cap) and Written Opinions (free)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory

CIVIL = "/cit/cgi-bin/CaseFiled-Rpt.pl"
OPINIONS = "/cit/cgi-bin/WrtOpRpt.pl"


def test_the_reports_menu(court, people, signed_in):
    html = signed_in(people.public).get("/cit/reports/").content.decode()
    assert f'href="{CIVIL}"' in html and f'href="{OPINIONS}"' in html


@time_machine.travel("2026-03-10 12:00 -0500", tick=False)
def test_civil_cases_defaults_to_the_last_30_days(cit_case, people, signed_in):
    html = signed_in(people.public).get(CIVIL).content.decode()
    assert 'value="02/08/2026"' in html and 'value="03/10/2026"' in html
    assert not AccessCharge.objects.exists()


def test_civil_cases_lists_the_cases_filed_in_the_range(cit_case, court, people, signed_in):
    CaseFactory(court=court, title="Later Co. v. United States", date_filed=date(2026, 5, 1))
    page = signed_in(people.public).get(
        CIVIL, {"filed_from": "01/01/2026", "filed_to": "01/31/2026"}
    )
    html = page.content.decode()
    assert "Acme Imports, LLC v. United States" in html and "Later Co." not in html
    assert "Total number of cases reported: 1" in html and "Transaction Receipt" in html
    charge = AccessCharge.objects.get()
    assert charge.description == "Civil Cases Report" and charge.cost_cents == 10
    assert charge.search_criteria == "Filed From: 01/01/2026 Filed To: 01/31/2026"


def test_civil_cases_are_not_capped(court, people, signed_in, monkeypatch):
    monkeypatch.setattr("nextecf.billing.services.CAP_PAGES", 1)  # a cap any report exceeds
    for n in range(40):
        CaseFactory(court=court, title=f"Importer {n:03d} of Many Things, Inc. v. United States")
    signed_in(people.public).get(CIVIL, {"filed_from": "01/01/1990", "filed_to": "12/31/2099"})
    charge = AccessCharge.objects.get()
    assert charge.pages > 1 and charge.cost_cents == charge.pages * 10


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"filed_from": "13/45/2026", "filed_to": "01/01/2026"}, "Filed from must be a date"),
        ({"filed_from": "03/01/2026", "filed_to": "01/01/2026"}, "Filed to must not be before"),
        ({"filed_from": "", "filed_to": "01/01/2026"}, "Filed from: enter a date such as"),
        ({"filed_from": "01/01/1066", "filed_to": "01/01/2026"}, "from 01/01/1900 to 12/31/2999"),
    ],
)
@pytest.mark.parametrize("url", [CIVIL, OPINIONS])
def test_bad_ranges_are_named_and_free(court, people, signed_in, url, params, message):
    page = signed_in(people.public).get(url, params)
    assert page.status_code == 400 and message in page.content.decode()
    assert not AccessCharge.objects.exists()


def test_written_opinions_are_listed_free_with_free_links(cit_case, people, signed_in):
    client = signed_in(people.public)
    page = client.get(OPINIONS, {"filed_from": "01/01/2026", "filed_to": "12/31/2026"})
    html = page.content.decode()
    assert "<b>Total number of opinions reported:</b> 1" in html
    assert "Slip Opinion 26-12" in html and "Complaint" not in html
    doc_id = cit_case.opinion_doc.doc_id
    link = f"/cit/doc1/{doc_id[:3]}1{doc_id[4:]}"  # CM/ECF's flag: the document itself
    assert f'href="{link}"' in html
    assert not AccessCharge.objects.exists()
    pdf = client.get(link)
    assert pdf["Content-Type"] == "application/pdf"
    assert AccessCharge.objects.get().cost_cents == 0


def test_sealed_cases_stay_out_of_reports_for_the_public(sealed_case, people, signed_in):
    params = {"filed_from": "01/01/2000", "filed_to": "12/31/2099"}
    public = signed_in(people.public).get(CIVIL, params).content.decode()
    assert "Secret Importer" not in public
    clerk = signed_in(people.clerk).get(CIVIL, params).content.decode()
    assert "Secret Importer" in clerk


@time_machine.travel("2026-07-10 16:04:05 +0000", tick=False)
def test_the_receipt_gives_the_time_in_the_courts_zone_with_its_abbreviation(
    cit_case, people, signed_in
):
    html = (
        signed_in(people.public)
        .get(CIVIL, {"filed_from": "01/01/2026", "filed_to": "01/31/2026"})
        .content.decode()
    )
    # The date row as PACER prints it (client software parses it), the zone right under it.
    assert '<font size="-1" color="darkblue">07/10/2026 12:04:05</font>' in html
    assert "Time zone: EDT" in html
