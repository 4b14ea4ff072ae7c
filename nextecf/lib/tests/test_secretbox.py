"""Encryption of TOTP secrets at rest: AES-GCM, bound to a context, under a key ring."""

from __future__ import annotations

import base64

import pytest

from nextecf.lib import secretbox

KEY = "k" * 64
OLD_KEY = "o" * 64
ROW = b"accounts.totpdevice.secret:7:3"
RING = secretbox.KeyRing.of([KEY])


def body_of(sealed: str) -> bytes:
    return base64.urlsafe_b64decode(sealed.split("$")[2])


def test_round_trip():
    for plain in [b"", b"x", b"JBSWY3DPEHPK3PXP" * 2, bytes(range(256)) * 3]:
        sealed = secretbox.encrypt(plain, context=ROW, keys=RING)
        assert secretbox.decrypt(sealed, context=ROW, keys=RING) == plain


def test_text_round_trip_uses_the_setting_by_default(settings):
    settings.MFA_SECRET_KEYS = ["from-settings"]
    sealed = secretbox.encrypt_text("GEZDGNBVGY3TQOJQ", context=ROW)
    assert secretbox.decrypt_text(sealed, context=ROW) == "GEZDGNBVGY3TQOJQ"
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt_text(sealed, context=ROW, keys=secretbox.KeyRing.of(["another key"]))


def test_the_plaintext_does_not_appear_and_each_sealing_differs():
    plain = b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    first = secretbox.encrypt(plain, context=ROW, keys=RING)
    second = secretbox.encrypt(plain, context=ROW, keys=RING)
    assert first != second
    assert body_of(first)[:12] != body_of(second)[:12]  # a new 96-bit nonce each time
    assert plain not in body_of(first) and plain.decode() not in first


def test_any_tampering_is_detected():
    sealed = secretbox.encrypt(b"secret value", context=ROW, keys=RING)
    version, key_id, _ = sealed.split("$")
    raw = body_of(sealed)
    for index in range(len(raw)):  # nonce, ciphertext and tag alike
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        forged = f"{version}${key_id}${base64.urlsafe_b64encode(bytes(flipped)).decode()}"
        with pytest.raises(secretbox.SecretBoxError):
            secretbox.decrypt(forged, context=ROW, keys=RING)
    truncated = f"{version}${key_id}${base64.urlsafe_b64encode(raw[:-1]).decode()}"
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(truncated, context=ROW, keys=RING)


def test_a_value_sealed_for_one_row_does_not_open_for_another():
    sealed = secretbox.encrypt(b"secret", context=ROW, keys=RING)
    for other in [b"accounts.totpdevice.secret:8:3", b"accounts.totpdevice.secret:7:4", b""]:
        with pytest.raises(secretbox.SecretBoxError, match="another row"):
            secretbox.decrypt(sealed, context=other, keys=RING)


@pytest.mark.parametrize(
    "bad",
    ["", "v1$", "v2$AAAA", "v2$$", "v2$abc$!!!!", "plain text", "v2$x$" + "A" * 10, "v2$x$é"],
)
def test_malformed_values_are_refused_not_crashed(bad):
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(bad, context=ROW, keys=RING)


def test_a_wrong_key_is_refused():
    sealed = secretbox.encrypt(b"secret", context=ROW, keys=RING)
    with pytest.raises(secretbox.SecretBoxError, match="not in the ring"):
        secretbox.decrypt(sealed, context=ROW, keys=secretbox.KeyRing.of([KEY + "x"]))


def test_a_value_names_its_key_by_an_id_that_is_not_the_key():
    sealed = secretbox.encrypt(b"secret", context=ROW, keys=RING)
    version, key_id, _ = sealed.split("$")
    assert version == "v2" and key_id == RING.newest.id and len(key_id) == 12
    assert key_id not in KEY.encode().hex() and KEY not in sealed
    assert secretbox.KeyRing.of([OLD_KEY]).newest.id != key_id


def test_the_newest_key_seals_and_an_older_one_still_opens():
    old_ring = secretbox.KeyRing.of([OLD_KEY])
    made_before = secretbox.encrypt(b"before", context=ROW, keys=old_ring)
    rotated = secretbox.KeyRing.of([KEY, OLD_KEY])
    assert secretbox.decrypt(made_before, context=ROW, keys=rotated) == b"before"
    made_after = secretbox.encrypt(b"after", context=ROW, keys=rotated)
    assert made_after.split("$")[1] == secretbox.KeyRing.of([KEY]).newest.id
    assert rotated.sealed_with_newest(made_after) and not rotated.sealed_with_newest(made_before)
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.decrypt(made_after, context=ROW, keys=old_ring)


def test_an_empty_ring_or_key_is_refused():
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.KeyRing.of([])
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.KeyRing.of([""])


def test_a_key_never_shows_in_a_repr():
    assert KEY not in repr(RING) and KEY.encode().hex() not in repr(RING)
