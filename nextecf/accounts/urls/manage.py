"""Manage My Account: profile, password, billing preferences, sessions, MFA."""

from django.urls import path

from nextecf.accounts.views import manage, mfa, passkeys

app_name = "manage"
urlpatterns = [
    path("", manage.overview, name="overview"),
    path("profile/", manage.profile, name="profile"),
    path("email/", manage.email, name="email"),
    path("email/confirm/", manage.email_confirm, name="email_confirm"),
    path("password/", manage.password, name="password"),
    path("billing/", manage.billing, name="billing"),
    path("sessions/", manage.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", manage.session_end, name="session_end"),
    path("sessions/end-others/", manage.sessions_end_others, name="sessions_end_others"),
    path("mfa/", mfa.overview, name="mfa"),
    path("mfa/add/", mfa.add, name="mfa_add"),
    path("mfa/apps/<int:pk>/remove/", mfa.remove, name="mfa_remove"),
    path("mfa/backup-codes/", mfa.backup_codes, name="backup_codes"),
    path("passkeys/", passkeys.overview, name="passkeys"),
    path("passkeys/add/", passkeys.add, name="passkey_add"),
    path("passkeys/<int:pk>/remove/", passkeys.remove, name="passkey_remove"),
]
