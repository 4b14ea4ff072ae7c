from django.urls import path

from nextecf.accounts.views import login as views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/continue/", views.login_step, name="login_step"),
    path("logout/", views.logout, name="logout"),
    path("reauth/", views.reauth, name="reauth"),
    # --- registration, upgrade, forgot password / username (self-service) ---
]
