"""Issue 14's public pages in a real browser, without logging in: the court home links
Opinions and Help, an opinion downloads free, and a training instance says on every page
that it is one. Every page is checked with axe-core, and reflows at 320 CSS px."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from nextecf.cases.factories import (
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
)
from nextecf.courts.factories import CourtFactory


@pytest.fixture
def court(transactional_db):
    court = CourtFactory(has_training_database=True)
    opinion = EventTypeFactory(court=court, code="opinion", is_opinion=True)
    case = CaseFactory(court=court, title="Meridian Optical Components, Inc. v. United States")
    entry = DocketEntryFactory(
        case=case,
        event=opinion,
        text="OPINION AND ORDER: Slip Op. 26-14",
        date_filed=date(2026, 3, 2),
    )
    DocumentFactory(entry=entry)
    return court


def fits(page: Page) -> None:
    """No sideways scrolling of the page at this width (WCAG 1.4.10)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.mark.browser
def test_opinions_and_help_without_login(page: Page, check_a11y, court, settings, live_server):
    settings.TRAINING_SITE_URL = f"{live_server.url}/training"
    page.goto(f"/{court.pk}/")
    check_a11y(page)
    expect(page.get_by_role("link", name="TRAINING Database", exact=True)).to_have_attribute(
        "href", f"{live_server.url}/training/{court.pk}/"
    )
    page.get_by_role("link", name="Opinions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opinions of the")
    check_a11y(page)
    row = page.get_by_role("row").filter(has_text="Slip Op. 26-14")
    expect(row).to_contain_text("03/02/2026")
    link = row.get_by_role("link", name="Opinion in 1:")
    pdf = page.request.get(link.get_attribute("href") or "")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.goto(f"/{court.pk}/")
    page.get_by_role("link", name="Help", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="CM/ECF Help Desk")).to_be_visible()
    check_a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (f"/{court.pk}/", f"/{court.pk}/opinions/", f"/{court.pk}/help/"):
        page.goto(path)
        check_a11y(page)
        fits(page)
    assert check_a11y.unchecked() == []


@pytest.mark.browser
def test_a_training_instance_says_so_on_every_page(page: Page, check_a11y, court, settings):
    settings.TRAINING_INSTANCE = True
    for path in (
        f"/{court.pk}/",
        "/csologin/login/",
        f"/{court.pk}/opinions/",
        f"/{court.pk}/help/",
    ):
        page.goto(path)
        banner = page.locator("#training-banner")
        expect(banner).to_contain_text("TRAINING DATABASE")
        expect(banner).to_contain_text("for practice only")
        check_a11y(page)
    page.goto(f"/{court.pk}/")
    expect(
        page.get_by_role("link", name="TRAINING Database - Document Filing System")
    ).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/{court.pk}/")
    check_a11y(page)
    fits(page)
    assert check_a11y.unchecked() == []
