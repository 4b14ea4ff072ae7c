"""One date style, as CM/ECF writes dates: MM/DD/YYYY; a moment adds the time of day in
the court's time zone and that zone's abbreviation (01/16/2024 15:04:05 EST). Every page,
receipt and report formats dates here (templates through the ``mdy`` and ``mdy_time``
filters), never with a format string of its own."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.utils import timezone


def mdy(value: date | datetime | None, zone: tzinfo | None = None) -> str:
    """01/16/2024; a moment's date is its date in the court's time zone; nothing for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, zone).date()
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


def mdy_time(value: datetime | None, zone: tzinfo | None = None) -> str:
    """01/16/2024 15:04:05 EST: the moment in the court's time zone, with its abbreviation
    (EST or EDT as the date falls); nothing for none."""
    if value is None:
        return ""
    return f"{mdy(value, zone)} {time_of_day(value, zone)}"


def time_of_day(value: datetime | None, zone: tzinfo | None = None) -> str:
    """15:04:05 EST: the moment's time of day in the court's time zone; nothing for none."""
    if value is None:
        return ""
    return f"{clock(value, zone)} {zone_name(value, zone)}"


def clock(value: datetime, zone: tzinfo | None = None) -> str:
    """15:04:05, in the court's time zone. Only where client software reads the time and
    the zone must stand apart (a PACER receipt's date row, which juriscraper parses)."""
    return f"{local(value, zone):%H:%M:%S}"


def zone_name(value: datetime, zone: tzinfo | None = None) -> str:
    """The court's time zone's abbreviation at that moment: EST or EDT."""
    return f"{local(value, zone):%Z}"


def local(value: datetime, zone: tzinfo | None = None) -> datetime:
    """The moment in the court's time zone (the deployment's TIME_ZONE unless given)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value, zone)
