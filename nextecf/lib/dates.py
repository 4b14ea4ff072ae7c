"""Court deadlines counted in business days (Monday to Friday; the court's holidays are not
kept yet, so a deadline over a holiday is a day early, never late)."""

from __future__ import annotations

from datetime import date, timedelta


def business_days_after(day: date, count: int) -> date:
    """The date `count` business days after `day` (USCIT Rule 5(g)'s one-day lag: a
    confidential filing on Friday has its public version due on Monday)."""
    current = day
    left = count
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
