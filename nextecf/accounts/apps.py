from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nextecf.accounts"
    verbose_name = "Central accounts"

    def ready(self) -> None:
        from nextecf.lib import logredact

        # Reset and verification links' tokens never reach an access log.
        logredact.install()
