from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses connections, for retry tests."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
