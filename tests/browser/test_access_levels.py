"""A confidential exhibit in a real browser: counsel admitted under the protective order
opens it from the docket; the filer of record then sees that opening in its View log; a
public user sees only the public version; the clerk's case records page. Every page the
browser shows is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import AccountFactory
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import DocumentView, Party, ProtectiveOrderAdmission
from nextecf.courts.factories import CourtFactory, CourtStaffFactory, FilerAccountFactory
from tests.browser.test_efiling import log_in


@pytest.fixture
def case(transactional_db):
    court = CourtFactory()
    AccountFactory(username="publicuser", first_name="Pat", last_name="Public")
    jane = AccountFactory(username="janefiler", first_name="Jane", last_name="Lawyer")
    gov = AccountFactory(username="govcounsel", first_name="Marcus", last_name="Whitfield")
    clerk = AccountFactory(username="citclerk", is_staff=True)
    CourtStaffFactory(court=court, account=clerk)
    case = CaseFactory(
        court=court,
        title="Meridian Optical Components, Inc. v. United States",
        judge=JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK"),
        date_filed=date(2026, 1, 16),
    )
    plaintiff = PartyFactory(case=case, name="Meridian Optical", role=Party.Role.PLAINTIFF)
    defendant = PartyFactory(case=case, name="United States", role=Party.Role.DEFENDANT)
    jane_filer = FilerAccountFactory(court=court, login="janel", account=jane)
    gov_filer = FilerAccountFactory(court=court, login="mwhit", account=gov)
    AppearanceFactory(party=plaintiff, filer=jane_filer, lead=True)
    AppearanceFactory(party=defendant, filer=gov_filer, lead=True)
    ProtectiveOrderAdmission.objects.create(case=case, filer=gov_filer, admitted_by=clerk)
    letter = EventTypeFactory(court=court, code="letter", name="Letter")
    confidential = DocketEntryFactory(
        case=case,
        number=1,
        event=letter,
        date_filed=date(2026, 4, 20),
        text="CONFIDENTIAL EXHIBIT C to Plaintiff's Reply. (Lawyer, Jane)",
        filer=jane_filer,
    )
    DocumentFactory(entry=confidential, page_count=2, access_level="confidential")
    public = DocketEntryFactory(
        case=case,
        number=2,
        event=letter,
        date_filed=date(2026, 4, 21),
        text="PUBLIC VERSION of Exhibit C to Plaintiff's Reply. (Lawyer, Jane)",
        filer=jane_filer,
        public_version_of=confidential,
    )
    DocumentFactory(entry=public, page_count=2)
    return case


def run_docket(page: Page, check_a11y, case) -> None:
    page.goto(f"/cit/cgi-bin/DktRpt.pl?{case.pk}")
    check_a11y(page)
    page.get_by_role("button", name="Run Report").click()
    expect(page.get_by_text("CIT DOCKET FOR CASE #")).to_be_visible()
    check_a11y(page)


def log_out(page: Page) -> None:
    page.context.clear_cookies()


@pytest.mark.browser
def test_a_confidential_exhibit_its_view_log_and_its_public_version(
    page: Page, case, check_a11y, screenshot
):
    # Counsel admitted under the protective order opens the confidential exhibit.
    log_in(page, check_a11y, "govcounsel")
    run_docket(page, check_a11y, case)
    expect(page.get_by_text("(Public version: 2)")).to_be_visible()
    expect(page.get_by_text("(Public version of 1)")).to_be_visible()
    page.get_by_role("link", name="1", exact=True).first.click()  # the entry's number
    expect(page.get_by_role("heading", level=1, name="Download Confirmation")).to_be_visible()
    expect(page.get_by_text("Confidential document.")).to_be_visible()
    check_a11y(page)
    with page.expect_response(re.compile(r"/cit/doc1/")) as pdf:
        page.get_by_role("button", name="View Document").click()
    assert pdf.value.headers["content-type"] == "application/pdf"
    view = DocumentView.objects.get()
    assert view.role == "counsel admitted under the protective order"
    log_out(page)

    # The filer of record sees that view in the document's View log.
    log_in(page, check_a11y, "janefiler")
    confidential = case.entries.get(number=1).documents.get()
    page.goto(f"/cit/doc1/{confidential.doc_id}")
    check_a11y(page)
    page.get_by_role("link", name="View log").click()
    expect(page.get_by_role("heading", level=1, name="View log")).to_be_visible()
    expect(page.get_by_role("cell", name="Marcus Whitfield")).to_be_visible()
    expect(
        page.get_by_role("cell", name="counsel admitted under the protective order")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "access-view-log")
    log_out(page)

    # A public user: the confidential entry is listed without a link; the public version opens.
    log_in(page, check_a11y, "publicuser")
    run_docket(page, check_a11y, case)
    expect(page.get_by_role("link", name="1", exact=True)).to_have_count(0)
    page.get_by_role("link", name="2", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Download Confirmation")).to_be_visible()
    expect(page.get_by_role("link", name="View log")).to_have_count(0)
    check_a11y(page)
    page.goto(f"/cit/doc1/{confidential.doc_id}")
    expect(page.get_by_text("could not retrieve dktentry for dlsid")).to_be_visible()
    check_a11y(page)
    page.goto(f"/cit/doc1/{confidential.doc_id}/views/")
    expect(page.get_by_role("heading", level=1, name="View log not available")).to_be_visible()
    check_a11y(page)
    assert DocumentView.objects.count() == 1
    log_out(page)

    # The clerk's case records page (a staff page: axe too).
    log_in(page, check_a11y, "citclerk")
    page.goto("/cit/records/")
    check_a11y(page)
    page.get_by_label("Case number").fill(case.number)
    page.get_by_role("button", name="Open the case").click()
    expect(
        page.get_by_role("heading", level=1, name=f"Case records: {case.number}")
    ).to_be_visible()
    expect(page.get_by_text("Your view of this document is logged")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "access-case-records")
    assert not check_a11y.unchecked()
