from __future__ import annotations

from django import forms


def printable_text(value: str, label: str) -> str:
    """The value without surrounding spaces; a form error naming the field when it holds a
    control character (a NUL, a line break, an escape)."""
    value = value.strip()
    if not value.isprintable():
        raise forms.ValidationError(f"{label} may contain only printable characters.")
    return value
