from __future__ import annotations

import getpass
import io

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.core.management import call_command

from conftest import enroll_app
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account
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


def test_djangos_validate_password_applies_our_policy_with_our_words(db):
    account = AccountFactory(username="johndoe1", first_name="John", last_name="Doe")
    with pytest.raises(ValidationError) as refused:
        validate_password("Password1234567!", account)
    assert refused.value.messages == [
        "Password is too common; it appears on lists attackers try first."
    ]
    with pytest.raises(ValidationError) as named:
        validate_password("my name is johndoe1 ok", account)
    assert "Password must not contain your username." in named.value.messages
    assert validate_password("river stone lantern 42", account) is None
    assert "at least 15 characters" in password_validators_help_texts()[0]


def test_the_shorter_minimum_with_mfa_holds_for_djangos_check_too(db):
    account = AccountFactory()
    with pytest.raises(ValidationError, match="at least 15 characters"):
        validate_password("tulip#42", account)
    enroll_app(account)
    assert validate_password("tulip#42", account) is None
    with pytest.raises(ValidationError, match="at least 15 characters"):
        validate_password("tulip#42", Account(username="newperson1"))  # not saved: no apps


def test_the_admins_password_form_refuses_a_blocklisted_password(db):
    account = AccountFactory()
    form = AdminPasswordChangeForm(
        account, {"password1": "passwordpassword", "password2": "passwordpassword"}
    )
    assert not form.is_valid()
    assert "Password is too common; it appears on lists attackers try first." in str(form.errors)


def test_createsuperuser_refuses_a_blocklisted_password(db, monkeypatch):
    typed = iter(["passwordpassword"] * 2 + ["river stone lantern 42"] * 2)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")  # do not bypass validation

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = io.StringIO()
    call_command(
        "createsuperuser",
        username="clerkadmin1",
        email="clerk@example.com",
        first_name="Court",
        last_name="Clerk",
        stdin=Terminal(),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "Password is too common; it appears on lists attackers try first." in err.getvalue()
    admin = Account.objects.get(username="clerkadmin1")
    assert admin.is_superuser and admin.check_password("river stone lantern 42")
