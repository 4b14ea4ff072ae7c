"""Docket alerts: following cases, registering webhooks, and telling followers of each new
entry (email, digest, webhook deliveries).

Whether a follower may hear of an entry is asked of the access policy (access.decide,
Action.VIEW_CASE) when the entry is fanned out and again when each email digest or
webhook delivery is sent, so a sealed case's entries reach only those entitled to see
them, even if the case was sealed after the entry was queued.

A webhook delivery is a POST of JSON with three headers:
    X-NextECF-Event-Id    the delivery's id (the same on every retry: receivers de-duplicate)
    X-NextECF-Timestamp   Unix seconds when this attempt was signed
    X-NextECF-Signature   v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the secret>
Any 2xx answer delivers it; anything else (or no answer in WEBHOOK_TIMEOUT_SECONDS) is
retried after 1, 2, 4 ... times WEBHOOK_RETRY_BASE_SECONDS, WEBHOOK_MAX_ATTEMPTS times in
all; a webhook whose deliveries fail WEBHOOK_DISABLE_AFTER_FAILURES attempts in a row is
disabled, and its owner emailed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from nextecf.access import Action, decide, is_public_document
from nextecf.accounts.models import Account
from nextecf.alerts.models import DigestItem, Subscription, Webhook, WebhookDelivery
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, DocketEntry
from nextecf.courts.models import Court
from nextecf.lib import secretbox
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-NextECF-Signature"
TIMESTAMP_HEADER = "X-NextECF-Timestamp"
EVENT_HEADER = "X-NextECF-Event-Id"


class AlertRefused(Exception):
    def __init__(self, reason: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field


def may_hear_of(account: Account, case: Case) -> bool:
    """Whether this account may be told of this case's entries: the same rule as opening
    the case's docket."""
    return bool(decide(user=account, court=case.court, action=Action.VIEW_CASE, case=case))


# --- Following -----------------------------------------------------------------------------


def alert_follow(
    *, account: Account, case: Case, email: Subscription.Email, actor: Actor
) -> Subscription:
    """Follow a case (or change how its alerts come). A case the account may not see is
    refused as one that does not exist."""
    if not may_hear_of(account, case):
        raise AlertRefused("no_case", "Case number: no such case.", field="case_number")
    with transaction.atomic():
        existing = Subscription.objects.filter(account=account, case=case).first()
        if existing is None:
            if Subscription.objects.filter(account=account).count() >= Subscription.MAX_PER_ACCOUNT:
                raise AlertRefused(
                    "too_many",
                    f"You may follow at most {Subscription.MAX_PER_ACCOUNT} cases.",
                    field="case_number",
                )
            try:
                with transaction.atomic():
                    existing = Subscription.objects.create(
                        account=account,
                        case=case,
                        email=email,
                        feed_key=Subscription.new_feed_key(),
                    )
            except IntegrityError:
                existing = Subscription.objects.get(account=account, case=case)
        if existing.email != email:
            existing.email = email
            existing.save(update_fields=["email"])
        audit_record(
            event=Event.ALERT_SUBSCRIBE,
            success=True,
            actor=actor.with_account(account),
            court=case.court,
            detail={"case": case.number, "email": email, "subscription": existing.pk},
        )
    return existing


def alert_unfollow(*, account: Account, subscription_id: int, actor: Actor) -> bool:
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_related("case__court")
            .filter(pk=subscription_id, account=account)
            .first()
        )
        if subscription is None:
            return False
        audit_record(
            event=Event.ALERT_UNSUBSCRIBE,
            success=True,
            actor=actor.with_account(account),
            court=subscription.case.court,
            detail={"case": subscription.case.number, "subscription": subscription.pk},
        )
        subscription.delete()
    return True


# --- Webhooks ------------------------------------------------------------------------------


