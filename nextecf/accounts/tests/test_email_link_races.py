"""Parallel uses of one verification link end with exactly one success: the link's row is
locked and consumed in the verifying transaction. Decided by PostgreSQL's row locks, so
this runs against a live server on PostgreSQL, one thread and cookie jar per browser."""

from __future__ import annotations

import threading
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from nextecf.accounts.models import Account, EmailLink
from nextecf.accounts.tests.emailed import local
from nextecf.accounts.tests.test_lockout_races import CSRF_FIELD, TIMEOUT, Answer, Browser
from nextecf.accounts.tests.test_register import VERIFY, register, verify_link
from nextecf.audit.models import AuditEvent, Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 8


class LinkBrowser(Browser):
    def open_link(self, link: str) -> None:
        """Follow the emailed link to its confirm page (the token moves to a cookie)."""
        moved = self._send(urllib_request(self.base_url + local(link)))
        assert moved.status == 302, moved
        page = self._send(urllib_request(self.base_url + moved.location))
        assert page.status == 200 and "Verify my email address" in page.body, page
        match = CSRF_FIELD.search(page.body)
        assert match, "no CSRF token on the confirm page"
        self.csrf = match.group(1)

    def confirm(self) -> Answer:
        url = self.base_url + VERIFY + "?court=cit"
        return self._send(
            urllib_request(url, data=f"csrfmiddlewaretoken={self.csrf}".encode(), referer=url)
        )


def urllib_request(
    url: str, *, data: bytes | None = None, referer: str = ""
) -> urllib.request.Request:
    headers = {"User-Agent": "email-link-race-test"}
    if referer:
        headers["Referer"] = referer
    return urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback


def test_parallel_uses_of_one_verification_link_verify_once(live_server, court):
    register()
    link = verify_link()
    browsers = [LinkBrowser(live_server.url) for _ in range(PARALLEL)]
    for browser in browsers:
        browser.open_link(link)
    barrier = threading.Barrier(PARALLEL, timeout=TIMEOUT)

    def use(browser: LinkBrowser) -> Answer:
        barrier.wait()
        return browser.confirm()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        answers = list(pool.map(use, browsers, timeout=TIMEOUT * 3))

    assert all(answer.status == 200 for answer in answers), answers
    pages = Counter(
        "active" if "your PACER account is active" in a.body else "used"
        for a in answers
        if "your PACER account is active" in a.body or "already used" in a.body
    )
    assert pages == {"active": 1, "used": PARALLEL - 1}
    reasons = Counter(
        AuditEvent.objects.filter(event_type=Event.EMAIL_VERIFIED, outcome="success").values_list(
            "reason", flat=True
        )
    )
    assert reasons == {"verified": 1, "already_verified": PARALLEL - 1}
    assert Account.objects.get().is_active
    assert EmailLink.objects.get().state is EmailLink.State.USED
