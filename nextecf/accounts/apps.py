from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nextecf.accounts"
    verbose_name = "Central accounts"
