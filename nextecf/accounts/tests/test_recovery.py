"""Forgot password?, the reset link, and Forgot username?"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, AttemptBucket, SignOn, TotpDevice
from nextecf.accounts.services import RECOVERY_PER_ADDRESS_PER_HOUR, RECOVERY_PER_IP_PER_HOUR
from nextecf.accounts.tests.emailed import emails, link_in, local, only_email, open_link
from nextecf.audit.models import AuditEvent, Event
from nextecf.outbox.models import OutboundEmail

FORGOT = "/csologin/forgot-password/?court=cit"
FORGOT_USERNAME = "/csologin/forgot-username/?court=cit"
RESET = "/csologin/reset/"
NEW_PASSWORD = "lantern orchard velvet 42"
SENT = b"If an account matches, we have emailed a link to choose a new password."


def request_reset(identifier: str, client: Client | None = None, **extra):
    return (client or Client()).post(FORGOT, {"identifier": identifier}, **extra)


def reset_link(account: Account) -> str:
    return link_in(emails("password_reset", account.email)[-1], RESET)


def reset_password(link: str, password: str = NEW_PASSWORD, client: Client | None = None):
    client = client or Client()
    form = open_link(client, link)
    assert form.status_code == 200, form.content
    return client.post(f"{RESET}?court=cit", {"password": password, "password_confirm": password})


def test_the_answer_is_the_same_whether_or_not_an_account_matches(john, court):
    disabled = AccountFactory(username="disabled01", is_active=False)
    unverified = AccountFactory(username="unverified1", is_active=False, email_verified=False)
    answers = {}
    for identifier in (
        "johndoe1",
        "JohnDoe1 ",
        "john.doe@doelaw.example",
        "nosuchuser",
        "nobody@nowhere.example",
        disabled.username,
        unverified.email,
    ):
        response = request_reset(identifier)
        assert response.status_code == 200
        answers[identifier] = response.content
    assert len(set(answers.values())) == 1
    assert SENT in answers["nosuchuser"]
    # Only the live account was written to: three requests, three links.
    assert {e.to for e in OutboundEmail.objects.all()} == {john.email}
    assert len(emails("password_reset")) == 3
    reasons = AuditEvent.objects.filter(event_type=Event.PASSWORD_RESET_REQUEST)
    assert sorted(reasons.values_list("reason", flat=True)) == [
        "disabled",
        "not_verified",
        "sent",
        "sent",
        "sent",
        "unknown_account",
        "unknown_account",
    ]


def test_a_reset_link_works_once(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    done = reset_password(link)
    assert done.status_code == 302
    assert done["Location"] == "/csologin/login/?court=cit"
    john.refresh_from_db()
    assert john.check_password(NEW_PASSWORD) and not john.check_password(PASSWORD)
    again = open_link(Client(), link)
    assert again.status_code == 400
    assert b"This password reset link is not valid" in again.content
    assert b"Choose a new password" not in again.content
    # A replayed POST with the old cookie cannot set another password either.
    replay = Client()
    open_link(replay, link)
    refused = replay.post(RESET, {"password": "another fine passphrase", "password_confirm": "x"})
    assert refused.status_code == 400
    john.refresh_from_db()
    assert john.check_password(NEW_PASSWORD)


def test_the_new_password_works_at_login_and_the_old_one_does_not(john, court):
    request_reset("john.doe@doelaw.example")
    client = Client()
    reset_password(reset_link(john), client=client)
    page = client.get("/csologin/login/?court=cit")
    assert b"Your password has been changed. Log in with your new password." in page.content
    assert login(Client(), "johndoe1", PASSWORD).status_code == 200
    assert login(Client(), "johndoe1", NEW_PASSWORD).status_code == 302


def test_the_token_leaves_the_address_and_the_page_passes_no_address_on(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    token = re.search(r"[?&]t=([^&\s]+)", link).group(1)
    client = Client()
    first = client.get(local(link))
    assert first.status_code == 302
    assert first["Location"] == f"{RESET}?court=cit"
    assert first["Referrer-Policy"] == "strict-origin"
    cookie = first.cookies["nextecf_reset"]
    assert cookie["httponly"] and cookie["path"] == RESET and cookie["samesite"] == "Lax"
    page = client.get(first["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "strict-origin"
    assert token.encode() not in page.content
    assert b'type="password"' in page.content and b"johndoe1" in page.content


def test_the_emailed_link_is_built_from_site_url_not_the_host_header(john, court, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    settings.SITE_URL = "https://ecf.courts.example"
    response = request_reset("johndoe1", HTTP_HOST="evil.example")
    assert response.status_code == 200
    body = only_email("password_reset").body
    assert "evil.example" not in body
    assert reset_link(john).startswith("https://ecf.courts.example/csologin/reset/?t=")


def test_a_reset_link_dies_when_the_password_changes(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    john.set_password("some other long passphrase")
    john.save()
    assert open_link(Client(), link).status_code == 400


def test_a_reset_link_dies_when_the_account_logs_in(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    assert login(Client(), "johndoe1").status_code == 302
    assert open_link(Client(), link).status_code == 400


def test_a_newer_reset_link_still_works_after_an_older_one_was_used(john, court):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        request_reset("johndoe1")
    first = reset_link(john)
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        request_reset("johndoe1")
    second = reset_link(john)
    assert first != second
    assert reset_password(second).status_code == 302
    # Both were bound to the old password hash: the unused one died with it.
    assert open_link(Client(), first).status_code == 400


def test_a_reset_link_is_valid_for_59_minutes_and_refused_at_61(john, court):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        request_reset("johndoe1")
    link = reset_link(john)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert open_link(Client(), link).status_code == 200
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert open_link(Client(), link).status_code == 400


def test_a_reset_ends_every_sign_on_and_signs_nobody_on(john, court, signed_in):
    browsers = [signed_in(john), signed_in(john)]
    assert SignOn.objects.live().filter(account=john).count() == 2
    request_reset("johndoe1")
    client = Client()
    done = reset_password(reset_link(john), client=client)
    assert done["Location"].startswith("/csologin/login/")
    assert SignOn.objects.live().count() == 0
    assert SignOn.objects.count() == 2  # no new sign-on was made by the reset
    assert settings.SIGNON_COOKIE_NAME not in done.cookies
    for browser in browsers:
        assert browser.get("/cit/utilities/").status_code == 302
    assert set(SignOn.objects.values_list("end_reason", flat=True)) == {"password_reset"}
    notice = only_email("password_reset_done", john.email)
    assert "johndoe1" in notice.body and "Every sign-on of the account has ended" in notice.body


def test_a_reset_with_mfa_on_allows_8_characters_but_never_signs_on(john, court):
    TotpDevice.objects.create(account=john, name="phone", secret_encrypted="x", confirmed=True)
    request_reset("johndoe1")
    client = Client()
    done = reset_password(reset_link(john), password="amber tulip", client=client)
    assert done.status_code == 302
    assert done["Location"] == "/csologin/login/?court=cit"
    assert not SignOn.objects.exists()
    assert settings.SIGNON_COOKIE_NAME not in done.cookies
    assert client.get("/cit/utilities/").status_code == 302  # still signed off
    john.refresh_from_db()
    assert john.check_password("amber tulip")


def test_without_mfa_a_short_password_is_refused(john, court):
    request_reset("johndoe1")
    refused = reset_password(reset_link(john), password="amber tulip")
    assert refused.status_code == 200
    assert b"Password must be at least 15 characters" in refused.content
    john.refresh_from_db()
    assert john.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short one", "short one", b"at least 15 characters"),
        ("password password", "password password", b"too common"),
        (
            "johndoe1 is my login name",
            "johndoe1 is my login name",
            b"must not contain your username",
        ),
        (NEW_PASSWORD, NEW_PASSWORD + "x", b"Confirm new password does not match"),
        ("", "", b"Enter your new password."),
        ("x" * 5000, "x" * 5000, b"at most 4096 characters"),
        ("nul\x00in the middle of it", "nul\x00in the middle of it", b"Null characters"),
    ],
)
def test_the_password_policy_applies_to_a_reset(john, court, password, confirm, message):
    request_reset("johndoe1")
    client = Client()
    open_link(client, reset_link(john))
    response = client.post(RESET, {"password": password, "password_confirm": confirm})
    assert response.status_code == 200
    assert message in response.content
    assert password.encode() not in response.content or not password
    john.refresh_from_db()
    assert john.check_password(PASSWORD)
    # The link still works after a refused attempt.
    assert client.get(RESET).status_code == 200


def test_a_locked_out_account_can_reset_its_password_and_log_in_at_once(john, court):
    locked_until = timezone.now() + timedelta(minutes=30)
    Account.objects.filter(pk=john.pk).update(
        failed_logins=10, lockouts=2, locked_until=locked_until
    )
    request_reset("johndoe1")
    assert reset_password(reset_link(john)).status_code == 302
    john.refresh_from_db()
    assert john.check_password(NEW_PASSWORD)
    assert (john.failed_logins, john.lockouts, john.locked_until) == (0, 0, None)
    assert AuditEvent.objects.filter(
        event_type=Event.ACCOUNT_UNLOCKED, reason="password_reset"
    ).exists()
    response = Client().post(
        "/csologin/login/?court=cit", {"username": "johndoe1", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_a_disabled_account_gets_no_link_and_an_old_link_stops_working(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    Account.objects.filter(pk=john.pk).update(is_active=False)
    assert open_link(Client(), link).status_code == 400
    request_reset("johndoe1")
    assert len(emails("password_reset")) == 1


def test_the_address_limit_sends_nothing_more_but_answers_the_same(john, court):
    answers = set()
    for n in range(RECOVERY_PER_ADDRESS_PER_HOUR + 2):
        # A different address each time: only the per-address budget can stop it.
        response = request_reset("johndoe1", REMOTE_ADDR=f"10.0.0.{n + 1}")
        answers.add(response.content)
    assert len(answers) == 1
    assert len(emails("password_reset")) == RECOVERY_PER_ADDRESS_PER_HOUR
    # The email address and the username draw on the same budget.
    request_reset("john.doe@doelaw.example", REMOTE_ADDR="10.9.9.9")
    assert len(emails("password_reset")) == RECOVERY_PER_ADDRESS_PER_HOUR
    throttled = AuditEvent.objects.filter(event_type=Event.THROTTLED, reason="reset_rate_limit")
    assert throttled.count() == 3
    assert all(row.detail["per_address"] for row in throttled)


def test_the_ip_limit_sends_nothing_more_but_answers_the_same(john, court):
    for n in range(RECOVERY_PER_IP_PER_HOUR):
        request_reset(f"nosuchuser{n}", REMOTE_ADDR="10.1.1.1")
    blocked = request_reset("johndoe1", REMOTE_ADDR="10.1.1.1")
    assert SENT in blocked.content
    assert not emails("password_reset")
    row = AuditEvent.objects.get(event_type=Event.THROTTLED)
    assert row.detail == {"per_ip": True, "per_address": False}
    assert str(row.ip) == "10.1.1.1"
    request_reset("johndoe1", REMOTE_ADDR="10.2.2.2")
    assert len(emails("password_reset")) == 1


def test_the_limits_renew_after_an_hour(john, court):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(RECOVERY_PER_ADDRESS_PER_HOUR + 1):
            request_reset("johndoe1")
    assert len(emails("password_reset")) == RECOVERY_PER_ADDRESS_PER_HOUR
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        request_reset("johndoe1")
    assert len(emails("password_reset")) == RECOVERY_PER_ADDRESS_PER_HOUR + 1


def test_a_reset_request_never_locks_the_account(john, court):
    for n in range(RECOVERY_PER_ADDRESS_PER_HOUR + 3):
        request_reset("johndoe1", REMOTE_ADDR=f"10.0.1.{n + 1}")
    john.refresh_from_db()
    assert (john.failed_logins, john.locked_until) == (0, None)
    assert login(Client(), "johndoe1").status_code == 302


def test_a_garbled_or_forged_token_is_refused_plainly(john, court):
    for token in ("", "x", "a.b", "MQ.zzz-zzz", "MQ" * 400, "..", "%00", "bnVsbA.1-2"):
        client = Client()
        first = client.get(RESET, {"t": token})
        assert first.status_code == 302
        page = client.get(first["Location"])
        assert page.status_code == 400
        assert b"not valid" in page.content
    forged = Client()
    forged.cookies["nextecf_reset"] = "MQ.abc-def"  # unsigned: ignored
    assert forged.get(RESET).status_code == 400
    assert forged.post(RESET, {"password": NEW_PASSWORD}).status_code == 400
    john.refresh_from_db()
    assert john.check_password(PASSWORD)


def test_every_step_is_audited_without_passwords_or_tokens(john, court):
    request_reset("johndoe1")
    link = reset_link(john)
    reset_password(link)
    open_link(Client(), link)
    events = list(AuditEvent.objects.order_by("pk").values_list("event_type", "outcome", "reason"))
    assert events == [
        (Event.PASSWORD_RESET_REQUEST, "success", "sent"),
        (Event.PASSWORD_RESET, "success", ""),
        (Event.PASSWORD_RESET, "failure", "invalid_token"),
    ]
    token = re.search(r"[?&]t=([^&\s]+)", link).group(1)
    for row in AuditEvent.objects.all():
        text = repr(
            (row.username, row.reason, row.path, row.user_agent, row.detail, row.signon_ref)
        )
        for secret in (NEW_PASSWORD, PASSWORD, token, token.split(".")[1]):
            assert secret not in text


def test_an_unknown_identifier_is_stored_masked_in_the_audit_log(court):
    request_reset("my secret password")
    row = AuditEvent.objects.get(event_type=Event.PASSWORD_RESET_REQUEST)
    assert "secret" not in row.username and row.username.startswith("my…#")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"identifier": ""},
        {"identifier": "   "},
        {"identifier": "john\x00doe"},
        {"identifier": "x" * 100_000},
        {"identifier": "\r\nBcc: victim@example.com"},
        {"identifier": "@"},
        {"identifier": "a@b@c"},
        {"identifier": ["johndoe1", "other"]},
    ],
)
def test_bad_forgot_password_input_never_fails_and_sends_nothing_odd(john, court, data):
    response = Client().post(FORGOT, data)
    assert response.status_code in (200, 400)
    assert AuditEvent.objects.filter(event_type=Event.PASSWORD_RESET_REQUEST).count() == 1
    assert not [e for e in OutboundEmail.objects.all() if e.to != john.email]


def test_court_branding_carries_through_to_the_login(john, court):
    page = Client().get(FORGOT)
    assert b"U.S. Court of International Trade" in page.content
    assert b'href="/csologin/login/?court=cit"' in page.content
    assert b'href="/csologin/forgot-username/?court=cit"' in page.content
    request_reset("johndoe1")
    assert "court=cit" in reset_link(john)
    unbranded = Client().get("/csologin/forgot-password/?court=nosuchcourt")
    assert unbranded.status_code == 200
    assert b'href="/csologin/login/"' in unbranded.content


def test_the_login_page_links_to_self_service_with_its_court(court):
    page = Client().get("/csologin/login/?court=cit").content
    assert b'href="/csologin/forgot-password/?court=cit">Forgot password?</a>' in page
    assert b'href="/csologin/forgot-username/?court=cit">Forgot username?</a>' in page
    assert b'href="/csologin/register/?court=cit">Need an account?</a>' in page


# --- Forgot username ------------------------------------------------------------------


def request_username(email: str, **extra):
    return Client().post(FORGOT_USERNAME, {"email": email}, **extra)


def test_forgot_username_emails_every_username_at_the_address(john, court):
    AccountFactory(username="johnsfirm1", email="John.Doe@DoeLaw.example")
    AccountFactory(username="johnsold01", email="john.doe@doelaw.example", is_active=False)
    AccountFactory(username="someoneelse", email="other@doelaw.example")
    response = request_username("JOHN.DOE@doelaw.example")
    assert response.status_code == 200
    reminder = only_email("username_reminder")
    assert reminder.subject == "PACER account: your usernames"
    assert "johndoe1" in reminder.body and "johnsfirm1" in reminder.body
    assert "johnsold01" not in reminder.body and "someoneelse" not in reminder.body
    assert link_in(reminder, "/csologin/login/").endswith("/csologin/login/?court=cit")
    row = AuditEvent.objects.get(event_type=Event.USERNAME_REMINDER)
    assert (row.outcome, row.reason, row.detail) == ("success", "sent", {"accounts": 2})


def test_forgot_username_answers_the_same_either_way(john, court):
    known = request_username("john.doe@doelaw.example")
    unknown = request_username("nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert b"If any PACER account uses that email address" in known.content
    assert len(emails("username_reminder")) == 1
    reasons = AuditEvent.objects.filter(event_type=Event.USERNAME_REMINDER)
    assert sorted(reasons.values_list("reason", flat=True)) == ["sent", "unknown_address"]


def test_forgot_username_is_rate_limited(john, court):
    for n in range(RECOVERY_PER_ADDRESS_PER_HOUR + 1):
        response = request_username("john.doe@doelaw.example", REMOTE_ADDR=f"10.3.0.{n + 1}")
        assert b"If any PACER account uses that email address" in response.content
    assert len(emails("username_reminder")) == RECOVERY_PER_ADDRESS_PER_HOUR
    assert AuditEvent.objects.filter(
        event_type=Event.THROTTLED, reason="username_rate_limit"
    ).exists()
    assert AttemptBucket.objects.filter(key="username-addr:john.doe@doelaw.example").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Enter your email address."),
        ({"email": "not an address"}, b"Enter a valid email address"),
        ({"email": "john\x00@doelaw.example"}, b"Null characters are not allowed"),
        ({"email": "a" * 300 + "@x.example"}, b"at most 254 characters"),
        ({"email": "john.doe@doelaw.example\r\nBcc: x@y.example"}, b"Enter a valid email address"),
    ],
)
def test_bad_forgot_username_input_names_the_field_and_sends_nothing(john, court, data, message):
    response = Client().post(FORGOT_USERNAME, data)
    assert response.status_code == 200
    assert message in response.content
    assert b"Email address" in response.content
    assert not OutboundEmail.objects.exists()
    row = AuditEvent.objects.get(event_type=Event.USERNAME_REMINDER)
    assert (row.outcome, row.reason, row.detail) == (
        "failure",
        "invalid_input",
        {"fields": ["email"]},
    )


# --- the token never reaches an access log ---------------------------------------------


def test_the_reset_links_token_is_kept_out_of_the_access_logs(john, court, caplog):
    """Finding: reset tokens appeared in the web server's access log (the emailed link's
    first request line)."""
    import logging

    from django.core.servers.basehttp import WSGIRequestHandler

    token = "MQ-cdv4x0-0123456789abcdef0123456789abcdef"
    line = f"GET /csologin/reset/?t={token}&court=cit HTTP/1.1"
    with caplog.at_level(logging.INFO):
        # runserver's access log, as WSGIRequestHandler writes it.
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request = None
        handler.client_address = ("127.0.0.1", 0)
        handler.requestline = line
        handler.log_message('"%s" %s %s', line, "302", "0")
        # gunicorn's, whose atoms come as a dict (r: the request line, q: the query).
        logging.getLogger("gunicorn.access").info(
            '%(h)s "%(r)s" %(s)s', {"h": "127.0.0.1", "r": line, "q": f"t={token}", "s": "302"}
        )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in logged
    assert logged.count("?t=[redacted]&court=cit") == 2
    # And the link itself moves the token out of the address at once.
    response = Client().get(f"/csologin/reset/?t={token}&court=cit")
    assert response.status_code == 302 and response["Location"] == "/csologin/reset/?court=cit"
