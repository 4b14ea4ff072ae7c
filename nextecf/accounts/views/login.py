from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from nextecf.accounts.clientcodes import MISSING, account_code_problem
from nextecf.accounts.cookies import (
    PENDING_COOKIE_NAME,
    clear_pending_cookie,
    clear_signon_cookie,
    set_pending_cookie,
    set_signon_cookie,
)
from nextecf.accounts.decorators import account_page
from nextecf.accounts.forms.manage import MfaCodeForm
from nextecf.accounts.forms.signon import LoginForm, LoginStepForm, ReauthForm
from nextecf.accounts.mfa import mfa_login_verify, mfa_skip, skips_left
from nextecf.accounts.models import Account, SignOn
from nextecf.accounts.passkeys import PasskeyRefused, passkey_login_begin, passkey_second_factor
from nextecf.accounts.request import AnyRequest, SignedOnRequest
from nextecf.accounts.services import (
    AuthFailure,
    account_login,
    signon_activate,
    signon_end,
    signon_find_pending,
    signon_login_complete,
    signon_login_start,
    signon_login_step_refused,
    signon_logout,
    signon_reauth,
    signon_rotate,
    signon_touch,
)
from nextecf.accounts.views.passkeys import ceremony_context, relying
from nextecf.courts.models import Court
from nextecf.courts.selectors import has_filing_rights
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public
from nextecf.lib.http import safe_next

INVALID_LOGIN = "Invalid username or password."


def _court(request: HttpRequest) -> Court | None:
    court_id = request.GET.get("court", "")[:16]
    return Court.objects.filter(pk=court_id).first() if court_id else None


def _next(request: HttpRequest, court: Court | None) -> str:
    default = reverse("courts:main", args=[court.pk]) if court else reverse("home")
    return safe_next(request, request.GET.get("next"), default)


@public
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login(request: AnyRequest) -> HttpResponse:
    court = _court(request)
    next_url = _next(request, court)
    form = LoginForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = account_login(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            actor=Actor.from_request(request, court=court),
        )
        account = result.account
        if account is None:
            # Wrong, unknown, locked, throttled or disabled: one and the same answer.
            error = INVALID_LOGIN
        else:
            return _after_password(
                request, account, form.cleaned_data["client_code"], court, next_url
            )
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "court": court,
            "error": error,
            "next": next_url,
            "expired": request.GET.get("expired") == "1",
            "idle_minutes": settings.SIGNON_IDLE_SECONDS // 60,
            "resumes_filing": "/civil/draft/" in next_url,
        },
        status=200,
    )


@account_page
@never_cache
@csrf_protect
@require_http_methods(["POST"])
def keepalive(request: SignedOnRequest) -> HttpResponse:
    """Stay signed in: the idle-timeout warning's button. Counts as activity; answers the
    seconds the sign-on now has left (JSON for the page's script), or, from a plain form,
    goes back to the page it was on."""
    signon = request.signon
    signon_touch(signon=signon)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"seconds_left": signon.seconds_left(timezone.now())})
    return HttpResponseRedirect(safe_next(request, request.POST.get("next"), reverse("home")))


def _needs_redaction(account: Account) -> bool:
    return has_filing_rights(account)


def _client_code_problem(account: Account, code: str) -> str | None:
    """Why the client code given at login will not do for this account, or None. The login
    page cannot check the account's format (the account is unknown before the password),
    so a code that does not fit is treated as missing and asked for again, with the reason."""
    return account_code_problem(
        code, fmt=account.client_code_format, required=account.client_code_required
    )


def _after_password(
    request: AnyRequest, account: Account, client_code: str, court: Court | None, next_url: str
) -> HttpResponse:
    needs_steps = (
        account.has_mfa
        or _needs_redaction(account)
        or _client_code_problem(account, client_code) is not None
    )
    signon, token = signon_login_start(
        account=account,
        actor=Actor.from_request(request, court=court),
        pending=needs_steps,
        client_code=client_code,
        court_id=court.pk if court else "",
    )
    if needs_steps:
        query = request.GET.urlencode()
        response = HttpResponseRedirect(f"{reverse('accounts:login_step')}?{query}")
        set_pending_cookie(response, token)
        return response
    return _signed_on(request, signon, token, court, next_url)


