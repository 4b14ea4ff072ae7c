"""TOTP secrets move from the retired home-made cipher ("v1$": an HMAC-SHA256 keystream in
counter mode with an HMAC-SHA256 tag) to AES-256-GCM from `cryptography`, bound to each
device's row, under the MFA_SECRET_KEYS ring (lib.secretbox, "v2$").

LEGACY, READ-ONLY: `legacy_v1_decrypt` below is the only copy of the old construction left
anywhere, kept so this migration can read values written before it. It only decrypts;
nothing may ever seal with it, and it must not be imported from anywhere else. It can go
with this migration once no database older than it remains (squash).
"""

import base64
import binascii
import hashlib
import hmac

from django.conf import settings
from django.db import migrations

from nextecf.accounts.models import totp_secret_context
from nextecf.lib import secretbox

_V1_NONCE = 16
_V1_TAG = 32
_V1_BLOCK = 32


class LegacyValueError(ValueError):
    pass


def legacy_v1_decrypt(sealed, master):
    """The plaintext of a "v1$" value under one master key; LegacyValueError otherwise."""
    version, sep, body = sealed.partition("$")
    if not sep or version != "v1":
        raise LegacyValueError("not a v1 value")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise LegacyValueError("malformed") from None
    if len(raw) < _V1_NONCE + _V1_TAG:
        raise LegacyValueError("malformed")
    nonce, ciphertext, tag = raw[:_V1_NONCE], raw[_V1_NONCE:-_V1_TAG], raw[-_V1_TAG:]
    master = master.encode() if isinstance(master, str) else master
    enc_key = hmac.new(master, b"nextecf.secretbox.v1.encrypt", hashlib.sha256).digest()
    mac_key = hmac.new(master, b"nextecf.secretbox.v1.authenticate", hashlib.sha256).digest()
    expected = hmac.new(mac_key, b"v1" + nonce + ciphertext, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise LegacyValueError("authentication failed")
    blocks = (len(ciphertext) + _V1_BLOCK - 1) // _V1_BLOCK
    stream = b"".join(
        hmac.new(enc_key, nonce + n.to_bytes(8, "big"), hashlib.sha256).digest()
        for n in range(blocks)
    )
    return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=False))


def reseal_v1(sealed, *, context, materials):
    """The v2 value for a v1 one, or None when no key given opens it. The old format did
    not name its key, so each key of the ring is tried (its tag tells the right one)."""
    for master in materials:
        try:
            plaintext = legacy_v1_decrypt(sealed, master)
        except LegacyValueError:
            continue
        return secretbox.KeyRing.of(materials).seal(plaintext, context=context)
    return None


def forwards(apps, schema_editor):
    TotpDevice = apps.get_model("accounts", "TotpDevice")
    materials = list(settings.MFA_SECRET_KEYS)
    for device in TotpDevice.objects.filter(secret_encrypted__startswith="v1$").iterator():
        resealed = reseal_v1(
            device.secret_encrypted,
            context=totp_secret_context(device.pk, device.account_id),
            materials=materials,
        )
        # A value no key opens was already unusable at login; it stays as it is.
        if resealed is not None:
            device.secret_encrypted = resealed
            device.save(update_fields=["secret_encrypted"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_email_index"),
    ]

    # Backwards leaves the v2 values: the old cipher is gone, so nothing could write v1.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
