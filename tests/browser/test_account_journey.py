"""A new person's whole journey, in a real browser, by the labels they see.

Maria Lopez, who filed in the Court of International Trade as `doej` before NextGen,
registers an individual PACER account from the court's login page, verifies her email
address through the demo mailbox, adds an authenticator app and keeps her backup codes,
logs in with a code from the app, links her CM/ECF account under Utilities, and logs in
once more with a backup code, which then never works again. Every page on the way is
checked with axe-core and photographed into docs/screenshots/account-*.png.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.models import Account, BackupCode
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib import totp

FIRST, LAST = "Maria", "Lopez"
EMAIL = "maria.lopez@lopezlaw.example"
USERNAME = "marialopez"
PASSWORD = "violet canyon lantern ferry"  # 15+ characters
CMECF_LOGIN = "doej"
CMECF_PASSWORD = "her old cm/ecf password"
LINK_ITEM = "Link my CM/ECF account to my PACER account"
REDACTION = re.compile("I understand that, if I file, I must comply with the redaction rules")


@pytest.fixture
def cit(transactional_db, live_server, settings) -> Court:
    """The court, her pre-NextGen CM/ECF account, and the demo's mailbox.

    The settings fixture patches django.conf.settings in this process, so the live server's
    thread reads the same values on every request it handles."""
    settings.DEMO_MAILBOX = True
    settings.SITE_URL = live_server.url  # the emailed links must lead to this server
    court = CourtFactory()
    FilerAccountFactory(
        court=court,
        login=CMECF_LOGIN,
        first_name=FIRST,
        last_name=LAST,
        email="mlopez@lopezlaw.example",
        password=CMECF_PASSWORD,
    )
    return court


def menubar(page: Page):
    return page.get_by_role("navigation", name="CM/ECF menu")


def log_in_with_password(page: Page, check_a11y) -> None:
    """The court's login page: Username, Password, Login."""
    expect(
        page.get_by_role(
            "heading", level=1, name="U.S. Court Of International Trade - NextGen Login"
        )
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


def code_page(page: Page, check_a11y):
    """The second step of the login; returns the Code box."""
    expect(page.get_by_role("heading", level=1, name="Multifactor authentication")).to_be_visible()
    expect(
        page.get_by_text("Enter the 6-digit code from your authenticator app, or a backup code.")
    ).to_be_visible()
    check_a11y(page)
    return page.get_by_label("Code")


def log_out_of_cmecf(page: Page, check_a11y) -> None:
    """The CM/ECF menu's Log Out, then the Log Out button; back to the court's login."""
    menubar(page).get_by_role("link", name="Log Out").click()
    expect(page.get_by_role("heading", level=1, name="Log Out")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("heading", level=1, name="You have logged out")).to_be_visible()
    check_a11y(page)
    page.get_by_role(
        "link", name="Return to the U.S. Court of International Trade home page"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="U.S. Court of International Trade CM/ECF")
    ).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="LIVE Database - Document Filing System").click()


def wait_for_step_after(step: int) -> None:
    """TOTP replay protection refuses a code of a step already used: sleep, only if need
    be, until the clock (the live server's too: same process) reaches the next step."""
    wait = (step + 1) * totp.STEP_SECONDS - time.time()
    if wait > 0:
        time.sleep(wait + 0.05)
    assert totp.step_at() > step


