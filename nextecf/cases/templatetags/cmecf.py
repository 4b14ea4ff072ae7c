from __future__ import annotations

from datetime import date, datetime

from django import template

from nextecf.lib import dates

register = template.Library()

# A template filter never fails: anything that is not a date (a missing variable renders
# as "") shows as nothing, as Django's own |date does.


@register.filter
def mdy(value: object) -> str:
    """A date as CM/ECF prints it: 01/16/2024; nothing for no date."""
    return dates.mdy(value) if isinstance(value, date) else ""


@register.filter
def mdy_time(value: object) -> str:
    """A moment: 01/16/2024 15:04:05 EST, in the court's time zone."""
    return dates.mdy_time(value) if isinstance(value, datetime) else ""


@register.filter
def time_of_day(value: object) -> str:
    """The moment's time of day, 15:04:05 EST, in the court's time zone."""
    return dates.time_of_day(value) if isinstance(value, datetime) else ""


@register.filter
def clock(value: object) -> str:
    """15:04:05 without the zone (a PACER receipt's date row; see lib/dates.py clock)."""
    return dates.clock(value) if isinstance(value, datetime) else ""


@register.filter
def zone_name(value: object) -> str:
    """EST or EDT: the court's time zone's abbreviation at that moment."""
    return dates.zone_name(value) if isinstance(value, datetime) else ""
