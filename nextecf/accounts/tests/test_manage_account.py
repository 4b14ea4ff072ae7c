"""Manage My Account: overview, profile, email change, password change, billing
preferences (client code format enforced wherever a client code is entered)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import enroll_app, login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, SignOn
from nextecf.audit.models import AuditEvent, Event
from nextecf.outbox.models import OutboundEmail

NEW_PASSWORD = "lantern orchard velvet quarry"


# --- Overview and access ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/account/",
        "/account/profile/",
        "/account/email/",
        "/account/email/confirm/?t=x",
        "/account/password/",
        "/account/billing/",
        "/account/sessions/",
        "/account/mfa/",
    ],
)
def test_manage_my_account_needs_a_sign_on(court, url):
    response = Client().get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/csologin/login/"
    assert parse_qs(location.query)["next"] == [url]


def test_the_overview_shows_the_account(john, signed_in):
    page = signed_in(john).get("/account/").content.decode()
    assert "<h1>Manage My Account</h1>" in page
    assert f"<dt>Account Number</dt><dd>{john.account_number}</dd>" in page
    assert "<dt>Username</dt><dd>johndoe1</dd>" in page
    assert "<dt>Account Type</dt><dd>Upgraded PACER Account" in page
    assert "<dt>Account Sharing</dt><dd>Individual</dd>" in page
    assert "<dt>Name</dt><dd>John Doe</dd>" in page
    assert "john.doe@doelaw.example" in page
    assert "Not enrolled" in page and 'href="/account/mfa/"' in page
    for url in ["profile", "email", "password", "mfa", "billing", "sessions"]:
        assert f'href="/account/{url}/"' in page


def test_the_overview_shows_mfa_once_enrolled(john, signed_in):
    enroll_app(john)
    client = signed_in(john)
    assert "Enrolled: 1 authenticator app" in client.get("/account/").content.decode()


def test_shared_and_legacy_accounts_may_manage_their_account(people, signed_in):
    shared = signed_in(people.shared).get("/account/")
    assert shared.status_code == 200 and b"Shared (firm)" in shared.content
    legacy = signed_in(people.legacy).get("/account/").content.decode()
    assert "<dt>Account Type</dt><dd>Legacy PACER Account" in legacy
    from django.urls import NoReverseMatch, reverse

    try:
        upgrade = reverse("accounts:upgrade")
    except NoReverseMatch:
        assert "upgrade it to link or file" in legacy
    else:
        assert f'href="{upgrade}">Upgrade</a>' in legacy


def test_utilities_and_the_main_page_link_to_manage_my_account(john, court, signed_in):
    client = signed_in(john)
    utilities = client.get("/cit/utilities/").content.decode()
    your_account = utilities.split('id="your-account"')[1].split("</section>")[0]
    assert '<a href="/account/">Manage My Account</a>' in your_account
    assert (
        '<a href="/account/">Manage My Account</a>'
        in client.get("/cit/cgi-bin/login.pl").content.decode()
    )


# --- Profile ------------------------------------------------------------------------------


def test_the_profile_changes_names_and_is_audited(john, signed_in):
    client = signed_in(john)
    form = client.get("/account/profile/").content.decode()
    assert 'value="John"' in form and '<label for="id_middle_name">Middle name' in form
    done = client.post(
        "/account/profile/", {"first_name": "Jonathan", "middle_name": "Q", "last_name": "Doe"}
    )
    assert done["Location"] == "/account/"
    john.refresh_from_db()
    assert (john.first_name, john.middle_name, john.last_name) == ("Jonathan", "Q", "Doe")
    row = AuditEvent.objects.get(event_type=Event.PROFILE_CHANGE)
    assert row.detail == {"fields": ["first_name", "middle_name"]}
    assert b"Your name was updated." in client.get("/account/").content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Enter your first name."),
        ({"first_name": "J", "last_name": ""}, b"Enter your last name."),
        (
            {"first_name": "x" * 81, "last_name": "Doe"},
            b"First name must be at most 80 characters.",
        ),
        ({"first_name": "Jo\x00", "last_name": "Doe"}, b"Null characters are not allowed."),
        ({"first_name": "Jo\r\nhn", "last_name": "Doe"}, b"First name may contain only printable"),
        ({"first_name": "   ", "last_name": "Doe"}, b"Enter your first name."),
    ],
)
def test_bad_profile_input_names_the_field_and_changes_nothing(john, signed_in, data, message):
    client = signed_in(john)
    page = client.post("/account/profile/", {"middle_name": "", **data})
    assert page.status_code == 200 and message in page.content
    john.refresh_from_db()
    assert (john.first_name, john.last_name) == ("John", "Doe")
    if data.get("last_name") == "Doe" and "\x00" not in data.get("first_name", ""):
        assert b'value="Doe"' in page.content  # what was typed is kept


# --- Email change ---------------------------------------------------------------------------


def request_change(client: Client, new: str = "jd@newfirm.example", **extra):
    return client.post("/account/email/", {"new_email": new}, **extra)


def confirm_link(to: str) -> str:
    mail = OutboundEmail.objects.filter(to=to, kind="email_change_confirm").latest("pk")
    return re.search(r"(http\S+)", mail.body).group(1)


def test_email_changes_only_after_the_link_is_used(john, signed_in):
    client = signed_in(john)
    sent = request_change(client)
    assert sent.status_code == 200 and b"has not changed yet" in sent.content
    john.refresh_from_db()
    assert john.email == "john.doe@doelaw.example"
    notice = OutboundEmail.objects.get(to="john.doe@doelaw.example")
    assert notice.subject == "PACER: a change of your email address was requested"
    assert "jd@newfirm.example" in notice.body
    link = confirm_link("jd@newfirm.example")
    assert link.startswith(f"{settings.SITE_URL}/account/email/confirm/?t=")
    path = link[len(settings.SITE_URL) :]
    ask = client.get(path)
    assert ask.status_code == 200 and b"Change my email address" in ask.content
    assert ask["Referrer-Policy"] == "strict-origin"
    john.refresh_from_db()
    assert john.email == "john.doe@doelaw.example"  # a GET (a mail scanner) changes nothing
    token = parse_qs(urlsplit(link).query)["t"][0]
    done = client.post("/account/email/confirm/", {"t": token})
    assert done["Location"] == "/account/"
    john.refresh_from_db()
    assert john.email == "jd@newfirm.example" and john.email_verified
    changed = OutboundEmail.objects.get(kind="email_changed")
    assert changed.to == "john.doe@doelaw.example" and "jd@newfirm.example" in changed.body
    assert AuditEvent.objects.filter(event_type=Event.EMAIL_CHANGE_REQUEST).count() == 1
    assert AuditEvent.objects.get(event_type=Event.EMAIL_CHANGE).detail == {
        "old_email": "john.doe@doelaw.example",
        "new_email": "jd@newfirm.example",
    }
    rows = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert token not in rows and token[:20] not in rows


def test_the_link_works_once(john, signed_in):
    client = signed_in(john)
    request_change(client)
    token = parse_qs(urlsplit(confirm_link("jd@newfirm.example")).query)["t"][0]
    assert client.post("/account/email/confirm/", {"t": token}).status_code == 302
    again = client.post("/account/email/confirm/", {"t": token})
    assert again.status_code == 400 and b"This link is not valid" in again.content


def test_a_link_dies_when_the_address_changes_another_way(john, signed_in):
    client = signed_in(john)
    request_change(client, "first@new.example")
    first = parse_qs(urlsplit(confirm_link("first@new.example")).query)["t"][0]
    request_change(client, "second@new.example")
    second = parse_qs(urlsplit(confirm_link("second@new.example")).query)["t"][0]
    assert client.post("/account/email/confirm/", {"t": second}).status_code == 302
    assert client.post("/account/email/confirm/", {"t": first}).status_code == 400
    john.refresh_from_db()
    assert john.email == "second@new.example"


def test_a_link_expires_after_24_hours(john, signed_in):
    client = signed_in(john)
    request_change(client)
    token = parse_qs(urlsplit(confirm_link("jd@newfirm.example")).query)["t"][0]
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        late = signed_in(john)
        assert late.post("/account/email/confirm/", {"t": token}).status_code == 400
    john.refresh_from_db()
    assert john.email == "john.doe@doelaw.example"


def test_a_link_is_only_for_its_own_account(john, signed_in):
    request_change(signed_in(john))
    token = parse_qs(urlsplit(confirm_link("jd@newfirm.example")).query)["t"][0]
    other = signed_in(AccountFactory(username="someoneelse"))
    assert other.get(f"/account/email/confirm/?t={token}").status_code == 400
    assert other.post("/account/email/confirm/", {"t": token}).status_code == 400
    assert not Account.objects.filter(email="jd@newfirm.example").exists()


def test_the_link_uses_the_configured_site_not_the_host_header(john, signed_in, settings):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    client = signed_in(john)
    request_change(client, HTTP_HOST="evil.example")
    assert confirm_link("jd@newfirm.example").startswith(settings.SITE_URL)


def test_an_email_change_needs_a_fresh_sign_on(john, signed_in):
    client = signed_in(john)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert request_change(client)["Location"].startswith("/csologin/reauth/")
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", b"Enter the new email address."),
        ("not-an-address", b"New email address is not a valid address"),
        ("a@" + "b" * 300 + ".example", b"New email address must be at most 254 characters."),
        ("John.Doe@doelaw.example", b"New email address is the address you have now."),
        ("x\x00@example.com", b"Null characters are not allowed."),
    ],
)
def test_bad_new_addresses_are_refused(john, signed_in, value, message):
    page = request_change(signed_in(john), value)
    assert page.status_code == 200 and message in page.content
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("token", ["", "x", "a" * 5000, "e30:1tXyz:abc", "\x00"])
def test_bad_tokens_never_cause_a_server_error(john, signed_in, token):
    client = signed_in(john)
    assert client.post("/account/email/confirm/", {"t": token}).status_code in (400,)
    if "\x00" not in token:
        assert client.get("/account/email/confirm/", {"t": token}).status_code == 400


# --- Password change ------------------------------------------------------------------------


def change_password(client: Client, current: str = PASSWORD, new: str = NEW_PASSWORD, again=None):
    return client.post(
        "/account/password/",
        {
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
        },
    )


def test_changing_the_password_ends_other_sign_ons_and_notifies(
    john, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(john)
    other = signed_in(john)
    old_token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    with django_capture_on_commit_callbacks(execute=True):
        done = change_password(client)
    assert done["Location"] == "/account/"
    new_token = done.cookies[settings.SIGNON_COOKIE_NAME].value
    assert new_token != old_token
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    stale = Client()
    stale.cookies[settings.SIGNON_COOKIE_NAME] = old_token
    assert stale.get("/account/").status_code == 302
    assert SignOn.objects.filter(end_reason="password_change").count() == 1
    john.refresh_from_db()
    assert john.check_password(NEW_PASSWORD) and not john.check_password(PASSWORD)
    assert [m.subject for m in mailoutbox] == ["PACER: your password was changed"]
    assert "1 other session of your account was logged out" in mailoutbox[0].body
    row = AuditEvent.objects.get(event_type=Event.PASSWORD_CHANGE)
    assert row.outcome == "success" and row.detail == {"other_signons_ended": 1}
    rows = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert NEW_PASSWORD not in rows and PASSWORD not in rows
    assert login(Client(), "johndoe1", password=NEW_PASSWORD).status_code == 302


def test_the_current_password_is_required(john, signed_in):
    client = signed_in(john)
    page = change_password(client, current="not my password at all")
    assert page.status_code == 200
    assert b"Current password: Current password is not correct." in page.content
    john.refresh_from_db()
    assert john.check_password(PASSWORD)
    row = AuditEvent.objects.get(event_type=Event.PASSWORD_CHANGE)
    assert row.outcome == "failure" and row.reason == "invalid_credentials"
    assert b"not my password" not in page.content and NEW_PASSWORD.encode() not in page.content


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("short one", None, b"Password must be at least 15 characters"),
        ("password password", None, b"Password is too common"),
        ("johndoe1 and more words", None, b"Password must not contain your username."),
        (NEW_PASSWORD, "something else entirely", b"New password again does not match."),
        ("", None, b"Enter a new password."),
        ("x" * 5000, None, b"New password must be at most 4096 characters."),
    ],
)
def test_the_new_password_follows_the_policy(john, signed_in, new, again, message):
    client = signed_in(john)
    page = change_password(client, new=new, again=again)
    assert page.status_code == 200 and message in page.content
    john.refresh_from_db()
    assert john.check_password(PASSWORD)


def test_accounts_with_mfa_may_have_8_character_passwords(john, signed_in):
    enroll_app(john)
    client = signed_in(john)
    assert b"at least 8 characters" in client.get("/account/password/").content
    assert change_password(client, new="tiger lamp").status_code == 302


def test_missing_password_fields_never_crash(john, signed_in):
    client = signed_in(john)
    for data in [{}, {"current_password": "\x00"}, {"new_password": "\x00" * 20}]:
        assert client.post("/account/password/", data).status_code == 200


# --- Billing preferences and the client code format -----------------------------------------


def test_billing_preferences_are_saved_and_audited(john, signed_in):
    client = signed_in(john)
    form = client.get("/account/billing/").content.decode()
    assert "# stands for a digit, A for a letter, * for any character" in form
    assert 'aria-describedby="id_client_code_format_help"' in form
    done = client.post(
        "/account/billing/", {"client_code_required": "on", "client_code_format": "##-AAA"}
    )
    assert done["Location"] == "/account/"
    john.refresh_from_db()
    assert john.client_code_required and john.client_code_format == "##-AAA"
    assert AuditEvent.objects.get(event_type=Event.BILLING_PREFS_CHANGE).detail == {
        "client_code_required": True,
        "format": "##-AAA",
    }


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("## AA", b"Client code format may not contain a space or a comma"),
        ("#,#", b"Client code format may not contain a space or a comma"),
        ("#" * 33, b"Client code format must be at most 32 characters."),
        ("#\x00", b"Null characters are not allowed."),
        ("#\t#", b"Client code format may contain only printable characters."),
    ],
)
def test_a_bad_format_is_refused(john, signed_in, fmt, message):
    page = signed_in(john).post("/account/billing/", {"client_code_format": fmt})
    assert page.status_code == 200 and message in page.content
    john.refresh_from_db()
    assert john.client_code_format == ""


def test_change_client_code_enforces_the_format(john, court, signed_in):
    Account.objects.filter(pk=john.pk).update(client_code_format="##-AAA")
    client = signed_in(john)
    refused = client.post("/cit/utilities/client-code/", {"client_code": "12-AB1"})
    assert b"Client Code must match your account&#x27;s client code format" in refused.content
    assert SignOn.objects.get().client_code == ""
    assert (
        b"Client code changed."
        in client.post("/cit/utilities/client-code/", {"client_code": "12-abc"}).content
    )
    assert SignOn.objects.get().client_code == "12-abc"


def test_a_login_code_that_does_not_fit_the_format_is_asked_for_again(court):
    account = AccountFactory(client_code_format="##-AAA")
    client = Client()
    step = client.post(
        "/csologin/login/?court=cit",
        {"username": account.username, "password": PASSWORD, "client_code": "bad"},
    )
    assert step["Location"].startswith("/csologin/login/continue/")
    page = client.get(step["Location"]).content.decode()
    assert "The client code you entered, <strong>bad</strong>, does not match" in page
    assert 'value="bad"' in page  # kept, to correct
    again = client.post(step["Location"], {"client_code": "1-abc"})
    assert b"must match your account&#x27;s client code format" in again.content
    done = client.post(step["Location"], {"client_code": "07-xyz"})
    assert done.status_code == 302
    assert SignOn.objects.get(stage="active").client_code == "07-xyz"


def test_an_optional_code_that_does_not_fit_may_be_left_out(court):
    account = AccountFactory(client_code_format="####")
    client = Client()
    step = client.post(
        "/csologin/login/?court=cit",
        {"username": account.username, "password": PASSWORD, "client_code": "abcd"},
    )
    done = client.post(step["Location"], {"client_code": ""})
    assert done.status_code == 302
    assert SignOn.objects.get(stage="active").client_code == ""


def test_a_fitting_code_at_login_needs_no_extra_step(court):
    account = AccountFactory(client_code_required=True, client_code_format="A#")
    response = Client().post(
        "/csologin/login/?court=cit",
        {"username": account.username, "password": PASSWORD, "client_code": "b7"},
    )
    assert response["Location"] == "/cit/cgi-bin/login.pl"


# --- CSRF -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/account/profile/", {"first_name": "X", "last_name": "Y"}),
        ("/account/email/", {"new_email": "x@example.com"}),
        ("/account/password/", {"current_password": PASSWORD}),
        ("/account/billing/", {"client_code_format": "#"}),
        ("/account/sessions/end-others/", {}),
        ("/account/mfa/add/", {"step": "start"}),
        ("/account/mfa/backup-codes/", {}),
    ],
)
def test_every_form_needs_the_csrf_token(john, signed_in, url, data):
    token = signed_in(john).cookies[settings.SIGNON_COOKIE_NAME].value
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.SIGNON_COOKIE_NAME] = token
    assert client.post(url, data).status_code == 403
    john.refresh_from_db()
    assert john.first_name == "John" and john.client_code_format == ""
    assert not OutboundEmail.objects.exists()


def test_every_page_has_a_csrf_token_in_its_forms(john, signed_in):
    enroll_app(john)
    client = signed_in(john)
    for url in [
        "/account/profile/",
        "/account/email/",
        "/account/password/",
        "/account/billing/",
        "/account/sessions/end-others/",
        "/account/mfa/add/",
        "/account/mfa/backup-codes/",
    ]:
        html = client.get(url).content.decode()
        forms = html.count("<form")
        assert forms and html.count('name="csrfmiddlewaretoken"') >= forms, url


def test_manage_my_account_leads_back_to_the_court_the_login_started_at(john, court, signed_in):
    page = signed_in(john).get("/account/").content.decode()
    assert '<a href="/cit/cgi-bin/login.pl">Return to CM/ECF (CIT)</a>' in page
    assert 'href="/csologin/logout/?court=cit"' in page
