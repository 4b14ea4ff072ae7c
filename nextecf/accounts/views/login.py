from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from nextecf.accounts.cookies import (
    PENDING_COOKIE_NAME,
    clear_pending_cookie,
    clear_signon_cookie,
    set_pending_cookie,
    set_signon_cookie,
)
from nextecf.accounts.forms import LoginForm, LoginStepForm, ReauthForm
from nextecf.accounts.models import Account, SignOn
from nextecf.accounts.request import AnyRequest
from nextecf.accounts.services import (
    account_authenticate,
    signon_activate,
    signon_end,
    signon_find_pending,
    signon_reauthenticate,
    signon_start,
)
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.http import safe_next
from nextecf.lib.text import mask_identifier

INVALID_LOGIN = "Invalid username or password."


def _court(request: HttpRequest) -> Court | None:
    court_id = request.GET.get("court", "")[:16]
    return Court.objects.filter(pk=court_id).first() if court_id else None


def _next(request: HttpRequest, court: Court | None) -> str:
    default = reverse("courts:main", args=[court.pk]) if court else reverse("home")
    return safe_next(request, request.GET.get("next"), default)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login(request: AnyRequest) -> HttpResponse:
    court = _court(request)
    next_url = _next(request, court)
    form = LoginForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        account = account_authenticate(username=username, password=form.cleaned_data["password"])
        if account is None:
            known = Account.objects.find_for_login(username)
            audit_record(
                event=Event.LOGIN_ERROR,
                success=False,
                request=request,
                court=court,
                subject=known,
                reason="invalid_credentials" if known is None or known.is_active else "disabled",
                username=username if known else mask_identifier(username),
            )
            error = INVALID_LOGIN
        else:
            return _after_password(
                request, account, form.cleaned_data["client_code"], court, next_url
            )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "court": court, "error": error, "next": next_url},
        status=200,
    )


def _needs_redaction(account: Account) -> bool:
    return FilerAccount.objects.filing_for(account).exists()


def _after_password(
    request: AnyRequest, account: Account, client_code: str, court: Court | None, next_url: str
) -> HttpResponse:
    needs_steps = _needs_redaction(account) or (account.client_code_required and not client_code)
    signon, token = signon_start(
        account=account,
        request=request,
        via=SignOn.Via.WEB,
        pending=needs_steps,
        client_code=client_code,
        court_id=court.pk if court else "",
    )
    if needs_steps:
        audit_record(
            event=Event.LOGIN_STEP,
            success=True,
            request=request,
            actor=account,
            court=court,
            reason="password_ok",
        )
        query = request.GET.urlencode()
        response = HttpResponseRedirect(f"{reverse('accounts:login_step')}?{query}")
        set_pending_cookie(response, token)
        return response
    return _signed_on(request, signon, token, court, next_url)


def _signed_on(
    request: AnyRequest, signon: SignOn, token: str, court: Court | None, next_url: str
) -> HttpResponse:
    rotate_token(request)
    audit_record(
        event=Event.LOGIN,
        success=True,
        request=request,
        actor=signon.account,
        court=court,
        username=signon.account.username,
        detail={"client_code": bool(signon.client_code)},
    )
    response = HttpResponseRedirect(next_url)
    set_signon_cookie(response, token)
    clear_pending_cookie(response)
    return response


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_step(request: AnyRequest) -> HttpResponse:
    court = _court(request)
    next_url = _next(request, court)
    signon = signon_find_pending(token=request.COOKIES.get(PENDING_COOKIE_NAME, ""))
    if signon is None:
        return render(
            request,
            "accounts/login_expired.html",
            {"court": court, "next": next_url},
            status=400 if request.method == "POST" else 200,
        )
    account = signon.account
    needs_redaction = _needs_redaction(account)
    needs_client_code = account.client_code_required and not signon.client_code
    form = LoginStepForm(
        request.POST if request.method == "POST" else None,
        needs_redaction=needs_redaction,
        needs_client_code=needs_client_code,
    )
    if request.method == "POST":
        if "cancel" in request.POST:
            signon_end(signon=signon, reason="login_cancelled")
            response = HttpResponseRedirect(
                f"{reverse('accounts:login')}?{request.GET.urlencode()}"
            )
            clear_pending_cookie(response)
            return response
        if form.is_valid():
            token = signon_activate(
                signon=signon,
                client_code=form.cleaned_data.get("client_code") or signon.client_code,
                redaction_agreed=needs_redaction,
            )
            request.signon = signon
            return _signed_on(request, signon, token, court, next_url)
        audit_record(
            event=Event.LOGIN_STEP,
            success=False,
            request=request,
            actor=account,
            court=court,
            reason="incomplete",
        )
    return render(
        request,
        "accounts/login_step.html",
        {"form": form, "court": court, "account": account, "next": next_url},
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def logout(request: AnyRequest) -> HttpResponse:
    """GET asks, POST logs out: a link or a prefetch must never end a sign-on."""
    court = _court(request)
    if request.method == "GET":
        return render(request, "accounts/logout.html", {"court": court})
    return logout_now(request, court)


def logout_now(request: AnyRequest, court: Court | None) -> HttpResponse:
    signon = request.signon
    if signon is not None:
        signon_end(signon=signon, reason="logout")
        audit_record(event=Event.LOGOUT, success=True, request=request, court=court)
    target = reverse("courts:home", args=[court.pk]) if court else reverse("home")
    response = render(request, "accounts/logged_out.html", {"court": court, "continue_url": target})
    clear_signon_cookie(response)
    return response


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def reauth(request: AnyRequest) -> HttpResponse:
    court = _court(request)
    next_url = _next(request, court)
    signon = request.signon
    if signon is None:
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
    form = ReauthForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        token = signon_reauthenticate(signon=signon, password=form.cleaned_data["password"])
        if token:
            audit_record(event=Event.REAUTH, success=True, request=request, court=court)
            response = HttpResponseRedirect(next_url)
            set_signon_cookie(response, token)
            return response
        audit_record(
            event=Event.REAUTH_ERROR,
            success=False,
            request=request,
            court=court,
            reason="invalid_credentials" if signon.ended_at is None else "signed_off",
        )
        if signon.ended_at is not None:
            response = HttpResponseRedirect(
                f"{reverse('accounts:login')}?{request.GET.urlencode()}"
            )
            clear_signon_cookie(response)
            return response
        error = "That password is not correct."
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "court": court, "error": error, "account": signon.account},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", {"court": None}, status=403)
