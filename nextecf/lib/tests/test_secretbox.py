"""Encryption of TOTP secrets at rest."""

from __future__ import annotations

import base64

import pytest

from nextecf.lib import secretbox

KEY = "k" * 64


def test_round_trip():
    for plain in [b"", b"x", b"JBSWY3DPEHPK3PXP" * 2, bytes(range(256)) * 3]:
        assert secretbox.decrypt(secretbox.encrypt(plain, key=KEY), key=KEY) == plain


def test_text_round_trip_uses_the_setting_by_default(settings):
    settings.MFA_SECRET_KEY = "from-settings"
    sealed = secretbox.encrypt_text("GEZDGNBVGY3TQOJQ")
    assert secretbox.decrypt_text(sealed) == "GEZDGNBVGY3TQOJQ"
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt_text(sealed, key="another key")


def test_the_plaintext_does_not_appear_and_each_sealing_differs():
    plain = b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    first, second = secretbox.encrypt(plain, key=KEY), secretbox.encrypt(plain, key=KEY)
    assert first != second
    raw_first = base64.urlsafe_b64decode(first.split("$", 1)[1])
    raw_second = base64.urlsafe_b64decode(second.split("$", 1)[1])
    assert raw_first[:16] != raw_second[:16]  # a new nonce each time
    assert plain not in raw_first and plain.decode() not in first


def test_any_tampering_is_detected():
    sealed = secretbox.encrypt(b"secret value", key=KEY)
    raw = bytearray(base64.urlsafe_b64decode(sealed.split("$", 1)[1]))
    for index in range(len(raw)):  # nonce, ciphertext and tag alike
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        forged = "v1$" + base64.urlsafe_b64encode(bytes(flipped)).decode()
        with pytest.raises(secretbox.SecretBoxError):
            secretbox.decrypt(forged, key=KEY)
    truncated = "v1$" + base64.urlsafe_b64encode(bytes(raw[:-1])).decode()
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(truncated, key=KEY)


@pytest.mark.parametrize(
    "bad", ["", "v1$", "v2$AAAA", "v1$!!!!", "plain text", "v1$" + "A" * 10, "v1$é"]
)
def test_malformed_values_are_refused_not_crashed(bad):
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(bad, key=KEY)


def test_a_wrong_key_is_refused():
    sealed = secretbox.encrypt(b"secret", key=KEY)
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(sealed, key=KEY + "x")