@pytest.mark.browser
def test_register_verify_enroll_mfa_link_and_use_a_backup_code(
    page: Page, cit, check_a11y, screenshot
):
    # 1. The court's login page; "Need an account?"; register an individual account.
    page.goto("/cit/cgi-bin/login.pl")
    expect(page).to_have_url(re.compile(r"/csologin/login/\?.*court=cit"))
    check_a11y(page)
    page.get_by_role("link", name="Need an account?").click()
    expect(
        page.get_by_role("heading", level=1, name="Register for a PACER account")
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("First name").fill(FIRST)
    page.get_by_label("Last name").fill(LAST)
    page.get_by_label("Date of birth").fill("1980-04-30")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)  # not "Confirm password"
    page.get_by_label("Confirm password").fill(PASSWORD)
    screenshot(page, "account-1-register")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"Your PACER account {USERNAME} has been registered."
    )
    expect(page.get_by_text(f"We sent a link to {EMAIL}.")).to_be_visible()
    check_a11y(page)
    screenshot(page, "account-2-check-your-email")

    # 2. The demo mailbox; the verification email; its link; Verify.
    page.get_by_role("link", name="Demo mailbox").click()
    expect(page.get_by_role("heading", level=1, name="Demo mailbox")).to_be_visible()
    check_a11y(page)
    screenshot(page, "account-3-mailbox")
    page.get_by_role("link", name="PACER account: verify your email address").click()
    expect(
        page.get_by_role("heading", level=1, name="PACER account: verify your email address")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "account-4-verification-email")
    page.get_by_role("link", name=re.compile(r"\/csologin\/register\/verify\/\?t=")).click()

    expect(page.get_by_role("heading", level=1, name="Verify your email address")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"[?&]t="))  # the token left the address bar
    check_a11y(page)
    page.get_by_role("button", name="Verify my email address").click()
    expect(page.get_by_role("heading", level=1, name="Email address verified")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"Your email address {EMAIL} is verified and your PACER account is active."
    )
    check_a11y(page)
    screenshot(page, "account-5-verified")
    account = Account.objects.get(username=USERNAME)
    assert account.email_verified and account.is_active

    # 3. Log in; Manage My Account; Multifactor authentication; add an app.
    page.get_by_role("link", name="Log in").click()
    log_in_with_password(page, check_a11y)
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Manage My Account").click()
    expect(page.get_by_role("heading", level=1, name="Manage My Account")).to_be_visible()
    check_a11y(page)
    page.get_by_role("navigation", name="Manage My Account").get_by_role(
        "link", name="Multifactor authentication", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name="Multifactor authentication")).to_be_visible()
    expect(page.get_by_text("No authenticator app is set up.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Set up an authenticator app").click()

    # Just logged in, so the password is not asked again (that takes 5 minutes).
    expect(page.get_by_role("heading", level=1, name="Set up an authenticator app")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Begin").click()
    expect(
        page.get_by_role("img", name=re.compile(f"QR code for adding PACER account {USERNAME}"))
    ).to_be_visible()
    check_a11y(page)
    secret = page.get_by_role("code").inner_text().replace(" ", "")
    page.get_by_label("Name for this app").fill("My phone")
    now = time.time()
    enrolled_step = totp.step_at(now)
    page.get_by_label("Code shown by the app").fill(pyotp.TOTP(secret).at(now))
    screenshot(page, "account-6-add-app")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1, name="Authenticator app added")).to_be_visible()
    codes_section = page.get_by_role("region", name="Your backup codes")
    backup_codes = codes_section.get_by_role("listitem").all_inner_texts()
    assert len(backup_codes) == 10 and len(set(backup_codes)) == 10, backup_codes
    assert all(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", c) for c in backup_codes)
    check_a11y(page)
    screenshot(page, "account-7-backup-codes")
    page.get_by_role("link", name="Back to Multifactor authentication").click()
    expect(page.get_by_role("cell", name="My phone", exact=True)).to_be_visible()
    expect(page.get_by_text("You have 10 unused backup codes.")).to_be_visible()
    check_a11y(page)

    # 4. Log out: the Log Out link, then the Log Out button.
    page.get_by_role("navigation", name="Manage My Account").get_by_role(
        "link", name="Log Out"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Log Out")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("heading", level=1, name="You have logged out")).to_be_visible()
    check_a11y(page)

    # 5. Log in again: password, then the app's code (of a step after the one enrollment used).
    page.goto("/cit/cgi-bin/login.pl")
    log_in_with_password(page, check_a11y)
    code = code_page(page, check_a11y)
    screenshot(page, "account-8-login-code")
    wait_for_step_after(enrolled_step)
    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))
    expect(menubar(page).get_by_role("link", name="Civil")).to_have_count(0)
    check_a11y(page)

    # 6. Utilities; link the CM/ECF account doej; both names; Submit; the Civil menu.
    menubar(page).get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("heading", level=1, name="Utilities")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=LINK_ITEM, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=LINK_ITEM)).to_be_visible()
    check_a11y(page)
    page.get_by_label("CM/ECF login").fill(CMECF_LOGIN)
    page.get_by_label("CM/ECF password").fill(CMECF_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Do you want to link these accounts?")).to_be_visible()
    for system in ("CM/ECF", "PACER"):
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=system, exact=True)
        )
        expect(row.get_by_role("cell").first).to_have_text(f"{FIRST} {LAST}")
    expect(page.get_by_text("The names do not match.")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "account-9-link-confirm")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("You have successfully linked your accounts.")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Civil", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "account-10-linked")
    assert FilerAccount.objects.get(court=cit, login=CMECF_LOGIN).account_id == account.pk

    # 7. Log out; log in with the password and a backup code; agree to the redaction rules.
    log_out_of_cmecf(page, check_a11y)
    log_in_with_password(page, check_a11y)
    code = code_page(page, check_a11y)
    code.fill(backup_codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1, name="Complete your login")).to_be_visible()
    check_a11y(page)
    page.get_by_label(REDACTION).check()
    screenshot(page, "account-11-redaction")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))
    expect(menubar(page).get_by_role("link", name="Civil", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "account-12-cmecf")
    used = BackupCode.objects.filter(account=account, used_at__isnull=False)
    assert used.count() == 1
    assert BackupCode.objects.filter(account=account, used_at__isnull=True).count() == 9

    # The same backup code a second time: refused, in words.
    log_out_of_cmecf(page, check_a11y)
    log_in_with_password(page, check_a11y)
    code = code_page(page, check_a11y)
    code.fill(backup_codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("That code is not correct."))
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", level=1, name="Complete your login")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "account-13-backup-code-used")
    assert used.count() == 1

    assert not check_a11y.unchecked(), check_a11y.unchecked()
