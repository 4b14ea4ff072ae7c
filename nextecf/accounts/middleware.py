from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone

from nextecf.accounts.cookies import clear_cookie
from nextecf.accounts.models import SignOn, hash_token
from nextecf.accounts.services import signon_end
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor
from nextecf.lib.text import printable

# Writing last_seen on every request would turn each page view into a write.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


# CurrentGen courts took the same token in this cookie, and PACER clients such as
# juriscraper still set it next to NextGenCSO; it is read only when NextGenCSO is absent.
PACER_SESSION_COOKIE = "PacerSession"

TIMEOUTS = ("idle_timeout", "absolute_timeout")


def signon_token(request: HttpRequest) -> str:
    """The sign-on token a request carries: the NextGenCSO cookie, else the X-NEXT-GEN-CSO
    header (API clients), else the PacerSession cookie."""
    return (
        request.COOKIES.get(settings.SIGNON_COOKIE_NAME)
        or request.headers.get("X-NEXT-GEN-CSO", "")
        or request.COOKIES.get(PACER_SESSION_COOKIE, "")
    )


class SignOnMiddleware(AuthenticationMiddleware):
    """Authenticates a request from its NextGenCSO cookie, X-NEXT-GEN-CSO header or
    PacerSession cookie (signon_token).

    Subclasses Django's middleware so that the admin recognises it; it replaces, rather
    than extends, the session-based lookup.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.user = AnonymousUser()
        request.signon = None  # type: ignore[attr-defined]
        # Why the sign-on this request carried has just ended ("idle_timeout", ...), so the
        # login page it is sent to can say so; "" otherwise.
        request.signon_expired = ""  # type: ignore[attr-defined]
        token = signon_token(request)
        if not token or len(token) > 256:
            return
        signon = (
            SignOn.objects.select_related("account")
            .filter(token_hash=hash_token(token), stage=SignOn.Stage.ACTIVE, ended_at__isnull=True)
            .first()
        )
        if signon is None:
            # A sign-on that timed out during another request (another window): its login
            # page still says that the session expired.
            reason = (
                SignOn.objects.filter(
                    token_hash=hash_token(token), end_reason__in=TIMEOUTS
                ).values_list("end_reason", flat=True)
                if request.COOKIES.get(settings.SIGNON_COOKIE_NAME)
                else []
            )
            request.signon_expired = next(iter(reason), "")  # type: ignore[attr-defined]
            return
        now = timezone.now()
        if not signon.account.is_active:
            signon_end(signon=signon, reason="account_disabled")
            return
        expired = signon.expiry_reason(now)
        if expired:
            signon_end(signon=signon, reason=expired)
            audit_record(
                event=Event.SIGNON_EXPIRED,
                success=True,
                actor=Actor.from_request(request).with_account(signon.account),
                reason=expired,
            )
            request.signon_expired = expired  # type: ignore[attr-defined]
            return
        if now - signon.last_seen_at >= LAST_SEEN_RESOLUTION:
            SignOn.objects.filter(pk=signon.pk).update(last_seen_at=now)
            signon.last_seen_at = now
        request.user = signon.account
        request.signon = signon  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # A dead token in the cookie is dropped so the browser stops sending it.
        if (
            request.COOKIES.get(settings.SIGNON_COOKIE_NAME)
            and getattr(request, "signon", None) is None
            and not getattr(response, "signon_cookie_set", False)
        ):
            clear_cookie(response, settings.SIGNON_COOKIE_NAME, request=request)
        return response


def _origin_host(value: str) -> str:
    """The host[:port] of an Origin or Referer value; "" for one that names none ("null",
    a sandboxed frame's or a privacy setting's answer, or garbage)."""
    parsed = urlsplit(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return ""
    return parsed.netloc.rsplit("@", 1)[-1].lower()


def _own_hosts(request: HttpRequest) -> set[str]:
    hosts = {request.get_host().lower()}
    for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]:
        host = _origin_host(url)
        if host:
            hosts.add(host)
    return hosts


def _foreign_origin(request: HttpRequest, own: set[str]) -> tuple[str, str]:
    """The header and host that show a request was sent from another site's page, or
    ("", "").

    Origin decides when present: every current browser sends it with a POST. Without it
    the Referer counts only when it names a host under ECF_DOMAIN (a sibling court host):
    juriscraper sends "Referer: https://external" with every request (its own guard
    against referer leaks), and must keep working unmodified."""
    origin = request.headers.get("Origin")
    if origin is not None:
        host = _origin_host(origin)
        return ("Origin", host) if host not in own else ("", "")
    referer = request.headers.get("Referer")
    if referer is None or not settings.ECF_DOMAIN:
        return ("", "")
    host = _origin_host(referer)
    name = host.rsplit(":", 1)[0]
    sibling = name == settings.ECF_DOMAIN or name.endswith(f".{settings.ECF_DOMAIN}")
    return ("Referer", host) if sibling and host not in own else ("", "")


class OriginCheckMiddleware:
    """Refuses a POST to a CSRF-exempt view (the PACER endpoints: cso-auth, cso-logout, the
    PCL API, the cgi-bin report forms) when it carries an Origin or Referer naming another
    host than the one it was sent to (or SITE_URL's, or CSRF_TRUSTED_ORIGINS'); see
    _foreign_origin for which header counts when.

    SameSite cookies do not separate sibling hosts under ECF_DOMAIN: a page on any of them
    could otherwise force a billed report or a logout. PACER client software sends neither
    header, so it is not affected; a browser always sends Origin on a cross-site POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        if not getattr(view_func, "csrf_exempt", False):
            return None  # CsrfViewMiddleware checks these
        own = _own_hosts(request)
        header, host = _foreign_origin(request, own)
        if header:
            audit_record(
                event=Event.ACCESS_DENIED,
                success=False,
                # request.court_host is the court's id, not a Court: no court here.
                actor=Actor.from_request(request).in_court(None),
                reason="foreign_origin",
                detail={"header": header.lower(), "host": printable(host, 100)},
            )
            return HttpResponseForbidden(
                f"Refused: this request came from a page on another site ({header} "
                "header). Submit it from this court's own pages.",
                content_type="text/plain",
            )
        return None
