"""Manage My Account: profile, password, billing preferences, sessions, MFA."""

from django.urls import path

from nextecf.accounts.views import apitokens, manage, mfa, passkeys
from nextecf.alerts.views import manage as alerts

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
    path("api-tokens/", apitokens.overview, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", apitokens.revoke, name="api_token_revoke"),
    path("alerts/", alerts.overview, name="alerts"),
    path("alerts/follow/", alerts.follow, name="alert_follow"),
    path("alerts/<int:pk>/unfollow/", alerts.unfollow, name="alert_unfollow"),
    path("alerts/webhooks/", alerts.webhook_add, name="webhook_add"),
    path("alerts/webhooks/<int:pk>/remove/", alerts.webhook_delete, name="webhook_remove"),
    path("alerts/webhooks/<int:pk>/enable/", alerts.webhook_turn_on, name="webhook_enable"),
    path("alerts/webhooks/<int:pk>/log/", alerts.webhook_log, name="webhook_log"),
    path("passkeys/", passkeys.overview, name="passkeys"),
    path("passkeys/add/", passkeys.add, name="passkey_add"),
    path("passkeys/<int:pk>/remove/", passkeys.remove, name="passkey_remove"),
]
