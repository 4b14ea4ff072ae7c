"""Issue 14, drafts survive: a filer whose session times out in the middle of a filing
logs in again and finishes the same draft with its uploads. Time is moved, not waited:
the page's clock (Playwright) for the two-minute warning, the server's (time-machine) for
the timeout. Every page is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD
from nextecf.cases.models import Case
from tests.browser.test_efiling import PLAINTIFF, efiling, log_in, menubar, pdf_file

__all__ = ["efiling"]


def complete_login(page: Page, check_a11y) -> None:
    page.get_by_label("Username").fill("johndoe1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    if page.get_by_role("heading", level=1, name="Complete your login").count():
        check_a11y(page)
        page.get_by_label(re.compile("I understand that, if I file")).check()
        skip = page.get_by_role("button", name="Skip")
        (skip if skip.count() else page.get_by_role("button", name="Continue")).click()


@pytest.mark.browser
def test_a_filer_timed_out_mid_filing_finishes_the_same_draft(page: Page, efiling, check_a11y):
    page.clock.install()
    log_in(page, check_a11y, "johndoe1")
    menubar(page).get_by_role("link", name="Civil", exact=True).click()
    check_a11y(page)
    page.get_by_role("region", name="Open a New Case").get_by_role("link", name="Summons").click()
    check_a11y(page)
    page.get_by_label("Plaintiff name(s)").fill(PLAINTIFF)
    page.get_by_label("Jurisdiction (28 U.S.C. § 1581)").select_option(
        label="28 U.S.C. § 1581(a) Denied Protest(s)"
    )
    page.get_by_label("Category").fill("Classification 19USC § 1514(a)(2)")
    page.get_by_label("Agency").fill("U.S. Customs and Border Protection")
    page.get_by_label("Product description").fill("Porcelain Floor Tiles")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: documents")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Main document (PDF)").set_input_files(pdf_file("summons.pdf", "SUMMONS", 2))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("docket text"))).to_be_visible()
    check_a11y(page)
    page.get_by_label("Docket text").fill("SUMMONS, typed by John Doe before lunch.")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1, name="Summons: review and submit")).to_be_visible()
    check_a11y(page)
    draft_url = page.url

    # Two minutes before the end the page warns, and the button has the focus: Enter keeps
    # the session.
    warning = page.get_by_role("alertdialog", name="Your session is about to end")
    expect(warning).to_be_hidden()
    page.clock.fast_forward(
        (settings.SIGNON_IDLE_SECONDS - settings.SIGNON_WARN_SECONDS + 5) * 1000
    )
    expect(warning).to_be_visible()
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    check_a11y(page)
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()

    # The filer goes to lunch: the server's clock passes the idle timeout.
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.SIGNON_IDLE_SECONDS + 60), tick=True
    ):
        page.goto(draft_url)
        expect(page.get_by_text("Your session has expired.")).to_be_visible()
        expect(page.get_by_text("you will return to your filing")).to_be_visible()
        check_a11y(page)
        complete_login(page, check_a11y)
        expect(page).to_have_url(draft_url)
        expect(
            page.get_by_role("heading", level=1, name="Summons: review and submit")
        ).to_be_visible()
        expect(page.get_by_text("summons.pdf")).to_be_visible()
        expect(page.get_by_text("SUMMONS, typed by John Doe before lunch.")).to_be_visible()
        check_a11y(page)

        # Civil → My drafts shows it too.
        menubar(page).get_by_role("link", name="Civil", exact=True).click()
        page.get_by_role("link", name="My drafts").click()
        expect(page.get_by_role("heading", level=1, name="My drafts")).to_be_visible()
        check_a11y(page)
        page.get_by_role("link", name=re.compile("^Resume Summons")).click()
        expect(page).to_have_url(draft_url)
        check_a11y(page)

        page.get_by_label("Card number").fill("4111 1111 1111 1111")
        page.get_by_label("Expiration month (MM)").fill("12")
        page.get_by_label("Expiration year (YYYY)").fill(str(timezone.localdate().year + 3))
        page.get_by_label("Security code (CVV)").fill("123")
        page.get_by_label("Name on card").fill("John Doe")
        page.get_by_label("I authorize the charge of the filing fee to this card.").check()
        page.get_by_role("button", name="Submit").click()
        expect(
            page.get_by_role("heading", level=1, name=re.compile("Notice of Electronic Filing"))
        ).to_be_visible()
        check_a11y(page)
    case = Case.objects.get(title__startswith=PLAINTIFF)
    entry = case.entries.get(number=1)
    assert entry.text.startswith("SUMMONS, typed by John Doe before lunch.")
    assert entry.documents.get().original_filename == "summons.pdf"
    assert check_a11y.unchecked() == []
