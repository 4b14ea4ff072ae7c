from django.urls import path

from nextecf.accounts.views import login as views
from nextecf.accounts.views import passkeys, recovery, register

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/continue/", views.login_step, name="login_step"),
    path("login/passkey/", passkeys.login, name="passkey_login"),
    path("logout/", views.logout, name="logout"),
    path("reauth/", views.reauth, name="reauth"),
    path("keepalive/", views.keepalive, name="keepalive"),
    # --- registration, upgrade, forgot password / username (self-service) ---
    path("register/", register.register, name="register"),
    path("register/verify/", register.verify, name="register_verify"),
    path("register/resend/", register.resend, name="register_resend"),
    path("upgrade/", register.upgrade, name="upgrade"),
    path("forgot-password/", recovery.forgot_password, name="forgot_password"),
    path("reset/", recovery.password_reset, name="password_reset"),
    path("forgot-username/", recovery.forgot_username, name="forgot_username"),
]
