"""Upgrading a legacy PACER account: new username and password, same account."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, SignOn
from nextecf.accounts.tests.emailed import emails, link_in, only_email, open_link
from nextecf.audit.models import AuditEvent, Event

UPGRADE = "/csologin/upgrade/?court=cit"
NEW_PASSWORD = "brisk autumn ferry 1187"
NEW = {
    "username": "LeeParker2025",
    "password": NEW_PASSWORD,
    "password_confirm": NEW_PASSWORD,
    "email": "lparker@parkerlaw.example",
    "date_of_birth": "1970-01-02",
}


@pytest.fixture
def legacy(db) -> Account:
    return AccountFactory(
        username="lp1234",
        kind=Account.Kind.LEGACY,
        first_name="Lee",
        last_name="Parker",
        email="lparker@parkerlaw.example",
    )


def test_the_upgrade_page_needs_a_login_and_comes_back_after_it(legacy, court):
    client = Client()
    first = client.get(UPGRADE)
    assert first.status_code == 302
    assert (
        first["Location"]
        == "/csologin/login/?court=cit&next=%2Fcsologin%2Fupgrade%2F%3Fcourt%3Dcit"
    )
    back = client.post(first["Location"], {"username": "lp1234", "password": PASSWORD})
    assert back["Location"] == UPGRADE
    assert b"Upgrade your PACER account" in client.get(UPGRADE).content


def test_a_legacy_account_is_sent_to_the_upgrade_from_the_link_page(legacy, court, signed_in):
    refused = signed_in(legacy).get("/cit/utilities/link/")
    assert refused.status_code == 403
    assert b'href="/csologin/upgrade/?court=cit"' in refused.content


def test_an_upgrade_keeps_the_account_and_opens_linking(legacy, court, signed_in):
    client = signed_in(legacy)
    pk, number = legacy.pk, legacy.account_number
    page = client.get(UPGRADE)
    assert page.status_code == 200
    for text in (b"Legacy PACER Account", number.encode(), b"lp1234"):
        assert text in page.content
    for name in ("username", "password", "password_confirm", "email", "date_of_birth"):
        assert f'<label for="id_{name}">'.encode() in page.content
    assert b'value="lparker@parkerlaw.example"' in page.content
    done = client.post(UPGRADE, NEW)
    assert done.status_code == 302 and done["Location"] == UPGRADE
    account = Account.objects.get(pk=pk)
    assert account.kind == Account.Kind.UPGRADED
    assert account.username == "leeparker2025"
    assert account.account_number == number
    assert account.date_of_birth == date(1970, 1, 2)
    assert account.check_password(NEW_PASSWORD) and not account.check_password(PASSWORD)
    # History stays with the account.
    assert AuditEvent.objects.filter(actor=account, event_type=Event.LOGIN).exists()
    row = AuditEvent.objects.get(event_type=Event.UPGRADE)
    assert (row.outcome, row.actor_id, row.username) == ("success", pk, "leeparker2025")
    assert row.detail == {"old_username": "lp1234", "email_change_requested": False}
    after = client.get(UPGRADE)
    assert b"Upgrade is complete." in after.content
    assert b"Upgraded PACER Account" in after.content
    assert b'href="/cit/utilities/link/"' in after.content
    assert client.get("/cit/utilities/link/").status_code == 200
    assert login(Client(), "lp1234", PASSWORD).status_code == 200  # refused
    assert login(Client(), "LeeParker2025", NEW_PASSWORD).status_code == 302
    notice = only_email("upgrade_notice", "lparker@parkerlaw.example")
    assert "leeparker2025" in notice.body and number in notice.body
    assert NEW_PASSWORD not in notice.body
    assert not emails("verify_email_change")


def test_the_upgrade_rotates_this_sign_on_and_ends_the_others(legacy, court, signed_in):
    client, elsewhere = signed_in(legacy), signed_in(legacy)
    old_token = client.cookies[settings.SIGNON_COOKIE_NAME].value
    done = client.post(UPGRADE, NEW)
    new_token = done.cookies[settings.SIGNON_COOKIE_NAME].value
    assert new_token != old_token
    stale = Client()
    stale.cookies[settings.SIGNON_COOKIE_NAME] = old_token
    assert stale.get("/cit/utilities/").status_code == 302
    assert elsewhere.get("/cit/utilities/").status_code == 302
    assert client.get("/cit/utilities/").status_code == 200
    assert SignOn.objects.live().count() == 1
    assert SignOn.objects.filter(end_reason="password_changed").count() == 1


def test_an_upgraded_account_is_told_it_needs_no_upgrade(john, court, signed_in):
    client = signed_in(john)
    page = client.get(UPGRADE)
    assert page.status_code == 200
    assert b"Your PACER account is upgraded" in page.content
    assert b"An upgraded account needs no further upgrade." in page.content
    posted = client.post(UPGRADE, {**NEW, "username": "somethingnew"})
    assert b"Your PACER account is upgraded" in posted.content
    john.refresh_from_db()
    assert john.username == "johndoe1" and john.check_password(PASSWORD)


def test_a_shared_legacy_account_upgrades_but_still_cannot_link(court, signed_in):
    shared = AccountFactory(
        username="sh1234",
        kind=Account.Kind.LEGACY,
        sharing=Account.Sharing.SHARED,
        first_name="Firm",
        last_name="Library",
    )
    client = signed_in(shared)
    client.post(UPGRADE, {**NEW, "username": "firmlibrary", "email": shared.email})
    shared.refresh_from_db()
    assert shared.kind == Account.Kind.UPGRADED and shared.is_shared
    assert b"it can never be linked" in client.get(UPGRADE).content
    assert client.get("/cit/utilities/link/").status_code == 403


def test_a_new_email_address_waits_for_its_link(legacy, court, signed_in):
    client = signed_in(legacy)
    client.post(UPGRADE, {**NEW, "email": "Lee@NewFirm.example"})
    legacy.refresh_from_db()
    assert legacy.kind == Account.Kind.UPGRADED
    assert legacy.email == "lparker@parkerlaw.example"  # not yet
    notice = only_email("upgrade_notice", "lparker@parkerlaw.example")
    assert "Lee@NewFirm.example" in notice.body
    confirm = only_email("verify_email_change", "lee@newfirm.example")
    assert confirm.subject == "PACER account: confirm your new email address"
    assert AuditEvent.objects.filter(event_type=Event.EMAIL_CHANGE_REQUEST).count() == 1
    link = link_in(confirm, "/csologin/register/verify/")
    browser = Client()
    page = open_link(browser, link)
    assert b"Lee@NewFirm.example" in page.content
    done = browser.post("/csologin/register/verify/")
    assert b"email address is now" in done.content
    legacy.refresh_from_db()
    assert legacy.email == "Lee@NewFirm.example" and legacy.email_verified
    again = open_link(Client(), link)
    assert b"already verified" in again.content
    row = AuditEvent.objects.get(event_type=Event.EMAIL_CHANGE)
    assert row.detail == {
        "old_email": "lparker@parkerlaw.example",
        "new_email": "Lee@NewFirm.example",
    }


def test_the_date_of_birth_is_asked_only_when_the_account_has_none(legacy, court, signed_in):
    legacy.date_of_birth = date(1966, 3, 3)
    legacy.save()
    client = signed_in(legacy)
    assert b'name="date_of_birth"' not in client.get(UPGRADE).content
    client.post(UPGRADE, {**NEW, "date_of_birth": "2001-01-01"})
    legacy.refresh_from_db()
    assert legacy.kind == Account.Kind.UPGRADED
    assert legacy.date_of_birth == date(1966, 3, 3)  # permanent once given


def test_an_older_sign_on_confirms_the_password_first(legacy, court, signed_in):
    client = signed_in(legacy)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        asked = client.get(UPGRADE)
        assert asked.status_code == 302
        assert asked["Location"].startswith("/csologin/reauth/?court=cit&next=")
        posted = client.post(UPGRADE, NEW)
        assert posted["Location"].startswith("/csologin/reauth/")
    legacy.refresh_from_db()
    assert legacy.kind == Account.Kind.LEGACY and legacy.username == "lp1234"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "lp4321"}, b"Username must be at least 8 characters."),
        ({"username": "JohnDoe1"}, b"That username is taken. Choose another."),
        ({"username": "lee parker"}, b"may contain only letters, digits"),
        ({"username": "lee\x00parker1"}, b"Null characters are not allowed."),
        ({"username": "u" * 100_000}, b"Username must be at most 64 characters."),
        ({"username": None}, b"Choose a new username."),
        ({"password": "too short", "password_confirm": "too short"}, b"at least 15 characters"),
        (
            {"password": "parker family home", "password_confirm": "parker family home"},
            b"must not contain your last name",
        ),
        (
            {"password": "leeparker2025 rocks", "password_confirm": "leeparker2025 rocks"},
            b"must not contain your username",
        ),
        ({"password_confirm": "something else entirely"}, b"Confirm new password does not match"),
        ({"password": None}, b"Enter your new password."),
        ({"email": "nowhere"}, b"Enter a valid email address"),
        ({"email": None}, b"Enter your email address."),
        ({"date_of_birth": "1970-02-30"}, b"Enter your date of birth as YYYY-MM-DD"),
        ({"date_of_birth": "tomorrow"}, b"Enter your date of birth as YYYY-MM-DD"),
        ({"date_of_birth": None}, b"Enter your date of birth."),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    legacy, john, court, signed_in, changes, message
):
    client = signed_in(legacy)
    data = {k: v for k, v in {**NEW, **changes}.items() if v is not None}
    response = client.post(UPGRADE, data)
    assert response.status_code == 200
    assert message in response.content
    assert NEW_PASSWORD.encode() not in response.content
    legacy.refresh_from_db()
    assert (legacy.kind, legacy.username) == (Account.Kind.LEGACY, "lp1234")
    assert legacy.check_password(PASSWORD) and legacy.date_of_birth is None
    assert not emails()
    row = AuditEvent.objects.get(event_type=Event.UPGRADE)
    assert (row.outcome, row.reason) == ("failure", "invalid_input")


def test_an_empty_post_never_fails(legacy, court, signed_in):
    client = signed_in(legacy)
    response = client.post(UPGRADE, {})
    assert response.status_code == 200 and b"Choose a new username." in response.content
    assert client.post(UPGRADE, {"username": ["a", "b"], "email": ["x@y.z"]}).status_code == 200
    legacy.refresh_from_db()
    assert legacy.kind == Account.Kind.LEGACY


def test_a_username_taken_in_a_race_is_a_clean_error(legacy, court, signed_in, monkeypatch):
    client = signed_in(legacy)
    AccountFactory(username="leeparker2025")
    # The form's check passed a moment before someone else took the name.
    monkeypatch.setattr(Account.objects, "username_taken", lambda *a, **k: False)
    response = client.post(UPGRADE, NEW)
    assert response.status_code == 200
    assert b"That username is taken. Choose another." in response.content
    legacy.refresh_from_db()
    assert (legacy.kind, legacy.username) == (Account.Kind.LEGACY, "lp1234")
    assert client.get("/cit/utilities/").status_code == 200  # still signed on
    row = AuditEvent.objects.get(event_type=Event.UPGRADE)
    assert (row.outcome, row.reason) == ("failure", "username_taken")


def test_the_upgrade_audit_holds_no_password(legacy, court, signed_in):
    signed_in(legacy).post(UPGRADE, NEW)
    for row in AuditEvent.objects.all():
        assert NEW_PASSWORD not in repr((row.username, row.reason, row.detail))
