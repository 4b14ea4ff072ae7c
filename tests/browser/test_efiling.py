"""Issue 4 in a real browser, by the labels a filer and a public user see.

John Doe, whose USCIT CM/ECF account is linked to his PACER account, adds a secondary NEF
address, opens a new case with a Summons and pays the fee with the sandbox card, files a
Complaint with an exhibit, reads the Notice of Electronic Filing in the demo mailbox and
uses its free-look link twice: the first look is free, the second is billed (the Download
Confirmation shows its cost). Then a public user finds the case, runs its docket report,
pays per page, and sees the charges under Review Billing History. Every page the browser
shows is checked with axe-core; screenshots go to docs/screenshots/efile-*.png.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.billing.models import AccessCharge, Payment
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.models import Case, Document
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from nextecf.lib.pdf import make_pdf
from nextecf.notices.models import FreeLook

PLAINTIFF = "Harborline Ceramic Tile Imports, Inc."
SECONDARY = "docketing@doelaw.example"


@pytest.fixture
def efiling(transactional_db, settings, live_server):
    settings.DEMO_MAILBOX = True
    settings.SITE_URL = live_server.url  # the links in notices point at this server
    court = CourtFactory()
    catalogue_install(court=court)
    john = AccountFactory(
        username="johndoe1", first_name="John", last_name="Doe", email="john.doe@doelaw.example"
    )
    doej = FilerAccountFactory(
        court=court,
        login="doej",
        first_name="John",
        last_name="Doe",
        email="jdoe@doelaw.example",
        firm="Doe Law PLLC",
        account=john,
        linked_at=timezone.now(),
    )
    public = AccountFactory(
        username="publicuser", first_name="Pat", last_name="Public", email="pat@example.com"
    )
    return {"court": court, "john": john, "doej": doej, "public": public}


def pdf_file(name: str, title: str, pages: int) -> dict:
    lines = [[title, "", f"Page {n + 1} of {pages}"] for n in range(pages)]
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf(lines, title=title)}


def menubar(page: Page):
    return page.get_by_role("navigation", name="CM/ECF menu")


def log_in(page: Page, check_a11y, username: str) -> None:
    page.goto("/cit/cgi-bin/login.pl")
    expect(page.get_by_label("Username")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    if page.get_by_role("heading", level=1, name="Complete your login").count():
        check_a11y(page)
        redaction = page.get_by_label(re.compile("I understand that, if I file"))
        if redaction.count():
            redaction.check()
        skip = page.get_by_role("button", name="Skip")
        (skip if skip.count() else page.get_by_role("button", name="Continue")).click()
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)


def receipt_cost(page: Page) -> tuple[int, Decimal]:
    receipt = page.locator("table.receipt").last
    expect(receipt).to_be_visible()
    text = " ".join(receipt.inner_text().split())
    pages = re.search(r"Billable Pages:\s*(\d+)", text)
    cost = re.search(r"Cost:\s*\$?([\d.]+)", text)
    assert pages and cost, text
    return int(pages.group(1)), Decimal(cost.group(1))


@pytest.mark.browser
def test_open_a_case_file_read_the_nef_and_pay_to_look(
    page: Page, efiling, live_server, check_a11y, screenshot
):
    # --- John Doe, a linked filer, logs in; the Civil menu is there. ------------------------
    log_in(page, check_a11y, "johndoe1")

    # Utilities > Maintain Your ECF Account: a secondary address for his notices.
    menubar(page).get_by_role("link", name="Utilities").click()
    check_a11y(page)
    page.get_by_role("link", name="Maintain Your ECF Account").click()
    expect(page.get_by_role("heading", level=1, name="Maintain Your ECF Account")).to_be_visible()
    expect(page.get_by_text("doej (linked to PACER account johndoe1)")).to_be_visible()
    check_a11y(page)
    page.get_by_role("textbox", name="Secondary email address").fill(SECONDARY)
    page.get_by_role("button", name="Add address").click()
    expect(page.get_by_role("status")).to_contain_text(f"{SECONDARY} was added")
    expect(page.get_by_role("cell", name=SECONDARY, exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "efile-0-ecf-account")

    # --- Open a new case: the Summons, with the filing fee. ---------------------------------
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Civil Events")).to_be_visible()
    check_a11y(page)
    screenshot(page, "efile-1-civil-menu")
    page.get_by_role("region", name="Open a New Case").get_by_role("link", name="Summons").click()

    expect(page.get_by_role("heading", level=1, name="Open a New Case: Summons")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Plaintiff name(s)").fill(PLAINTIFF)
    page.get_by_label("Jurisdiction (28 U.S.C. § 1581)").select_option(
        label="28 U.S.C. § 1581(a) Denied Protest(s)"
    )
    page.get_by_label("Category").fill("Classification 19USC § 1514(a)(2)")
    page.get_by_label("Agency").fill("U.S. Customs and Border Protection")
    page.get_by_label("Product description").fill("Porcelain Floor Tiles")
    screenshot(page, "efile-2-open-case")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1, name="Summons: documents")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label("Docket text")).to_have_value(re.compile("Summons"))
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    fee = page.get_by_role("group", name=re.compile(r"Filing fee: \$"))
    expect(fee).to_be_visible()
    check_a11y(page)
    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_label("Expiration month (MM)").fill("12")
    page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year + 3))
    page.get_by_label("Security code (CVV)").fill("123")
    page.get_by_label("Name on card").fill("John Doe")
    page.get_by_label("I authorize the charge of the filing fee to this card.").check()
    screenshot(page, "efile-3-pay-fee")
    page.get_by_role("button", name="Submit").click()

    expect(
        page.get_by_role("heading", level=1, name=re.compile("Notice of Electronic Filing"))
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Filing fee $")
    check_a11y(page)
    screenshot(page, "efile-4-summons-receipt")
    case = Case.objects.get(title__startswith=PLAINTIFF)
    assert re.fullmatch(r"1:\d\d-cv-00001", case.number)
    payment = Payment.objects.get(case_number=case.number)
    assert payment.amount_cents == case.entries.get(number=1).event.fee_cents > 0
    assert payment.card_last4 == "1111"

    # --- File the Complaint, with an exhibit, into the new case. ---------------------------
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    check_a11y(page)
    page.get_by_role("region", name="Other Filings").get_by_role(
        "link", name="Complaint", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name="Complaint")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Case number").fill(case.number)
    page.get_by_role("button", name="Find This Case").click()

    expect(page.get_by_role("heading", level=1, name=re.compile("filing party"))).to_be_visible()
    check_a11y(page)
    page.get_by_label(re.compile(re.escape(PLAINTIFF))).check()
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1, name="Complaint: documents")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Main document (PDF)").set_input_files(
        pdf_file("complaint.pdf", "COMPLAINT", 3)
    )
    page.get_by_label("Attachment (PDF)").set_input_files(
        pdf_file("exhibit-a.pdf", "EXHIBIT A - NOTICE OF DENIAL OF PROTEST", 1)
    )
    page.get_by_label("Attachment description").fill("Exhibit A - Notice of Denial")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("cell", name="exhibit-a.pdf", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "efile-5-complaint-documents")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Next").click()
    expect(
        page.get_by_role("heading", level=1, name="Complaint: review and submit")
    ).to_be_visible()
    expect(page.get_by_text("(Attachments: # 1 Exhibit A - Notice of Denial)")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Notice of Electronic Filing"))
    ).to_be_visible()
    check_a11y(page)
    complaint = case.entries.get(number=2)
    main = complaint.documents.get(attachment_number=0)
    assert complaint.documents.count() == 2

    # --- The NEF in the demo mailbox, to the primary and the secondary address. ------------
    page.goto("/mailbox/")
    expect(page.get_by_role("heading", level=1, name="Demo mailbox")).to_be_visible()
    check_a11y(page)
    for address in ("jdoe@doelaw.example", SECONDARY):
        expect(
            page.get_by_role("row").filter(has_text=address).filter(has_text="Complaint")
        ).to_have_count(1)
    page.get_by_role("row").filter(has_text="jdoe@doelaw.example").filter(
        has_text="Complaint"
    ).get_by_role("link").click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile(r"Activity in Case"))
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "efile-6-nef-in-mailbox")
    # The NEF is shown as its recipient sees it, in a frame; its free-look link is a link.
    frame = page.frame_locator("iframe.email-frame")
    hrefs = frame.locator("a[href*='/doc1/']").evaluate_all("links => links.map(a => a.href)")
    links = [html.unescape(h) for h in hrefs if f"/doc1/{main.doc_id}?" in h]
    free_look = next(link for link in links if "magic_num=" in link)
    assert free_look.startswith(live_server.url)

    # First use: the PDF itself, free.
    first = page.request.get(free_look)
    assert first.status == 200 and first.headers["content-type"] == "application/pdf"
    assert first.body().startswith(b"%PDF-")
    assert FreeLook.objects.filter(document=main, used_at__isnull=False).count() == 1

    # Second use: the link is spent; a signed-on filer gets the billed path.
    page.goto(free_look)
    if page.get_by_role("link", name=str(complaint.number), exact=True).count():
        check_a11y(page)  # the document's attachments page
        page.get_by_role("link", name=str(complaint.number), exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Download Confirmation")).to_be_visible()
    pages, cost = receipt_cost(page)
    assert pages == main.pages == 3 and cost == Decimal("0.30")
    check_a11y(page)
    screenshot(page, "efile-7-download-confirmation")

    # --- A public user queries the case and pays for the docket report. --------------------
    page.context.clear_cookies()
    log_in(page, check_a11y, "publicuser")
    menubar(page).get_by_role("link", name="Query").click()
    expect(page.get_by_role("heading", level=1, name="Query")).to_be_visible()
    check_a11y(page)
    page.get_by_label(re.compile("Case number")).fill(case.number)
    page.get_by_role("button", name="Run Query").click()
    search_pages, search_cost = receipt_cost(page)
    assert search_cost == Decimal(search_pages) / 10
    check_a11y(page)
    page.get_by_role("link", name=case.number).first.click()
    expect(page.get_by_text(case.title).first).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Docket Report").click()
    expect(page.get_by_role("button", name="Run Report")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Run Report").click()
    expect(page.get_by_text(PLAINTIFF).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Complaint", re.IGNORECASE)).first).to_be_visible()
    docket_pages, docket_cost = receipt_cost(page)
    assert 1 <= docket_pages <= 30 and docket_cost == Decimal(docket_pages) / 10
    check_a11y(page)
    screenshot(page, "efile-8-docket-report")
    charges = AccessCharge.objects.filter(account=efiling["public"]).order_by("pk")
    assert [c.description for c in charges] == ["Search", "Docket Report"]
    assert [c.pages for c in charges] == [search_pages, docket_pages]

    # Review Billing History: both accesses, totalled; a quarter under $30 is waived.
    menubar(page).get_by_role("link", name="Utilities").click()
    check_a11y(page)
    page.get_by_role("link", name="Review Billing History").click()
    expect(page.get_by_role("heading", level=1, name="Review Billing History")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Run Report").click()
    total = search_cost + docket_cost
    expect(page.get_by_role("table", name=re.compile("Totals by client code"))).to_contain_text(
        f"${total:.2f}"
    )
    accesses = page.get_by_role("table", name=re.compile("^Accesses"))
    expect(accesses).to_contain_text("Docket Report")
    expect(accesses).to_contain_text(case.number)
    expect(page.get_by_text("waived").first).to_be_visible()
    check_a11y(page)
    screenshot(page, "efile-9-billing-history")

    assert Document.objects.filter(entry__case=case).count() == 3
    assert not check_a11y.unchecked(), check_a11y.unchecked()
