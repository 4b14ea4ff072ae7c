from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "nextecf.filing"
    verbose_name = "Filing"
