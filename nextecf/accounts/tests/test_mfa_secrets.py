"""TOTP secrets and backup codes at rest: bound to their row, under a key ring that can be
rotated (manage.py rotate_secrets), and migrated from the retired v1 cipher."""

from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace

import pyotp
import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from conftest import enroll_app, login
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.mfa import (
    backup_code_hash,
    backup_code_hashes,
    backup_codes_on_older_keys,
    format_backup_code,
)
from nextecf.accounts.models import BackupCode, SignOn, TotpDevice, totp_secret_context
from nextecf.lib import secretbox

OLD_KEY = "old-mfa-key-" + "0" * 52
NEW_KEY = "new-mfa-key-" + "1" * 52
CODE_STEP = "/csologin/login/continue/?court=cit"

# Made once with the retired lib/secretbox.py (v1) before it was deleted, under LEGACY_KEY
# with the nonce bytes 0..15, sealing LEGACY_PLAIN.
LEGACY_KEY = "legacy-test-key-0123456789abcdef0123456789abcdef"
LEGACY_PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LEGACY_SEALED = (
    "v1$AAECAwQFBgcICQoLDA0OD5UjaO4PC_ABHS9-_Rh17lx70GqReAnXkAPz9BwYsdrnXpMmH60bDGIADTNh1w7p"
    "01adinikyF_IDuSHf7izhq8="
)
# And a backup-code hash the retired code stored for account 42, code 0123456789ABCDEF.
LEGACY_BACKUP_HASH = "dba09fb3f9a0db2588aa6ba564d0aa889c011c80f56ada7e2111a8073558a31d"

migration = importlib.import_module("nextecf.accounts.migrations.0005_totp_secrets_to_aes_gcm")


@pytest.fixture
def victim(court):
    account = AccountFactory(username="victim0001")
    account.secret = enroll_app(account)
    return account


@pytest.fixture
def mallory(court):
    account = AccountFactory(username="mallory001")
    account.secret = enroll_app(account)
    return account


