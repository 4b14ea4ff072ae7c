"""Forgot password? and Forgot username? Every answer to a request is the same whether
or not an account matched, so these pages cannot be used to find out who has one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from nextecf.accounts.forms.signon import EmailOnlyForm, ForgotPasswordForm, SetPasswordForm
from nextecf.accounts.models import Account
from nextecf.accounts.request import AnyRequest
from nextecf.accounts.services import (
    SelfServiceRefused,
    password_reset_complete,
    password_reset_request,
    self_service_refused,
    username_reminder_send,
)
from nextecf.accounts.tokens import reset_token_account
from nextecf.accounts.views.common import (
    court_from_query,
    forget_token,
    login_url,
    no_referrer,
    page_context,
    stash_token,
    stashed_token,
)
from nextecf.audit.models import Event
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public

RESET_COOKIE = "nextecf_reset"


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def forgot_password(request: AnyRequest) -> HttpResponse:
    court = court_from_query(request)
    form = ForgotPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(
            actor=Actor.from_request(request),
            court=court,
            identifier=form.cleaned_data["identifier"],
        )
        return render(
            request, "accounts/self_service/forgot_password_sent.html", page_context(court)
        )
    if request.method == "POST":
        _audit_invalid(request, court, Event.PASSWORD_RESET_REQUEST, form)
    return render(
        request, "accounts/self_service/forgot_password.html", page_context(court, form=form)
    )


def _audit_invalid(
    request: AnyRequest, court: Court | None, event: Event, form: forms.Form
) -> None:
    self_service_refused(
        actor=Actor.from_request(request),
        event=event,
        court=court,
        reason="invalid_input",
        fields=form.errors,
    )


def _reset_invalid(
    request: AnyRequest, court: Court | None, account: Account | None
) -> HttpResponse:
    self_service_refused(
        actor=Actor.from_request(request),
        event=Event.PASSWORD_RESET,
        court=court,
        reason="invalid_token",
        subject=account,
    )
    response = render(
        request, "accounts/self_service/reset_invalid.html", page_context(court), status=400
    )
    return forget_token(response, cookie=RESET_COOKIE, url_name="accounts:password_reset")


@public
@never_cache
@csrf_protect
@no_referrer
@require_http_methods(["GET", "POST"])
def password_reset(request: AnyRequest) -> HttpResponse:
    """The emailed reset link. The token moves from the address into a cookie first; the
    new password ends every sign-on of the account and signs nobody on."""
    court = court_from_query(request)
    moved = stash_token(
        request, cookie=RESET_COOKIE, url_name="accounts:password_reset", court=court
    )
    if moved is not None:
        return moved
    token = stashed_token(request, cookie=RESET_COOKIE)
    account = reset_token_account(token)
    if account is None or not account.is_active:
        return _reset_invalid(request, court, account)
    form = SetPasswordForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST":
        if form.is_valid():
            try:
                password_reset_complete(
                    actor=Actor.from_request(request),
                    court=court,
                    token=token,
                    password=form.cleaned_data["password"],
                )
            except SelfServiceRefused as refusal:
                if refusal.reason != "password_policy":
                    return _reset_invalid(request, court, account)
                form.add_error("password", "Choose a different password.")
            else:
                messages.success(
                    request, "Your password has been changed. Log in with your new password."
                )
                response = HttpResponseRedirect(login_url(court))
                return forget_token(
                    response, cookie=RESET_COOKIE, url_name="accounts:password_reset"
                )
        else:
            self_service_refused(
                actor=Actor.from_request(request),
                event=Event.PASSWORD_RESET,
                court=court,
                reason="invalid_input",
                subject=account,
                fields=form.errors,
            )
    return render(
        request,
        "accounts/self_service/password_reset.html",
        page_context(court, form=form, account=account),
    )


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def forgot_username(request: AnyRequest) -> HttpResponse:
    court = court_from_query(request)
    form = EmailOnlyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        username_reminder_send(
            actor=Actor.from_request(request), court=court, email=form.cleaned_data["email"]
        )
        return render(
            request, "accounts/self_service/forgot_username_sent.html", page_context(court)
        )
    if request.method == "POST":
        _audit_invalid(request, court, Event.USERNAME_REMINDER, form)
    return render(
        request, "accounts/self_service/forgot_username.html", page_context(court, form=form)
    )
