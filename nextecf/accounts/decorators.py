"""Guards for the Manage My Account pages (/account/)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from nextecf.lib.guards import Guard, Rule, mark

AccountView = Callable[..., HttpResponse]


def account_page(view: AccountView) -> AccountView:
    """Only with a live sign-on (any account kind); otherwise to the login and back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "signon", None) is None:
            params = {"next": request.get_full_path()}
            if getattr(request, "signon_expired", ""):
                params["expired"] = "1"
            return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode(params)}")
        return view(request, *args, **kwargs)

    return mark(wrapper, Guard(Rule.SIGNED_ON))


def account_fresh(view: AccountView) -> AccountView:
    """Sensitive changes need a recent password (ACCOUNT_REAUTH_SECONDS, 5 minutes by
    default): older sign-ons enter it again at /csologin/reauth/ and come back. A POST comes
    back as a GET of the same page, so nothing is done without the user seeing it again.
    Put it below account_page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signon = request.signon  # type: ignore[attr-defined]
        if not signon.is_fresh(settings.ACCOUNT_REAUTH_SECONDS):
            back = request.get_full_path() if request.method == "GET" else request.path
            query = urlencode({"next": back})
            return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
