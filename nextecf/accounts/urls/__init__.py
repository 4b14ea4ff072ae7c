"""The central sign-on's URLs: the sign-on pages at /csologin/ (signon), Manage My Account
at /account/ (manage)."""
