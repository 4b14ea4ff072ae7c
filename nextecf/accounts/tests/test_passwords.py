from __future__ import annotations

import pytest

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.passwords import Identity, password_problems

JOHN = Identity(
    username="johndoe1", first_name="John", last_name="Doe", email="jdoe.law@doelaw.example"
)


@pytest.mark.parametrize(
    "password",
    [
        "river stone lantern 42",
        "x" * 64 + " a long one",
        "ça ne fait rien, mon vieux",
        "7 zebras ate 3 lemons",
    ],
)
def test_long_passphrases_without_composition_rules_are_accepted(password):
    assert password_problems(password, identity=JOHN) == []


@pytest.mark.parametrize(
    ("password", "mfa", "fragment"),
    [
        ("fourteen chars", False, "at least 15 characters"),
        ("short12", True, "at least 8 characters"),
        ("passwordpassword", False, "too common"),
        ("Password1234567!", False, "too common"),
        ("abcabcabcabcabcabc", False, "too common"),
        ("qwertyuiopasdfgh", False, "too common"),
        ("123456789012345678", False, "too common"),
        ("my name is johndoe1 ok", False, "your username"),
        ("doe family forever", False, "your last name"),
        ("jdoe.law everything", False, "your email address"),
        ("my pacer account rocks", False, '"pacer"'),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, mfa, fragment):
    problems = password_problems(password, identity=JOHN, mfa=mfa)
    assert any(fragment in p for p in problems), problems


def test_eight_characters_are_enough_only_with_mfa():
    assert password_problems("tulip#42", identity=JOHN, mfa=True) == []
    assert password_problems("tulip#42", identity=JOHN, mfa=False)


def test_composed_and_decomposed_unicode_verify_the_same(db):
    composed, decomposed = (
        "caf\u00e9 au lait, s'il vous pla\u00eet",
        "cafe\u0301 au lait, s'il vous pla\u00eet",
    )
    account = AccountFactory(password=composed)
    assert account.check_password(decomposed)


def test_long_passwords_are_not_truncated(db):
    base = "a" * 80
    account = AccountFactory(password=base + "X")
    assert not account.check_password(base + "Y")
    assert account.check_password(base + "X")


def test_passwords_are_case_sensitive(db):
    account = AccountFactory(password="Lantern river stone")
    assert not account.check_password("lantern river stone")
