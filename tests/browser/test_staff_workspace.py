"""The staff workspace in a real browser: a clerk logs in with the password and a TOTP
code, follows Staff in the menu bar to the workspace home; a clerk who added an app during
the session is asked for its code first. Every page is checked with axe-core."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD
from nextecf.accounts.mfa import device_secret
from nextecf.accounts.models import Account, TotpDevice
from nextecf.courts.factories import CourtFactory, staff_account
from nextecf.courts.models import EfileRegistration, StaffRole
from nextecf.lib import totp


@pytest.fixture
def clerk(transactional_db) -> Account:
    court = CourtFactory()
    account = staff_account(
        court, StaffRole.CLERK, username="caseyclerk", first_name="Casey", last_name="Clerk"
    )
    from nextecf.accounts.factories import AccountFactory

    EfileRegistration.objects.create(
        account=AccountFactory(username="newattorney1"), court=court, kind="attorney"
    )
    return account


def log_in(page: Page, username: str, check_a11y) -> None:
    page.goto("/cit/cgi-bin/login.pl")
    expect(page.get_by_label("Username")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


@pytest.mark.browser
def test_a_clerk_logs_in_with_a_code_and_reaches_the_workspace(
    page: Page, clerk, check_a11y, screenshot
):
    log_in(page, "caseyclerk", check_a11y)
    expect(
        page.get_by_text("Enter the 6-digit code from your authenticator app, or a backup code.")
    ).to_be_visible()
    check_a11y(page)
    device = TotpDevice.objects.get(account=clerk)
    page.get_by_label("Code").fill(pyotp.TOTP(device_secret(device)).now())
    page.get_by_role("button", name="Verify").click()

    staff_link = page.get_by_role("navigation", name="CM/ECF menu").get_by_role(
        "link", name="Staff"
    )
    expect(staff_link).to_be_visible()
    check_a11y(page)
    staff_link.click()
    expect(page).to_have_url(re.compile(r"/cit/staff/$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("staff workspace"))).to_be_visible()
    expect(page.get_by_role("link", name="E-file registrations")).to_be_visible()
    expect(page.get_by_text("(1 pending)")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-1-workspace-home")
    page.set_viewport_size({"width": 320, "height": 640})
    check_a11y(page)
    assert check_a11y.unchecked() == []


@pytest.mark.browser
def test_a_clerk_who_added_an_app_in_this_session_gives_its_code_first(
    page: Page, transactional_db, check_a11y, screenshot
):
    court = CourtFactory()
    account = staff_account(court, StaffRole.CLERK, username="lateclerk", with_app=False)
    log_in(page, "lateclerk", check_a11y)
    expect(page.get_by_role("link", name="Staff")).to_be_visible()
    check_a11y(page)
    secret = totp.new_secret()
    TotpDevice.objects.create_with_secret(
        account=account, name="Phone", secret=secret, confirmed=True
    )
    page.goto("/cit/staff/")
    expect(page.get_by_role("heading", level=1, name="Authenticator code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-0-verify-code")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("staff workspace"))).to_be_visible()
    check_a11y(page)
    assert check_a11y.unchecked() == []
