"""Manage My Account: the overview, profile, email, password, billing preferences and
active sessions. (Multifactor authentication is in views.mfa.)"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.accounts.cookies import clear_signon_cookie, set_signon_cookie
from nextecf.accounts.decorators import account_fresh, account_page
from nextecf.accounts.forms.manage import (
    BillingPrefsForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
)
from nextecf.accounts.mfa import backup_codes_left, filing_blocked
from nextecf.accounts.request import SignedOnRequest
from nextecf.accounts.services import (
    EmailChangeInvalid,
    PasswordChangeRefused,
    billing_prefs_update,
    email_change_check,
    email_change_confirm,
    email_change_request,
    password_change,
    profile_update,
    signon_end_one,
    signon_end_others,
    signons_live,
)
from nextecf.accounts.views.common import EMAILED_LINK_REFERRER_POLICY
from nextecf.courts.selectors import has_filing_rights
from nextecf.lib.actor import Actor


def _back(name: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name))


@never_cache
@require_http_methods(["GET"])
@account_page
def overview(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    apps = account.totp_devices.filter(confirmed=True).count()
    filer = has_filing_rights(account)
    return render(
        request,
        "accounts/manage/overview.html",
        {
            "account": account,
            "apps": apps,
            "codes_left": backup_codes_left(account) if apps else 0,
            "filer": filer,
            "filing_blocked": filer and filing_blocked(account),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def profile(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "first_name": account.first_name,
            "middle_name": account.middle_name,
            "last_name": account.last_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        changed = profile_update(
            account=account, actor=Actor.from_request(request), **form.cleaned_data
        )
        messages.success(request, "Your name was updated." if changed else "Nothing changed.")
        return _back("manage:overview")
    return render(request, "accounts/manage/profile.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def email(request: SignedOnRequest) -> HttpResponse:
    """Ask for a new address. It changes only when the link mailed to it is used."""
    account = request.user
    form = EmailChangeForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        email_change_request(
            account=account, new_email=new_email, actor=Actor.from_request(request)
        )
        return render(request, "accounts/manage/email_sent.html", {"new_email": new_email})
    return render(request, "accounts/manage/email.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def email_confirm(request: SignedOnRequest) -> HttpResponse:
    """The emailed link: GET shows what will change, POST changes it (so a mail scanner
    following the link changes nothing). The link's token is in the query string or the
    form, never in the path that the audit log records."""
    token = (request.POST if request.method == "POST" else request.GET).get("t", "")
    account = request.user
    try:
        if request.method == "POST":
            new_email = email_change_confirm(
                account=account, token=token, actor=Actor.from_request(request)
            )
            messages.success(request, f"Your email address is now {new_email}.")
            response: HttpResponse = _back("manage:overview")
        else:
            new_email = email_change_check(
                account=account, token=token, actor=Actor.from_request(request)
            )
            response = render(
                request,
                "accounts/manage/email_confirm.html",
                {"new_email": new_email, "token": token},
            )
    except EmailChangeInvalid as refusal:
        response = render(
            request,
            "accounts/manage/email_invalid.html",
            {"reason": refusal.reason, "email": account.email},
            status=400,
        )
    response.headers["Referrer-Policy"] = EMAILED_LINK_REFERRER_POLICY
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def password(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            token = password_change(
                signon=request.signon,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                actor=Actor.from_request(request),
            )
        except PasswordChangeRefused as refused:
            if refused.signed_off:
                response = HttpResponseRedirect(
                    f"{reverse('accounts:login')}?next={reverse('manage:password')}"
                )
                clear_signon_cookie(response, request=request)
                return response
            for message in refused.messages:
                form.add_error(refused.field, message)
        else:
            messages.success(
                request,
                "Your password was changed. You were logged out everywhere else, and we "
                "emailed you a notice.",
            )
            response = _back("manage:overview")
            set_signon_cookie(response, token, request=request)
            return response
    return render(
        request,
        "accounts/manage/password.html",
        {"form": form, "mfa": form.mfa},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def billing(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    form = BillingPrefsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "client_code_required": account.client_code_required,
            "client_code_format": account.client_code_format,
        },
    )
    if request.method == "POST" and form.is_valid():
        changed = billing_prefs_update(
            account=account, actor=Actor.from_request(request), **form.cleaned_data
        )
        messages.success(
            request, "Your billing preferences were saved." if changed else "Nothing changed."
        )
        return _back("manage:overview")
    return render(request, "accounts/manage/billing.html", {"form": form})


@never_cache
@require_http_methods(["GET"])
@account_page
def sessions(request: SignedOnRequest) -> HttpResponse:
    live = signons_live(account=request.user)
    return render(
        request,
        "accounts/manage/sessions.html",
        {"signons": live, "current": request.signon, "others": len(live) > 1},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def session_end(request: SignedOnRequest, pk: int) -> HttpResponse:
    current = request.signon
    target = next((s for s in signons_live(account=request.user) if s.pk == pk), None)
    if target is None or target.pk == current.pk:
        return render(request, "accounts/manage/session_end.html", {"target": None}, status=404)
    if request.method == "POST":
        if signon_end_one(
            account=request.user, signon_id=pk, current=current, actor=Actor.from_request(request)
        ):
            messages.success(request, "That session was ended.")
        return _back("manage:sessions")
    return render(request, "accounts/manage/session_end.html", {"target": target})


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def sessions_end_others(request: SignedOnRequest) -> HttpResponse:
    if request.method == "POST":
        ended = signon_end_others(
            signon=request.signon, reason="ended_by_user", actor=Actor.from_request(request)
        )
        messages.success(
            request,
            f"{ended} other session{'s' if ended != 1 else ''} ended."
            if ended
            else "There were no other sessions.",
        )
        return _back("manage:sessions")
    others = [s for s in signons_live(account=request.user) if s.pk != request.signon.pk]
    return render(request, "accounts/manage/sessions_end_others.html", {"others": others})
