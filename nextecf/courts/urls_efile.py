"""E-file registration requests (PACER's Maintenance tab)."""

from django.urls import path  # noqa: F401

app_name = "efile"
urlpatterns: list[object] = []
