"""Docket alerts on the task queue: the fan-out of each new entry, each webhook delivery
(retried with a doubling wait by scheduling the next attempt, and by the sweep every
minute, which also picks up attempts a restart lost) and the daily digest."""

from __future__ import annotations

from nextecf.alerts.services import (
    alerts_digest_due,
    alerts_fan_out,
    webhook_attempt,
    webhooks_retry_due,
)
from nextecf.lib.queue import crontab, periodic_job, task


@task()
def alerts_fan_out_task(entry_id: int) -> None:
    for delivery_id in alerts_fan_out(entry_id=entry_id):
        webhook_deliver_task(delivery_id)


@task()
def webhook_deliver_task(delivery_id: int) -> None:
    wait = webhook_attempt(delivery_id=delivery_id)
    if wait is not None:
        webhook_deliver_task.schedule((delivery_id,), delay=wait)


@periodic_job(crontab(minute="*"), lock="webhook-retries")
def webhook_retry_due_job() -> int:
    return webhooks_retry_due()


@periodic_job(crontab(minute="0"), lock="alert-digests")
def alerts_digest_job() -> int:
    """Every hour on the hour: the daily digests of the courts where it is now 07:00."""
    return alerts_digest_due()
