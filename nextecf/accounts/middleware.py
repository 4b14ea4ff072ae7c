from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nextecf.accounts.cookies import clear_cookie
from nextecf.accounts.models import SignOn, hash_token
from nextecf.accounts.services import signon_end
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor

# Writing last_seen on every request would turn each page view into a write.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


# CurrentGen courts took the same token in this cookie, and PACER clients such as
# juriscraper still set it next to NextGenCSO; it is read only when NextGenCSO is absent.
PACER_SESSION_COOKIE = "PacerSession"


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
        token = signon_token(request)
        if not token or len(token) > 256:
            return
        signon = (
            SignOn.objects.select_related("account")
            .filter(token_hash=hash_token(token), stage=SignOn.Stage.ACTIVE, ended_at__isnull=True)
            .first()
        )
        if signon is None:
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
