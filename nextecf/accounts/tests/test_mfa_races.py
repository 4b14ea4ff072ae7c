"""Parallel one-time-code guesses on PostgreSQL: a burst on one half-finished login checks no
more codes than the limit allows, however the requests interleave."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import enroll_app
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.mfa import FAILURES_PER_SIGNON
from nextecf.accounts.models import SignOn
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import CourtFactory
from tests.live_browser import Browser

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GUESSES = 20
STEP = "/csologin/login/continue/?court=cit"


def test_a_burst_of_wrong_codes_checks_at_most_the_limit(live_server):
    CourtFactory()
    account = AccountFactory()
    enroll_app(account)
    first = Browser(live_server.url, agent="mfa-race-test")
    assert first.get("/csologin/login/?court=cit").status == 200
    answer = first.post(
        "/csologin/login/?court=cit",
        {"username": account.username, "password": PASSWORD, "client_code": ""},
    )
    assert answer.status == 302 and "/login/continue/" in answer.location, answer
    assert first.get(STEP).status == 200

    barrier = threading.Barrier(GUESSES)

    def guess(number: int):
        browser = Browser(live_server.url, agent="mfa-race-test")
        browser.cookies, browser.csrf = dict(first.cookies), first.csrf
        connection = browser.connect()
        barrier.wait()
        return browser.post(STEP, {"code": f"{number:06d}"}, connection=connection)

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        answers = list(pool.map(guess, range(GUESSES)))

    assert all(a.status < 500 for a in answers), [str(a) for a in answers if a.status >= 500]
    checked = AuditEvent.objects.filter(
        event_type=Event.MFA_ERROR, actor=account, reason="invalid_code"
    ).count()
    assert checked <= FAILURES_PER_SIGNON
    signon = SignOn.objects.get(account=account)
    assert signon.ended_at is not None and signon.stage == SignOn.Stage.PENDING
