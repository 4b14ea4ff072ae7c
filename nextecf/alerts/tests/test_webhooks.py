"""Docket alerts' webhooks against a real local HTTP receiver: each new entry delivered
once, signed (the receiver checks the signature), retried after failures, a webhook that
keeps failing turned off, and a sealed case's entries never sent to a follower who may
not see them."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from nextecf.alerts import services as alert_services
from nextecf.alerts.models import Subscription, Webhook, WebhookDelivery
from nextecf.alerts.services import (
    AlertRefused,
    alert_follow,
    webhook_register,
    webhooks_retry_due,
)
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import Case, DocketEntry
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers `fail` requests with 500, then 200; checks
    each request's signature with the secret it is given."""

    secret: str = ""
    fail: int = 0
    requests: list[dict[str, object]] = field(default_factory=list)
    url: str = ""

    def verified(self, headers: dict[str, str], body: bytes) -> bool:
        stamp = headers["X-NextECF-Timestamp"]
        expected = hmac.new(
            self.secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(headers["X-NextECF-Signature"], f"v1={expected}")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k: v for k, v in self.headers.items()}
            state.requests.append(
                {
                    "headers": headers,
                    "body": json.loads(body),
                    "verified": state.verified(headers, body),
                }
            )
            failing = len(state.requests) <= state.fail
            self.send_response(500 if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/nextecf"
    yield state
    server.shutdown()
    server.server_close()


def actor() -> Actor:
    return Actor.from_request(RequestFactory().post("/account/alerts/"))


def new_entry(case: Case, text: str, on_commit) -> DocketEntry:
    with on_commit(execute=True):
        number = case.entries.count() + 1
        return DocketEntry.objects.create(
            case=case, number=number, seq=number, date_filed=case.date_filed, text=text
        )


@pytest.fixture
def followed(people, court, receiver, settings) -> Case:
    """A public case the public user follows (no email), with a webhook at the receiver
    (on 127.0.0.1, so private addresses are allowed as on a development instance)."""
    settings.WEBHOOK_PRIVATE_ADDRESSES_ALLOWED = True
    case = CaseFactory(court=court, title="Acme Bearings v. United States")
    alert_follow(account=people.public, case=case, email=Subscription.Email.NONE, actor=actor())
    _webhook, receiver.secret = webhook_register(
        account=people.public, url=receiver.url, actor=actor()
    )
    return case


def test_a_new_entry_is_delivered_once_and_signed(
    followed, receiver, django_capture_on_commit_callbacks
):
    entry = new_entry(
        followed, "COMPLAINT against United States.", django_capture_on_commit_callbacks
    )
    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert sent["verified"] is True
    body = sent["body"]
    assert body["type"] == "docket_entry.created"
    assert body["case"]["number"] == followed.number
    assert body["entry"]["text"] == "COMPLAINT against United States."
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.entry_id) == ("delivered", 1, entry.pk)
    assert sent["headers"]["X-NextECF-Event-Id"] == str(delivery.event_id)
    # Running the fan-out or the sweep again sends nothing more.
    from nextecf.alerts.tasks import alerts_fan_out_task

    alerts_fan_out_task(entry.pk)
    webhooks_retry_due()
    assert len(receiver.requests) == 1


def test_a_tampered_body_fails_the_receivers_check(receiver):
    receiver.secret = "whsec_x"
    stamp = "1700000000"
    body = b'{"a":1}'
    good = hmac.new(b"whsec_x", f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"X-NextECF-Timestamp": stamp, "X-NextECF-Signature": f"v1={good}"}
    assert receiver.verified(headers, body)
    assert not receiver.verified(headers, b'{"a":2}')


