from __future__ import annotations

from datetime import date, datetime

from django import template

from nextecf.lib import dates

register = template.Library()


@register.filter
def mdy(value: date | datetime | None) -> str:
    """A date as CM/ECF prints it: 01/16/2024; nothing for no date."""
    return dates.mdy(value)


@register.filter
def mdy_time(value: datetime | None) -> str:
    """A moment: 01/16/2024 15:04:05 EST, in the court's time zone."""
    return dates.mdy_time(value)


@register.filter
def time_of_day(value: datetime | None) -> str:
    """The moment's time of day, 15:04:05 EST, in the court's time zone."""
    return dates.time_of_day(value)


@register.filter
def clock(value: datetime | None) -> str:
    """15:04:05 without the zone (a PACER receipt's date row; see lib/dates.py clock)."""
    return dates.clock(value) if value is not None else ""


@register.filter
def zone_name(value: datetime | None) -> str:
    """EST or EDT: the court's time zone's abbreviation at that moment."""
    return dates.zone_name(value) if value is not None else ""
