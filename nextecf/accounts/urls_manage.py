"""Manage My Account: profile, password, billing preferences, sessions, MFA."""

from django.urls import path  # noqa: F401

app_name = "manage"
urlpatterns: list[object] = []
