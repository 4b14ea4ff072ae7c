"""Need an account? Registration, email verification, duplicates and the review hold."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.models import Account, SignOn
from nextecf.accounts.services import REGISTRATIONS_PER_IP_PER_HOUR
from nextecf.accounts.tests.emailed import emails, link_in, only_email, open_link
from nextecf.audit.models import AuditEvent, Event
from nextecf.outbox.models import OutboundEmail

REGISTER = "/csologin/register/?court=cit"
VERIFY = "/csologin/register/verify/"
RESEND = "/csologin/register/resend/?court=cit"
PASSWORD = "quiet meadow copper kettle"
FORM = {
    "first_name": "Jane",
    "middle_name": "Q",
    "last_name": "Roe",
    "date_of_birth": "1980-04-30",
    "email": "jane.roe@roelaw.example",
    "username": "JaneRoe2024",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
}


def register(client: Client | None = None, **changes):
    data = {**FORM, **changes}
    return (client or Client()).post(REGISTER, {k: v for k, v in data.items() if v is not None})


def verify_link(email: str = FORM["email"]) -> str:
    return link_in(emails("verify_email", email)[-1], VERIFY)


def verify(link: str, client: Client | None = None):
    client = client or Client()
    confirm = open_link(client, link)
    assert confirm.status_code == 200, confirm.content
    return client.post(confirm.wsgi_request.get_full_path())


@pytest.fixture
def john_born(john):
    john.date_of_birth = date(1975, 6, 1)
    john.save()
    return john


def test_registration_makes_a_closed_account_and_emails_a_link(court):
    response = register()
    assert response.status_code == 200
    assert b"Check your email" in response.content
    assert b"jane.roe@roelaw.example" in response.content
    account = Account.objects.get()
    assert account.username == "janeroe2024"  # stored lower-case
    assert (account.first_name, account.middle_name, account.last_name) == ("Jane", "Q", "Roe")
    assert account.date_of_birth == date(1980, 4, 30)
    assert account.kind == Account.Kind.UPGRADED
    assert account.sharing == Account.Sharing.INDIVIDUAL
    assert (account.email_verified, account.is_active, account.review_hold) == (
        False,
        False,
        False,
    )
    assert account.password.startswith("argon2") and account.check_password(PASSWORD)
    email = only_email("verify_email", "jane.roe@roelaw.example")
    assert email.subject == "PACER account: verify your email address"
    assert "janeroe2024" in email.body
    # Until the link is used the account cannot log in.
    refused = login(Client(), "janeroe2024", PASSWORD)
    assert refused.status_code == 200 and b"Invalid username or password." in refused.content
    assert not SignOn.objects.exists()


def test_the_verification_link_opens_the_account_and_says_so_once(court):
    register()
    link = verify_link()
    client = Client()
    confirm = open_link(client, link)
    assert b"Verify my email address" in confirm.content
    assert confirm["Referrer-Policy"] == "strict-origin"
    # Opening the link (a GET, as a mail scanner would) verifies nothing yet.
    assert not Account.objects.get().email_verified
    done = client.post(VERIFY + "?court=cit")
    assert done.status_code == 200
    assert b"Email address verified" in done.content
    assert b"your PACER account is active" in done.content
    account = Account.objects.get()
    assert account.email_verified and account.is_active
    assert login(Client(), "janeroe2024", PASSWORD).status_code == 302
    again = open_link(Client(), link)
    assert again.status_code == 200
    assert b"already verified" in again.content
    events = AuditEvent.objects.filter(event_type=Event.EMAIL_VERIFIED).order_by("pk")
    assert list(events.values_list("outcome", "reason")) == [
        ("success", "verified"),
        ("success", "already_verified"),
    ]


def test_a_second_post_with_the_same_link_changes_nothing(court):
    register()
    first, second = Client(), Client()
    for client in (first, second):
        assert b"Verify my email address" in open_link(client, verify_link()).content
    assert b"Email address verified" in first.post(VERIFY).content
    Account.objects.filter(username="janeroe2024").update(is_active=False)  # staff disable it
    replay = second.post(VERIFY)
    assert replay.status_code == 200 and b"already verified" in replay.content
    assert not Account.objects.get().is_active


def test_the_verification_link_lasts_24_hours(court):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        register()
    link = verify_link()
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        assert b"Verify my email address" in open_link(Client(), link).content
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        expired = open_link(Client(), link)
        assert expired.status_code == 400
        assert b"This verification link has expired" in expired.content
        client = Client()
        open_link(client, link)
        assert client.post(VERIFY).status_code == 400
    assert not Account.objects.get().email_verified


def test_the_link_uses_site_url_not_the_host_header(court, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    settings.SITE_URL = "https://ecf.courts.example/"
    Client(HTTP_HOST="evil.example").post(REGISTER, FORM)
    email = only_email("verify_email")
    assert "evil.example" not in email.body
    assert verify_link().startswith("https://ecf.courts.example/csologin/register/verify/?t=")
    assert "court=cit" in verify_link()


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "eyJhIjoxfQ:1abcde:forged", "x" * 5000, "a:b:c:d", ".eJzLSM3JyQcABiwCFQ:1:x"],
)
def test_a_forged_or_garbled_verification_link_is_refused(court, token):
    register()
    client = Client()
    first = client.get(VERIFY, {"t": token})
    assert first.status_code == 302
    page = client.get(first["Location"])
    assert page.status_code == 400
    assert b"This verification link is not valid" in page.content
    assert client.post(VERIFY).status_code == 400
    assert not Account.objects.get().email_verified


def test_a_link_for_another_address_of_the_account_no_longer_applies(court):
    register()
    link = verify_link()
    Account.objects.update(email="changed@roelaw.example")
    client = Client()
    page = open_link(client, link)
    assert page.status_code == 400 and b"This link no longer applies" in page.content
    assert not Account.objects.get().email_verified


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("lp1234", b"Username must be at least 8 characters."),
        ("short", b"Username must be at least 8 characters."),
        ("x" * 65, b"Username must be at most 64 characters."),
        ("jane roe 2024", b"may contain only letters, digits"),
        ("jane@roe.example", b"may contain only letters, digits"),
        ("-janeroe2024", b"must start with a letter or a digit"),
        ("JOHNDOE1", b"That username is taken."),
        ("", b"Choose a username."),
    ],
)
def test_username_rules(john, court, username, message):
    response = register(username=username)
    assert response.status_code == 200
    assert message in response.content
    assert Account.objects.count() == 1  # only John


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("fourteen chars", "fourteen chars", b"Password must be at least 15 characters"),
        ("passwordpassword", "passwordpassword", b"too common"),
        ("roe family vacation", "roe family vacation", b"must not contain your last name"),
        ("janeroe2024 forever", "janeroe2024 forever", b"must not contain your username"),
        ("my pacer passphrase", "my pacer passphrase", b"must not contain &quot;pacer&quot;"),
        (PASSWORD, PASSWORD + "!", b"Confirm password does not match the password."),
    ],
)
def test_the_password_policy_applies(court, password, confirm, message):
    response = register(password=password, password_confirm=confirm)
    assert response.status_code == 200
    assert message in response.content
    assert not Account.objects.exists()


def test_a_64_character_unicode_passphrase_is_accepted(court):
    passphrase = "Ünïcödé pässphrasé with many words " + "é" * 29
    assert len(passphrase) == 64
    register(password=passphrase, password_confirm=passphrase)
    assert Account.objects.get().check_password(passphrase)


def test_what_was_typed_is_kept_except_the_passwords(court):
    response = register(username="short", cja_requested="on")
    page = response.content.decode()
    assert 'value="Jane"' in page and 'value="Roe"' in page
    assert 'value="1980-04-30"' in page and 'value="jane.roe@roelaw.example"' in page
    assert 'value="short"' in page
    assert PASSWORD not in page
    assert re.search(r'name="cja_requested"[^>]*checked', page)
    for name in ("first_name", "middle_name", "last_name", "date_of_birth", "email"):
        assert f'<label for="id_{name}">' in page
    assert '<label for="id_password">' in page and '<label for="id_password_confirm">' in page


def test_two_matching_details_warn_and_continue_creates_the_account(john_born, court):
    same_name_and_birthday = {
        "first_name": "John",
        "last_name": "DOE",
        "middle_name": "",
        "date_of_birth": "1975-06-01",
        "username": "johnnydoe75",
    }
    warned = register(**same_name_and_birthday)
    assert warned.status_code == 200
    assert b"An account may already exist" in warned.content
    assert b'name="confirm_duplicate"' in warned.content
    assert Account.objects.count() == 1
    assert PASSWORD.encode() not in warned.content
    created = register(**same_name_and_birthday, confirm_duplicate="on")
    assert b"Check your email" in created.content
    account = Account.objects.get(username="johnnydoe75")
    assert not account.review_hold
    reasons = AuditEvent.objects.filter(event_type=Event.REGISTER).order_by("pk")
    assert list(reasons.values_list("outcome", "reason")) == [
        ("failure", "possible_duplicate"),
        ("success", "created"),
    ]


def test_one_matching_detail_raises_no_warning(john_born, court):
    response = register(first_name="John", last_name="Doe", username="johndoe1975")
    assert b"Check your email" in response.content
    assert b"An account may already exist" not in response.content


def test_name_and_email_match_warns_too(john_born, court):
    response = register(
        first_name="john", last_name="doe", email="JOHN.DOE@doelaw.example", username="jdoe19750"
    )
    assert b"An account may already exist" in response.content
    assert not Account.objects.filter(username="jdoe19750").exists()


def test_all_three_matching_puts_the_account_on_review_hold(john_born, court):
    data = {
        "first_name": "John",
        "last_name": "Doe",
        "middle_name": "",
        "date_of_birth": "1975-06-01",
        "email": "john.doe@doelaw.example",
        "username": "johndoe1975",
    }
    assert b"An account may already exist" in register(**data).content
    done = register(**data, confirm_duplicate="on")
    assert b"PACER Service Center (the court's staff) will review" in done.content
    account = Account.objects.get(username="johndoe1975")
    assert account.review_hold and not account.is_active
    verified = verify(verify_link("john.doe@doelaw.example"))
    assert b"will review your registration before you can log in" in verified.content
    account.refresh_from_db()
    assert account.email_verified and not account.is_active and account.review_hold
    assert login(Client(), "johndoe1975", PASSWORD).status_code == 200  # refused
    assert AuditEvent.objects.filter(event_type=Event.REGISTER, reason="review_hold").exists()
    assert AuditEvent.objects.filter(event_type=Event.EMAIL_VERIFIED, reason="held").exists()


def test_a_plus_alias_of_an_existing_address_is_held_for_review(john, court):
    warned = register(email="John.Doe+second@doelaw.example", username="anotherjohn")
    assert b"An account may already exist" in warned.content
    register(email="John.Doe+second@doelaw.example", username="anotherjohn", confirm_duplicate="on")
    assert Account.objects.get(username="anotherjohn").review_hold


def test_a_cja_request_is_recorded_but_grants_nothing(court):
    register(cja_requested="on")
    account = Account.objects.get()
    assert account.cja_requested and not account.cja_eligible and not account.fee_exempt


def test_registration_is_rate_limited_per_ip(court):
    for n in range(REGISTRATIONS_PER_IP_PER_HOUR):
        person = {"username": f"newperson{n:03d}", "email": f"p{n}@example.com"}
        response = register(**person, last_name=f"Roe-{n}", date_of_birth=f"19{50 + n}-01-01")
        assert b"Check your email" in response.content
    refused = register(username="onetoomany1")
    assert refused.status_code == 429
    assert b"Too many accounts have been registered from your network" in refused.content
    assert not Account.objects.filter(username="onetoomany1").exists()
    assert AuditEvent.objects.filter(event_type=Event.THROTTLED, reason="register_rate_limit")
    other = Client(REMOTE_ADDR="10.4.4.4").post(
        REGISTER, {**FORM, "username": "fromelsewhere", "email": "else@example.com"}
    )
    assert b"Check your email" in other.content


def test_registration_is_audited_without_passwords_or_tokens(court):
    register()
    link = verify_link()
    verify(link)
    token = re.search(r"[?&]t=([^&\s]+)", link).group(1)
    for row in AuditEvent.objects.all():
        text = repr((row.username, row.reason, row.path, row.detail))
        assert PASSWORD not in text and token not in text
    row = AuditEvent.objects.get(event_type=Event.REGISTER)
    assert row.subject.username == "janeroe2024"
    assert row.detail == {"matches": 0, "plus_alias": False, "cja_requested": False}


BAD_INPUT = [
    ({"first_name": None}, b"Enter your first name."),
    ({"first_name": "Ja\x00ne"}, b"Null characters are not allowed."),
    ({"last_name": "Roe\r\nBcc: x@y.example"}, b"Last name may contain only printable characters."),
    ({"first_name": "J" * 81}, b"First name must be at most 80 characters."),
    ({"first_name": "J" * 1_000_000}, b"First name must be at most 80 characters."),
    ({"date_of_birth": "2023-02-30"}, b"Enter your date of birth as YYYY-MM-DD"),
    ({"date_of_birth": "99999-01-01"}, b"Enter your date of birth as YYYY-MM-DD"),
    ({"date_of_birth": "yesterday"}, b"Enter your date of birth as YYYY-MM-DD"),
    ({"date_of_birth": "0000-00-00"}, b"Enter your date of birth as YYYY-MM-DD"),
    ({"date_of_birth": "1899-12-31"}, b"Date of birth must be in 1900 or later."),
    ({"date_of_birth": "2999-01-01"}, b"Date of birth must be in the past."),
    ({"date_of_birth": None}, b"Enter your date of birth."),
    ({"email": "not-an-address"}, b"Enter a valid email address"),
    ({"email": "jane@roelaw.example\x00"}, b"Null characters are not allowed."),
    ({"email": None}, b"Enter your email address."),
    ({"username": "janeroe\x002024"}, b"Null characters are not allowed."),
    ({"username": "jänéroé2024"}, b"may contain only letters, digits"),
    ({"password": None, "password_confirm": None}, b"Enter your password."),
    ({"password": "p" * 10_000}, b"Password must be at most 4096 characters."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_names_the_field_and_creates_nothing(court, changes, message):
    response = register(**changes)
    assert response.status_code == 200
    assert message in response.content
    assert not Account.objects.exists()
    assert not OutboundEmail.objects.exists()
    row = AuditEvent.objects.get(event_type=Event.REGISTER)
    assert (row.outcome, row.reason) == ("failure", "invalid_input")


def test_an_empty_or_odd_post_never_fails(court):
    for data in ({}, {"username": ["a", "b"]}, {"confirm_duplicate": "maybe"}):
        assert Client().post(REGISTER, data).status_code == 200
    assert Client().put(REGISTER).status_code == 405
    assert Client().get("/csologin/register/?court=%00").status_code == 400
    assert not Account.objects.exists()


# --- Resend verification ------------------------------------------------------------


def test_resend_answers_the_same_whether_or_not_an_account_waits(john, court):
    register()
    answers = [
        Client().post(RESEND, {"email": address}).content
        for address in ("JANE.ROE@roelaw.example", "john.doe@doelaw.example", "no@body.example")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert b"If a PACER account at that address is waiting for verification" in answers[0]
    sent = emails("verify_email")
    assert [e.to for e in sent] == ["jane.roe@roelaw.example", "jane.roe@roelaw.example"]
    # The fresh link works.
    verify(link_in(sent[-1], VERIFY))
    assert Account.objects.get(username="janeroe2024").is_active


def test_resend_is_rate_limited(court):
    register()
    for n in range(7):
        Client(REMOTE_ADDR=f"10.5.0.{n + 1}").post(RESEND, {"email": FORM["email"]})
    assert len(emails("verify_email")) == 1 + 5
    assert AuditEvent.objects.filter(event_type=Event.THROTTLED, reason="verify_rate_limit")


def test_resend_names_a_bad_email_field(court):
    response = Client().post(RESEND, {"email": "nope"})
    assert b"Email address: Enter a valid email address" in response.content
