"""The court-branded NextGen login page, sign-on cookies, logout and timeouts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import FilerAccountFactory

LOGIN = "/csologin/login/?court=cit"


def test_the_login_page_is_the_seeds_step_two(court):
    page = Client().get(LOGIN).content.decode()
    assert "<h1>U.S. Court Of International Trade - NextGen Login</h1>" in page
    assert "Required Information" in page
    for label in ("Username", "Password", "Client Code"):
        assert f">{label}" in page
    assert '<button type="submit">Login</button>' in page
    assert '<button type="reset">Clear</button>' in page
    assert "<strong>Do not log on using a shared PACER account.</strong>" in page
    assert (
        "NOTICE:</strong> This is a restricted government website for official PACER use only. "
        "Unauthorized entry is prohibited and subject to prosecution under Title 18 of the U.S. "
        "Code. All activities and access attempts are logged."
    ) in page


def test_the_court_menu_sends_to_the_login_and_back(john, court):
    client = Client()
    first = client.get("/cit/cgi-bin/login.pl")
    assert first["Location"].startswith("/csologin/login/")
    done = client.post(first["Location"], {"username": "JohnDoe1 ", "password": PASSWORD})
    assert done["Location"] == "/cit/cgi-bin/login.pl"
    page = client.get("/cit/cgi-bin/login.pl").content.decode()
    for item in ("Query", "Reports", "Utilities", "Help", "Log Out"):
        assert f">{item}</a>" in page
    assert "/cgi-bin/login.pl?logout" in page
    assert ">Civil</a>" not in page


def test_login_sets_a_128_character_httponly_samesite_cookie(john, court):
    response = Client().post(LOGIN, {"username": "johndoe1", "password": PASSWORD})
    cookie = response.cookies[settings.SIGNON_COOKIE_NAME]
    assert len(cookie.value) == 128
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    signon = SignOn.objects.get()
    assert signon.token_hash != cookie.value and len(signon.token_hash) == 64
    assert signon.exempt is False


def test_a_wrong_password_an_unknown_user_and_a_disabled_account_look_the_same(john, court):
    john_disabled = AccountFactory(username="disabled1", is_active=False)
    answers = []
    for username, password in [
        ("johndoe1", "wrong"),
        ("nosuchuser", "wrong"),
        (john_disabled.username, PASSWORD),
    ]:
        response = Client().post(LOGIN, {"username": username, "password": password})
        assert response.status_code == 200
        assert b"Invalid username or password." in response.content
        assert settings.SIGNON_COOKIE_NAME not in response.cookies
        answers.append(response.content.replace(username.encode(), b"U"))
    import re

    strip = lambda html: re.sub(rb'value="[^"]*"', b"", html)  # noqa: E731
    assert strip(answers[0]) == strip(answers[1]) == strip(answers[2])
    reasons = list(
        AuditEvent.objects.filter(event_type=Event.LOGIN_ERROR).values_list("reason", flat=True)
    )
    assert sorted(reasons) == ["disabled", "invalid_credentials", "invalid_credentials"]


def test_an_unknown_username_is_stored_masked_in_the_audit_log(court):
    Client().post(LOGIN, {"username": "my secret password", "password": "x"})
    row = AuditEvent.objects.get(event_type=Event.LOGIN_ERROR)
    assert "secret" not in row.username
    assert row.username.startswith("my…#")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": "x"}, b"Enter your PACER username."),
        ({"username": "   ", "password": "x"}, b"Enter your PACER username."),
        ({"username": "johndoe1", "password": ""}, b"Enter your PACER password."),
        ({}, b"Enter your PACER username."),
        (
            {"username": "johndoe1", "password": PASSWORD, "client_code": "a b"},
            b"may not contain a space",
        ),
        (
            {"username": "johndoe1", "password": PASSWORD, "client_code": "a,b"},
            b"may not contain a space or a comma",
        ),
        (
            {"username": "johndoe1", "password": PASSWORD, "client_code": "x" * 33},
            b"at most 32 characters",
        ),
    ],
)
def test_bad_login_input_names_the_field_and_signs_nobody_on(john, court, data, message):
    response = Client().post(LOGIN, data)
    assert response.status_code == 200
    assert message in response.content
    assert not SignOn.objects.exists()


def test_a_client_code_given_at_login_belongs_to_the_session(john, court):
    client = Client()
    login(client, "johndoe1", client_code="matter-42/a")
    assert SignOn.objects.get().client_code == "matter-42/a"
    assert b"matter-42/a" in client.get("/cit/utilities/").content


def test_an_account_that_requires_a_client_code_is_asked_for_one(court):
    account = AccountFactory(client_code_required=True)
    client = Client()
    step = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    assert step["Location"].startswith("/csologin/login/continue/")
    page = client.get(step["Location"])
    assert b"requires a client code" in page.content
    empty = client.post(step["Location"], {"client_code": ""})
    assert b"Your account requires a Client Code." in empty.content
    done = client.post(step["Location"], {"client_code": "firm-7"})
    assert done["Location"] == "/cit/cgi-bin/login.pl"
    assert SignOn.objects.get(stage="active").client_code == "firm-7"


def test_a_filer_must_tick_the_redaction_agreement(court):
    account = AccountFactory()
    FilerAccountFactory(court=court, account=account)
    client = Client()
    step = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    # A half-finished login opens nothing.
    assert client.get("/cit/utilities/")["Location"].startswith("/csologin/login/")
    refused = client.post(step["Location"], {})
    assert b"Tick the box to agree to the redaction rules" in refused.content
    done = client.post(step["Location"], {"redaction": "on"})
    assert done.status_code == 302
    signon = SignOn.objects.get()
    assert (signon.stage, signon.redaction_agreed) == ("active", True)
    assert client.get("/cit/utilities/").status_code == 200


def test_the_redaction_step_gives_a_new_token(court):
    account = AccountFactory()
    FilerAccountFactory(court=court, account=account)
    client = Client()
    step = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    pending = step.cookies["nextecf_login_step"].value
    done = client.post(step["Location"], {"redaction": "on"})
    assert done.cookies[settings.SIGNON_COOKIE_NAME].value != pending
    stale = Client()
    stale.cookies[settings.SIGNON_COOKIE_NAME] = pending
    assert stale.get("/cit/utilities/").status_code == 302


def test_the_login_step_expires(court):
    account = AccountFactory()
    FilerAccountFactory(court=court, account=account)
    client = Client()
    step = client.post(LOGIN, {"username": account.username, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        expired = client.post(step["Location"], {"redaction": "on"})
    assert expired.status_code == 400
    assert b"Your login has expired" in expired.content


def test_a_shared_account_may_log_in_and_search(people, court):
    client = Client()
    assert login(client, people.shared.username).status_code == 302
    assert client.get("/cit/query/").status_code == 200


def test_one_sign_on_serves_every_court(john, court, other_court):
    client = Client()
    login(client, "johndoe1", court="cit")
    assert client.get("/ca9/utilities/").status_code == 200


def test_logout_is_asked_by_get_and_done_by_post_everywhere(john, court, other_court):
    client = Client()
    login(client, "johndoe1")
    ask = client.get("/cit/cgi-bin/login.pl?logout")
    assert ask.status_code == 200 and b"every court" in ask.content
    assert client.get("/cit/utilities/").status_code == 200  # GET changed nothing
    done = client.post("/cit/cgi-bin/login.pl?logout")
    assert b"You have logged out" in done.content
    assert client.get("/cit/utilities/").status_code == 302
    assert client.get("/ca9/utilities/").status_code == 302
    assert SignOn.objects.get().end_reason == "logout"
    assert AuditEvent.objects.filter(event_type=Event.LOGOUT).count() == 1


def test_the_old_cookie_is_useless_after_logout(john, court):
    client = Client()
    login(client, "johndoe1")
    token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    client.post("/csologin/logout/")
    replay = Client()
    replay.cookies[settings.SIGNON_COOKIE_NAME] = token
    assert replay.get("/cit/utilities/").status_code == 302


def test_logout_without_csrf_token_changes_nothing(john, court):
    client = Client(enforce_csrf_checks=True)
    login(client, "johndoe1")
    # The login itself needs the token too; sign on directly for this check.
    token = Client()
    login(token, "johndoe1")
    client.cookies[settings.SIGNON_COOKIE_NAME] = token.cookies[settings.SIGNON_COOKIE_NAME].value
    response = client.post("/cit/cgi-bin/login.pl?logout")
    assert response.status_code == 403
    assert SignOn.objects.live().count() == 1


def test_the_api_header_token_is_accepted(john, court):
    client = Client()
    login(client, "johndoe1")
    token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    assert Client().get("/cit/utilities/", headers={"X-NEXT-GEN-CSO": token}).status_code == 200


@pytest.mark.parametrize(
    ("elapsed", "reason"),
    [(timedelta(seconds=settings.SIGNON_IDLE_SECONDS), "idle_timeout")],
)
def test_an_idle_sign_on_ends(john, court, elapsed, reason):
    client = Client()
    login(client, "johndoe1")
    with time_machine.travel(timezone.now() + elapsed - timedelta(seconds=61), tick=False):
        assert client.get("/cit/utilities/").status_code == 200
    with time_machine.travel(timezone.now() + 2 * elapsed, tick=False):
        assert client.get("/cit/utilities/").status_code == 302
    assert SignOn.objects.get().end_reason == reason
    assert AuditEvent.objects.filter(event_type=Event.SIGNON_EXPIRED, reason=reason).exists()


def test_an_active_sign_on_still_ends_at_the_absolute_timeout(john, court):
    client = Client()
    login(client, "johndoe1")
    start = timezone.now()
    step = timedelta(minutes=20)
    moment = start
    while moment - start < timedelta(seconds=settings.SIGNON_ABSOLUTE_SECONDS - 1200):
        moment += step
        with time_machine.travel(moment, tick=False):
            assert client.get("/cit/utilities/").status_code == 200
    with time_machine.travel(
        start + timedelta(seconds=settings.SIGNON_ABSOLUTE_SECONDS), tick=False
    ):
        assert client.get("/cit/utilities/").status_code == 302
    assert SignOn.objects.get().end_reason == "absolute_timeout"


def test_disabling_an_account_ends_its_sign_ons_at_once(john, court):
    client = Client()
    login(client, "johndoe1")
    john.is_active = False
    john.save()
    assert client.get("/cit/utilities/").status_code == 302
    assert SignOn.objects.get().end_reason == "account_disabled"


def test_login_never_redirects_off_site(john, court):
    response = Client().post(
        "/csologin/login/?next=https://evil.example/",
        {"username": "johndoe1", "password": PASSWORD},
    )
    assert response["Location"] == "/"


def test_passwords_are_hashed_with_argon2id(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    account = AccountFactory()
    assert account.password.startswith("argon2$argon2id$")


def test_an_old_imported_hash_is_upgraded_at_login(court, settings):
    from django.contrib.auth.hashers import make_password

    account = AccountFactory()
    account.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    account.save()
    login(Client(), account.username)
    account.refresh_from_db()
    assert account.password.startswith("argon2$")


def test_odd_login_input_never_causes_a_server_error(court):
    for username in ["\x00", "a" * 5000, "é" * 100, "x\r\nSet-Cookie: a=b"]:
        response = Client().post(LOGIN, {"username": username, "password": "\x00" * 10})
        assert response.status_code == 200
    assert Client().post("/csologin/login/?court=nosuchcourt&next=//evil", {}).status_code == 200
    assert Client().get("/csologin/login/continue/").status_code == 200
    assert Client().post("/csologin/reauth/", {}).status_code == 302


def test_the_login_pages_are_not_cached(court):
    assert (
        Client().get(LOGIN)["Cache-Control"].startswith("no-store")
        or "no-cache" in Client().get(LOGIN)["Cache-Control"]
    )


def test_an_email_address_logs_in_to_the_one_account_that_holds_it(john, court):
    response = Client().post(LOGIN, {"username": "John.Doe@DoeLaw.example", "password": PASSWORD})
    assert response.status_code == 302
    assert SignOn.objects.get().account == john


def test_an_email_address_held_by_two_accounts_opens_neither(john, court):
    AccountFactory(username="johnsecond", email=john.email)
    response = Client().post(LOGIN, {"username": john.email, "password": PASSWORD})
    assert b"Invalid username or password." in response.content
