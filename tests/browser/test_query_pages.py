"""The CM/ECF pages PACER software reads that a person can also open: the Query page's
sub-reports, the menus, the mobile query, the answers for a case or document that is not
there, and the docket report's View Selected, each in a real browser and checked with
axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from nextecf.cases.views.query_reports import REPORTS
from tests.browser.test_case_pages import case  # noqa: F401  (the fixture)
from tests.browser.test_efiling import log_in


@pytest.mark.browser
def test_sub_reports_menus_and_mobile_pages_in_a_browser(
    page: Page,
    case,  # noqa: F811
    check_a11y,
):
    log_in(page, check_a11y, "publicuser")
    for script in REPORTS:
        page.goto(f"/cit/cgi-bin/{script}?{case.pk}")
        expect(page.get_by_text("Acme Imports, LLC v. United States").first).to_be_visible()
        check_a11y(page)
    for menu in ("Query", "Reports", "Utilities"):
        page.goto(f"/cit/cgi-bin/DisplayMenu.pl?{menu}")
        check_a11y(page)
    for search in ("caseInfo", "attorneys", "parties", "deadlines", "docketEntries"):
        page.goto(f"/cit/cgi-bin/mobile_query.pl?search={search}&caseid={case.pk}")
        check_a11y(page)
    page.goto("/cit/cgi-bin/DktRpt.pl?999999999")
    expect(page.get_by_text("Case not found.")).to_be_visible()
    check_a11y(page)
    page.goto("/cit/doc1/01419999999")
    expect(page.get_by_text(re.compile("not available"))).to_be_visible()
    check_a11y(page)


@pytest.mark.browser
def test_view_selected_combines_documents_after_a_receipt(
    page: Page,
    case,  # noqa: F811
    check_a11y,
):
    log_in(page, check_a11y, "publicuser")
    page.goto(f"/cit/cgi-bin/iquery.pl?{case.pk}")
    page.get_by_role("link", name="Docket Report").click()
    page.get_by_label("View multiple documents").check()
    page.get_by_role("button", name="Run Report").click()
    check_a11y(page)
    boxes = page.locator("form[name=view_multi_docs] input[type=checkbox]")
    expect(boxes.first).to_be_visible()
    boxes.first.check()
    page.get_by_role("button", name="View Selected").click()
    expect(page.get_by_text("Transaction Receipt")).to_be_visible()
    check_a11y(page)


@pytest.mark.browser
def test_full_text_search_from_the_menu(
    page: Page,
    case,  # noqa: F811
    check_a11y,
):
    log_in(page, check_a11y, "publicuser")
    page.goto("/cit/cgi-bin/iquery.pl")
    page.get_by_role("navigation", name="CM/ECF menu").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search dockets and documents")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Search").click()  # no words: the field says so
    expect(page.get_by_text("Enter the words to search for.").first).to_be_visible()
    check_a11y(page)
    page.get_by_label("Words").fill("exhibit complaint")
    page.get_by_label("Event").select_option("complaint")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("mark").first).to_be_visible()
    expect(page.get_by_text("Transaction Receipt")).to_be_visible()
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    check_a11y(page)
