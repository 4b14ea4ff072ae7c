"""Mail really goes out over SMTP: a local aiosmtpd server receives a username reminder."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from nextecf.outbox.models import OutboundEmail


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_username_reminder_reaches_a_real_smtp_server(
    john, court, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/csologin/forgot-username/?court=cit", {"email": "John.Doe@doelaw.example"}
        )
    assert response.status_code == 200
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["john.doe@doelaw.example"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "PACER account: your username"
    assert message["To"] == "john.doe@doelaw.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "johndoe1" in body
    assert "/csologin/login/?court=cit" in body
    sent = OutboundEmail.objects.get()
    assert (sent.status, sent.attempts) == ("sent", 1)
