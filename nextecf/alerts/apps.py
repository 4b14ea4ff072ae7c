from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "nextecf.alerts"
    verbose_name = "Docket alerts"

    def ready(self) -> None:
        from nextecf.alerts import signals  # noqa: F401 - connects the new-entry hook
