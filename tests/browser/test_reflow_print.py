"""Issue 14 items 5, 6 and 9 in a real browser: every page reflows at 320 CSS px (the
page's scrollWidth is never larger than the viewport; a wide table scrolls inside its own
keyboard-reachable region), a docket report and a filing's NEF print without the menu bar
or footer and with the case number on every sheet (Chromium's own PDF, read back with
pypdf), long lists page, and the demo mailbox shows an NEF as its recipient sees it, with
links that work. Every page the browser shows is checked with axe-core."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import DocketEntryFactory
from tests.browser.test_case_pages import case  # noqa: F401  (the fixture)
from tests.browser.test_efiling import efiling, log_in, menubar, pdf_file  # noqa: F401

NARROW = {"width": 320, "height": 640}


def assert_reflows(page: Page) -> None:
    """No sideways scrolling of the page itself at this width (WCAG 1.4.10)."""
    page.wait_for_load_state("load")
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px viewport"


def visit(page: Page, check_a11y) -> None:
    check_a11y(page)
    assert_reflows(page)


def printed_sheets(page: Page) -> list[str]:
    """The page as Chromium prints it (print media, A4 sheets): each sheet's text."""
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [sheet.extract_text() for sheet in reader.pages]


@pytest.mark.browser
def test_reports_and_billing_reflow_at_320_px_and_the_docket_prints_clean(
    page: Page,
    case,  # noqa: F811
    check_a11y,
):
    # Enough entries for the docket report to print on several sheets.
    for n in range(80):
        DocketEntryFactory(
            case=case,
            number=10 + n,
            date_filed=date(2026, 4, 1) + timedelta(days=n),
            text=f"ORDER number {n} granting a motion for an extension of time; counsel for "
            "Acme Imports, LLC (acme.imports.litigation.department@example-law-firm.com).",
        )
    page.set_viewport_size(NARROW)
    log_in(page, check_a11y, "publicuser")
    assert_reflows(page)

    # The docket report: counsel and long addresses wrap; no sideways scroll.
    page.goto(f"/cit/cgi-bin/DktRpt.pl?{case.pk}")
    visit(page, check_a11y)
    page.get_by_role("button", name="Run Report").click()
    expect(page.get_by_text("represented").first).to_be_visible()
    expect(page.locator("table.receipt")).to_be_visible()
    visit(page, check_a11y)

    # Printed: no menu bar, no footer, the case number at the top of every sheet.
    page.emulate_media(media="print")
    expect(menubar(page)).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    sheets = printed_sheets(page)
    assert len(sheets) >= 2
    for number, text in enumerate(sheets, start=1):
        assert f"Case {case.number}" in text, (number, text[:200])
        assert f"Page {number} of {len(sheets)}" in text
        assert "Help Desk" not in text and "Log Out" not in text
    page.emulate_media(media="screen")
    expect(menubar(page)).to_be_visible()

    # A document's receipt (Download Confirmation).
    page.goto(f"/cit/cgi-bin/iquery.pl?{case.pk}")
    visit(page, check_a11y)
    page.get_by_role("link", name="History/Documents").click()
    visit(page, check_a11y)
    page.get_by_role("button", name="Run Report").click()
    visit(page, check_a11y)
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_text("Documents are attached to this filing")).to_be_visible()
    visit(page, check_a11y)
    page.get_by_role("link", name="1", exact=True).first.click()  # the main document
    expect(page.get_by_role("heading", level=1, name="Download Confirmation")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Time zone: E[SD]T"))).to_be_visible()
    visit(page, check_a11y)

    # Query results, Billing history (paged), transaction log, payments.
    page.goto("/cit/cgi-bin/iquery.pl")
    visit(page, check_a11y)
    page.get_by_label("Case name").fill("Acme")
    page.get_by_role("button", name="Run Query").click()
    expect(page.get_by_text("Cases 1 to 1 of 1")).to_be_visible()
    visit(page, check_a11y)

    account = AccessCharge.objects.first().account  # publicuser
    for _ in range(55):
        AccessCharge.objects.create(
            account=account,
            court=case.court,
            description="Search",
            search_criteria="Case name: Acme",
            pages=1,
            cost_cents=10,
            created_at=timezone.now(),
        )
    menubar(page).get_by_role("link", name="Utilities").click()
    visit(page, check_a11y)
    page.get_by_role("link", name="Review Billing History").click()
    visit(page, check_a11y)
    page.get_by_role("button", name="Run Report").click()
    counts = page.get_by_role("navigation", name="Accesses pages").first
    expect(counts).to_contain_text(re.compile(r"Accesses 1 to 50 of \d+ \(page 1 of 2\)"))
    visit(page, check_a11y)
    # The accesses table stays inside the viewport, in a region a keyboard can scroll.
    region = page.get_by_role("region", name="Accesses")
    assert region.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth")
    region.focus()
    expect(region).to_be_focused()
    counts.get_by_role("link", name="Next").click()
    expect(page.get_by_role("navigation", name="Accesses pages").first).to_contain_text(
        "(page 2 of 2)"
    )
    visit(page, check_a11y)
    for link in ("View Your Transaction Log", "Internet Payment History"):
        menubar(page).get_by_role("link", name="Utilities").click()
        page.get_by_role("link", name=link).click()
        visit(page, check_a11y)
        page.get_by_role("button", name="Run Report").click()
        visit(page, check_a11y)
    assert not check_a11y.unchecked(), check_a11y.unchecked()


@pytest.mark.browser
def test_the_filing_steps_reflow_the_nef_prints_and_the_mailbox_shows_it_as_sent(
    page: Page,
    efiling,  # noqa: F811
    live_server,
    check_a11y,
):
    page.set_viewport_size(NARROW)
    log_in(page, check_a11y, "johndoe1")
    assert_reflows(page)
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    visit(page, check_a11y)
    page.get_by_role("region", name="Open a New Case").get_by_role("link", name="Summons").click()
    visit(page, check_a11y)
    page.get_by_label("Plaintiff name(s)").fill("Harborline Ceramic Tile Imports, Inc.")
    page.get_by_label("Jurisdiction (28 U.S.C. § 1581)").select_option(
        label="28 U.S.C. § 1581(a) Denied Protest(s)"
    )
    page.get_by_label("Category").fill("Classification")
    page.get_by_label("Agency").fill("U.S. Customs and Border Protection")
    page.get_by_label("Product description").fill("Porcelain Floor Tiles")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: documents")).to_be_visible()
    visit(page, check_a11y)
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    visit(page, check_a11y)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    visit(page, check_a11y)
    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_label("Expiration month (MM)").fill("12")
    page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year + 3))
    page.get_by_label("Security code (CVV)").fill("123")
    page.get_by_label("Name on card").fill("John Doe")
    page.get_by_label("I authorize the charge of the filing fee to this card.").check()
    page.get_by_role("button", name="Submit").click()
    heading = page.get_by_role("heading", level=1, name=re.compile("Notice of Electronic Filing"))
    expect(heading).to_be_visible()
    visit(page, check_a11y)
    number = re.search(r"1:\d\d-cv-\d{5}", heading.inner_text())
    assert number is not None

    # The NEF, the filer's receipt, printed: the notice alone, the case number on top.
    page.emulate_media(media="print")
    expect(menubar(page)).to_be_hidden()
    for text in printed_sheets(page):
        assert f"Case {number.group(0)}" in text and "Help Desk" not in text
    page.emulate_media(media="screen")

    # The demo mailbox: the NEF as its recipient sees it, its links working.
    page.goto("/mailbox/")
    expect(page.get_by_role("navigation", name="Emails pages")).to_contain_text("Emails 1 to")
    visit(page, check_a11y)
    page.get_by_role("row").filter(has_text="jdoe@doelaw.example").get_by_role("link").click()
    visit(page, check_a11y)
    frame = page.frame_locator("iframe.email-frame")
    expect(frame.get_by_text("Notice of Electronic Filing").first).to_be_visible()
    source = page.get_by_text("Show the HTML source")
    expect(page.locator("pre.email-body")).to_be_hidden()
    source.click()
    expect(page.locator("pre.email-body")).to_contain_text("<a href=")
    # The case number's link opens the docket report's options in the whole tab.
    frame.get_by_role("link", name=re.compile(re.escape(number.group(0)))).first.click()
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/DktRpt\.pl\?"))
    expect(page.get_by_role("button", name="Run Report")).to_be_visible()
    visit(page, check_a11y)
    assert not check_a11y.unchecked(), check_a11y.unchecked()
