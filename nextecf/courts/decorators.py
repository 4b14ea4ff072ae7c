from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from nextecf.access import Action, Decision, decide
from nextecf.accounts.request import SignedOnRequest
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor
from nextecf.lib.guards import Guard, Rule, mark

CourtView = Callable[Concatenate[SignedOnRequest, Court, ...], HttpResponse]


def login_url(court: Court | None, next_path: str, *, expired: bool = False) -> str:
    """The login page, and back to next_path after it; `expired`: the page says that the
    session has timed out (and that a filing in progress is kept)."""
    query = {"next": next_path}
    if court is not None:
        query["court"] = court.pk
    if expired:
        query["expired"] = "1"
    return f"{reverse('accounts:login')}?{urlencode(query)}"


def pacer_login_redirect(request: HttpRequest, court: Court) -> HttpResponse | None:
    """NextGen's answer on a court host to a request without a sign-on: a page whose
    script sends the browser to the PACER login host
    (pacer.login.<ECF_DOMAIN>/csologin/login.jsf), and on to this page after the login.
    None off the court hosts (e.g. 127.0.0.1), which keep the plain redirect to this
    host's login page."""
    domain = (settings.ECF_DOMAIN or "").strip(".").lower()
    host, _, port = request.get_host().lower().partition(":")
    if not domain or host != f"ecf.{court.pk}.{domain}":
        return None
    # PACER's login host is https on the standard port. A court host reached on another
    # port (make run's :8000, a test's live server) keeps its scheme and port, so the
    # login host is the same server.
    origin = f"https://pacer.login.{domain}"
    if port and port not in ("80", "443"):
        origin = f"{request.scheme}://pacer.login.{domain}:{port}"
    # The court's own path (/cit/...), which the login host serves too: its login page
    # sends only to its own host afterwards.
    target = f"{origin}/csologin/login.jsf?" + urlencode(
        {"next": request.get_full_path(), "court": court.pk}
    )
    return render(request, "courts/pacer_login_redirect.html", {"court": court, "target": target})


def refusal(request: HttpRequest, court: Court, action: Action, decision: Decision) -> HttpResponse:
    """Audit a refused court page and answer it: the login page for someone not signed on,
    otherwise a page that says why and what to do instead."""
    event = Event.LINK_LEGACY_ERROR if action is Action.LINK_ACCOUNT else Event.ACCESS_DENIED
    audit_record(
        event=event,
        success=False,
        actor=Actor.from_request(request),
        court=court,
        reason=decision.reason,
        detail={"action": str(action)},
    )
    if decision.reason == "not_logged_in":
        expired = bool(getattr(request, "signon_expired", ""))
        return pacer_login_redirect(request, court) or HttpResponseRedirect(
            login_url(court, request.get_full_path(), expired=expired)
        )
    return render(
        request,
        "courts/denied.html",
        {"court": court, "reason": decision.reason, "action": str(action)},
        status=403,
    )


def court_page(action: Action) -> Callable[[CourtView], Callable[..., HttpResponse]]:
    """Resolve the court from the URL and admit only those the access policy allows.

    Someone not signed on is sent to the court's login page; a refusal is audited and
    answered with a page that says why and what to do instead.
    """

    def decorator(view: CourtView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, court: str, *args: Any, **kwargs: Any) -> HttpResponse:
            court_obj = get_object_or_404(Court, pk=court)
            decision = decide(user=request.user, court=court_obj, action=action)
            if not decision:
                return refusal(request, court_obj, action, decision)
            return view(request, court_obj, *args, **kwargs)  # type: ignore[arg-type]

        return mark(wrapper, Guard(Rule.COURT, str(action)))

    return decorator


def fresh_signon(view: CourtView) -> CourtView:
    """Sensitive steps need a recent password: older sign-ons re-enter it first."""

    @wraps(view)
    def wrapper(request: SignedOnRequest, court: Court, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.signon.is_fresh(settings.LINK_REAUTH_SECONDS):
            query = urlencode({"court": court.pk, "next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, court, *args, **kwargs)

    return wrapper


def staff_page(action: Action) -> Callable[[CourtView], Callable[..., HttpResponse]]:
    """A page of the court's staff workspace: the access policy decides the action (a court
    role that may do it, in this court), refusals audited as on every court page; a court
    that requires passkeys of its staff opens it only to a sign-on whose second step was a
    passkey (an app code, phishable, is not enough there); then the second factor: an
    account without an authenticator app is sent to enroll one, one that
    has not passed it in this sign-on to enter a code (nothing is shown before)."""

    def decorator(view: CourtView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, court: str, *args: Any, **kwargs: Any) -> HttpResponse:
            court_obj = get_object_or_404(Court, pk=court)
            decision = decide(user=request.user, court=court_obj, action=action)
            if not decision:
                return refusal(request, court_obj, action, decision)
            signon = cast(SignedOnRequest, request).signon
            if court_obj.staff_passkey_required and signon.mfa_method != "passkey":
                audit_record(
                    event=Event.ACCESS_DENIED,
                    success=False,
                    actor=Actor.from_request(request),
                    court=court_obj,
                    reason="passkey_required",
                    detail={"action": str(action)},
                )
                return render(
                    request, "courts/staff_passkey_required.html", {"court": court_obj}, status=403
                )
            if not signon.account.has_mfa:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('manage:mfa_add')}?{query}")
            if not signon.mfa_verified:
                query = urlencode({"next": request.get_full_path()})
                verify = reverse("courts:staff_verify", kwargs={"court": court_obj.pk})
                return HttpResponseRedirect(f"{verify}?{query}")
            return view(request, court_obj, *args, **kwargs)  # type: ignore[arg-type]

        return mark(wrapper, Guard(Rule.STAFF_PAGE, str(action)))

    return decorator
