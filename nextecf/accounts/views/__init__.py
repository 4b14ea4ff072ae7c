"""Central sign-on pages, one module per area: login, self-service registration and
recovery, Manage My Account, MFA."""
