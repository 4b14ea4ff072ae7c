"""Races on linking, decided by PostgreSQL's row locks and constraints.

Each test drives a live server over real HTTP from several threads, every thread a browser
session of its own, and lines the decisive requests up on a barrier so that they reach the
server together. Each race is run for several rounds with fresh accounts, because one lucky
interleaving proves little.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from conftest import pending_id
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import LEGACY_PASSWORD, FilerAccountFactory
from nextecf.courts.models import FilerAccount
from nextecf.outbox.models import OutboundEmail
from tests.live_browser import Browser as LiveBrowser
from tests.live_browser import Response

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 10
RIVALS = 5
# Generous: a stuck lock should fail the test, not hang the suite.
TIMEOUT = 60

LINK = "/cit/utilities/link/"
CONFIRM = "/cit/utilities/link/confirm/"
DONE = "/cit/utilities/link/done/"
INVALID_CREDENTIALS = "Invalid CM/ECF login or password."


class Browser(LiveBrowser):
    """A PACER account holder's browser session."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, timeout=TIMEOUT, agent="link-race-test")

    def sign_in(self, account: Account) -> Response:  # type: ignore[override]
        response = super().sign_in(account.username)
        assert settings.SIGNON_COOKIE_NAME in self.cookies, response
        return response

    def start_link(self, filer: FilerAccount) -> str:
        """Get as far as the confirmation page; the id of the pending link it shows."""
        assert self.get(LINK).status == 200
        response = self.post(LINK, {"login": filer.login, "password": LEGACY_PASSWORD})
        assert (response.status, response.location) == (302, CONFIRM), response
        page = self.get(CONFIRM)
        assert page.status == 200, page
        return pending_id(page.body.encode())


Job = Callable[[threading.Barrier], Response]


def race(jobs: list[Job]) -> list[Response]:
    """Run each job in a thread of its own; each waits on the barrier before its decisive
    request, so those requests reach the server together. Returns their responses."""
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)

    def run(job: Job) -> Response:
        try:
            return job(barrier)
        except BaseException:
            barrier.abort()  # the others would otherwise wait for a thread that is gone
            raise

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [future.result(timeout=TIMEOUT * 3) for future in futures]


def confirm_job(base_url: str, account: Account, filer: FilerAccount) -> Job:
    """A sign-on of account that gets a link to filer pending, then confirms it."""

    def job(barrier: threading.Barrier) -> Response:
        browser = Browser(base_url)
        browser.sign_in(account)
        pending = browser.start_link(filer)
        connection = browser.connect()  # the handshake is not part of the race
        barrier.wait()
        return browser.post(CONFIRM, {"p": pending, "confirm": "1"}, connection=connection)

    return job


def assert_no_server_errors(responses: list[Response]) -> None:
    errors = [str(r) for r in responses if r.status >= 500]
    assert not errors, errors


def is_win(response: Response) -> bool:
    return (response.status, response.location) == (302, DONE)


def test_rivals_racing_to_link_one_court_account_leave_exactly_one_link(live_server, court):
    for _ in range(ROUNDS):
        filer = FilerAccountFactory(court=court)
        rivals = AccountFactory.create_batch(RIVALS)

        responses = race([confirm_job(live_server.url, rival, filer) for rival in rivals])

        assert_no_server_errors(responses)
        winners = [rival for rival, r in zip(rivals, responses, strict=True) if is_win(r)]
        losers = [r for r in responses if not is_win(r)]
        assert len(winners) == 1, [str(r) for r in responses]
        assert len(losers) == RIVALS - 1
        for response in losers:
            assert response.status == 409, response
            assert "already linked" in response.body, response
        filer.refresh_from_db()
        assert filer.account == winners[0]
        assert FilerAccount.objects.filter(account__in=rivals).count() == 1

        audit = AuditEvent.objects.filter(court=court, actor__in=rivals)
        confirmed = audit.filter(event_type=Event.LINK_LEGACY_CONFIRMED)
        assert list(confirmed.values_list("actor", "username")) == [(winners[0].pk, filer.login)]
        refused = audit.filter(event_type=Event.LINK_LEGACY_ERROR)
        assert sorted(refused.values_list("reason", flat=True)) == ["filer_already_linked"] * (
            RIVALS - 1
        )
        assert not refused.filter(actor=winners[0]).exists()
        accepted = audit.filter(event_type=Event.LINK_LEGACY_CREDENTIALS_OK)
        assert accepted.count() == RIVALS
        # The losers' confirmation emails were rolled back with their transactions.
        emails = OutboundEmail.objects.filter(kind="link_confirmation", account__in=rivals)
        assert set(emails.values_list("account", flat=True)) == {winners[0].pk}


