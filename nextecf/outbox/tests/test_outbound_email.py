from __future__ import annotations

from django.core.management import call_command
from django.db import transaction

from nextecf.outbox.models import OutboundEmail
from nextecf.outbox.services import email_queue, email_send_pending


def queue_one(**overrides):
    return email_queue(
        kind="test",
        to="someone@example.com",
        template="emails/link_confirmation.txt",
        context={
            "court": {"abbreviation": "USCIT", "name": "U.S. Court of International Trade"},
            "account": {"username": "johndoe1"},
            "filer": {"login": "doej"},
        },
        **overrides,
    )


def test_mail_waits_for_the_commit(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()
        assert mailoutbox == []
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1 and email.sent_at
    assert mailoutbox[0].subject.startswith("USCIT CM/ECF: CM/ECF account doej linked")


def test_mail_queued_in_a_rolled_back_transaction_never_exists(db, mailoutbox):
    try:
        with transaction.atomic():
            queue_one()
            raise RuntimeError("the filing failed")
    except RuntimeError:
        pass
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_a_failed_send_is_recorded_and_retried_until_it_goes(db, settings, mailoutbox):
    email = queue_one()
    settings.EMAIL_BACKEND = "tests.mail.BrokenBackend"
    assert email_send_pending() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_mail")
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert len(mailoutbox) == 1


def test_a_message_that_keeps_failing_is_marked_failed(db, settings):
    email = queue_one()
    settings.EMAIL_BACKEND = "tests.mail.BrokenBackend"
    for _ in range(settings.EMAIL_MAX_ATTEMPTS + 2):
        email_send_pending()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", settings.EMAIL_MAX_ATTEMPTS)


def test_without_send_on_commit_the_worker_sends(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_SEND_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()
    assert mailoutbox == []
    call_command("send_queued_mail")
    email.refresh_from_db()
    assert email.status == "sent" and len(mailoutbox) == 1