def password_step(client: Client, username: str):
    response = client.post(
        "/csologin/login/?court=cit",
        {"username": username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and "/login/continue/" in response["Location"]


def test_a_secret_copied_onto_another_device_does_not_open_and_its_code_is_refused(victim, mallory):
    theirs = TotpDevice.objects.get(account=mallory)
    TotpDevice.objects.filter(account=victim).update(secret_encrypted=theirs.secret_encrypted)
    with pytest.raises(secretbox.SecretBoxError, match="another row"):
        TotpDevice.objects.get(account=victim).secret()
    client = Client()
    password_step(client, victim.username)
    response = client.post(CODE_STEP, {"code": pyotp.TOTP(mallory.secret).now()})
    assert response.status_code == 200 and b"That code is not correct." in response.content
    assert not SignOn.objects.get(account=victim).mfa_verified


def test_a_device_moved_to_another_account_does_not_open(victim, mallory):
    moved = TotpDevice.objects.get(account=mallory)
    TotpDevice.objects.filter(pk=moved.pk).update(account=victim)
    moved.refresh_from_db()
    with pytest.raises(secretbox.SecretBoxError):
        moved.secret()
    client = Client()
    password_step(client, victim.username)
    response = client.post(CODE_STEP, {"code": pyotp.TOTP(mallory.secret).now()})
    assert response.status_code == 200 and b"That code is not correct." in response.content


def test_a_pending_setup_whose_secret_does_not_open_is_refused_not_a_server_error(john, signed_in):
    client = signed_in(john)
    page = client.post("/account/mfa/add/", {"step": "start"})
    device = TotpDevice.objects.get(account=john, confirmed=False)
    TotpDevice.objects.filter(pk=device.pk).update(secret_encrypted="v2$000000000000$AAAA")
    response = client.post(
        "/account/mfa/add/",
        {"step": "confirm", "device": device.pk, "name": "Phone", "code": "123456"},
    )
    assert page.status_code == 200
    assert response.status_code == 400 and b"Start again." in response.content
    assert not TotpDevice.objects.filter(account=john, confirmed=True).exists()


def test_a_secret_is_sealed_only_once_its_row_exists(john):
    with pytest.raises(ValueError, match="save the device first"):
        TotpDevice(account=john, name="Phone").seal_secret("JBSWY3DPEHPK3PXP")


def test_rotate_secrets_reseals_under_the_newest_key_and_the_old_key_can_then_go(settings, victim):
    settings.MFA_SECRET_KEYS = [OLD_KEY]
    device = TotpDevice.objects.get(account=victim)
    device.seal_secret(victim.secret)
    device.save()
    before = device.secret_encrypted
    settings.MFA_SECRET_KEYS = [NEW_KEY, OLD_KEY]
    assert TotpDevice.objects.get(pk=device.pk).secret() == victim.secret  # old key reads

    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "1 re-encrypted with the newest key, 0 already under it, 0 unreadable" in (
        out.getvalue()
    )
    device.refresh_from_db()
    new_id = secretbox.KeyRing.of([NEW_KEY]).newest.id
    assert device.secret_encrypted != before
    assert device.secret_encrypted.startswith(f"v2${new_id}$")

    settings.MFA_SECRET_KEYS = [NEW_KEY]
    assert device.secret() == victim.secret
    response = login(Client(), victim.username, otp=pyotp.TOTP(victim.secret).now())
    assert response.status_code == 302 and "/login/continue/" not in response["Location"]

    again = StringIO()
    call_command("rotate_secrets", stdout=again)
    assert "0 re-encrypted with the newest key, 1 already under it" in again.getvalue()
    device.refresh_from_db()
    assert device.secret_encrypted.startswith(f"v2${new_id}$")


def test_rotate_secrets_counts_secrets_it_cannot_open_and_leaves_them(settings, victim):
    broken = TotpDevice.objects.create(account=victim, name="Old", secret_encrypted="x")
    err = StringIO()
    call_command("rotate_secrets", stdout=StringIO(), stderr=err)
    assert "1 secret(s) open under no key of the ring" in err.getvalue()
    broken.refresh_from_db()
    assert broken.secret_encrypted == "x"


def test_backup_codes_made_under_an_old_key_still_work_after_rotation(settings, victim):
    settings.MFA_SECRET_KEYS = [OLD_KEY]
    codes = ["0123456789ABCDEF", "ABCDEFGHJKMNPQRS"]
    for code in codes:
        BackupCode.objects.create(account=victim, code_hash=backup_code_hash(victim, code))
    settings.MFA_SECRET_KEYS = [NEW_KEY, OLD_KEY]
    assert backup_codes_on_older_keys() == 2
    response = login(Client(), victim.username, otp=format_backup_code(codes[0]))
    assert response.status_code == 302 and "/login/continue/" not in response["Location"]
    assert backup_codes_on_older_keys() == 1
    new_id = secretbox.KeyRing.of([NEW_KEY]).newest.id
    assert backup_code_hash(victim, codes[1]).startswith(f"{new_id}:")
    settings.MFA_SECRET_KEYS = [NEW_KEY]  # without its key, the code no longer matches
    response = login(Client(), victim.username, otp=codes[1])
    assert response.status_code == 200 and b"That code is not correct." in response.content


def test_a_backup_code_hash_stored_before_key_ids_still_matches(settings):
    settings.MFA_SECRET_KEYS = [NEW_KEY, LEGACY_KEY]
    account = SimpleNamespace(pk=42)
    assert LEGACY_BACKUP_HASH in backup_code_hashes(account, "0123456789ABCDEF")  # type: ignore[arg-type]
    assert LEGACY_BACKUP_HASH not in backup_code_hashes(account, "0123456789ABCDEG")  # type: ignore[arg-type]


def test_the_migration_reseals_a_v1_value_under_the_ring():
    context = totp_secret_context(7, 3)
    resealed = migration.reseal_v1(LEGACY_SEALED, context=context, materials=[NEW_KEY, LEGACY_KEY])
    assert resealed.startswith(f"v2${secretbox.KeyRing.of([NEW_KEY]).newest.id}$")
    opened = secretbox.decrypt_text(resealed, context=context, keys=secretbox.KeyRing.of([NEW_KEY]))
    assert opened == LEGACY_PLAIN
    assert migration.reseal_v1(LEGACY_SEALED, context=context, materials=[NEW_KEY]) is None


def test_the_legacy_decoder_refuses_a_tampered_or_foreign_value():
    assert migration.legacy_v1_decrypt(LEGACY_SEALED, LEGACY_KEY) == LEGACY_PLAIN.encode()
    tampered = LEGACY_SEALED[:30] + ("A" if LEGACY_SEALED[30] != "A" else "B") + LEGACY_SEALED[31:]
    for value, key in [(tampered, LEGACY_KEY), (LEGACY_SEALED, NEW_KEY), ("v2$x$y", LEGACY_KEY)]:
        with pytest.raises(migration.LegacyValueError):
            migration.legacy_v1_decrypt(value, key)


def test_the_migration_converts_stored_v1_rows_and_leaves_unopenable_ones(settings, john):
    settings.MFA_SECRET_KEYS = [NEW_KEY, LEGACY_KEY]
    old = TotpDevice.objects.create(
        account=john, name="Phone", secret_encrypted=LEGACY_SEALED, confirmed=True
    )
    foreign = LEGACY_SEALED.replace("v1$AAEC", "v1$AAED")
    unopenable = TotpDevice.objects.create(account=john, name="Lost", secret_encrypted=foreign)
    migration.forwards(apps, None)
    old.refresh_from_db()
    unopenable.refresh_from_db()
    assert old.secret_encrypted.startswith("v2$") and old.secret() == LEGACY_PLAIN
    assert unopenable.secret_encrypted == foreign
