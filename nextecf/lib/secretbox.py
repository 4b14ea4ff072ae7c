"""Encryption of small secrets at rest (TOTP secrets) with AES-256-GCM from `cryptography`,
under a ring of keys so the key can be rotated.

- Every value is bound to where it is stored by associated data (the caller's `context`,
  e.g. table, column and row): a sealed value copied onto another row does not decrypt.
- The ring comes from settings.MFA_SECRET_KEYS, newest first. The newest key seals; every
  key of the ring opens. Each stored value names its key by a short id derived from it
  (never the key itself), so opening tries only that key.
- The AES key is derived from the configured key material with HKDF-SHA256, so any
  string of enough entropy can serve as key material.

The stored form is "v2$<key id>$" followed by URL-safe base64 of nonce || ciphertext+tag.
A copy of the database alone (a backup, a read replica, a leaked dump) reveals nothing;
the keys live outside the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = "v2"
NONCE_BYTES = 12  # the 96-bit nonce GCM is specified for; random per value
MAX_PLAINTEXT = 64 * 1024
_ENCRYPTION_INFO = b"nextecf.secretbox.v2.aes-256-gcm"
_KEY_ID_INFO = b"nextecf.secretbox.v2.key-id"


class SecretBoxError(ValueError):
    """The stored value was tampered with, is malformed, belongs to another row, or was
    made with a key that is not in the ring."""


def _hkdf(material: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(material)


@dataclass(frozen=True)
class Key:
    """One key of the ring: its public id and the AES key derived from its material."""

    id: str
    # Never in a repr: a key must not reach a log or a traceback.
    material: bytes = field(repr=False)
    aead: AESGCM = field(repr=False)

    @classmethod
    def from_material(cls, material: str | bytes) -> Key:
        raw = material.encode() if isinstance(material, str) else material
        if not raw:
            raise SecretBoxError("empty key")
        # The id is a separate HKDF output: it names the key without revealing it.
        key_id = _hkdf(raw, _KEY_ID_INFO, 6).hex()
        return cls(id=key_id, material=raw, aead=AESGCM(_hkdf(raw, _ENCRYPTION_INFO, 32)))

    def hmac_key(self, purpose: bytes) -> bytes:
        """A key for a keyed hash, derived from this key's material for one purpose (the
        derivation backup-code hashes have always used, so hashes stored before the ring
        existed still match)."""
        return hmac.new(self.material, purpose, hashlib.sha256).digest()


@dataclass(frozen=True)
class KeyRing:
    """Keys newest first: the first seals, all open."""

    keys: tuple[Key, ...]

    @classmethod
    def of(cls, materials: Sequence[str | bytes]) -> KeyRing:
        if not materials:
            raise SecretBoxError("the key ring is empty")
        return cls(tuple(Key.from_material(material) for material in materials))

    @property
    def newest(self) -> Key:
        return self.keys[0]

    def seal(self, plaintext: bytes, *, context: bytes) -> str:
        if len(plaintext) > MAX_PLAINTEXT:
            raise ValueError("secretbox is for small secrets")
        key = self.newest
        nonce = os.urandom(NONCE_BYTES)
        body = nonce + key.aead.encrypt(nonce, plaintext, _associated(key.id, context))
        return f"{VERSION}${key.id}${base64.urlsafe_b64encode(body).decode('ascii')}"

    def open(self, sealed: str, *, context: bytes) -> bytes:
        version, key_id, body = _split(sealed)
        if version != VERSION:
            raise SecretBoxError("unknown format")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise SecretBoxError("malformed") from None
        if len(raw) <= NONCE_BYTES:
            raise SecretBoxError("malformed")
        nonce, ciphertext = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        candidates = [key for key in self.keys if key.id == key_id]
        if not candidates:
            raise SecretBoxError("made with a key that is not in the ring")
        for key in candidates:  # two keys share an id only by a 1 in 2^48 accident
            try:
                return key.aead.decrypt(nonce, ciphertext, _associated(key.id, context))
            except InvalidTag:
                continue
        raise SecretBoxError("authentication failed (tampered, or stored on another row)")

    def sealed_with_newest(self, sealed: str) -> bool:
        """Whether this value is already under the newest key (so rotation may skip it)."""
        try:
            return _split(sealed)[:2] == (VERSION, self.newest.id)
        except SecretBoxError:
            return False


def _split(sealed: str) -> tuple[str, str, str]:
    parts = sealed.split("$")
    if len(parts) != 3:
        raise SecretBoxError("unknown format")
    return parts[0], parts[1], parts[2]


def _associated(key_id: str, context: bytes) -> bytes:
    # The header is authenticated too, so neither it nor the row binding can be altered.
    return f"{VERSION}${key_id}$".encode() + context


@lru_cache(maxsize=8)
def _ring_of(materials: tuple[str, ...]) -> KeyRing:
    return KeyRing.of(materials)


def ring() -> KeyRing:
    """The configured ring (settings.MFA_SECRET_KEYS, newest first)."""
    return _ring_of(tuple(settings.MFA_SECRET_KEYS))


def encrypt(plaintext: bytes, *, context: bytes, keys: KeyRing | None = None) -> str:
    """The sealed text to store, bound to `context`."""
    return (keys or ring()).seal(plaintext, context=context)


def decrypt(sealed: str, *, context: bytes, keys: KeyRing | None = None) -> bytes:
    """The plaintext; SecretBoxError unless the value is intact, made for this context and
    with a key of the ring."""
    return (keys or ring()).open(sealed, context=context)


def encrypt_text(value: str, *, context: bytes, keys: KeyRing | None = None) -> str:
    return encrypt(value.encode("utf-8"), context=context, keys=keys)


def decrypt_text(sealed: str, *, context: bytes, keys: KeyRing | None = None) -> str:
    try:
        return decrypt(sealed, context=context, keys=keys).decode("utf-8")
    except UnicodeDecodeError:
        raise SecretBoxError("not text") from None
