from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nextecf.api"
    verbose_name = "PACER Case Locator API"
