from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from nextecf.accounts.models import Account, SignOn


class AnyRequest(HttpRequest):
    """A request after SignOnMiddleware: maybe signed on."""

    user: Account | AnonymousUser
    signon: SignOn | None


class SignedOnRequest(HttpRequest):
    """A request whose view is reached only with a live sign-on."""

    user: Account
    signon: SignOn
