"""The outbox's tasks: an email's first attempt right after its transaction commits, and
the scheduler's sweep that retries whatever is due (with the doubling wait the email row
keeps, so a retry survives a restart or a flushed queue)."""

from __future__ import annotations

from nextecf.lib.queue import crontab, periodic_job, task
from nextecf.outbox import services


@task()
def email_deliver(ids: list[int]) -> int:
    """Send these queued emails now; what fails waits for the sweep."""
    return services.email_send_pending(ids=ids)


@periodic_job(crontab(minute="*"), lock="mail-send-due")
def mail_send_due() -> int:
    return services.email_send_due()
