"""The demo mailbox (DEMO_MAILBOX only)."""

from django.urls import path

from nextecf.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.mailbox, name="mailbox"),
    path("<int:pk>/", views.message, name="message"),
]
