"""mobile_query.pl's pages by search=: the case (caseInfo, and any value it does not
know), its attorneys, parties, deadlines and docket entries, each its own page."""

from __future__ import annotations

import pytest


def mobile(client, case, search: str):
    return client.get(f"/cit/cgi-bin/mobile_query.pl?search={search}&caseid=={case.pk}")


@pytest.mark.parametrize("search", ["caseInfo", "nonsense", ""])
def test_the_case_page_links_the_others_and_counts_the_entries(cit_case, people, signed_in, search):
    html = mobile(signed_in(people.public), cit_case.case, search).content.decode()
    assert 'id="entriesLink"' in html and '<span class="ui-li-count">4</span>' in html
    assert "search=atty" in html and "search=pty" in html and "search=deadLines" in html
    assert "Jane Q. Lawyer" not in html and "Summons. Filed by" not in html


@pytest.mark.parametrize("search", ["attorneys", "atty"])
def test_the_attorneys_page_lists_counsel_and_whom_they_represent(
    cit_case, people, signed_in, search
):
    response = mobile(signed_in(people.public), cit_case.case, search)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="attorney">') == 2
    assert "Representing Acme Imports, LLC (Plaintiff)" in html and "LEAD ATTORNEY" in html
    assert "Representing United States (Defendant)" in html
    assert 'id="entriesLink"' not in html


@pytest.mark.parametrize("search", ["parties", "pty"])
def test_the_parties_page_lists_the_parties_in_docket_order(cit_case, people, signed_in, search):
    html = mobile(signed_in(people.public), cit_case.case, search).content.decode()
    assert html.count('<li class="party">') == 2
    assert html.index("Acme Imports, LLC") < html.index("<h2>United States</h2>")
    assert "<p>Defendant</p>" in html


@pytest.mark.parametrize("search", ["deadlines", "deadLines"])
def test_the_deadlines_page_says_there_are_none(cit_case, people, signed_in, search):
    html = mobile(signed_in(people.public), cit_case.case, search).content.decode()
    assert "There are no deadlines or hearings in this case." in html
    assert 'id="entriesLink"' not in html


@pytest.mark.parametrize("search", ["docketEntries", "dktEntry"])
def test_the_docket_entries_page_lists_every_entry_in_order(cit_case, people, signed_in, search):
    html = mobile(signed_in(people.public), cit_case.case, search).content.decode()
    assert html.count('<li class="entry">') == 4
    assert html.index("<b>#1</b>") < html.index("<b>#2</b>") < html.index("Minute entry")
    assert "Complaint &lt;against&gt; the United States &amp; others." in html  # escaped
    assert "<b>03/03/2026</b> <b>#4</b>" in html


def test_a_sealed_case_is_not_found_on_every_page(sealed_case, people, signed_in):
    client = signed_in(people.public)
    for search in ("caseInfo", "attorneys", "parties", "docketEntries"):
        html = mobile(client, sealed_case, search).content.decode()
        assert "Case not found." in html and "Secret Importer" not in html
