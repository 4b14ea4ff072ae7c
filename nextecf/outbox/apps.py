from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "nextecf.outbox"
    verbose_name = "Outgoing email"
