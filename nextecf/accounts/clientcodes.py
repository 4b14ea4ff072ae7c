"""Client codes: the one place for their rules. PACER's own (at most 32 characters, no
space or comma), whether an account requires one, and the account's format (Manage My
Account > Billing preferences). The login, the Change Client Code page, the
authentication API and the PCL API's X-CLIENT-CODE all decide with these.

A format is a small pattern a firm sets so its people type client codes the same way:

    #   one digit (0-9)
    A   one letter (a-z or A-Z)
    *   any one character allowed in a client code
    anything else   that character itself (so "ACME-####" cannot be written: A is a letter)

A code matches when it has exactly as many characters as the format and each one fits.
Example: "##-AAA" accepts "12-abc" and "07-XYZ", refuses "7-abc" and "12-ab1".
"""

from __future__ import annotations

CLIENT_CODE_MAX_LENGTH = 32
# What account_code_problem says of an empty code where the account requires one; each
# caller answers it in its own words (a form asks again, the API signs on with a warning).
MISSING = "missing"

DIGIT, LETTER, ANY = "#", "A", "*"
FORMAT_HELP = (
    "# stands for a digit, A for a letter, * for any character; any other character must "
    'appear as it is. Example: "##-AAA" accepts 12-abc. Leave empty to accept any client code.'
)


def validate_client_code(value: str) -> str | None:
    """Why a client code is unacceptable anywhere, or None. PACER forbids spaces and commas."""
    if len(value) > CLIENT_CODE_MAX_LENGTH:
        return f"must be at most {CLIENT_CODE_MAX_LENGTH} characters"
    if " " in value or "," in value:
        return "may not contain a space or a comma (use . _ - or / instead)"
    if not value.isprintable():
        return "may contain only printable characters"
    return None


def format_problem(fmt: str) -> str | None:
    """Why a client code format cannot be used, or None."""
    if not fmt:
        return None
    if len(fmt) > CLIENT_CODE_MAX_LENGTH:
        return f"must be at most {CLIENT_CODE_MAX_LENGTH} characters"
    if " " in fmt or "," in fmt:
        return "may not contain a space or a comma, which client codes cannot contain"
    if not fmt.isprintable():
        return "may contain only printable characters"
    return None


def _fits(char: str, slot: str) -> bool:
    if slot == DIGIT:
        return char.isascii() and char.isdigit()
    if slot == LETTER:
        return char.isascii() and char.isalpha()
    if slot == ANY:
        return True
    return char == slot


def mismatch(code: str, fmt: str) -> str | None:
    """Why this (otherwise valid) client code does not fit the account's format, or None.
    An empty code is not judged here: whether one is required is a separate rule."""
    if not fmt or not code:
        return None
    if len(code) != len(fmt) or not all(_fits(c, s) for c, s in zip(code, fmt, strict=True)):
        return (
            f'must match your account\'s client code format "{fmt}" '
            "(# a digit, A a letter, * any character, anything else as it is)"
        )
    return None


def code_problem(code: str, fmt: str = "") -> str | None:
    """Everything wrong with a client code: PACER's rules, then the account's format."""
    return validate_client_code(code) or mismatch(code, fmt)


def account_code_problem(code: str, *, fmt: str, required: bool) -> str | None:
    """Why this client code will not do for an account with this format that does (or does
    not) require one: MISSING when it is empty but required, else code_problem's answer."""
    if not code:
        return MISSING if required else None
    return code_problem(code, fmt)
