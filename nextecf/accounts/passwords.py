"""The password policy of the security baseline: long passphrases, no composition rules,
a blocklist, and nothing taken from the account itself."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

MIN_LENGTH = 15
MIN_LENGTH_WITH_MFA = 8
MAX_LENGTH = 4096
# Words anyone would guess first on a court's sign-on page.
CONTEXT_WORDS = ("pacer", "cmecf", "cm/ecf", "nextgen", "nextecf", "uscourts", "court")

_common = CommonPasswordValidator()
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "0123456789")


def _is_common(value: str) -> bool:
    """On the blocklist as it is, once its padding of digits and symbols is stripped, or
    made of one short piece repeated, or a run along the alphabet or the keyboard."""
    folded = value.casefold()
    core = folded.strip("0123456789!@#$%^&*()-_=+.,;:?~ ")
    for candidate in {folded, core, folded.replace(" ", "")}:
        if candidate and candidate in _common.passwords:
            return True
    compact = folded.replace(" ", "")
    for size in range(1, len(compact) // 2 + 1):
        unit = compact[:size]
        repeated = len(compact) % size == 0 and unit * (len(compact) // size) == compact
        if repeated and (size <= 4 or unit in _common.passwords):
            return True
    return any(compact and compact in seq * 2 for seq in _SEQUENCES)


def normalize(password: str) -> str:
    """NFKC, so that the same passphrase typed on different keyboards verifies the same."""
    return unicodedata.normalize("NFKC", password)


@dataclass(frozen=True)
class Identity:
    """What a password must not contain."""

    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @classmethod
    def of(cls, user: Any) -> Identity:
        """The identity of an account (or of any user-like object Django passes)."""
        return cls(
            username=getattr(user, "username", "") or "",
            first_name=getattr(user, "first_name", "") or "",
            last_name=getattr(user, "last_name", "") or "",
            email=getattr(user, "email", "") or "",
        )


def password_problems(password: str, *, identity: Identity, mfa: bool = False) -> list[str]:
    """Why this password is refused, in words for the user; empty when it is acceptable."""
    problems: list[str] = []
    value = normalize(password)
    minimum = MIN_LENGTH_WITH_MFA if mfa else MIN_LENGTH
    if len(value) < minimum:
        problems.append(
            f"Password must be at least {minimum} characters"
            + ("." if mfa else " (a few words make a good one).")
        )
    if len(value) > MAX_LENGTH:
        problems.append(f"Password must be at most {MAX_LENGTH} characters.")
    if _is_common(value):
        problems.append("Password is too common; it appears on lists attackers try first.")
    folded = value.casefold()
    local_part = identity.email.split("@")[0]
    for label, word in (
        ("your username", identity.username),
        ("your first name", identity.first_name),
        ("your last name", identity.last_name),
        ("your email address", local_part),
    ):
        if len(word) >= 3 and word.casefold() in folded:
            problems.append(f"Password must not contain {label}.")
    for word in CONTEXT_WORDS:
        if word in folded:
            problems.append(f'Password must not contain "{word}".')
            break
    return problems


class PasswordPolicyValidator:
    """The policy above as a Django password validator (AUTH_PASSWORD_VALIDATORS), so the
    admin's password forms and createsuperuser obey it, with the same words as our forms."""

    def validate(self, password: str, user: Any = None) -> None:
        # An account being created has no apps yet; asking an unsaved one would fail.
        mfa = getattr(user, "pk", None) is not None and bool(getattr(user, "has_mfa", False))
        problems = password_problems(password, identity=Identity.of(user), mfa=mfa)
        if problems:
            raise ValidationError(
                [ValidationError(problem, code="password_policy") for problem in problems]
            )

    def get_help_text(self) -> str:
        return (
            f"Your password must have at least {MIN_LENGTH} characters "
            f"({MIN_LENGTH_WITH_MFA} with multifactor authentication), must not be a common "
            "password, and must not contain your name, username or email address."
        )