def webhook_url_problem(url: str) -> str | None:
    """Why a URL cannot receive webhooks, or None: HTTPS (plain HTTP only on a
    development instance), a host, no credentials in it, and a host that is on the
    public internet (see `webhook_host_problem`)."""
    if len(url) > 500:
        return "must be at most 500 characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    allowed = ("https", "http") if settings.DEVELOPMENT else ("https",)
    if parts.scheme not in allowed:
        return "must start with https://" if not settings.DEVELOPMENT else "must be http(s)"
    if not parts.hostname or parts.username or parts.password:
        return "must name a host, without a user name or password"
    if port == 0:
        return "has no valid port"
    return webhook_host_problem(parts.hostname)


def webhook_host_problem(host: str) -> str | None:
    """Why the server must not post to this host, or None. A subscriber's URL must not
    turn the court's server against its own network: the host is resolved and every
    address it resolves to must be public, since a name (not only a literal IP) can point
    at 127.0.0.1, 10.x or the cloud metadata address 169.254.169.254. Checked at
    registration and again before each delivery, because DNS answers change.
    `WEBHOOK_PRIVATE_ADDRESSES_ALLOWED` (on for a development instance) lets a local
    receiver be used."""
    if settings.WEBHOOK_PRIVATE_ADDRESSES_ALLOWED:
        return None
    try:
        answers = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return "names a host that cannot be found"
    for answer in answers:
        address = ipaddress.ip_address(str(answer[4][0]).partition("%")[0])
        if not address.is_global:
            return "must be a public address (its host resolves to a private one)"
    return None


