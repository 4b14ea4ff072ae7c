"""Emailed links (address verification, email change) work once: a second use, or a link
a newer email superseded, changes nothing, says so plainly, and is audited."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account, EmailLink
from nextecf.accounts.tests.emailed import emails, link_in, open_link
from nextecf.accounts.tests.test_manage_account import confirm_link, request_change
from nextecf.accounts.tests.test_register import RESEND, VERIFY, register, verify, verify_link
from nextecf.accounts.tests.test_upgrade import NEW, UPGRADE
from nextecf.audit.models import AuditEvent, Event

CONFIRM = "/account/email/confirm/"


def test_a_used_verification_link_says_it_was_used_and_the_address_is_verified(court):
    register()
    link = verify_link()
    late = Client()
    assert b"Verify my email address" in open_link(late, link).content
    assert b"your PACER account is active" in verify(link).content
    for again in (open_link(Client(), link), late.post(VERIFY)):
        assert again.status_code == 200
        assert b"This verification link was already used" in again.content
        assert b"is already verified" in again.content and b"you can log in" in again.content
    refusals = AuditEvent.objects.filter(event_type=Event.EMAIL_VERIFIED, reason="already_verified")
    assert [event.detail for event in refusals] == [{"link": "used"}, {"link": "used"}]
    assert EmailLink.objects.get().state is EmailLink.State.USED


def test_a_used_link_is_refused_even_when_the_address_is_unverified_again(court):
    register()
    link = verify_link()
    late = Client()
    open_link(late, link)
    verify(link)
    Account.objects.update(email_verified=False, is_active=False)  # staff reopen the check
    for page in (open_link(Client(), link), late.post(VERIFY)):
        assert page.status_code == 400
        assert b"This verification link was already used" in page.content
    account = Account.objects.get()
    assert not account.email_verified and not account.is_active
    assert (
        AuditEvent.objects.filter(
            event_type=Event.EMAIL_VERIFIED, outcome="failure", reason="link_used"
        ).count()
        == 2
    )


def test_a_fresh_verification_email_supersedes_the_older_link(court):
    register()
    older = verify_link()
    Client().post(RESEND, {"email": "jane.roe@roelaw.example"})
    newer = link_in(emails("verify_email")[-1], VERIFY)
    assert newer != older
    client = Client()
    page = open_link(client, older)
    assert page.status_code == 400 and b"A newer verification link was sent" in page.content
    assert client.post(VERIFY).status_code == 400
    assert not Account.objects.get().email_verified
    assert AuditEvent.objects.filter(
        event_type=Event.EMAIL_VERIFIED, outcome="failure", reason="superseded"
    ).exists()
    assert b"your PACER account is active" in verify(newer).content
    # Once the address is verified, the superseded link just says so.
    assert b"already verified" in open_link(Client(), older).content


def test_a_token_without_a_link_nonce_is_not_valid(court):
    register()
    account = Account.objects.get()
    token = signing.TimestampSigner(salt="nextecf.accounts.tokens.email").sign_object(
        {"a": account.pk, "e": account.email, "n": ""}, compress=True
    )
    client = Client()
    page = client.get(client.get(VERIFY, {"t": token})["Location"])
    assert page.status_code == 400 and b"This verification link is not valid" in page.content
    assert not Account.objects.get().email_verified


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["t"][0]


def test_a_used_email_change_link_says_so_and_changes_nothing(john, signed_in):
    client = signed_in(john)
    request_change(client)
    token = _token(confirm_link("jd@newfirm.example"))
    assert client.post(CONFIRM, {"t": token}).status_code == 302
    Account.objects.filter(pk=john.pk).update(email="back@doelaw.example")  # changed again
    for again in (client.get(CONFIRM, {"t": token}), client.post(CONFIRM, {"t": token})):
        assert again.status_code == 400
        assert b"This email change link was already used" in again.content
        assert b"back@doelaw.example" in again.content
    john.refresh_from_db()
    assert john.email == "back@doelaw.example"
    assert (
        AuditEvent.objects.filter(
            event_type=Event.EMAIL_CHANGE, outcome="failure", reason="used"
        ).count()
        == 2
    )


def test_a_newer_email_change_request_supersedes_the_older_link(john, signed_in):
    client = signed_in(john)
    request_change(client, "first@new.example")
    first = _token(confirm_link("first@new.example"))
    request_change(client, "second@new.example")
    page = client.post(CONFIRM, {"t": first})
    assert page.status_code == 400 and b"A newer email change link was sent" in page.content
    john.refresh_from_db()
    assert john.email == "john.doe@doelaw.example"
    assert AuditEvent.objects.filter(
        event_type=Event.EMAIL_CHANGE, outcome="failure", reason="superseded"
    ).exists()
    assert (
        client.post(CONFIRM, {"t": _token(confirm_link("second@new.example"))}).status_code == 302
    )


def test_a_used_upgrade_email_link_says_it_was_used(court, signed_in):
    legacy = AccountFactory(
        username="lp1234", kind=Account.Kind.LEGACY, email="lparker@parkerlaw.example"
    )
    signed_in(legacy).post(UPGRADE, {**NEW, "email": "lee@newfirm.example"})
    link = link_in(emails("verify_email_change", "lee@newfirm.example")[-1], VERIFY)
    late = Client()
    open_link(late, link)
    assert b"email address is now" in verify(link).content
    Account.objects.filter(pk=legacy.pk).update(email="third@newfirm.example")
    for page in (open_link(Client(), link), late.post(VERIFY)):
        assert page.status_code == 400
        assert b"This verification link was already used" in page.content
    assert Account.objects.get(pk=legacy.pk).email == "third@newfirm.example"


def test_links_long_past_their_age_are_dropped_when_a_new_one_is_issued(john):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stale = EmailLink.objects.issue(account=john, purpose=EmailLink.Purpose.VERIFY)
        EmailLink.objects.consume(nonce=stale.nonce)
    with time_machine.travel(start + timedelta(days=1), tick=False):
        recent = EmailLink.objects.issue(account=john, purpose=EmailLink.Purpose.CHANGE)
    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        newest = EmailLink.objects.issue(account=john, purpose=EmailLink.Purpose.VERIFY)
    assert set(EmailLink.objects.values_list("pk", flat=True)) == {recent.pk, newest.pk}
