"""One sign-on across courts, in a real browser on the courts' own host names.

Chromium resolves every *.nextecf.test name to the live server (--host-resolver-rules), so
the site's home, ecf.cit.nextecf.test and ecf.cand.nextecf.test are separate hosts as
they are in production: one login is valid at both courts (the sign-on cookie's domain is
.nextecf.test), linking at one court does not link the other, and one logout ends the
sign-on at both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.services import court_create
from nextecf.courts.factories import LEGACY_PASSWORD, CourtFactory, FilerAccountFactory
from nextecf.courts.middleware import court_cache_clear
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.actor import Actor
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

DOMAIN = "nextecf.test"
LINK_ITEM = "Link my CM/ECF account to my PACER account"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium that sends every name under the domain to the live server's address."""
    assert CHROMIUM.is_file(), f"chromium is missing: {CHROMIUM}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                f"--host-resolver-rules=MAP *.{DOMAIN} 127.0.0.1, MAP {DOMAIN} 127.0.0.1",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def hosts(settings, live_server):
    settings.ECF_DOMAIN = DOMAIN
    settings.SIGNON_COOKIE_DOMAIN = f".{DOMAIN}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, f".{DOMAIN}", DOMAIN]
    court_cache_clear()
    port = urlsplit(live_server.url).port
    yield lambda name: f"http://{name}:{port}"
    court_cache_clear()


@pytest.fixture
def two_courts(transactional_db):
    """The CIT with John Doe's doej, and a district court made from it with his jdoe."""
    cit = CourtFactory()
    catalogue_install(court=cit)
    cand = court_create(
        actor=Actor.system(),
        court_id="cand",
        name="U.S. District Court for the Northern District of California",
        kind=Court.Kind.DISTRICT,
        time_zone="America/Los_Angeles",
        case_office=3,
        case_type="cv",
        helpdesk_phone="866-638-7829",
        helpdesk_email="ecfhelpdesk@cand.uscourts.gov",
        template=cit,
        pcl_court_id="candc",
    )
    john = AccountFactory(
        username="johndoe1",
        first_name="John",
        last_name="Doe",
        email="john.doe@doelaw.example",
        kind=Account.Kind.UPGRADED,
        sharing=Account.Sharing.INDIVIDUAL,
    )
    doej = FilerAccountFactory(court=cit, login="doej", first_name="John", last_name="Doe")
    jdoe = FilerAccountFactory(court=cand, login="jdoe", first_name="John", last_name="Doe")
    return john, doej, jdoe


def menubar(page: Page):
    return page.get_by_role("navigation", name="CM/ECF menu")


@pytest.mark.browser
def test_one_login_two_courts_link_at_one_logout_at_both(page: Page, hosts, two_courts, check_a11y):
    john, doej, jdoe = two_courts
    cit, cand = hosts(f"ecf.cit.{DOMAIN}"), hosts(f"ecf.cand.{DOMAIN}")

    # The site's home lists both courts, each at its own host.
    page.goto(hosts(DOMAIN) + "/")
    expect(page.get_by_role("heading", level=1, name="NextECF courts")).to_be_visible()
    check_a11y(page)
    district = page.get_by_role(
        "link", name="U.S. District Court for the Northern District of California"
    )
    expect(district).to_have_attribute("href", f"{cand}/")
    page.get_by_role("link", name="U.S. Court of International Trade").click()

    # Log in once, at the CIT.
    expect(page).to_have_url(f"{cit}/")
    check_a11y(page)
    page.get_by_role("link", name="LIVE Database - Document Filing System").click()
    # As on PACER, the court host sends a browser without a sign-on to the login host.
    # (Its inline redirect script is refused by our Content-Security-Policy, so the page's
    # link is what a browser follows.)
    login_host = hosts(f"pacer.login.{DOMAIN}")
    check_a11y(page)
    page.get_by_role("link", name="Log in to PACER").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(login_host)}/csologin/login/"))
    check_a11y(page)
    page.get_by_label("Username").fill("johndoe1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)
    page.goto(f"{cit}/cgi-bin/login.pl")
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    check_a11y(page)

    # The district court's host: already signed on, no second login.
    page.goto(f"{cand}/cgi-bin/login.pl")
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_text("Northern District of California").first).to_be_visible()
    check_a11y(page)

    # Link at the CIT.
    page.goto(f"{cit}/cgi-bin/login.pl")
    menubar(page).get_by_role("link", name="Utilities").click()
    check_a11y(page)
    page.get_by_role("link", name=LINK_ITEM, exact=True).click()
    check_a11y(page)
    page.get_by_label("CM/ECF login").fill("doej")
    page.get_by_label("CM/ECF password").fill(LEGACY_PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Do you want to link these accounts?")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("You have successfully linked your accounts.")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Civil", exact=True)).to_be_visible()
    check_a11y(page)

    # The district court is still unlinked: no Civil menu, the link item still offered.
    page.goto(f"{cand}/cgi-bin/login.pl")
    expect(page.get_by_text("You are logged in with PACER account")).to_be_visible()
    expect(menubar(page).get_by_role("link", name="Civil", exact=True)).to_have_count(0)
    check_a11y(page)
    menubar(page).get_by_role("link", name="Utilities").click()
    expect(page.get_by_role("link", name=LINK_ITEM, exact=True)).to_be_visible()
    check_a11y(page)
    assert FilerAccount.objects.get(pk=doej.pk).account_id == john.pk
    assert FilerAccount.objects.get(pk=jdoe.pk).account_id is None

    # Log out once, at the district court ...
    menubar(page).get_by_role("link", name="Log Out").click()
    check_a11y(page)
    page.get_by_role("button", name=re.compile("Log ?out", re.I)).click()
    check_a11y(page)

    # ... and be logged out at both.
    for host in (cand, cit):
        page.goto(f"{host}/cgi-bin/login.pl")
        expect(page.get_by_text("You are not logged in.")).to_be_visible()
        expect(page.get_by_role("link", name="Log in to PACER")).to_be_visible()
        expect(page.get_by_text("You are logged in with PACER account")).to_have_count(0)
        check_a11y(page)
    assert not check_a11y.unchecked(), check_a11y.unchecked()
