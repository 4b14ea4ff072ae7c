"""Issue 14 item 8 in a real browser: upload progress (the upload goes through script when
there is script, and the same form still works without it), a preview of each uploaded
PDF in the browser's own viewer, Remove and Cancel this filing asking first, and every
card problem named at once. Every page the browser shows is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from nextecf.filing.models import FilingDraft, StagedUpload
from tests.browser.test_efiling import efiling, log_in, menubar, pdf_file  # noqa: F401


def start_summons(page: Page, check_a11y) -> None:
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    check_a11y(page)
    page.get_by_role("region", name="Open a New Case").get_by_role("link", name="Summons").click()
    check_a11y(page)
    page.get_by_label("Plaintiff name(s)").fill("Harborline Ceramic Tile Imports, Inc.")
    page.get_by_label("Jurisdiction (28 U.S.C. § 1581)").select_option(
        label="28 U.S.C. § 1581(a) Denied Protest(s)"
    )
    page.get_by_label("Category").fill("Classification")
    page.get_by_label("Agency").fill("U.S. Customs and Border Protection")
    page.get_by_label("Product description").fill("Porcelain Floor Tiles")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: documents")).to_be_visible()
    check_a11y(page)


@pytest.mark.browser
def test_upload_preview_confirmations_and_card_errors(
    page: Page,
    efiling,  # noqa: F811
    check_a11y,
):
    log_in(page, check_a11y, "johndoe1")
    start_summons(page, check_a11y)

    # A file that is not a PDF, sent by script: refused, the error shown in place, focused.
    page.get_by_label("Main document (PDF)").set_input_files(
        {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    )
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.get_by_role("button", name="Upload").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("notes.pdf is not a PDF document.")
    expect(alert).to_be_focused()
    check_a11y(page)

    # The real PDF, by script, with the progress bar; then the page it redirected to.
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("cell", name="summons.pdf", exact=True)).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_hidden()  # a fresh page: nothing uploading
    check_a11y(page)

    # Its preview: the PDF itself, inline, for the browser's own viewer.
    preview = page.get_by_role("link", name=re.compile("Preview summons.pdf"))
    assert preview.get_attribute("target") == "_blank"
    answer = page.request.get(preview.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline")
    assert answer.body().startswith(b"%PDF-")

    # Remove asks first; "No" keeps the file.
    page.get_by_role("button", name="Remove summons.pdf").click()
    question = page.get_by_role("region", name="Remove the main document, summons.pdf?")
    expect(question).to_be_visible()
    check_a11y(page)
    question.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_role("cell", name="summons.pdf", exact=True)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Remove summons.pdf").click()
    check_a11y(page)
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.get_by_role("cell", name="No documents yet.", exact=False)).to_be_visible()
    check_a11y(page)
    assert not StagedUpload.objects.exists()

    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    check_a11y(page)

    # Every card problem at once.
    page.get_by_label("Card number").fill("4111 1111 1111 1112")
    page.get_by_label("Expiration month (MM)").fill("12")
    page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year - 1))
    page.get_by_label("Security code (CVV)").fill("12")
    page.get_by_role("button", name="Submit").click()
    alert = page.get_by_role("alert")
    for message in (
        "Card number: Enter a valid card number.",
        "The card has expired or the year is wrong.",
        "The security code has 3 or 4 digits.",
        "Tick the box to authorize the charge.",
    ):
        expect(alert).to_contain_text(message)
    check_a11y(page)

    # Cancel this filing asks first; "No" goes back; "Yes" deletes the draft.
    page.get_by_role("button", name="Cancel this filing").click()
    expect(page.get_by_role("heading", level=1, name="Cancel this filing?")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="No, go back to the filing").click()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    check_a11y(page)
    assert FilingDraft.objects.count() == 1
    page.get_by_role("button", name="Cancel this filing").click()
    check_a11y(page)
    page.get_by_role("button", name="Yes, cancel this filing").click()
    expect(page.get_by_role("heading", level=1, name="Civil Events")).to_be_visible()
    check_a11y(page)
    assert not FilingDraft.objects.exists()
    assert not check_a11y.unchecked(), check_a11y.unchecked()


@pytest.mark.browser
def test_the_upload_works_without_our_script(
    page: Page,
    efiling,  # noqa: F811
    check_a11y,
):
    # Our scripts never load (as for a browser with script off; axe still runs, through the
    # DevTools protocol): the form posts itself, and the page it redirects to lists the file.
    page.route(re.compile(r"/static/js/"), lambda route: route.abort())
    log_in(page, check_a11y, "johndoe1")
    start_summons(page, check_a11y)
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.get_by_role("button", name="Upload").click()
    assert sent.value.resource_type == "document"  # the form itself, not a script
    expect(page.get_by_role("cell", name="summons.pdf", exact=True)).to_be_visible()
    check_a11y(page)
    assert StagedUpload.objects.count() == 1
    assert not check_a11y.unchecked(), check_a11y.unchecked()
