"""Passkeys in a real browser, with Chromium's virtual authenticator (DevTools protocol
WebAuthn domain), no hardware: enroll under Manage My Account, use the passkey as the
second factor after the password, log in with it alone, see a replayed and a cloned
assertion refused, remove it. Every page is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account, Passkey
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import CourtFactory


@pytest.fixture
def person(transactional_db) -> Account:
    CourtFactory()
    return AccountFactory(
        username="keyholder1", first_name="Kay", last_name="Holder", email="kay@example.com"
    )


def authenticator(cdp) -> str:
    """A platform authenticator with user verification that says yes by itself."""
    return cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]


def password_login(page: Page, check_a11y) -> None:
    page.goto("/csologin/login/")
    check_a11y(page)
    page.get_by_label("Username").fill("keyholder1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


def log_out(page: Page, check_a11y) -> None:
    page.goto("/csologin/logout/")
    check_a11y(page)
    page.get_by_role("button", name=re.compile("Log ?out", re.I)).click()
    check_a11y(page)


def signed_on(page: Page, check_a11y) -> bool:
    page.goto("/account/")
    check_a11y(page)
    return "/csologin/login/" not in page.url


@pytest.mark.browser
def test_enroll_a_passkey_use_it_and_refuse_a_replayed_or_cloned_one(
    page: Page, person, check_a11y
):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    first = authenticator(cdp)

    # Enroll, under Manage My Account > Passkeys.
    password_login(page, check_a11y)
    page.goto("/account/")
    check_a11y(page)
    page.get_by_role("navigation", name="Manage My Account").get_by_role(
        "link", name="Passkeys"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Passkeys")).to_be_visible()
    expect(page.get_by_text("No passkey is set up.")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Add a passkey").click()
    check_a11y(page)
    page.get_by_label("Name for this passkey").fill("Laptop")
    page.get_by_role("button", name="Create passkey").click()
    expect(page.get_by_role("heading", level=1, name="Passkey added")).to_be_visible()
    check_a11y(page)
    key = Passkey.objects.get(account=person)
    assert key.name == "Laptop" and key.rp_id == "localhost"
    assert AuditEvent.objects.filter(event_type=Event.PASSKEY_ENROLL, actor=person).exists()
    log_out(page, check_a11y)

    # The password, then the passkey as the second factor.
    password_login(page, check_a11y)
    expect(page.get_by_role("heading", level=1, name="Multifactor authentication")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r"/$"))
    check_a11y(page)
    assert signed_on(page, check_a11y)
    check_a11y(page)
    used = AuditEvent.objects.filter(event_type=Event.PASSKEY_USED, reason="second_factor")
    assert used.count() == 1
    log_out(page, check_a11y)

    # The passkey alone (the authenticator verifies the user). Its answer is kept, to be
    # replayed below.
    posted: list[str] = []
    page.on(
        "request",
        lambda r: (
            posted.append(r.post_data or "")
            if r.method == "POST" and "/login/passkey/" in r.url
            else None
        ),
    )
    page.goto("/csologin/login/")
    page.get_by_role("link", name="Log in with a passkey").click()
    expect(page.get_by_role("heading", level=1, name="Log in with a passkey")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r"/$"))
    check_a11y(page)
    assert signed_on(page, check_a11y)
    assert (
        AuditEvent.objects.filter(event_type=Event.PASSKEY_USED, reason="only_factor").count() == 1
    )
    log_out(page, check_a11y)

    # A replayed assertion: the same answer sent again, on a fresh login page (its own new
    # challenge) and with its own used-up challenge. Both are refused.
    from urllib.parse import parse_qs

    answer = parse_qs(posted[-1])
    old_credential, old_challenge = answer["credential"][0], answer["challenge"][0]
    for challenge in (None, old_challenge):
        page.goto("/csologin/login/passkey/")
        check_a11y(page)
        page.evaluate(
            """([credential, challenge]) => {
                const form = document.querySelector('form[data-passkey]');
                form.querySelector('input[name=credential]').value = credential;
                if (challenge) form.querySelector('input[name=challenge]').value = challenge;
                form.dataset.passkeyDone = '1';
                form.submit();
            }""",
            [old_credential, challenge],
        )
        expect(page.get_by_role("alert")).to_contain_text(
            re.compile("could not be verified|expired")
        )
        check_a11y(page)
        assert not signed_on(page, check_a11y)
    assert AuditEvent.objects.filter(event_type=Event.PASSKEY_ERROR).count() == 2

    # A cloned authenticator: the same credential copied, private key and all, with its
    # signature counter behind the original's. Its assertion is refused.
    credential = cdp.send("WebAuthn.getCredentials", {"authenticatorId": first})["credentials"][0]
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    clone = authenticator(cdp)
    cdp.send(
        "WebAuthn.addCredential",
        {"authenticatorId": clone, "credential": {**credential, "signCount": 0}},
    )
    page.goto("/csologin/login/passkey/")
    check_a11y(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("could not be verified")
    check_a11y(page)
    assert not signed_on(page, check_a11y)
    assert AuditEvent.objects.filter(
        event_type=Event.PASSKEY_ERROR, reason="cloned_or_replayed"
    ).exists()

    # The genuine authenticator again (its counter ahead of the stored one) signs on; then
    # the passkey is removed, and the password alone signs on again.
    password_login(page, check_a11y)
    expect(page.get_by_role("heading", level=1, name="Multifactor authentication")).to_be_visible()
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": clone})
    cdp.send(
        "WebAuthn.addCredential",
        {"authenticatorId": clone, "credential": {**credential, "signCount": 1000}},
    )
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r"/$"))
    check_a11y(page)
    page.goto("/account/passkeys/")
    check_a11y(page)
    page.get_by_role("link", name="Remove Laptop").click()
    check_a11y(page)
    page.get_by_role("button", name="Remove passkey").click()
    expect(page.get_by_role("heading", level=1, name="Passkey removed")).to_be_visible()
    check_a11y(page)
    assert not Passkey.objects.filter(account=person).exists()
    log_out(page, check_a11y)
    password_login(page, check_a11y)
    page.wait_for_url(re.compile(r"/$"))
    check_a11y(page)
    assert signed_on(page, check_a11y)
    assert not check_a11y.unchecked(), check_a11y.unchecked()
