from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nextecf.audit"
    verbose_name = "Audit log"
