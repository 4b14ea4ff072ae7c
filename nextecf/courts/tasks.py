"""The training instance's nightly reset on the scheduler."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from nextecf.courts.training import training_reset
from nextecf.lib.queue import periodic_job


def nightly_at_reset_hour(timestamp: datetime) -> bool:
    """Huey's schedule test, given the scheduler's minute in UTC: true at minute 0 of
    TRAINING_RESET_HOUR in the court's time zone, and only on a training instance (the
    schedule is registered on every instance; LIVE never resets)."""
    if not settings.TRAINING_INSTANCE:
        return False
    court_time = timestamp.replace(tzinfo=UTC).astimezone(ZoneInfo(settings.TIME_ZONE))
    return court_time.minute == 0 and court_time.hour == settings.TRAINING_RESET_HOUR


@periodic_job(nightly_at_reset_hour, lock="training-reset")
def training_reset_job() -> None:
    """Back to the demo's contents, every night."""
    training_reset()
