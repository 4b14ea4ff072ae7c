from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "nextecf.billing"
    verbose_name = "Billing"
