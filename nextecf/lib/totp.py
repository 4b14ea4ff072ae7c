"""Time-based one-time passwords (RFC 6238 over RFC 4226), as authenticator apps make them:
HMAC-SHA-1, a 30-second time step, 6 digits, a 160-bit secret shown in base32.

This module only computes and compares codes. Remembering which step a device last used
(replay protection) is the caller's job; `match_step` takes that step and never accepts a
code at or before it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA-1
ISSUER = "NextECF"
# A deliberate deviation from ASVS 5.0 6.5.5 (a TOTP code should live no longer than its
# 30-second step): codes of the previous and the next step are accepted too, so a phone
# clock a little off, or a code typed just as it rolled over, still works. That is the
# tolerance django-otp and most authenticator services use, allowed by identity-anchors B29.
# A code's life is at most about 90 seconds, and replay protection means each accepted
# step can never be used again, so the longer window gives an eavesdropper nothing.
TOLERANCE_STEPS = 1


def new_secret() -> str:
    """A fresh random secret in unpadded base32 (32 characters for 160 bits)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def step_at(moment: float | None = None) -> int:
    """The time step a Unix time falls in (now, by default)."""
    return int((time.time() if moment is None else moment) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code for one time step (RFC 4226 HOTP with the step as counter)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalize_code(code: str) -> str | None:
    """The code as six digits (spaces removed), or None when it cannot be a TOTP code."""
    cleaned = code.replace(" ", "").replace("-", "")
    if len(cleaned) != DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return cleaned


def find_step(secret: str, code: str, *, moment: float | None = None) -> int | None:
    """The step within the acceptance window whose code this is, or None.

    Every step of the window is compared, in constant time, so timing does not tell which
    one matched.
    """
    wanted = normalize_code(code)
    if wanted is None:
        return None
    now = step_at(moment)
    found: int | None = None
    for step in range(now - TOLERANCE_STEPS, now + TOLERANCE_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), wanted) and found is None:
            found = step
    return found


def match_step(
    secret: str, code: str, *, last_used_step: int, moment: float | None = None
) -> int | None:
    """The step to record when this code is accepted, or None when it is refused: wrong,
    outside the window, or a replay (its step is not after the last accepted one)."""
    step = find_step(secret, code, moment=moment)
    if step is None or step <= last_used_step:
        return None
    return step


def provisioning_uri(*, secret: str, username: str, issuer: str = ISSUER) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{username}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def group(secret: str, size: int = 4) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
