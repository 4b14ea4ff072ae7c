"""Parallel wrong passwords for one account cannot run past the lockout threshold
(identity-anchors B1.5). Decided by PostgreSQL's row lock on the account, so this runs
against a live server on PostgreSQL, one thread and one cookie jar per browser."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from django.conf import settings

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, SignOn
from nextecf.audit.models import AuditEvent, Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOGIN = "/csologin/login/?court=cit"
INVALID = "Invalid username or password."
PARALLEL = 20
TIMEOUT = 60
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 comes back as an HTTPError, which is what we want to see


class Browser:
    """One browser: its own cookie jar and the CSRF token of the last form it was shown."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects()
        )
        self.csrf = ""

    def open_login_page(self) -> None:
        # The live server on loopback, over http: the only address ever opened here.
        answer = self._send(urllib.request.Request(self.base_url + LOGIN))  # noqa: S310
        assert answer.status == 200, answer
        match = CSRF_FIELD.search(answer.body)
        assert match, "no CSRF token on the login page"
        self.csrf = match.group(1)

    def log_in(self, account: Account, password: str) -> Answer:
        data = urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "username": account.username,
                "password": password,
                "client_code": "",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the loopback live server
            self.base_url + LOGIN,
            data=data,
            headers={"Referer": self.base_url + LOGIN, "User-Agent": "lockout-race-test"},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return Answer(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers.get("Location", ""), error.read().decode())


def test_parallel_wrong_passwords_are_checked_at_most_threshold_times(live_server, court):
    threshold = settings.LOGIN_LOCKOUT_THRESHOLD
    assert threshold < PARALLEL < settings.LOGIN_IP_FAILURES_PER_WINDOW  # no IP throttling here
    account = AccountFactory()
    browsers = [Browser(live_server.url) for _ in range(PARALLEL)]
    for browser in browsers:
        browser.open_login_page()
    barrier = threading.Barrier(PARALLEL, timeout=TIMEOUT)

    def guess(browser: Browser) -> Answer:
        barrier.wait()  # all twenty reach the server together
        return browser.log_in(account, "a wrong guess, number whatever")

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        answers = list(pool.map(guess, browsers, timeout=TIMEOUT * 3))

    assert not [a for a in answers if a.status >= 500], answers
    for answer in answers:
        assert answer.status == 200, answer
        assert INVALID in answer.body, answer
    reasons = Counter(
        AuditEvent.objects.filter(event_type=Event.LOGIN_ERROR, subject=account).values_list(
            "reason", flat=True
        )
    )
    assert reasons == {"invalid_credentials": threshold, "locked": PARALLEL - threshold}
    assert AuditEvent.objects.filter(event_type=Event.ACCOUNT_LOCKED, subject=account).count() == 1
    account.refresh_from_db()
    assert account.failed_logins == threshold
    assert account.lockouts == 1 and account.is_locked()

    # While the lock lasts, the right password is refused with the same page.
    late = Browser(live_server.url)
    late.open_login_page()
    answer = late.log_in(account, PASSWORD)
    assert answer.status == 200 and INVALID in answer.body, answer
    assert not SignOn.objects.filter(account=account).exists()
    assert AuditEvent.objects.filter(
        event_type=Event.LOGIN_ERROR, subject=account, reason="locked"
    ).count() == (PARALLEL - threshold + 1)
