"""The pages PACER software reads, as a person uses them in a real browser: a case's query
page, History/Documents (its options, then the report), a filing's attachment page, the
Download Confirmation and the PDF, and the Written Opinions report. The same pages serve
juriscraper (tests/juriscraper); every one the browser shows is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import AccountFactory
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import EventType, Party
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from tests.browser.test_efiling import log_in, menubar, receipt_cost


@pytest.fixture
def case(transactional_db):
    court = CourtFactory()
    AccountFactory(username="publicuser", first_name="Pat", last_name="Public")
    judge = JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK")
    case = CaseFactory(
        court=court,
        title="Acme Imports, LLC v. United States",
        judge=judge,
        date_filed=date(2026, 1, 16),
    )
    plaintiff = PartyFactory(case=case, name="Acme Imports, LLC", role=Party.Role.PLAINTIFF)
    AppearanceFactory(party=plaintiff, filer=FilerAccountFactory(court=court, login="jane1"))
    complaint = EventTypeFactory(court=court, code="complaint", name="Complaint")
    opinion = EventTypeFactory(
        court=court,
        code="opinion",
        name="Slip Opinion",
        is_opinion=True,
        category=EventType.Category.COURT,
    )
    entry = DocketEntryFactory(
        case=case,
        number=1,
        event=complaint,
        date_filed=date(2026, 1, 16),
        text="Complaint. (Attachments: # 1 Exhibit A) (Doe, John)",
    )
    DocumentFactory(entry=entry, page_count=3)
    DocumentFactory(entry=entry, attachment_number=1, description="Exhibit A", page_count=2)
    DocketEntryFactory(case=case, number=None, date_filed=date(2026, 2, 2), text="Minute entry.")
    ruling = DocketEntryFactory(
        case=case,
        number=2,
        event=opinion,
        date_filed=date(2026, 3, 3),
        text="Slip Opinion 26-12 granting judgment on the agency record.",
    )
    DocumentFactory(entry=ruling, page_count=12)
    return case


@pytest.mark.browser
def test_history_documents_and_opinions_in_a_browser(page: Page, case, check_a11y, screenshot):
    log_in(page, check_a11y, "publicuser")
    page.goto(f"/cit/cgi-bin/iquery.pl?{case.pk}")
    expect(page.get_by_text("Gary S. Katzmann, presiding")).to_be_visible()
    check_a11y(page)

    # History/Documents: the options first (free), then the report (billed).
    page.get_by_role("link", name="History/Documents").click()
    expect(page.get_by_role("heading", level=1, name="History/Documents")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Include the docket text").check()
    page.get_by_role("button", name="Run Report").click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    expect(page.get_by_text("Docket Text: Minute entry.")).to_be_visible()
    pages, cost = receipt_cost(page)
    assert cost == Decimal(pages) / 10
    check_a11y(page)
    screenshot(page, "history-documents")
    assert [c.description for c in AccessCharge.objects.all()] == ["History/Documents"]

    # The complaint's number leads to its attachment page, then to each document.
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_text("Documents are attached to this filing")).to_be_visible()
    expect(page.get_by_role("cell", name="Exhibit A")).to_be_visible()
    check_a11y(page)
    screenshot(page, "attachment-page")
    page.get_by_role("link", name="1", exact=True).first.click()  # the main document
    expect(page.get_by_role("heading", level=1, name="Download Confirmation")).to_be_visible()
    assert receipt_cost(page)[0] == 3
    check_a11y(page)
    with page.expect_response(re.compile(r"/cit/doc1/")) as pdf:
        page.get_by_role("button", name="View Document").click()
    assert pdf.value.headers["content-type"] == "application/pdf"
    assert AccessCharge.objects.latest("pk").description == "Image1-0"

    # Reports > Written Opinions: free.
    page.goto("/cit/cgi-bin/login.pl")
    menubar(page).get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Written Opinions").click()
    expect(page.get_by_role("heading", level=1, name="Written Opinions Report")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Filed from").fill("01/01/2026")
    page.get_by_label("Filed to").fill("12/31/2026")
    page.get_by_role("button", name="Run Report").click()
    expect(page.get_by_text("Total number of opinions reported: 1")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Slip Opinion 26-12"))).to_be_visible()
    check_a11y(page)
    screenshot(page, "written-opinions")


@pytest.mark.browser
def test_following_a_case_from_its_summary_with_the_keyboard(
    page: Page, case, check_a11y, screenshot
):
    log_in(page, check_a11y, "publicuser")
    page.goto(f"/cit/cgi-bin/qrySummary.pl?{case.pk}")
    expect(page.get_by_text(f"Case Summary for {case.number}")).to_be_visible()
    check_a11y(page)
    choice = page.get_by_label(f"Docket alerts for {case.number} by email")
    choice.select_option("digest")
    choice.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Follow this case")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"You follow {case.number}")).to_be_visible()
    check_a11y(page)
