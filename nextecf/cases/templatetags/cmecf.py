from __future__ import annotations

from datetime import date

from django import template

from nextecf.cases.docket import mdy as mdy_format

register = template.Library()


@register.filter
def mdy(value: date | None) -> str:
    """A date as CM/ECF prints it: 01/16/2024; nothing for no date."""
    return mdy_format(value)
