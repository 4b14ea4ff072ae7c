"""The seed's six steps, in a real browser, by the labels a filer sees.

"Linking your current USCIT CM/ECF account to your upgraded PACER account": John Doe, who
filed in the Court of International Trade as `doej`, logs in with his upgraded PACER account
`johndoe1`, links the two under Utilities, and may then file (the Civil menu appears).
Every page on the way is checked with axe-core and photographed into docs/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.courts.factories import LEGACY_PASSWORD, CourtFactory, FilerAccountFactory
from nextecf.courts.models import FilerAccount

LINK_ITEM = "Link my CM/ECF account to my PACER account"


@pytest.fixture
def seed_people(transactional_db):
    """The demo's people: upgraded individual PACER johndoe1 and USCIT CM/ECF doej."""
    court = CourtFactory()
    john = AccountFactory(
        username="johndoe1",
        first_name="John",
        last_name="Doe",
        email="john.doe@doelaw.example",
        kind=Account.Kind.UPGRADED,
        sharing=Account.Sharing.INDIVIDUAL,
    )
    doej = FilerAccountFactory(
        court=court,
        login="doej",
        first_name="John",
        last_name="Doe",
        email="jdoe@doelaw.example",
        password=LEGACY_PASSWORD,
    )
    return john, doej


def menubar(page: Page):
    return page.get_by_role("navigation", name="CM/ECF menu")


@pytest.mark.browser
def test_seed_steps_1_to_6(page: Page, seed_people, check_a11y, screenshot):
    john, doej = seed_people

    # Step 1: the court's CM/ECF site; click "LIVE Database - Document Filing System".
    page.goto("/cit/")
    expect(
        page.get_by_role("heading", level=1, name="U.S. Court of International Trade CM/ECF")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "step1-court-home")
    live = page.get_by_role("link", name="LIVE Database - Document Filing System")
    # Keyboard: the first Tab stop is the skip link, which lands on the page's main
    # content, where the next Tab reaches the LIVE Database link.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(live).to_be_focused()
    live.click()

    # Step 2: the central login page; PACER username and password, then Login.
    expect(page).to_have_url(re.compile(r"/csologin/login/\?.*court=cit"))
    expect(
        page.get_by_role(
            "heading", level=1, name="U.S. Court Of International Trade - NextGen Login"
        )
    ).to_be_visible()
    warning = page.get_by_text("Do not log on using a shared PACER account", exact=False)
    expect(warning).to_be_visible()
    expect(warning).to_have_css("font-weight", re.compile(r"^(bold|[6-9]00)$"))
    expect(page.get_by_text("NOTICE:")).to_be_visible()
    expect(
        page.locator("p.notice", has_text="This is a restricted government website")
    ).to_be_visible()
    expect(page.get_by_text("Required Information")).to_be_visible()
    for name in ("Forgot password?", "Forgot username?", "Need an account?"):
        link = page.get_by_role("link", name=name, exact=True)
        if link.count():  # only offered where the deployment has those pages
            expect(link).to_be_visible()
    expect(page.get_by_role("button", name="Login")).to_be_visible()
    expect(page.get_by_role("button", name="Clear")).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus: type straight away
    page.keyboard.type("johndoe1")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "step2-login")
    page.get_by_label("Password").press("Enter")  # the keyboard submits the form

    # Logged in: the court's main page, with the CM/ECF menu bar but no Civil menu yet.
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Query")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Civil")).to_have_count(0)
    check_a11y(page)

    # Step 3: Utilities, then "Link my CM/ECF account to my PACER account".
    menubar(page).get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("heading", level=1, name="Utilities")).to_be_visible()
    expect(page.get_by_role("heading", name="Your Account")).to_be_visible()
    expect(page.get_by_role("heading", name="Miscellaneous")).to_be_visible()
    link_item = page.get_by_role("link", name=LINK_ITEM, exact=True)
    expect(link_item).to_be_visible()
    link_href = link_item.get_attribute("href")
    check_a11y(page)
    screenshot(page, "step3-utilities")

    # The seed's NOTE: the same item is under "NextGen Release 1.1 Menu Items".
    page.get_by_role("link", name="NextGen Release 1.1 Menu Items").click()
    expect(
        page.get_by_role("heading", level=1, name="NextGen Release 1.1 Menu Items")
    ).to_be_visible()
    release_item = page.get_by_role("link", name=LINK_ITEM, exact=True)
    expect(release_item).to_be_visible()
    expect(release_item).to_have_attribute("href", link_href or "")
    check_a11y(page)
    screenshot(page, "step3b-release-menu")

    menubar(page).get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("heading", level=1, name="Utilities")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=LINK_ITEM, exact=True).click()

    # Step 4: CM/ECF login and CM/ECF password, then Submit.
    expect(page).to_have_url(re.compile(r"/cit/utilities/link/$"))
    expect(page.get_by_role("heading", level=1, name=LINK_ITEM)).to_be_visible()
    expect(
        page.get_by_text("This utility links your PACER account with your CM/ECF account")
    ).to_be_visible()
    expect(
        page.get_by_text("If you do not have a CM/ECF account, no action is necessary.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Forgot login/password")).to_be_visible()
    expect(page.get_by_role("link", name="More about Upgraded PACER account")).to_be_visible()
    check_a11y(page)
    page.get_by_label("CM/ECF login").fill("doej")
    page.get_by_label("CM/ECF password").fill(LEGACY_PASSWORD)
    screenshot(page, "step4-link-form")
    page.get_by_role("button", name="Submit").click()

    # Step 5: "Do you want to link these accounts?" CM/ECF John Doe, PACER John Doe; Submit.
    expect(page).to_have_url(re.compile(r"/cit/utilities/link/confirm/$"))
    expect(page.get_by_role("heading", name="Do you want to link these accounts?")).to_be_visible()
    for system in ("CM/ECF", "PACER"):
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=system, exact=True)
        )
        expect(row.get_by_role("cell").first).to_have_text("John Doe")
    expect(page.get_by_text("The names do not match.")).to_have_count(0)
    expect(
        page.get_by_text("your credentials for your CM/ECF account will be permanently linked")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "step5-confirm")
    page.get_by_role("button", name="Submit", exact=True).click()

    # Step 6: "You have successfully linked your accounts."; the Civil menu is now there.
    expect(page).to_have_url(re.compile(r"/cit/utilities/link/done/$"))
    expect(page.get_by_text("You have successfully linked your accounts.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "use the credentials for your upgraded PACER account"
    )
    expect(page.get_by_text("866-450-1859").first).to_be_visible()
    civil = menubar(page).get_by_role("link", name="Civil", exact=True)
    expect(civil).to_be_visible()
    check_a11y(page)
    screenshot(page, "step6-linked")

    civil.click()
    expect(page.get_by_role("heading", level=1, name="Civil Events")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Civil", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "civil-menu")

    doej = FilerAccount.objects.get(pk=doej.pk)
    assert doej.account_id == john.pk
    # Every page the browser showed went through axe (ten, counting Utilities twice).
    assert not check_a11y.unchecked(), check_a11y.unchecked()
    assert len(check_a11y.checked) == 10, check_a11y.checked