def webhook_register(*, account: Account, url: str, actor: Actor) -> tuple[Webhook, str]:
    """A new webhook and its signing secret (shown once)."""
    problem = webhook_url_problem(url)
    if problem:
        raise AlertRefused("bad_url", f"URL: {problem}.", field="url")
    if Webhook.objects.filter(account=account).count() >= Webhook.MAX_PER_ACCOUNT:
        raise AlertRefused(
            "too_many", f"At most {Webhook.MAX_PER_ACCOUNT} webhooks; remove one.", field="url"
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        webhook = Webhook.objects.create(account=account, url=url, secret_sealed="")
        webhook.secret_sealed = secretbox.encrypt_text(secret, context=webhook.secret_context)
        webhook.save(update_fields=["secret_sealed"])
        audit_record(
            event=Event.WEBHOOK_CHANGE,
            success=True,
            actor=actor.with_account(account),
            detail={"webhook": webhook.pk, "url": url, "change": "registered"},
        )
    return webhook, secret


def webhook_remove(*, account: Account, webhook_id: int, actor: Actor) -> bool:
    with transaction.atomic():
        webhook = Webhook.objects.filter(pk=webhook_id, account=account).first()
        if webhook is None:
            return False
        audit_record(
            event=Event.WEBHOOK_CHANGE,
            success=True,
            actor=actor.with_account(account),
            detail={"webhook": webhook.pk, "url": webhook.url, "change": "removed"},
        )
        webhook.delete()
    return True


def webhook_enable(*, account: Account, webhook_id: int, actor: Actor) -> bool:
    """Turn a disabled webhook back on (its failure count starts again)."""
    with transaction.atomic():
        updated = Webhook.objects.filter(pk=webhook_id, account=account).update(
            is_active=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
        )
        if updated:
            audit_record(
                event=Event.WEBHOOK_CHANGE,
                success=True,
                actor=actor.with_account(account),
                detail={"webhook": webhook_id, "change": "enabled"},
            )
    return bool(updated)


def webhook_secret(webhook: Webhook) -> str:
    return secretbox.decrypt_text(webhook.secret_sealed, context=webhook.secret_context)


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


# --- Fan-out -------------------------------------------------------------------------------


def alerts_fan_out(*, entry_id: int) -> list[int]:
    """Tell the case's followers of a new entry: queue immediate emails, digest items and
    webhook deliveries (one per webhook and entry, however often this runs). Returns the
    deliveries to attempt."""
    entry = DocketEntry.objects.select_related("case__court", "event").filter(pk=entry_id).first()
    if entry is None:
        return []
    case = entry.case
    deliveries: list[int] = []
    followers = Subscription.objects.filter(case=case).select_related("account")
    with transaction.atomic():
        for subscription in followers:
            account = subscription.account
            if not may_hear_of(account, case):
                continue
            if subscription.email == Subscription.Email.IMMEDIATE:
                email_queue(
                    kind="docket_alert",
                    to=account.email,
                    template="emails/docket_alert.txt",
                    context={"entries": [entry], "case": case, "site": settings.SITE_URL},
                    account=account,
                    court=case.court,
                )
            elif subscription.email == Subscription.Email.DIGEST:
                DigestItem.objects.get_or_create(subscription=subscription, entry=entry)
            for webhook in Webhook.objects.filter(account=account, is_active=True):
                delivery, made = WebhookDelivery.objects.get_or_create(webhook=webhook, entry=entry)
                if made:
                    deliveries.append(delivery.pk)
    return deliveries


DIGEST_LOCAL_HOUR = 7


def courts_at_local_hour(now: datetime, hour: int) -> list[str]:
    """The courts where it is now `hour` o'clock in the court's own time zone."""
    return [
        court_id
        for court_id, zone in Court.objects.values_list("pk", "time_zone")
        if now.astimezone(ZoneInfo(zone)).hour == hour
    ]


def alerts_digest_send(*, courts: list[str] | None = None) -> int:
    """One email per follower with the new entries, since the last digest, of the cases it
    follows in `courts` (every court when None), entries of cases it may no longer see
    left out. Returns emails queued."""
    pending = DigestItem.objects.all()
    if courts is not None:
        pending = pending.filter(entry__case__court_id__in=courts)
    sent = 0
    accounts = Account.objects.filter(pk__in=pending.values("subscription__account_id")).order_by(
        "pk"
    )
    for account in accounts:
        with transaction.atomic():
            items = list(
                pending.select_for_update(of=("self",))
                .filter(subscription__account=account)
                .select_related("entry__case__court", "entry__event")
                .order_by("entry__case_id", "entry__seq")
            )
            entries = [i.entry for i in items if may_hear_of(account, i.entry.case)]
            if entries:
                email_queue(
                    kind="docket_alert_digest",
                    to=account.email,
                    template="emails/docket_alert_digest.txt",
                    context={"entries": entries, "site": settings.SITE_URL},
                    account=account,
                )
                sent += 1
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    return sent


def alerts_digest_due(*, now: datetime | None = None) -> int:
    """The digests due this hour: those of the courts where it is now the digest hour
    (07:00) in the court's own time zone, so a follower reads the court's previous day
    on the court's morning wherever the server runs."""
    courts = courts_at_local_hour(now or timezone.now(), DIGEST_LOCAL_HOUR)
    return alerts_digest_send(courts=courts) if courts else 0


# --- Delivery ------------------------------------------------------------------------------


def webhook_payload(delivery: WebhookDelivery) -> dict[str, Any]:
    entry = delivery.entry
    case = entry.case
    return {
        "id": str(delivery.event_id),
        "type": "docket_entry.created",
        "court": case.court_id,
        "case": {"number": case.number, "title": case.title},
        "entry": {
            "number": entry.number,
            "seq": entry.seq,
            "date_filed": entry.date_filed.isoformat(),
            "entered_at": entry.entered_at.isoformat(),
            "event": entry.event.code if entry.event is not None else None,
            "text": entry.text,
            "documents": [
                {
                    "doc_id": d.doc_id,
                    "attachment_number": d.attachment_number,
                    "description": d.description,
                    "pages": d.pages,
                }
                for d in entry.documents.all()
                # Webhooks carry public documents only (a receiver is software, not a
                # person the court admitted to a restricted or confidential document).
                if is_public_document(d)
            ],
        },
    }


def _lease(delivery_id: int) -> bool:
    """Claim a due delivery for one attempt (a task and the retry sweep never send the same
    attempt twice)."""
    now = timezone.now()
    lease = now + timedelta(seconds=int(settings.WEBHOOK_TIMEOUT_SECONDS) * 3)
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=lease)
    )


