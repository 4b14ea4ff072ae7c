"""Manage My Account > Multifactor authentication: adding and removing authenticator apps,
backup codes."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import enroll_app, login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.mfa import BACKUP_ALPHABET, backup_codes_generate, device_secret
from nextecf.accounts.models import BackupCode, TotpDevice
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import FilerAccountFactory
from nextecf.lib.actor import Actor

ADD = "/account/mfa/add/"


def start(client: Client) -> tuple[str, int, str]:
    """POST Begin; returns the secret shown as text, the device id, and the page."""
    page = client.post(ADD, {"step": "start"})
    assert page.status_code == 200, page.content
    html = page.content.decode()
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = re.search(r'name="device" value="(\d+)"', html).group(1)
    return secret.replace(" ", ""), int(device), html


def confirm(client: Client, device: int, code: str, name: str = "Work phone"):
    return client.post(ADD, {"step": "confirm", "device": device, "name": name, "code": code})


def codes_on(html: str) -> list[str]:
    return re.findall(r"<li><code>([0-9A-Z-]+)</code></li>", html)


def test_enrolling_shows_qr_and_secret_and_confirms_with_a_current_code(john, signed_in):
    client = signed_in(john)
    intro = client.get(ADD)
    assert intro.status_code == 200 and b"Begin" in intro.content
    assert not TotpDevice.objects.exists()  # a GET makes no secret
    secret, device_id, html = start(client)
    assert len(secret) == 32
    assert re.search(
        r'<img src="data:image/svg\+xml[^"]+" alt="QR code for adding PACER account', html
    )
    device = TotpDevice.objects.get(pk=device_id)
    assert not device.confirmed
    assert secret not in device.secret_encrypted and device_secret(device) == secret
    done = confirm(client, device_id, pyotp.TOTP(secret).now())
    assert done.status_code == 200
    assert b"Authenticator app added" in done.content
    device.refresh_from_db()
    assert device.confirmed and device.name == "Work phone" and device.last_used_step > 0
    john.refresh_from_db()
    assert john.has_mfa


def test_the_first_app_comes_with_ten_backup_codes_shown_once(john, signed_in):
    client = signed_in(john)
    secret, device_id, _ = start(client)
    done = confirm(client, device_id, pyotp.TOTP(secret).now()).content.decode()
    codes = codes_on(done)
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert len(plain) == 16 and set(plain) <= set(BACKUP_ALPHABET)  # 80 bits each
    stored = list(BackupCode.objects.filter(account=john).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    assert not any(code in client.get("/account/mfa/").content.decode() for code in codes)


def test_enrolling_is_emailed_and_audited_without_the_secret(
    john, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(john)
    secret, device_id, _ = start(client)
    code = pyotp.TOTP(secret).now()
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, device_id, code)
    codes = codes_on(done.content.decode())
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "PACER: an authenticator app was added to your account",
        "PACER: new backup codes for your account",
    ]
    assert all(m.to == ["john.doe@doelaw.example"] for m in mailoutbox)
    row = AuditEvent.objects.get(event_type=Event.MFA_ENROLL)
    assert row.actor == john and row.detail["app"] == "Work phone"
    assert AuditEvent.objects.filter(event_type=Event.BACKUP_CODES_GENERATED).count() == 1
    everything = json.dumps(list(AuditEvent.objects.values()), default=str) + "".join(
        m.body for m in mailoutbox
    )
    for secret_thing in [secret, code, *codes, *[c.replace("-", "") for c in codes]]:
        assert secret_thing not in everything


def test_a_wrong_code_keeps_the_name_and_confirms_nothing(john, signed_in):
    client = signed_in(john)
    secret, device_id, _ = start(client)
    wrong = str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6)
    page = confirm(client, device_id, wrong, name="My tablet")
    html = page.content.decode()
    assert "Code shown by the app" in html and "is not the one your app shows now" in html
    assert 'value="My tablet"' in html and wrong not in html
    assert secret in html.replace(" ", "")  # the same secret, shown again
    assert not TotpDevice.objects.get(pk=device_id).confirmed
    assert not AuditEvent.objects.filter(event_type=Event.MFA_ENROLL).exists()


def test_enrolling_needs_a_fresh_sign_on(john, signed_in):
    client = signed_in(john)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        stale = client.get(ADD)
        assert stale.status_code == 302
        assert stale["Location"] == "/csologin/reauth/?next=%2Faccount%2Fmfa%2Fadd%2F"
        refused = client.post(ADD, {"step": "start"})
        assert refused["Location"].startswith("/csologin/reauth/")
        assert not TotpDevice.objects.exists()
        back = client.post(stale["Location"], {"password": PASSWORD})
        assert back["Location"] == ADD
        assert client.get(ADD).status_code == 200
        start(client)


def test_an_unverified_email_cannot_enable_mfa(court, signed_in):
    account = AccountFactory(email_verified=False)
    client = signed_in(account)
    page = client.get(ADD)
    assert b"Verify your email address before you set up multifactor" in page.content
    assert b"Begin" not in page.content
    assert client.post(ADD, {"step": "start"}).status_code == 403
    assert not TotpDevice.objects.exists()


def test_a_sixth_app_is_refused(john, signed_in):
    for n in range(4):
        enroll_app(john, name=f"App {n}")
    client = signed_in(john)
    secret, device_id, _ = start(client)  # the fifth, begun
    enroll_app(john, name="Raced in")  # meanwhile five are confirmed
    refused = confirm(client, device_id, pyotp.TOTP(secret).now())
    assert refused.status_code == 403
    assert b"already has 5 authenticator apps, the most allowed" in refused.content
    assert john.totp_devices.filter(confirmed=True).count() == 5
    page = client.get(ADD)
    assert b"Remove one before you add another" in page.content and b"Begin" not in page.content
    assert client.post(ADD, {"step": "start"}).status_code == 403
    assert b"the most allowed" in client.get("/account/mfa/").content


def test_starting_again_discards_the_unconfirmed_app(john, signed_in):
    client = signed_in(john)
    first_secret, first_id, _ = start(client)
    _, second_id, _ = start(client)
    assert not TotpDevice.objects.filter(pk=first_id).exists()
    page = confirm(client, first_id, pyotp.TOTP(first_secret).now())
    assert page.status_code == 400 and b"expired or was replaced" in page.content
    assert TotpDevice.objects.filter(account=john).count() == 1
    assert TotpDevice.objects.get().pk == second_id


def test_an_unconfirmed_app_is_not_usable_at_login(john, court, signed_in):
    client = signed_in(john)
    start(client)
    again = Client()
    response = login(again, "johndoe1")
    assert response["Location"] == "/cit/cgi-bin/login.pl"  # no MFA step at all
    assert not john.has_mfa


def test_another_accounts_setup_cannot_be_confirmed(john, signed_in):
    secret, device_id, _ = start(signed_in(john))
    mallory = signed_in(AccountFactory(username="mallory01"))
    page = confirm(mallory, device_id, pyotp.TOTP(secret).now())
    assert page.status_code == 400
    assert not TotpDevice.objects.get(pk=device_id).confirmed


def test_removing_an_app_needs_fresh_auth_warns_filers_and_notifies(
    court, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    account = AccountFactory()
    FilerAccountFactory(court=court, account=account)
    enroll_app(account)
    client = signed_in(account)
    device = account.totp_devices.get()
    url = f"/account/mfa/apps/{device.pk}/remove/"
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.post(url)["Location"].startswith("/csologin/reauth/")
    assert TotpDevice.objects.filter(pk=device.pk).exists()
    client = signed_in(account)
    ask = client.get(url).content.decode()
    assert "This is your only authenticator app." in ask
    assert "you will be asked to set up an app again at every login" in ask
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url)
    assert done.status_code == 200 and b"Multifactor authentication is now off" in done.content
    assert not account.totp_devices.exists() and not account.backup_codes.exists()
    assert [m.subject for m in mailoutbox] == [
        "PACER: an authenticator app was removed from your account"
    ]
    assert AuditEvent.objects.get(event_type=Event.MFA_REMOVE).detail == {"app": "Phone", "apps": 0}


def test_an_app_of_another_account_cannot_be_removed(john, signed_in):
    other = AccountFactory()
    enroll_app(other)
    device = other.totp_devices.get()
    client = signed_in(john)
    assert client.get(f"/account/mfa/apps/{device.pk}/remove/").status_code == 404
    assert client.post(f"/account/mfa/apps/{device.pk}/remove/").status_code == 404
    assert client.post(f"/account/mfa/apps/{10**30}/remove/").status_code == 404
    assert TotpDevice.objects.filter(pk=device.pk).exists()


def test_get_new_codes_replaces_every_code_and_shows_them_once(
    john, signed_in, rf, mailoutbox, django_capture_on_commit_callbacks
):
    enroll_app(john)
    old = backup_codes_generate(account=john, actor=Actor())
    client = signed_in(john)
    page = client.get("/account/mfa/backup-codes/")
    assert b"<strong>10</strong> unused backup codes" in page.content
    assert b"Get new codes" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        fresh = codes_on(client.post("/account/mfa/backup-codes/").content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(old)
    assert BackupCode.objects.filter(account=john).count() == 10
    assert [m.subject for m in mailoutbox] == ["PACER: new backup codes for your account"]
    assert not any(code in mailoutbox[0].body for code in fresh)
    assert AuditEvent.objects.filter(event_type=Event.BACKUP_CODES_GENERATED).count() == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.post("/account/mfa/backup-codes/")["Location"].startswith("/csologin/reauth/")


def test_backup_codes_need_an_app(john, signed_in):
    client = signed_in(john)
    refused = client.post("/account/mfa/backup-codes/")
    assert refused.status_code == 403 and b"set up an app first" in refused.content
    assert not BackupCode.objects.exists()


def test_a_stranger_is_sent_to_the_login(court):
    for url in ["/account/mfa/", ADD, "/account/mfa/backup-codes/", "/account/mfa/apps/1/remove/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/csologin/login/?next=")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"step": "confirm"},
        {"step": "confirm", "device": "x"},
        {"step": "confirm", "device": "9" * 40, "name": "a", "code": "1"},
        {"step": "confirm", "device": "1", "name": "\x00", "code": "\x00"},
        {"step": "\x00"},
    ],
)
def test_odd_enrollment_input_never_causes_a_server_error(john, signed_in, data):
    client = signed_in(john)
    assert client.post(ADD, data).status_code in (200, 400, 403)


def test_odd_values_for_a_started_enrollment_name_the_field(john, signed_in):
    client = signed_in(john)
    secret, device_id, _ = start(client)
    for name, code, message in [
        ("", pyotp.TOTP(secret).now(), b"Enter a name for this app."),
        ("x" * 65, "123456", b"Name for this app must be at most 64 characters."),
        ("Phone\x00", "123456", b"Null characters are not allowed."),
        ("Phone", "", b"Enter the 6-digit code your authenticator app shows now."),
        ("Phone", "9" * 5000, b"Code shown by the app must be 6 digits."),
    ]:
        page = confirm(client, device_id, code, name=name)
        assert page.status_code == 200 and message in page.content, message
    assert not TotpDevice.objects.get(pk=device_id).confirmed
