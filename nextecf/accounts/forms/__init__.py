"""Forms of the central sign-on (signon) and of Manage My Account (manage)."""