def test_one_account_racing_to_link_two_court_accounts_gets_one_link(live_server, court):
    for _ in range(ROUNDS):
        account = AccountFactory()
        filers = FilerAccountFactory.create_batch(2, court=court)

        # One pending link per sign-on, so the account signs on twice: two browsers.
        responses = race([confirm_job(live_server.url, account, filer) for filer in filers])

        assert_no_server_errors(responses)
        assert sorted(is_win(r) for r in responses) == [False, True], [str(r) for r in responses]
        won = next(f for f, r in zip(filers, responses, strict=True) if is_win(r))
        refusal = next(r for r in responses if not is_win(r))
        # 409 from the link service when both requests got past the access check together;
        # 403 from the access check itself when the winner had already committed.
        assert refusal.status in {403, 409}, refusal
        assert "already linked" in refusal.body, refusal
        assert list(FilerAccount.objects.filter(court=court, account=account)) == [won]

        audit = AuditEvent.objects.filter(court=court, actor=account)
        confirmed = audit.filter(event_type=Event.LINK_LEGACY_CONFIRMED)
        assert list(confirmed.values_list("username", flat=True)) == [won.login]
        refused = audit.filter(event_type=Event.LINK_LEGACY_ERROR)
        assert list(refused.values_list("reason", flat=True)) == ["already_linked_in_court"]
        assert audit.filter(event_type=Event.LINK_LEGACY_CREDENTIALS_OK).count() == 2


def test_parallel_wrong_passwords_stop_at_the_lockout_threshold(live_server, court):
    threshold = settings.FILER_LOCKOUT_THRESHOLD
    extra = 15
    filer = FilerAccountFactory(court=court)
    guessers = AccountFactory.create_batch(threshold + extra)

    def guess_job(account: Account) -> Job:
        def job(barrier: threading.Barrier) -> Response:
            browser = Browser(live_server.url)
            browser.sign_in(account)
            assert browser.get(LINK).status == 200
            connection = browser.connect()
            barrier.wait()
            return browser.post(
                LINK, {"login": filer.login, "password": "a guess"}, connection=connection
            )

        return job

    responses = race([guess_job(account) for account in guessers])

    assert_no_server_errors(responses)
    for response in responses:
        assert response.status == 200, response
        assert INVALID_CREDENTIALS in response.body, response
    filer.refresh_from_db()
    assert filer.is_locked()
    assert filer.failed_attempts == 0  # the lock reset the count
    reasons = AuditEvent.objects.filter(
        event_type=Event.LINK_LEGACY_CREDENTIALS_ERROR, username=filer.login
    ).values_list("reason", flat=True)
    assert Counter(reasons) == {"wrong_password": threshold, "locked": extra}
    locked = AuditEvent.objects.filter(
        event_type=Event.FILER_LOCKED, detail__filer_login=filer.login
    )
    assert locked.count() == 1

    # The lock holds against the right password too.
    browser = Browser(live_server.url)
    browser.sign_in(AccountFactory())
    browser.get(LINK)
    response = browser.post(LINK, {"login": filer.login, "password": LEGACY_PASSWORD})
    assert response.status == 200, response
    assert INVALID_CREDENTIALS in response.body


def test_confirming_while_the_same_sign_on_logs_out_never_deadlocks(live_server, court):
    # Logout locks the sign-on and then deletes its pending links; confirming must take
    # its locks in the same order, or PostgreSQL aborts one of the two as a deadlock.
    for _ in range(ROUNDS):
        account = AccountFactory()
        filer = FilerAccountFactory(court=court)
        linking = Browser(live_server.url)
        linking.sign_in(account)
        pending = linking.start_link(filer)
        other_tab = Browser(live_server.url)
        other_tab.cookies = dict(linking.cookies)
        assert other_tab.get("/csologin/logout/?court=cit").status == 200

        def confirm(barrier: threading.Barrier, browser: Browser = linking, p: str = pending):
            connection = browser.connect()
            barrier.wait()
            return browser.post(CONFIRM, {"p": p, "confirm": "1"}, connection=connection)

        def logout(barrier: threading.Barrier, browser: Browser = other_tab):
            connection = browser.connect()
            barrier.wait()
            return browser.post("/csologin/logout/?court=cit", {}, connection=connection)

        confirmed, logged_out = race([confirm, logout])

        assert_no_server_errors([confirmed, logged_out])
        assert logged_out.status == 200, logged_out
        filer.refresh_from_db()
        assert filer.is_linked == is_win(confirmed), confirmed
        if not is_win(confirmed):
            # Refused as expired, or sent to log in when the logout was through first.
            assert confirmed.status == 400 or (
                confirmed.status == 302 and confirmed.location.startswith("/csologin/login/")
            ), confirmed
        confirmations = AuditEvent.objects.filter(
            event_type=Event.LINK_LEGACY_CONFIRMED, username=filer.login
        )
        assert confirmations.count() == int(is_win(confirmed))
