"""Manage My Account > Passkeys, and logging in with a passkey alone."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from nextecf.accounts.decorators import account_fresh, account_page
from nextecf.accounts.models import Passkey
from nextecf.accounts.passkeys import (
    Ceremony,
    PasskeyRefused,
    Relying,
    passkey_authenticate,
    passkey_login_begin,
    passkey_only_factor_account,
    passkey_register,
    passkey_register_begin,
    passkey_remove,
)
from nextecf.accounts.request import AnyRequest, SignedOnRequest
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public
from nextecf.lib.text import printable


def relying(request: HttpRequest) -> Relying:
    """The RP id is ECF_DOMAIN on a host under it (one passkey for every court host and
    the login host), else the host itself; the origin is the page's (the Host header has
    passed ALLOWED_HOSTS)."""
    host, _port = split_domain_port(request.get_host())
    domain = (settings.ECF_DOMAIN or "").strip(".").lower()
    rp_id = domain if domain and (host == domain or host.endswith(f".{domain}")) else host
    return Relying(rp_id=rp_id, origin=f"{request.scheme}://{request.get_host()}")


def ceremony_context(
    ceremony: Ceremony, *, mode: str, action: str, label: str
) -> dict[str, object]:
    return {
        "ceremony_options": json.loads(ceremony.options_json),
        "ceremony_id": ceremony.challenge_id,
        "ceremony_mode": mode,
        "ceremony_action": action,
        "ceremony_label": label,
    }


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


@never_cache
@require_http_methods(["GET"])
@account_page
def overview(request: SignedOnRequest) -> HttpResponse:
    return render(
        request,
        "accounts/passkeys/overview.html",
        {"passkeys": list(request.user.passkeys.all()), "max": Passkey.MAX_PER_ACCOUNT},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def add(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    rp = relying(request)
    error = name_error = ""
    name = ""
    status = 200
    if request.method == "POST":
        name = printable(" ".join(request.POST.get("name", "").split()), 64)
        if not name:
            name_error = "Name for this passkey is required."
            status = 400
        else:
            try:
                passkey = passkey_register(
                    account=account,
                    relying=rp,
                    challenge_id=request.POST.get("challenge", ""),
                    credential=request.POST.get("credential", ""),
                    name=name,
                    actor=Actor.from_request(request),
                )
            except PasskeyRefused as refused:
                error, status = refused.message, 400
            else:
                return render(request, "accounts/passkeys/added.html", {"passkey": passkey})
    context: dict[str, object] = {"error": error, "name_error": name_error, "name_value": name}
    try:
        ceremony = passkey_register_begin(account=account, relying=rp)
    except PasskeyRefused as refused:
        context["error"] = refused.message
        return render(request, "accounts/passkeys/add.html", context, status=403)
    context.update(
        ceremony_context(
            ceremony, mode="create", action=reverse("manage:passkey_add"), label="Create passkey"
        )
    )
    return render(request, "accounts/passkeys/add.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def remove(request: SignedOnRequest, pk: int) -> HttpResponse:
    passkey = request.user.passkeys.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if passkey is None:
        return render(request, "accounts/passkeys/remove.html", {"passkey": None}, status=404)
    if request.method == "POST":
        removed = passkey_remove(
            account=request.user, passkey_id=passkey.pk, actor=Actor.from_request(request)
        )
        return render(request, "accounts/passkeys/remove.html", {"removed": removed})
    return render(request, "accounts/passkeys/remove.html", {"passkey": passkey})


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login(request: AnyRequest) -> HttpResponse:
    """A passkey as the only factor: any passkey of this site whose authenticator verifies
    the user (PIN, fingerprint, face) signs its account on; the login's other steps (the
    redaction agreement, a client code) follow as after a password and a second factor."""
    from nextecf.accounts.views.login import _court, _next, continue_after_passkey

    court = _court(request)
    next_url = _next(request, court)
    rp = relying(request)
    error = ""
    status = 200
    if request.method == "POST":
        actor = Actor.from_request(request, court=court)
        try:
            passkey = passkey_authenticate(
                relying=rp,
                challenge_id=request.POST.get("challenge", ""),
                credential=request.POST.get("credential", ""),
                actor=actor,
                account=None,
            )
        except PasskeyRefused as refused:
            error, status = refused.message, 400
        else:
            account = passkey_only_factor_account(passkey)
            if account is not None:
                return continue_after_passkey(request, account, court, next_url)
            error, status = "This account cannot log in now.", 403
    ceremony = passkey_login_begin(relying=rp, account=None)
    context = {
        "court": court,
        "error": error,
        "query": request.GET.urlencode(),
        **ceremony_context(
            ceremony,
            mode="get",
            action=_with_query(reverse("accounts:passkey_login"), request.GET.urlencode()),
            label="Use a passkey",
        ),
    }
    return render(request, "accounts/passkeys/login.html", context, status=status)
