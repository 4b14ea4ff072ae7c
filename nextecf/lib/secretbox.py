"""Authenticated encryption of small secrets at rest (TOTP secrets), with the standard
library only.

The construction is encrypt-then-MAC with two keys derived from one master key:

- encryption: a keystream of HMAC-SHA256(enc_key, nonce || counter) blocks XORed with the
  plaintext (HMAC as a pseudo-random function in counter mode; a random 16-byte nonce per
  message, so a keystream is never reused);
- authentication: HMAC-SHA256(mac_key, version || nonce || ciphertext), checked in constant
  time before anything is decrypted.

The stored form is "v1$" followed by URL-safe base64 of nonce || ciphertext || tag. A copy
of the database alone (a backup, a read replica, a leaked dump) does not reveal the secrets;
the master key lives in the MFA_SECRET_KEY setting, outside the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from django.conf import settings

VERSION = b"v1"
NONCE_BYTES = 16
TAG_BYTES = 32
BLOCK_BYTES = 32  # one SHA-256 output
MAX_PLAINTEXT = 64 * 1024


class SecretBoxError(ValueError):
    """The stored value was tampered with, is malformed, or was made with another key."""


def _keys(master: str | bytes) -> tuple[bytes, bytes]:
    raw = master.encode() if isinstance(master, str) else master
    if not raw:
        raise SecretBoxError("no key")
    enc = hmac.new(raw, b"nextecf.secretbox.v1.encrypt", hashlib.sha256).digest()
    mac = hmac.new(raw, b"nextecf.secretbox.v1.authenticate", hashlib.sha256).digest()
    return enc, mac


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + BLOCK_BYTES - 1) // BLOCK_BYTES):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _tag(mac_key: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    return hmac.new(mac_key, VERSION + nonce + ciphertext, hashlib.sha256).digest()


def _master(key: str | bytes | None) -> str | bytes:
    return settings.MFA_SECRET_KEY if key is None else key


def encrypt(plaintext: bytes, *, key: str | bytes | None = None) -> str:
    """The sealed text to store. `key` defaults to settings.MFA_SECRET_KEY."""
    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError("secretbox is for small secrets")
    enc_key, mac_key = _keys(_master(key))
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = _xor(plaintext, _keystream(enc_key, nonce, len(plaintext)))
    sealed = nonce + ciphertext + _tag(mac_key, nonce, ciphertext)
    return f"{VERSION.decode()}${base64.urlsafe_b64encode(sealed).decode('ascii')}"


def decrypt(sealed: str, *, key: str | bytes | None = None) -> bytes:
    """The plaintext; SecretBoxError unless the value is intact and made with this key."""
    version, sep, body = sealed.partition("$")
    if not sep or version.encode() != VERSION:
        raise SecretBoxError("unknown format")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SecretBoxError("malformed") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SecretBoxError("malformed")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    enc_key, mac_key = _keys(_master(key))
    if not hmac.compare_digest(tag, _tag(mac_key, nonce, ciphertext)):
        raise SecretBoxError("authentication failed")
    return _xor(ciphertext, _keystream(enc_key, nonce, len(ciphertext)))


def encrypt_text(value: str, *, key: str | bytes | None = None) -> str:
    return encrypt(value.encode("utf-8"), key=key)


def decrypt_text(sealed: str, *, key: str | bytes | None = None) -> str:
    return decrypt(sealed, key=key).decode("utf-8")
