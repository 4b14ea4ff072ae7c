from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from nextecf.outbox.models import OutboundEmail

if TYPE_CHECKING:
    from nextecf.accounts.models import Account
    from nextecf.courts.models import Court

logger = logging.getLogger(__name__)


def email_queue(
    *,
    kind: str,
    to: str,
    template: str,
    context: dict[str, object],
    account: Account | None = None,
    court: Court | None = None,
) -> OutboundEmail:
    """Queue an email in the caller's transaction; its first attempt is queued as a task
    once that commits.

    The template renders the subject on its first line and the body after it.
    """
    rendered = render_to_string(template, context).strip()
    subject, _, body = rendered.partition("\n")
    email = OutboundEmail.objects.create(
        kind=kind,
        to=to,
        subject=subject.strip(),
        body=body.strip() + "\n",
        account=account,
        court=court,
    )
    email_deliver_after_commit([email.pk])
    return email


def email_deliver_after_commit(ids: list[int]) -> None:
    """Once the caller's transaction commits, queue one task that sends these emails. If
    the queue cannot take it, the scheduler's sweep of due mail sends them a minute later."""
    if not settings.EMAIL_SEND_ON_COMMIT or not ids:
        return
    # The task module imports this one; the name is looked up when it is needed.
    from nextecf.outbox.tasks import email_deliver

    transaction.on_commit(lambda: email_deliver(ids), robust=True)


def email_send_pending(*, ids: Iterable[int] | None = None) -> int:
    """Try to send queued emails (these ids, or all queued, due or not); returns how many
    went out. A failure is recorded and retried later, up to EMAIL_MAX_ATTEMPTS."""
    queued = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)
    if ids is not None:
        queued = queued.filter(pk__in=list(ids))
    return _send_each(queued)


def email_send_due() -> int:
    """Send the queued emails whose next attempt has come (the scheduler runs it every
    minute); returns how many went out."""
    return _send_each(OutboundEmail.objects.due(timezone.now()))


def _send_each(queued: QuerySet[OutboundEmail]) -> int:
    sent = 0
    for pk in queued.order_by("pk").values_list("pk", flat=True):
        # The row lock (skipped if another worker holds it) stops two senders mailing twice.
        with transaction.atomic():
            email = queued.select_for_update(skip_locked=True).filter(pk=pk).first()
            if email is None:
                continue
            sent += _send_one(email)
    return sent


def _send_one(email: OutboundEmail) -> int:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body or email.html_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.html_body and not email.body:
        # HTML only (a Notice of Electronic Filing): a single text/html part, which is what
        # PACER tools reading NEFs expect.
        message.content_subtype = "html"
    elif email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    email.attempts += 1
    delivered = 0
    try:
        message.send()
    except Exception as exc:  # any transport failure is retried later
        logger.warning("email %s failed: %s", email.pk, type(exc).__name__)
        email.record_failure(f"{type(exc).__name__}: {exc}", timezone.now())
        if email.status == OutboundEmail.Status.FAILED:
            logger.error("email %s failed for good after %s attempts", email.pk, email.attempts)
    else:
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        delivered = 1
    email.save(
        update_fields=[
            "attempts",
            "last_error",
            "status",
            "sent_at",
            "next_attempt_at",
            "failed_at",
        ]
    )
    return delivered