def test_a_delivery_is_retried_with_a_doubling_wait_after_the_receiver_fails_twice(
    followed, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.fail = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new_entry(followed, "ANSWER.", django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == start + timedelta(seconds=60)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert webhooks_retry_due() == 0  # not due yet
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert webhooks_retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert delivery.next_attempt_at == start + timedelta(seconds=61 + 120)
    with time_machine.travel(start + timedelta(seconds=182), tick=False):
        assert webhooks_retry_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert len(receiver.requests) == 3
    assert {r["headers"]["X-NextECF-Event-Id"] for r in receiver.requests} == {
        str(delivery.event_id)
    }
    assert all(r["verified"] for r in receiver.requests)
    assert Webhook.objects.get().consecutive_failures == 0


def test_a_webhook_that_keeps_failing_is_turned_off_and_its_owner_told(
    followed, receiver, settings, people, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.fail = 100
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new_entry(followed, "MOTION.", django_capture_on_commit_callbacks)
    for n in range(1, 6):
        with time_machine.travel(start + timedelta(seconds=10 * n), tick=False):
            webhooks_retry_due()
    assert len(receiver.requests) == 3
    webhook = Webhook.objects.get()
    assert webhook.is_active is False and "3 failed attempts" in webhook.disabled_reason
    assert WebhookDelivery.objects.get().status == "failed"
    assert AuditEvent.objects.filter(event_type=Event.WEBHOOK_DISABLED).exists()
    told = OutboundEmail.objects.get(kind="webhook_disabled")
    assert told.to == people.public.email
    # Nothing more is sent to it.
    new_entry(followed, "ORDER.", django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 3


def test_a_sealed_entry_is_never_sent_to_a_follower_who_may_not_see_it(
    followed, receiver, people, court, django_capture_on_commit_callbacks
):
    """The public user followed the case while it was public; once sealed, its new entries
    go only to its filer of record."""
    filer = people.filer.filer_accounts.get(court=court)
    party = PartyFactory(case=followed, name="Acme Bearings Corp.")
    AppearanceFactory(party=party, filer=filer)
    alert_follow(
        account=people.filer, case=followed, email=Subscription.Email.IMMEDIATE, actor=actor()
    )
    Case.objects.filter(pk=followed.pk).update(is_sealed=True)
    followed.refresh_from_db()
    new_entry(followed, "SEALED MOTION.", django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    alerts = OutboundEmail.objects.filter(kind="docket_alert")
    assert [e.to for e in alerts] == [people.filer.email]
    assert "SEALED MOTION." in alerts[0].body


def test_a_delivery_queued_before_the_case_was_sealed_is_withheld(
    followed, receiver, settings, django_capture_on_commit_callbacks
):
    receiver.fail = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new_entry(followed, "EXHIBIT.", django_capture_on_commit_callbacks)
    Case.objects.filter(pk=followed.pk).update(is_sealed=True)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        webhooks_retry_due()
    assert len(receiver.requests) == 1  # only the failed first attempt, before sealing
    assert WebhookDelivery.objects.get().status == "withheld"


def resolving(monkeypatch, answers: dict[str, str]) -> None:
    """DNS as the test says: each host name to one address; others not found."""

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(2, 1, 6, "", (answers[host], 0))]
        try:
            return [(2, 1, 6, "", (str(ipaddress.ip_address(host)), 0))]
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    monkeypatch.setattr(alert_services.socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://hooks.example.com/in", "resolves to a private one"),
        ("https://metadata.example.com/in", "resolves to a private one"),
        ("https://127.0.0.1/in", "resolves to a private one"),
        ("https://[::1]/in", "resolves to a private one"),
        ("https://nowhere.example.com/in", "cannot be found"),
    ],
)
def test_a_url_whose_host_is_not_on_the_public_internet_is_refused_and_nothing_is_saved(
    url, problem, people, settings, monkeypatch
):
    settings.WEBHOOK_PRIVATE_ADDRESSES_ALLOWED = False
    resolving(
        monkeypatch, {"hooks.example.com": "10.1.2.3", "metadata.example.com": "169.254.169.254"}
    )
    with pytest.raises(AlertRefused) as refused:
        webhook_register(account=people.public, url=url, actor=actor())
    assert refused.value.field == "url"
    assert problem in str(refused.value)
    assert str(refused.value).startswith("URL: ")
    assert not Webhook.objects.exists()


def test_a_url_whose_host_resolves_to_a_public_address_is_accepted(people, settings, monkeypatch):
    settings.WEBHOOK_PRIVATE_ADDRESSES_ALLOWED = False
    resolving(monkeypatch, {"hooks.example.com": "93.184.215.14"})
    webhook, _secret = webhook_register(
        account=people.public, url="https://hooks.example.com/in", actor=actor()
    )
    assert webhook.url == "https://hooks.example.com/in"


def test_a_host_that_later_resolves_to_a_private_address_is_not_posted_to(
    people, court, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_PRIVATE_ADDRESSES_ALLOWED = False
    settings.DEVELOPMENT = True  # plain http for the local receiver
    case = CaseFactory(court=court, title="Acme Bearings v. United States")
    alert_follow(account=people.public, case=case, email=Subscription.Email.NONE, actor=actor())
    port = receiver.url.split(":")[2].split("/")[0]
    resolving(monkeypatch, {"hooks.example.com": "93.184.215.14"})
    webhook_register(
        account=people.public, url=f"http://hooks.example.com:{port}/in", actor=actor()
    )
    # The name now points at the server's own machine (DNS rebinding).
    resolving(monkeypatch, {"hooks.example.com": "127.0.0.1"})
    new_entry(case, "COMPLAINT against United States.", django_capture_on_commit_callbacks)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "private" in delivery.last_error
    assert Webhook.objects.get().consecutive_failures == 1
