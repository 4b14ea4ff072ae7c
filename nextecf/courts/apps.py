from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "nextecf.courts"
    verbose_name = "Courts and linking"
