"""E-file registration requests (PACER's Maintenance tab)."""

from django.urls import path

from nextecf.courts.views import efile as views_efile

app_name = "efile"
urlpatterns = [
    path("", views_efile.efile_home, name="home"),
]
