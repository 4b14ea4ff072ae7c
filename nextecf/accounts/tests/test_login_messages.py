"""Messages that explain, without enumeration: the login page answers wrong, unknown,
locked and unverified alike (status, headers, body, password work), while the account's
own email address is told what the page may not say: that it is locked, since when, until
when and how to unlock it; or, for an unverified address and the right password, a fresh
verification link (within the verification emails' budget). Nothing is ever sent to the
person at the login page, who may be anyone."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.services.selfservice import RECOVERY_PER_ADDRESS_PER_HOUR
from nextecf.accounts.tests.emailed import emails, link_in, only_email
from nextecf.accounts.tests.test_lockout import (
    INVALID,
    WRONG,
    _normalised,
    fail,
    hashes,
    post_login,
    threshold,
)
from nextecf.outbox.models import OutboundEmail

__all__ = ["hashes"]


def test_the_lock_email_says_when_it_was_locked_when_it_ends_and_how_to_unlock(court, settings):
    settings.LOGIN_LOCKOUT_BASE_SECONDS = 30 * 60
    account = AccountFactory(username="lockedacct1", email="pat@example.com")
    with time_machine.travel(
        timezone.make_aware(timezone.datetime(2026, 12, 2, 14, 3)), tick=False
    ):
        fail(account, threshold() - 1)
        assert not emails("account_locked")  # not locked yet: nothing to say
        fail(account, 1)
    email = only_email("account_locked", to="pat@example.com")
    assert email.subject == "PACER: your account is locked until 2:33 PM EST"
    body = " ".join(email.body.split())
    assert (
        "On 12/02/2026 at 2:03 PM EST, the PACER account lockedacct1 was locked after "
        f"{threshold()} wrong passwords in a row." in body
    )
    assert "The lock ends by itself on 12/02/2026 at 2:33 PM EST" in body
    assert "A completed reset lifts the lock at once." in body
    link_in(email, "/csologin/forgot-password/")
    # Further attempts while it is locked send nothing more.
    fail(account, 3)
    assert len(emails("account_locked")) == 1


def test_a_right_password_for_an_unverified_account_sends_a_fresh_link_to_its_address(court):
    account = AccountFactory(
        username="unverified1", email="new@example.com", is_active=False, email_verified=False
    )
    wrong = post_login(Client(), account.username, WRONG)
    assert INVALID in wrong.content
    assert not OutboundEmail.objects.exists()  # a wrong password proves nothing
    right = post_login(Client(), account.username, PASSWORD)
    assert INVALID in right.content  # the page says no more than to anyone
    email = only_email("verify_email", to="new@example.com")
    link_in(email, "/csologin/register/verify/")
    # Rate-limited with the other verification emails of the address.
    for _ in range(RECOVERY_PER_ADDRESS_PER_HOUR + 3):
        post_login(Client(), account.username, PASSWORD)
    assert len(emails("verify_email")) == RECOVERY_PER_ADDRESS_PER_HOUR


def test_wrong_unknown_locked_and_unverified_are_answered_alike(court, hashes):
    # Usernames of one length, so that even Content-Length cannot differ.
    locked = AccountFactory(username="lockedacct1", email="locked@example.com")
    wrong = AccountFactory(username="wrongpass01", email="wrong@example.com")
    unverified = AccountFactory(
        username="unverifie01", email="unv@example.com", is_active=False, email_verified=False
    )
    fail(locked, threshold())
    before_emails = set(OutboundEmail.objects.values_list("pk", flat=True))
    hashes.clear()

    answers, computations = [], []
    for username, password in [
        (locked.username, PASSWORD),
        (wrong.username, WRONG),
        ("nosuchuser1", WRONG),
        (unverified.username, PASSWORD),
        (unverified.username, WRONG),
    ]:
        before = hashes.total()
        response = post_login(Client(), username, password)
        computations.append(hashes.total() - before)
        answers.append(_normalised(response, username))

    assert all(answer == answers[0] for answer in answers)
    assert computations == [1, 1, 1, 1, 1]  # one hash each: no timing difference
    # The only email these attempts caused went to the unverified account's own address.
    sent = OutboundEmail.objects.exclude(pk__in=before_emails)
    assert list(sent.values_list("kind", "to")) == [("verify_email", "unv@example.com")]


def test_the_lock_email_goes_to_the_account_never_to_the_requester(court):
    account = AccountFactory(username="someone001", email="owner@example.com")
    fail(account, threshold())
    assert {e.to for e in OutboundEmail.objects.all()} == {"owner@example.com"}


def test_unknown_usernames_send_nothing(court):
    for _ in range(threshold() + 1):
        post_login(Client(), "nosuchuser1", WRONG)
    post_login(Client(), "nosuchuser1", PASSWORD)
    assert not OutboundEmail.objects.exists()


def test_the_confirm_password_field_asks_in_plain_english(court):
    from nextecf.accounts.forms.signon import SetPasswordForm

    form = SetPasswordForm(data={"password": "x"}, account=AccountFactory())
    assert not form.is_valid()
    assert form.errors["password_confirm"] == ["Enter the new password again to confirm it."]


def test_lock_end_time_follows_the_ladder(court, settings):
    settings.LOGIN_LOCKOUT_BASE_SECONDS = 60
    account = AccountFactory(username="ladderacct1")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(account, threshold())
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        fail(account, threshold())
    first, second = emails("account_locked")
    account.refresh_from_db()
    until = timezone.localtime(account.locked_until)
    assert until.strftime("%-I:%M %p") in second.subject
    assert first.subject != second.subject