def continue_after_passkey(
    request: AnyRequest, account: Account, court: Court | None, next_url: str
) -> HttpResponse:
    """A passkey with user verification stood for the password and the second factor: the
    sign-on starts with its MFA step done; the other steps follow as after a password."""
    needs_steps = _needs_redaction(account) or _client_code_problem(account, "") is not None
    signon, token = signon_login_start(
        account=account,
        actor=Actor.from_request(request, court=court),
        pending=True,
        client_code="",
        court_id=court.pk if court else "",
    )
    signon.mfa_verified = True
    signon.mfa_method = "passkey"
    signon.save(update_fields=["mfa_verified", "mfa_method"])
    if needs_steps:
        response = HttpResponseRedirect(
            f"{reverse('accounts:login_step')}?{request.GET.urlencode()}"
        )
        set_pending_cookie(response, token)
        return response
    token = signon_activate(signon=signon, client_code="", redaction_agreed=False)
    request.signon = signon
    return _signed_on(request, signon, token, court, next_url)


def _signed_on(
    request: AnyRequest, signon: SignOn, token: str, court: Court | None, next_url: str
) -> HttpResponse:
    rotate_token(request)
    signon_login_complete(actor=Actor.from_request(request, court=court), signon=signon)
    response = HttpResponseRedirect(next_url)
    set_signon_cookie(response, token, request=request)
    clear_pending_cookie(response)
    return response


@public
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
    if request.method == "POST" and "cancel" in request.POST:
        signon_end(signon=signon, reason="login_cancelled")
        response = HttpResponseRedirect(f"{reverse('accounts:login')}?{request.GET.urlencode()}")
        clear_pending_cookie(response)
        return response
    # The steps, in order: the second factor (accounts with an app), then one page with the
    # MFA enrollment prompt (filers without an app), the redaction agreement (filers) and
    # the client code (when missing or not in the account's format).
    if signon.account.has_mfa and not signon.mfa_verified:
        return _mfa_step(request, signon, court, next_url)
    return _finish_step(request, signon, court, next_url)


def _mfa_step(
    request: AnyRequest, signon: SignOn, court: Court | None, next_url: str
) -> HttpResponse:
    account = signon.account
    if request.method == "POST" and "credential" in request.POST:
        return _passkey_step(request, signon, court, next_url)
    form = MfaCodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = mfa_login_verify(
            signon=signon,
            code=form.cleaned_data["code"],
            actor=Actor.from_request(request),
            court=court,
        )
        if result.ok:
            if _needs_redaction(account) or _client_code_problem(account, signon.client_code):
                # Another page follows: the pending sign-on gets a new token all the same,
                # as every change of authentication level does.
                onward = HttpResponseRedirect(
                    f"{reverse('accounts:login_step')}?{request.GET.urlencode()}"
                )
                set_pending_cookie(onward, signon_rotate(signon=signon))
                return onward
            token = signon_activate(
                signon=signon, client_code=signon.client_code, redaction_agreed=False
            )
            request.signon = signon
            return _signed_on(request, signon, token, court, next_url)
        if signon.ended_at is not None:
            response = render(
                request,
                "accounts/mfa/login_locked.html",
                {"court": court, "next": next_url},
                status=403,
            )
            clear_pending_cookie(response)
            return response
        error = result.message
    return _mfa_page(request, signon, court, next_url, form, error)


def _mfa_page(
    request: AnyRequest,
    signon: SignOn,
    court: Court | None,
    next_url: str,
    form: MfaCodeForm,
    error: str,
    status: int = 200,
) -> HttpResponse:
    account = signon.account
    context: dict[str, object] = {
        "form": form,
        "court": court,
        "account": account,
        "next": next_url,
        "error": error,
        "has_app": account.totp_devices.filter(confirmed=True).exists(),
    }
    if account.passkeys.exists():
        ceremony = passkey_login_begin(relying=relying(request), account=account)
        context.update(
            ceremony_context(
                ceremony,
                mode="get",
                action=f"{reverse('accounts:login_step')}?{request.GET.urlencode()}",
                label="Use a passkey",
            )
        )
    return render(request, "accounts/mfa/login_code.html", context, status=status)


def _after_mfa(
    request: AnyRequest, signon: SignOn, court: Court | None, next_url: str
) -> HttpResponse:
    account = signon.account
    if _needs_redaction(account) or _client_code_problem(account, signon.client_code):
        onward = HttpResponseRedirect(f"{reverse('accounts:login_step')}?{request.GET.urlencode()}")
        set_pending_cookie(onward, signon_rotate(signon=signon))
        return onward
    token = signon_activate(signon=signon, client_code=signon.client_code, redaction_agreed=False)
    request.signon = signon
    return _signed_on(request, signon, token, court, next_url)


