"""Every form's error messages read as plain English (issue 14, item 2): a message built
from a field's label must not paste the label in where it does not fit, as in
"Enter your confirm new password." or "Enter Filed from.". The test walks every form
class of every app's forms modules and every error message of every field."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from django import forms

import nextecf

# A generated "Enter ..." that pastes a capitalised label mid-sentence ("Enter From.",
# "Enter your Confirm ...") or asks for a "confirm" something.
BAD = [
    re.compile(r"\bEnter (?:your |the |a |an )?[A-Z][a-z]"),
    re.compile(r"\byour confirm\b", re.IGNORECASE),
    re.compile(r"\b(\w+) \1\b", re.IGNORECASE),  # a doubled word ("the the")
    re.compile(r"\.\."),
]


def form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module in pkgutil.walk_packages(nextecf.__path__, "nextecf."):
        name = module.name
        if ".tests" in name or ".migrations" in name or ".forms" not in name:
            continue
        for _, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("nextecf."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def catalogue() -> list[tuple[str, str]]:
    messages = []
    for cls in form_classes():
        for field_name, field in cls.base_fields.items():
            for key, message in field.error_messages.items():
                if key == "required" and not field.required:
                    continue  # never shown
                where = f"{cls.__module__}.{cls.__qualname__}.{field_name}[{key}]"
                messages.append((where, str(message)))
    return messages


def test_the_catalogue_is_walked():
    where = {name for name, _ in catalogue()}
    # The forms the issue named are among those read.
    assert any(".SetPasswordForm.password_confirm[" in name for name in where), sorted(where)
    assert any(".DateRangeReportForm.filed_from[" in name for name in where)
    assert len(where) > 100


def test_no_error_message_reads_badly():
    bad = [
        f"{where}: {message}"
        for where, message in catalogue()
        if any(pattern.search(message) for pattern in BAD)
    ]
    assert not bad, "\n".join(bad)
