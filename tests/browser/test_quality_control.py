"""Quality control in a real browser: a QC clerk logs in with a TOTP code, opens the QC
queue from the staff workspace, opens the oldest filing and strikes it with a reason; a
public user then sees the entry stricken on the docket report and cannot open its
document. axe-core checks every page."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.mfa import device_secret
from nextecf.accounts.models import TotpDevice
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import Document
from nextecf.courts.factories import CourtFactory, FilerAccountFactory, staff_account
from nextecf.courts.models import StaffRole
from nextecf.filing.factories import filed_entry
from nextecf.filing.models import Filing, QcStatus
from tests.browser.test_efiling import log_in as log_in_public
from tests.browser.test_staff_workspace import log_in


@pytest.fixture
def waiting(transactional_db) -> Filing:
    court = CourtFactory()
    AccountFactory(username="publicuser", first_name="Pat", last_name="Public")
    staff_account(court, StaffRole.QC_CLERK, username="quinnqc", first_name="Quinn", last_name="QC")
    case = CaseFactory(
        court=court,
        title="Meridian Optical Components, Inc. v. United States",
        judge=JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK"),
    )
    filer = FilerAccountFactory(
        court=court,
        login="mwhitfield",
        first_name="Margaret",
        last_name="Whitfield",
        account=AccountFactory(username="mwhitfield"),
    )
    AppearanceFactory(party=PartyFactory(case=case, name="United States"), filer=filer)
    motion = EventTypeFactory(court=court, code="motion", name="Motion", docket_text="Motion")
    return filed_entry(
        case=case,
        filer=filer,
        event=motion,
        text="Motion to Dismiss. Filed by Margaret Whitfield. (Whitfield, Margaret)",
    )


@pytest.mark.browser
def test_a_qc_clerk_strikes_a_filing_and_the_public_sees_it_stricken(
    page: Page, waiting, check_a11y, screenshot
):
    log_in(page, "quinnqc", check_a11y)
    check_a11y(page)
    device = TotpDevice.objects.get(account__username="quinnqc")
    page.get_by_label("Code").fill(pyotp.TOTP(device_secret(device)).now())
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("navigation", name="CM/ECF menu").get_by_role("link", name="Staff").click()
    expect(page.get_by_text("(1 waiting)")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="QC queue").click()
    expect(page.get_by_role("heading", level=1, name="Quality control queue")).to_be_visible()
    expect(page.get_by_text("1 filing waiting")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-2-qc-queue")
    page.get_by_role("link", name=re.compile(r"^Motion")).click()
    expect(page.get_by_role("heading", level=2, name="Strike")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Reason for striking").fill("Filed in the wrong case.")
    screenshot(page, "staff-3-qc-strike")
    page.get_by_role("button", name="Strike").click()
    expect(page.get_by_role("status")).to_contain_text("stricken")
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    assert Filing.objects.get(pk=waiting.pk).qc_status == QcStatus.STRICKEN

    # A public user: the entry is stricken on the docket report, its document closed.
    page.context.clear_cookies()
    log_in_public(page, check_a11y, "publicuser")
    page.goto(f"/cit/cgi-bin/DktRpt.pl?{waiting.case_id}")
    check_a11y(page)
    page.get_by_role("button", name="Run Report").click()
    expect(
        page.get_by_text(re.compile(r"\*\*\*STRICKEN on .*Filed in the wrong case"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("NOTICE OF DOCKET CORRECTION re: 1 Motion"))).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-4-stricken-on-docket")
    document = Document.objects.get(entry_id=waiting.entry_id)
    page.goto(f"/cit/doc1/{document.doc_id}")
    expect(page.get_by_role("heading", name="Document not found")).to_be_visible()
    check_a11y(page)
    assert check_a11y.unchecked() == []


@pytest.mark.browser
def test_a_clerk_dockets_a_minute_entry_from_the_workspace(
    page: Page, waiting, check_a11y, screenshot
):
    court = waiting.court
    staff_account(court, StaffRole.CLERK, username="caseyclerk")
    EventTypeFactory(
        court=court,
        code="minute-entry",
        name="Minute Entry",
        docket_text="Minute Entry",
        category="court",
        requires_document=False,
    )
    log_in(page, "caseyclerk", check_a11y)
    check_a11y(page)
    device = TotpDevice.objects.get(account__username="caseyclerk")
    page.get_by_label("Code").fill(pyotp.TOTP(device_secret(device)).now())
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)
    page.goto("/cit/staff/")
    check_a11y(page)
    page.get_by_role("link", name="Docket an event").click()
    expect(page.get_by_role("heading", level=1, name="Docket an event")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Case number").fill(waiting.case.number)
    page.get_by_label("Event").select_option(label="Minute Entry")
    page.get_by_label("Docket text").fill("Minute Entry: telephone status conference held.")
    screenshot(page, "staff-5-docket-event")
    page.get_by_role("button", name="Docket").click()
    expect(page.get_by_role("status")).to_contain_text(f"in {waiting.case.number}")
    check_a11y(page)
    page.get_by_role("button", name="Docket").click()  # nothing filled in: told what
    expect(page.get_by_role("alert")).to_contain_text("Case number: This field is required.")
    check_a11y(page)
    assert check_a11y.unchecked() == []
