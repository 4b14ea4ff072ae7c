"""The rollout and Chambers in a real browser, on the demo as `make run` loads it: the
clerk's conversion report counts `doej` as not yet linked, John Doe walks the seed's link
steps, the report then counts him linked; Judge Katzmann signs the Meridian case's proposed
order in Chambers and its Notice of Electronic Filing lands in the demo mailbox. Every page
is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from conftest import next_totp_code
from nextecf.courts.management.commands.load_demo import DEMO_PASSWORD, LEGACY_CMECF_PASSWORD

LINK_ITEM = "Link my CM/ECF account to my PACER account"


@pytest.fixture
def demo(transactional_db, settings, live_server):
    settings.DEMO_MAILBOX = True
    settings.SITE_URL = live_server.url
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def log_in(page: Page, username: str, check_a11y, *, code: bool) -> None:
    page.context.clear_cookies()
    page.goto("/cit/cgi-bin/login.pl")
    expect(page.get_by_label("Username")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    if code:
        expect(page.get_by_label("Code")).to_be_visible()
        check_a11y(page)
        page.get_by_label("Code").fill(next_totp_code(username))
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)


def conversion_report(page: Page, check_a11y) -> None:
    page.get_by_role("navigation", name="CM/ECF menu").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("staff workspace"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Conversion report").click()
    expect(page.get_by_role("heading", level=1, name="Conversion report")).to_be_visible()
    check_a11y(page)


def doej_row(page: Page):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name="doej", exact=True))


@pytest.mark.browser
def test_the_conversion_report_counts_doej_before_and_after_the_seed(
    page: Page, demo, check_a11y, screenshot
):
    log_in(page, "citclerk", check_a11y, code=True)
    conversion_report(page, check_a11y)
    expect(doej_row(page)).to_contain_text("Not yet linked")
    screenshot(page, "staff-2-conversion-report")
    page.set_viewport_size({"width": 320, "height": 640})
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    total = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="All filer accounts")
    )
    not_linked_before = int(total.get_by_role("cell").nth(1).inner_text())

    # The seed's steps 2 to 6, as John Doe.
    log_in(page, "johndoe1", check_a11y, code=False)
    page.get_by_role("navigation", name="CM/ECF menu").get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("heading", level=1, name="Utilities")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=LINK_ITEM, exact=True).click()
    expect(page.get_by_label("CM/ECF login")).to_be_visible()
    check_a11y(page)
    page.get_by_label("CM/ECF login").fill("doej")
    page.get_by_label("CM/ECF password").fill(LEGACY_CMECF_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Do you want to link these accounts?")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("You have successfully linked your accounts.")).to_be_visible()
    check_a11y(page)

    log_in(page, "citclerk", check_a11y, code=True)
    conversion_report(page, check_a11y)
    expect(doej_row(page)).to_contain_text("Linked")
    expect(doej_row(page)).to_contain_text("johndoe1")
    total = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="All filer accounts")
    )
    expect(total.get_by_role("cell").nth(1)).to_have_text(str(not_linked_before - 1))
    assert check_a11y.unchecked() == []


@pytest.mark.browser
def test_the_judge_signs_the_demos_proposed_order_and_the_nef_goes_out(
    page: Page, demo, check_a11y, screenshot
):
    log_in(page, "judgekatzmann", check_a11y, code=True)
    page.get_by_role("navigation", name="CM/ECF menu").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("staff workspace"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Chambers").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Chambers of"))).to_be_visible()
    expect(page.get_by_text(re.compile("Consent MOTION for Extension of Time"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=re.compile(r"^Sign and docket proposed order")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Sign and docket"))).to_be_visible()
    expect(page.get_by_label("Proposed order to sign")).to_contain_text("PROPOSED ORDER granting")
    page.get_by_label("Docket text (after ORDER)").fill(
        "granting 17 Consent Motion for Extension of Time"
    )
    check_a11y(page)
    screenshot(page, "staff-3-sign-order")
    page.get_by_role("button", name="Sign and docket").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Order docketed as document")
    expect(status).to_contain_text("Signed by Judge Gary S. Katzmann on")
    expect(page.get_by_text("PROPOSED ORDER granting Consent Motion")).to_have_count(0)
    check_a11y(page)

    page.goto("/mailbox/")
    expect(page.get_by_role("heading", level=1, name="Demo mailbox")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"Activity in Case 1:25-cv-00137.*Order"))
    ).not_to_have_count(0)
    check_a11y(page)
    assert check_a11y.unchecked() == []
