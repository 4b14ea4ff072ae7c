"""Issue 14 item 8, post/redirect/get after every filing form, a refused one too: the
browser's Back and Forward never resend a POST (no "Confirm Form Resubmission"), the page
shows the same errors with the values entered (never the card number), and nothing is
filed twice. Every page the browser shows is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from nextecf.billing.models import Payment
from nextecf.filing.models import Filing
from tests.browser.test_efiling import efiling, log_in, menubar, pdf_file  # noqa: F401


@pytest.mark.browser
def test_back_and_forward_after_refused_posts_never_resubmit(
    page: Page,
    efiling,  # noqa: F811
    check_a11y,
):
    log_in(page, check_a11y, "johndoe1")
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    check_a11y(page)
    page.get_by_role("region", name="Open a New Case").get_by_role("link", name="Summons").click()
    check_a11y(page)

    # The case data without a plaintiff: refused, and the refusal is a page of its own (GET).
    page.get_by_label("Agency").fill("U.S. Customs and Border Protection")
    page.get_by_label("Product description").fill("Porcelain Floor Tiles")
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"/civil/open/\?event=\d+&failed="))
    expect(page.get_by_role("alert")).to_contain_text("Plaintiff")
    expect(page.get_by_label("Product description")).to_have_value("Porcelain Floor Tiles")
    check_a11y(page)

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    page.get_by_label("Plaintiff name(s)").fill("Harborline Ceramic Tile Imports, Inc.")
    page.get_by_label("Jurisdiction (28 U.S.C. § 1581)").select_option(
        label="28 U.S.C. § 1581(a) Denied Protest(s)"
    )
    page.get_by_label("Category").fill("Classification")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: documents")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    check_a11y(page)

    # A card with problems: the errors come back on a GET, the card number is not kept.
    page.get_by_label("Card number").fill("4111 1111 1111 1112")
    page.get_by_label("Expiration month (MM)").fill("12")
    page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year + 3))
    page.get_by_label("Security code (CVV)").fill("123")
    page.get_by_label("Name on card").fill("John Doe")
    page.get_by_role("button", name="Submit").click()
    expect(page).to_have_url(re.compile(r"/submit/\?failed="))
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid card number.")
    expect(page.get_by_label("Card number")).to_have_value("")
    expect(page.get_by_label("Security code (CVV)")).to_have_value("")
    expect(page.get_by_label("Name on card")).to_have_value("John Doe")
    assert "4111" not in page.url
    check_a11y(page)

    # Back and Forward: plain GETs, the same refusal shown again, nothing posted.
    sent = len(posts)
    page.go_back()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    check_a11y(page)
    page.go_forward()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid card number.")
    check_a11y(page)
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid card number.")
    check_a11y(page)
    assert len(posts) == sent, posts[sent:]
    assert not Filing.objects.exists() and not Payment.objects.exists()

    # A good card files it; Back then shows the receipt again, and nothing is filed twice.
    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_label("Expiration month (MM)").fill("12")
    page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year + 3))
    page.get_by_label("Security code (CVV)").fill("123")
    page.get_by_label("I authorize the charge of the filing fee to this card.").check()
    page.get_by_role("button", name="Submit").click()
    receipt = page.get_by_role("heading", level=1, name=re.compile("Notice of Electronic Filing"))
    expect(receipt).to_be_visible()
    check_a11y(page)
    sent = len(posts)
    page.go_back()
    expect(receipt).to_be_visible()  # the submit page of a filed draft is its receipt
    check_a11y(page)
    page.go_forward()
    expect(receipt).to_be_visible()
    check_a11y(page)
    assert len(posts) == sent, posts[sent:]
    assert Filing.objects.count() == 1 and Payment.objects.count() == 1
    assert not check_a11y.unchecked(), check_a11y.unchecked()
