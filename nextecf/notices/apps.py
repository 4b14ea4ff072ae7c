from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "nextecf.notices"
    verbose_name = "Notices"