def _passkey_step(
    request: AnyRequest, signon: SignOn, court: Court | None, next_url: str
) -> HttpResponse:
    """The second factor answered with one of the account's passkeys."""
    try:
        passkey_second_factor(
            signon=signon,
            relying=relying(request),
            challenge_id=request.POST.get("challenge", ""),
            credential=request.POST.get("credential", ""),
            actor=Actor.from_request(request, court=court),
        )
    except PasskeyRefused as refused:
        signon.refresh_from_db(fields=["ended_at"])
        if signon.ended_at is not None:
            response = render(
                request,
                "accounts/mfa/login_locked.html",
                {"court": court, "next": next_url},
                status=403,
            )
            clear_pending_cookie(response)
            return response
        return _mfa_page(request, signon, court, next_url, MfaCodeForm(), refused.message, 400)
    return _after_mfa(request, signon, court, next_url)


def _finish_step(
    request: AnyRequest, signon: SignOn, court: Court | None, next_url: str
) -> HttpResponse:
    account = signon.account
    needs_redaction = _needs_redaction(account)
    code_problem = _client_code_problem(account, signon.client_code)
    mfa_prompt = needs_redaction and not account.has_mfa
    form = LoginStepForm(
        request.POST if request.method == "POST" else None,
        needs_redaction=needs_redaction,
        needs_client_code=code_problem is not None,
        client_code_required=account.client_code_required,
        client_code_format=account.client_code_format,
        initial={"client_code": signon.client_code},
    )
    if request.method == "POST":
        if form.is_valid():
            target = next_url
            if mfa_prompt:
                if request.POST.get("mfa") == "setup":
                    # The password was typed a moment ago: the new sign-on is fresh enough
                    # to enroll at once. Until enrollment is finished this uses a chance
                    # like Skip does, or "Set up now" would postpone enrollment for ever.
                    if skips_left(account):
                        mfa_skip(account=account, actor=Actor.from_request(request), court=court)
                    target = f"{reverse('manage:mfa_add')}?{urlencode({'next': next_url})}"
                else:
                    # "Skip", or no choice at all: one of the three chances is used (once
                    # they are gone this only records that the user went on to search).
                    mfa_skip(account=account, actor=Actor.from_request(request), court=court)
            token = signon_activate(
                signon=signon,
                client_code=(
                    form.cleaned_data.get("client_code", "")
                    if code_problem is not None
                    else signon.client_code
                ),
                redaction_agreed=needs_redaction,
            )
            request.signon = signon
            return _signed_on(request, signon, token, court, target)
        signon_login_step_refused(actor=Actor.from_request(request, court=court), signon=signon)
    return render(
        request,
        "accounts/login_step.html",
        {
            "form": form,
            "court": court,
            "account": account,
            "next": next_url,
            "mfa_prompt": mfa_prompt,
            "skips_left": skips_left(account) if mfa_prompt else 0,
            "code_given": signon.client_code if code_problem not in (None, MISSING) else "",
            "code_problem": code_problem,
        },
    )


@public
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
        signon_logout(actor=Actor.from_request(request, court=court), signon=signon)
    target = reverse("courts:home", args=[court.pk]) if court else reverse("home")
    response = render(request, "accounts/logged_out.html", {"court": court, "continue_url": target})
    clear_signon_cookie(response, request=request)
    return response


@public
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
        result = signon_reauth(
            actor=Actor.from_request(request, court=court),
            signon=signon,
            password=form.cleaned_data["password"],
        )
        if result.token:
            response = HttpResponseRedirect(next_url)
            set_signon_cookie(response, result.token, request=request)
            return response
        if result.signed_off:
            response = HttpResponseRedirect(
                f"{reverse('accounts:login')}?{request.GET.urlencode()}"
            )
            clear_signon_cookie(response, request=request)
            return response
        # The sign-on already proves who this is, so it may hear that guessing is paused.
        error = (
            "That password is not correct."
            if result.failure is AuthFailure.INVALID
            else "Too many unsuccessful attempts. Try again later, or reset your password."
        )
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "court": court, "error": error, "account": signon.account},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", {"court": None}, status=403)
