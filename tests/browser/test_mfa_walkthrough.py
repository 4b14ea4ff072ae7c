"""Multifactor authentication in a real browser: a filer without MFA is prompted at login,
chooses "Set up now", scans (reads) the secret, confirms with a code, keeps the backup
codes, and logs in next time with the password and a code. Every page is checked with
axe-core and photographed into docs/screenshots/."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.courts.factories import CourtFactory, FilerAccountFactory


@pytest.fixture
def filer(transactional_db) -> Account:
    court = CourtFactory()
    account = AccountFactory(
        username="janefiler1", first_name="Jane", last_name="Roe", email="jane@roelaw.example"
    )
    FilerAccountFactory(court=court, login="roej", account=account)
    return account


def log_in(page: Page) -> None:
    page.goto("/cit/cgi-bin/login.pl")
    page.get_by_label("Username").fill("janefiler1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


@pytest.mark.browser
def test_a_filer_sets_up_mfa_at_login_and_uses_it(page: Page, filer, check_a11y, screenshot):
    log_in(page)
    expect(
        page.get_by_role("heading", level=2, name="Multifactor authentication required")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "mfa1-login-prompt")
    page.get_by_label(re.compile("I understand that, if I file")).check()
    page.get_by_role("button", name="Set up now").click()

    expect(page.get_by_role("heading", level=1, name="Set up an authenticator app")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Begin").click()
    qr = page.get_by_role("img", name=re.compile("QR code for adding PACER account janefiler1"))
    expect(qr).to_be_visible()
    check_a11y(page)
    screenshot(page, "mfa2-enroll-qr")
    secret = page.locator("code.totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Name for this app").fill("Work phone")
    page.get_by_label("Code shown by the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1, name="Authenticator app added")).to_be_visible()
    codes = page.locator("ol.backup-codes code").all_inner_texts()
    assert len(codes) == 10
    check_a11y(page)
    screenshot(page, "mfa3-backup-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/cit/cgi-bin/login\.pl$"))

    page.goto("/account/")
    expect(page.get_by_text("Enrolled: 1 authenticator app")).to_be_visible()
    check_a11y(page)
    screenshot(page, "mfa4-manage-my-account")
    for path in ["/account/mfa/", "/account/sessions/", "/account/billing/", "/account/password/"]:
        page.goto(path)
        check_a11y(page)

    page.context.clear_cookies()
    log_in(page)
    expect(
        page.get_by_text("Enter the 6-digit code from your authenticator app, or a backup code.")
    ).to_be_visible()
    check_a11y(page)
    screenshot(page, "mfa5-login-code")
    # The app's code of this 30-second step was used a moment ago; a backup code works now.
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1, name="Complete your login")).to_be_visible()
    page.get_by_label(re.compile("I understand that, if I file")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Civil")).to_be_visible()
