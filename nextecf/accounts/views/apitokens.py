"""Manage My Account > API tokens: make (with a fresh MFA code), list and revoke the
scoped tokens that let software use the filing API without the account's password."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.accounts.decorators import account_page
from nextecf.accounts.forms.apitokens import ApiTokenForm
from nextecf.accounts.models import ApiToken
from nextecf.accounts.request import SignedOnRequest
from nextecf.accounts.services.apitokens import TokenRefused, api_token_create, api_token_revoke
from nextecf.courts.models import FilerAccount
from nextecf.lib.actor import Actor


def _courts(request: SignedOnRequest) -> list[tuple[str, str]]:
    filers = FilerAccount.objects.filing_for(request.user).select_related("court")
    return sorted({(f.court_id, f.court.name) for f in filers})


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def overview(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    courts = _courts(request)
    form = ApiTokenForm(request.POST if request.method == "POST" else None, courts=courts)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = api_token_create(
                account=account,
                name=data["name"],
                scopes=[ApiToken.Scope(s) for s in data["scopes"]],
                file_court_id=data["file_court"],
                days=data["days"],
                ip_allowlist=data["ip_allowlist"],
                mfa_code=data["mfa_code"],
                actor=Actor.from_request(request),
            )
        except TokenRefused as refused:
            if refused.field in form.fields:
                form.add_error(refused.field, refused.message)
            else:
                error = refused.message
        else:
            return render(
                request,
                "accounts/manage/api_token_made.html",
                {"token": token, "secret": secret},
            )
    return render(
        request,
        "accounts/manage/api_tokens.html",
        {
            "form": form,
            "error": error,
            "tokens": list(account.api_tokens.listed()),
            "mfa": account.totp_devices.filter(confirmed=True).exists(),
            "courts": dict(courts),
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["POST"])
@account_page
def revoke(request: SignedOnRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(account=request.user, token_id=pk, actor=Actor.from_request(request))
    if token is not None:
        messages.success(request, f"The token {token.name} is revoked.")
    return HttpResponseRedirect(reverse("manage:api_tokens"))
