"""Time-based one-time passwords as authenticator apps make them (RFC 6238: HMAC-SHA-1, a
30-second step, 6 digits, a 160-bit secret in base32). The arithmetic, the secrets and the
otpauth:// URI come from pyotp; this module keeps only our rules: which steps are accepted
(the tolerance) and that a step at or before the last accepted one is a replay.

Remembering which step a device last used is the caller's job; `match_step` takes that
step and never accepts a code at or before it.
"""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlencode

import pyotp

STEP_SECONDS = 30
DIGITS = 6
SECRET_CHARACTERS = 32  # base32 characters: 160 bits, the size RFC 4226 recommends for SHA-1
ISSUER = "NextECF"
# A deliberate deviation from ASVS 5.0 6.5.5 (a TOTP code should live no longer than its
# 30-second step): codes of the previous and the next step are accepted too, so a phone
# clock a little off, or a code typed just as it rolled over, still works. That is the
# tolerance django-otp and most authenticator services use, allowed by identity-anchors B29.
# A code's life is at most about 90 seconds, and replay protection means each accepted
# step can never be used again, so the longer window gives an eavesdropper nothing.
TOLERANCE_STEPS = 1


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret.replace(" ", "").upper(), digits=DIGITS, interval=STEP_SECONDS)


def new_secret() -> str:
    """A fresh random secret in unpadded base32 (32 characters for 160 bits)."""
    return pyotp.random_base32(length=SECRET_CHARACTERS)


def step_at(moment: float | None = None) -> int:
    """The time step a Unix time falls in (now, by default)."""
    return int((time.time() if moment is None else moment) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code for one time step."""
    return _totp(secret).generate_otp(step)


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
    generator = _totp(secret)
    found: int | None = None
    for step in range(max(0, now - TOLERANCE_STEPS), now + TOLERANCE_STEPS + 1):
        if hmac.compare_digest(generator.generate_otp(step), wanted) and found is None:
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
    uri = _totp(secret).provisioning_uri(name=username, issuer_name=issuer)
    # pyotp leaves out parameters at their defaults; we state them, as our URIs always
    # have, so what an app is told never rests on the defaults it assumes.
    explicit = {"algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    return f"{uri}&{urlencode(explicit)}"


def group(secret: str, size: int = 4) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
