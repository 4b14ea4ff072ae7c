"""NEFs go out through the task queue and survive a mail server outage: each attempt that
is refused waits twice as long as the one before, the scheduler's sweep retries when it is
due, and only after more than a day of refusals is a notice marked failed and listed for
the court's clerk. Time is moved, never waited."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller

from nextecf.cases.factories import DocketEntryFactory, DocumentFactory
from nextecf.notices.nef import nef_queue
from nextecf.outbox.models import OutboundEmail
from nextecf.outbox.tasks import mail_send_due
from nextecf.outbox.tests.test_smtp import Inbox

START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """A real SMTP server (aiosmtpd) that is down until `come_back()`: until then the
    configured port is closed and every connection is refused."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=closed_port())
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = closed_port()
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def come_back(self) -> None:
        self.controller.start()
        self.settings.EMAIL_PORT = self.controller.port


@pytest.fixture
def mail_server(settings):
    server = MailServer(settings)
    yield server
    if server.controller._thread is not None:
        server.controller.stop()


@pytest.fixture
def notices(case, django_capture_on_commit_callbacks):
    """A docket entry's NEFs, queued at START; their first attempt (the fan-out task after
    commit) runs at once."""

    def _queue() -> list[OutboundEmail]:
        entry = DocketEntryFactory(case=case)
        DocumentFactory(entry=entry)
        with django_capture_on_commit_callbacks(execute=True):
            emails = nef_queue(entry=entry)
        assert emails
        return emails

    return _queue


def states(emails: list[OutboundEmail]) -> set[tuple[str, int]]:
    return {
        (e.status, e.attempts) for e in OutboundEmail.objects.filter(pk__in=[e.pk for e in emails])
    }


def test_an_nef_is_retried_through_an_hour_of_smtp_outage_then_delivered(mail_server, notices):
    with time_machine.travel(START, tick=False) as clock:
        emails = notices()
        assert states(emails) == {("queued", 1)}
        # The scheduler sweeps every minute; attempts fall due at 1, 3, 7, 15 and 31 minutes.
        for minute in range(1, 61):
            clock.move_to(START + timedelta(minutes=minute))
            mail_send_due()
        assert states(emails) == {("queued", 6)}
        assert {e.last_error.split(":")[0] for e in OutboundEmail.objects.all()} == {
            "ConnectionRefusedError"
        }
        mail_server.come_back()
        clock.move_to(START + timedelta(minutes=62))
        mail_send_due()
        assert mail_server.inbox.envelopes == []  # the next attempt is not due before 63
        clock.move_to(START + timedelta(minutes=63))
        mail_send_due()
    assert states(emails) == {("sent", 7)}
    assert sorted(rcpt for env in mail_server.inbox.envelopes for rcpt in env.rcpt_tos) == sorted(
        e.to for e in emails
    )


def test_an_nef_refused_for_over_a_day_is_failed_and_listed_for_the_clerk(
    mail_server, notices, settings, people, signed_in, court
):
    with time_machine.travel(START, tick=False) as clock:
        emails = notices()
        while OutboundEmail.objects.filter(status="queued").exists():
            due = OutboundEmail.objects.filter(status="queued").order_by("next_attempt_at")[0]
            clock.move_to(due.next_attempt_at)
            if due.next_attempt_at < START + timedelta(hours=24):
                assert not OutboundEmail.objects.filter(status="failed").exists()
            mail_send_due()
    assert states(emails) == {("failed", settings.EMAIL_MAX_ATTEMPTS)}
    for email in OutboundEmail.objects.all():
        assert email.failed_at - email.created_at >= timedelta(hours=24)
        assert email.court_id == court.pk

    listing = signed_in(people.clerk).get("/admin/outbox/outboundemail/?status__exact=failed")
    assert listing.status_code == 200
    for email in emails:
        assert email.to.encode() in listing.content
    elsewhere = signed_in(people.other_clerk).get(
        "/admin/outbox/outboundemail/?status__exact=failed"
    )
    assert elsewhere.status_code == 200
    assert emails[0].to.encode() not in elsewhere.content
