"""Django's own rendering of dates (a bare {{ value }}, the staff admin's lists) in the one
style of nextecf/lib/dates.py: MM/DD/YYYY, times with the zone's abbreviation."""

DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "m/d/Y H:i:s T"
SHORT_DATETIME_FORMAT = "m/d/Y H:i:s T"
TIME_FORMAT = "H:i:s T"
