"""The scheduler's mail sweep: it sends what is due, and a second scheduler started by
mistake finds the job's lock held and does not run it again at once."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from nextecf.outbox.models import OutboundEmail
from nextecf.outbox.tasks import mail_send_due
from nextecf.outbox.tests.test_outbound_email import queue_one


def test_the_sweep_sends_only_what_is_due(db, mailoutbox):
    email = queue_one()  # its after-commit attempt never ran (the test's transaction)
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    mail_send_due()
    assert mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        mail_send_due()
    email.refresh_from_db()
    assert email.status == "sent" and len(mailoutbox) == 1


def test_the_sweep_does_not_run_while_another_scheduler_holds_its_lock(db, mailoutbox):
    email = queue_one()
    with HUEY.lock_task("mail-send-due"):
        mail_send_due()
    email.refresh_from_db()
    assert (email.status, mailoutbox) == ("queued", [])
    mail_send_due()
    email.refresh_from_db()
    assert email.status == "sent" and len(mailoutbox) == 1


def test_the_retry_schedule_covers_more_than_a_day(settings):
    waits = [OutboundEmail.retry_delay(n) for n in range(1, settings.EMAIL_MAX_ATTEMPTS)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(waits) == timedelta(hours=4)
    assert timedelta(hours=24) <= sum(waits, timedelta()) < timedelta(hours=25)