def webhook_attempt(*, delivery_id: int) -> float | None:
    """One attempt at a due delivery. Returns the seconds until its next attempt, or None
    when there is none (delivered, failed for good, withheld, or not due)."""
    if not _lease(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related(
        "webhook__account", "entry__case__court", "entry__event"
    ).get(pk=delivery_id)
    webhook = delivery.webhook
    if not webhook.is_active:
        _finish(delivery, WebhookDelivery.Status.FAILED, error="webhook disabled")
        return None
    if not may_hear_of(webhook.account, delivery.entry.case):
        _finish(delivery, WebhookDelivery.Status.WITHHELD, error="not visible to the account")
        return None
    body = json.dumps(webhook_payload(delivery), separators=(",", ":")).encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "NextECF-Webhooks/1",
        EVENT_HEADER: str(delivery.event_id),
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: webhook_signature(webhook_secret(webhook), stamp, body),
    }
    status: int | None = None
    error = ""
    refused = webhook_host_problem(urlsplit(webhook.url).hostname or "")
    if refused:
        delivery.attempts += 1
        delivery.last_status_code = None
        delivery.last_attempt_at = timezone.now()
        return _failed(delivery, f"not sent: the URL {refused}")
    try:
        answer = httpx.post(
            webhook.url,
            content=body,
            headers=headers,
            timeout=float(settings.WEBHOOK_TIMEOUT_SECONDS),
            follow_redirects=False,
        )
        status = answer.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except httpx.HTTPError as failure:
        error = type(failure).__name__
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_attempt_at = timezone.now()
    if not error:
        _finish(delivery, WebhookDelivery.Status.DELIVERED)
        Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
        return None
    return _failed(delivery, error)


def _finish(delivery: WebhookDelivery, status: str, *, error: str = "") -> None:
    delivery.status = status
    delivery.last_error = error[:200]
    if status == WebhookDelivery.Status.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save()


def _failed(delivery: WebhookDelivery, error: str) -> float | None:
    with transaction.atomic():
        webhook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
        webhook.consecutive_failures += 1
        webhook.save(update_fields=["consecutive_failures"])
        if webhook.consecutive_failures >= int(settings.WEBHOOK_DISABLE_AFTER_FAILURES):
            _disable(webhook, f"{webhook.consecutive_failures} failed attempts in a row")
        if delivery.attempts >= int(settings.WEBHOOK_MAX_ATTEMPTS) or not webhook.is_active:
            _finish(delivery, WebhookDelivery.Status.FAILED, error=error)
            return None
        wait: float = float(settings.WEBHOOK_RETRY_BASE_SECONDS) * 2.0 ** (delivery.attempts - 1)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
        delivery.last_error = error[:200]
        delivery.save()
    return wait


def _disable(webhook: Webhook, reason: str) -> None:
    webhook.is_active = False
    webhook.disabled_at = timezone.now()
    webhook.disabled_reason = reason
    webhook.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit_record(
        event=Event.WEBHOOK_DISABLED,
        success=False,
        actor=Actor.system(account=webhook.account),
        reason="persistent_failure",
        detail={"webhook": webhook.pk, "url": webhook.url, "why": reason},
    )
    email_queue(
        kind="webhook_disabled",
        to=webhook.account.email,
        template="emails/webhook_disabled.txt",
        context={"webhook": webhook, "reason": reason, "site": settings.SITE_URL},
        account=webhook.account,
    )


def webhook_deliveries_due(limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due (the retry sweep's work)."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def webhooks_retry_due() -> int:
    """Attempt every delivery that is due now (the scheduler's sweep, every minute)."""
    due = webhook_deliveries_due()
    for delivery_id in due:
        webhook_attempt(delivery_id=delivery_id)
    return len(due)
