"""What the self-service pages share: court branding from ?court=, links back to the
login, and keeping an emailed token out of the address bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from nextecf.accounts.tokens import TOKEN_MAX_LENGTH
from nextecf.courts.models import Court

# An emailed token, once moved out of the address, waits this long in its cookie.
TOKEN_COOKIE_SECONDS = 30 * 60


def court_from_query(request: HttpRequest) -> Court | None:
    """The court whose branding a page wears (the login page's ?court=), if any."""
    court_id = request.GET.get("court", "")[:16]
    return Court.objects.filter(pk=court_id).first() if court_id else None


def court_query(court: Court | None, **extra: str) -> str:
    """ "?court=cit" (plus extra parameters), or "" when there is nothing to say."""
    params = {"court": court.pk} if court is not None else {}
    params.update({key: value for key, value in extra.items() if value})
    return f"?{urlencode(params)}" if params else ""


def login_url(court: Court | None, next_url: str = "") -> str:
    return reverse("accounts:login") + court_query(court, next=next_url)


def page_context(court: Court | None, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        "court": court,
        "court_query": court_query(court),
        "login_url": login_url(court),
        "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    context.update(extra)
    return context


# Pages reached from a link holding a token never pass their address (path and query) on:
# a Referer carries at most the origin. Not "no-referrer": under that policy browsers send
# `Origin: null` with the page's own form POST, which Django's CSRF check refuses, so the
# page's button could never work.
EMAILED_LINK_REFERRER_POLICY = "strict-origin"


def no_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages reached from a link holding a token tell the browser never to pass their
    address on (EMAILED_LINK_REFERRER_POLICY)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = EMAILED_LINK_REFERRER_POLICY
        return response

    return wrapper


def stash_token(
    request: HttpRequest, *, cookie: str, url_name: str, court: Court | None
) -> HttpResponse | None:
    """When the request carries the emailed ?t=token, move the token into a short-lived,
    signed, HttpOnly cookie scoped to this page and redirect to the page without it, so
    the token is not left in the address bar, the history, or a Referer header. As
    Django's PasswordResetConfirmView does with its session."""
    if "t" not in request.GET:
        return None
    path = reverse(url_name)
    response = HttpResponseRedirect(path + court_query(court))
    response.set_signed_cookie(
        cookie,
        request.GET["t"][:TOKEN_MAX_LENGTH],
        salt=cookie,
        max_age=TOKEN_COOKIE_SECONDS,
        path=path,
        secure=settings.SIGNON_COOKIE_SECURE,
        httponly=True,
        # Lax, not Strict: the link is followed from a mail reader on another site.
        samesite="Lax",
    )
    return response


def stashed_token(request: HttpRequest, *, cookie: str) -> str:
    value = request.get_signed_cookie(cookie, default="", salt=cookie, max_age=TOKEN_COOKIE_SECONDS)
    return value if isinstance(value, str) else ""


def forget_token(response: HttpResponse, *, cookie: str, url_name: str) -> HttpResponse:
    response.delete_cookie(cookie, path=reverse(url_name), samesite="Lax")
    return response
