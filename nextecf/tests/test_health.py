"""/healthz and /readyz: answered without a sign-on, never audited, and /readyz names the
service that does not answer."""

from __future__ import annotations

import socket

import pytest
from django.test import Client
from huey.contrib import djhuey
from huey.utils import load_class

from nextecf.audit.models import AuditEvent
from nextecf.lib.env import task_queue_from_url


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_queue(monkeypatch, settings):
    """The queue as TASK_QUEUE_URL=redis://127.0.0.1:<a closed port>/0 configures it."""
    config = task_queue_from_url(
        f"redis://127.0.0.1:{closed_port()}/0",
        settings.BASE_DIR,
        name="readyz-test",
        immediate=False,
        workers=1,
    )
    config.pop("consumer")
    huey = load_class(config.pop("huey_class"))(config.pop("name"), **config)
    monkeypatch.setattr(djhuey, "HUEY", huey)


def test_healthz_answers_ok_without_a_sign_on(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_readyz_checks_every_service_a_request_needs(db):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
        "failed": [],
    }


def test_readyz_is_503_naming_the_queue_when_its_redis_is_unreachable(db, unreachable_queue):
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failed"] == ["queue"]
    assert body["checks"]["queue"].startswith("failed: ")
    assert body["checks"]["database"] == "ok"


def test_probes_are_not_audited_as_access_attempts(people, signed_in):
    clients = [Client(), signed_in(people.filer)]
    before = AuditEvent.objects.count()  # signing on above is audited, the probes are not
    for client in clients:
        for url in ("/healthz", "/readyz", "/healthz?x=1"):
            assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == before


def test_probes_refuse_writes(db):
    assert Client().post("/healthz").status_code == 405
    assert not AuditEvent.objects.exists()


def test_probes_answer_over_plain_http_where_pages_redirect_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/cit/").status_code == 301
