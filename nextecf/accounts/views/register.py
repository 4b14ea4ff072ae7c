"""Need an account? Registration, email verification, and the upgrade of a legacy account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from nextecf.accounts.cookies import set_signon_cookie
from nextecf.accounts.forms.signon import EmailOnlyForm, RegistrationForm, UpgradeForm
from nextecf.accounts.request import AnyRequest
from nextecf.accounts.services import (
    Registration,
    SelfServiceRefused,
    account_register,
    account_upgrade,
    account_verify_email,
    email_verify_check,
    self_service_refused,
    verification_resend,
)
from nextecf.accounts.tokens import TokenInvalid, email_token_read
from nextecf.accounts.views.common import (
    court_from_query,
    court_query,
    forget_token,
    login_url,
    no_referrer,
    page_context,
    stash_token,
    stashed_token,
)
from nextecf.audit.models import Event
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public

VERIFY_COOKIE = "nextecf_verify"
USERNAME_TAKEN = "That username is taken. Choose another."


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def register(request: AnyRequest) -> HttpResponse:
    court = court_from_query(request)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    warning, error, status = False, "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            registration = Registration(
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                middle_name=data["middle_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                email=data["email"],
                cja_requested=data["cja_requested"],
            )
            try:
                account = account_register(
                    actor=Actor.from_request(request),
                    court=court,
                    registration=registration,
                    duplicates_confirmed=data["confirm_duplicate"],
                )
            except SelfServiceRefused as refusal:
                if refusal.reason == "possible_duplicate":
                    warning = True
                elif refusal.reason == "username_taken":
                    form.add_error("username", USERNAME_TAKEN)
                elif refusal.reason == "throttled":
                    error = (
                        "Too many accounts have been registered from your network in the "
                        "last hour. Please try again later."
                    )
                    status = 429
                else:
                    form.add_error("password", "Choose a different password.")
            else:
                return render(
                    request,
                    "accounts/self_service/register_done.html",
                    page_context(court, account=account),
                )
        else:
            self_service_refused(
                actor=Actor.from_request(request),
                event=Event.REGISTER,
                court=court,
                reason="invalid_input",
                fields=form.errors,
            )
    show_continue = warning or bool(form["confirm_duplicate"].value())
    return render(
        request,
        "accounts/self_service/register.html",
        page_context(court, form=form, warning=warning, error=error, show_continue=show_continue),
        status=status,
    )


@public
@never_cache
@csrf_protect
@no_referrer
@require_http_methods(["GET", "POST"])
def verify(request: AnyRequest) -> HttpResponse:
    """The emailed link: GET asks to confirm the address, POST verifies it. (A GET never
    verifies, so a mail scanner that follows links cannot open an account.)"""
    court = court_from_query(request)
    moved = stash_token(
        request, cookie=VERIFY_COOKIE, url_name="accounts:register_verify", court=court
    )
    if moved is not None:
        return moved
    try:
        claim = email_token_read(stashed_token(request, cookie=VERIFY_COOKIE))
    except TokenInvalid as invalid:
        self_service_refused(
            actor=Actor.from_request(request),
            event=Event.EMAIL_VERIFIED,
            court=court,
            reason=invalid.reason,
        )
        response = render(
            request,
            "accounts/self_service/verify_invalid.html",
            page_context(court, expired=invalid.reason == "expired"),
            status=400,
        )
        return forget_token(response, cookie=VERIFY_COOKIE, url_name="accounts:register_verify")
    if request.method == "POST":
        outcome = account_verify_email(actor=Actor.from_request(request), court=court, claim=claim)
    else:
        state = email_verify_check(actor=Actor.from_request(request), court=court, claim=claim)
        if state is None:
            return render(
                request,
                "accounts/self_service/verify_confirm.html",
                page_context(court, address=claim.address),
            )
        outcome = state
    response = render(
        request,
        "accounts/self_service/verify_done.html",
        page_context(court, outcome=str(outcome), address=claim.address),
        status=400 if outcome.is_refusal else 200,
    )
    return forget_token(response, cookie=VERIFY_COOKIE, url_name="accounts:register_verify")


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def resend(request: AnyRequest) -> HttpResponse:
    """Resend the verification email: the same answer whether or not the address has an
    account waiting for verification."""
    court = court_from_query(request)
    form = EmailOnlyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        verification_resend(
            actor=Actor.from_request(request), court=court, email=form.cleaned_data["email"]
        )
        return render(request, "accounts/self_service/resend_sent.html", page_context(court))
    if request.method == "POST":
        self_service_refused(
            actor=Actor.from_request(request),
            event=Event.REGISTER,
            court=court,
            reason="invalid_resend_input",
            fields=form.errors,
        )
    return render(request, "accounts/self_service/resend.html", page_context(court, form=form))


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def upgrade(request: AnyRequest) -> HttpResponse:
    """Upgrade a legacy account. Its holder must be signed on, recently: choosing a new
    password is as sensitive as linking, so older sign-ons confirm the password first."""
    court = court_from_query(request)
    signon = request.signon
    if signon is None:
        return HttpResponseRedirect(login_url(court, request.get_full_path()))
    account = signon.account
    if not account.is_legacy:
        return render(
            request, "accounts/self_service/upgraded.html", page_context(court, account=account)
        )
    if not signon.is_fresh(settings.LINK_REAUTH_SECONDS):
        query = court_query(court, next=request.get_full_path())
        return HttpResponseRedirect(reverse("accounts:reauth") + query)
    form = UpgradeForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                token = account_upgrade(
                    actor=Actor.from_request(request),
                    signon=signon,
                    court=court,
                    username=data["username"],
                    password=data["password"],
                    email=data["email"],
                    date_of_birth=data.get("date_of_birth"),
                )
            except SelfServiceRefused as refusal:
                if refusal.reason == "already_upgraded":
                    return HttpResponseRedirect(reverse("accounts:upgrade") + court_query(court))
                if refusal.reason == "username_taken":
                    form.add_error("username", USERNAME_TAKEN)
                else:
                    form.add_error("password", "Choose a different password.")
            else:
                changed = data["email"].strip().lower() != account.email.lower()
                messages.success(
                    request,
                    "Upgrade is complete. Your username is now "
                    f"{data['username']}; use it and your new password from now on."
                    + (
                        f" We sent a link to {data['email']}: your email address changes "
                        "when you use it."
                        if changed
                        else ""
                    ),
                )
                response = HttpResponseRedirect(reverse("accounts:upgrade") + court_query(court))
                set_signon_cookie(response, token, request=request)
                return response
        else:
            self_service_refused(
                actor=Actor.from_request(request),
                event=Event.UPGRADE,
                court=court,
                reason="invalid_input",
                fields=form.errors,
            )
    return render(
        request,
        "accounts/self_service/upgrade.html",
        page_context(court, form=form, account=account),
    )
