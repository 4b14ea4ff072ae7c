from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "nextecf.cases"
    verbose_name = "Cases and dockets"
