"""API tokens and docket alerts in a real browser: a filer with an authenticator app makes
a filing token under Manage My Account (with a fresh code), copies it once, uses it from
software (httpx against the same live server), sees its last use, revokes it; follows a
case and adds a webhook, and reads its delivery log. Every page is checked with axe-core."""

from __future__ import annotations

import re
import time

import httpx
import pyotp
import pytest
from playwright.sync_api import Page, expect

from conftest import enroll_app
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.cases.factories import CaseFactory
from nextecf.cases.models import Case
from nextecf.courts.factories import CourtFactory, FilerAccountFactory


@pytest.fixture
def filer(transactional_db) -> tuple[Account, str, Case]:
    court = CourtFactory()
    account = AccountFactory(
        username="janefiler1", first_name="Jane", last_name="Roe", email="jane@roelaw.example"
    )
    FilerAccountFactory(court=court, login="roej", account=account)
    secret = enroll_app(account)
    case = CaseFactory(court=court, title="Meridian Optical Components, Inc. v. United States")
    return account, secret, case


def log_in(page: Page, secret: str, check_a11y) -> None:
    page.goto("/cit/cgi-bin/login.pl")
    check_a11y(page)
    page.get_by_label("Username").fill("janefiler1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_label("Code")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1, name="Complete your login")).to_be_visible()
    check_a11y(page)
    page.get_by_label(re.compile("I understand that, if I file")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Civil")).to_be_visible()
    check_a11y(page)


@pytest.mark.browser
def test_a_filer_makes_uses_and_revokes_a_token_and_follows_a_case(
    page: Page, filer, check_a11y, screenshot, live_server
):
    _account, secret, case = filer
    log_in(page, secret, check_a11y)
    page.goto("/account/")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^API tokens: let software")).click()
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    check_a11y(page)
    page.get_by_role("textbox", name="Name", exact=True).fill("Docketing software")
    page.get_by_label("Read public records").check()
    page.get_by_label("File in a named court").check()
    page.get_by_label("Court it files in").select_option("cit")
    # The login used this time step's code: the next step's is the fresh one.
    page.get_by_label("Authentication code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", level=1, name="API token made")).to_be_visible()
    check_a11y(page)
    token = page.get_by_label("Token").input_value()
    assert token.startswith("necf_")

    answer = httpx.get(
        f"{live_server.url}/api/v1/courts/cit/cases/{case.number}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    assert answer.json()["title"] == case.title

    page.get_by_role("link", name="Back to API tokens").click()
    row = page.get_by_role("row", name=re.compile("Docketing software"))
    expect(row).to_contain_text("from 127.0.0.1")
    check_a11y(page)
    screenshot(page, "api-tokens")
    row.get_by_role("button", name="Revoke Docketing software").click()
    expect(page.get_by_role("row", name=re.compile("Docketing software"))).to_contain_text(
        "Revoked"
    )
    check_a11y(page)
    again = httpx.get(
        f"{live_server.url}/api/v1/courts/cit/cases/{case.number}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert again.status_code == 401

    page.get_by_role("link", name="Docket alerts").first.click()
    expect(page.get_by_role("heading", level=1, name="Docket alerts")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Case number").fill(case.number)
    page.get_by_label("Email").select_option("digest")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_text(f"You follow {case.number}")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Webhook URL").fill("http://127.0.0.1:9/hooks")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", level=1, name="Webhook added")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Back to Docket alerts").click()
    page.get_by_role("link", name=re.compile("^Delivery log")).click()
    expect(page.get_by_role("heading", level=1, name="Delivery log")).to_be_visible()
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/account/alerts/")
    check_a11y(page)
    screenshot(page, "docket-alerts-320")
    assert check_a11y.unchecked() == []
