"""Manage My Account > Multifactor authentication: authenticator apps and backup codes."""

from __future__ import annotations

import segno
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.accounts.decorators import account_fresh, account_page
from nextecf.accounts.forms.manage import EnrollConfirmForm
from nextecf.accounts.mfa import (
    Enrollment,
    MfaRefused,
    backup_codes_generate,
    backup_codes_left,
    filing_blocked,
    mfa_enroll_check,
    mfa_enroll_confirm,
    mfa_enroll_resume,
    mfa_enroll_start,
    mfa_remove,
    skips_left,
)
from nextecf.accounts.models import TotpDevice
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.selectors import has_filing_rights
from nextecf.lib.actor import Actor
from nextecf.lib.http import safe_next


def _next(request: SignedOnRequest) -> str:
    return safe_next(request, request.GET.get("next"), reverse("manage:mfa"))


def _apps(request: SignedOnRequest) -> list[TotpDevice]:
    return list(request.user.totp_devices.filter(confirmed=True).order_by("created_at", "pk"))


@never_cache
@require_http_methods(["GET"])
@account_page
def overview(request: SignedOnRequest) -> HttpResponse:
    account = request.user
    apps = _apps(request)
    return render(
        request,
        "accounts/mfa/overview.html",
        {
            "apps": apps,
            "max_apps": TotpDevice.MAX_PER_ACCOUNT,
            "can_add": len(apps) < TotpDevice.MAX_PER_ACCOUNT,
            "codes_left": backup_codes_left(account),
            "filer": has_filing_rights(account),
            "filing_blocked": filing_blocked(account) and has_filing_rights(account),
        },
    )


def _qr(enrollment: Enrollment) -> str:
    return str(segno.make(enrollment.uri, micro=False, error="m").svg_data_uri(scale=5, border=4))


def _enroll_page(
    request: SignedOnRequest,
    enrollment: Enrollment,
    form: EnrollConfirmForm | None = None,
    error: str = "",
) -> HttpResponse:
    if form is None:
        form = EnrollConfirmForm(account=request.user, initial={"device": enrollment.device.pk})
    return render(
        request,
        "accounts/mfa/enroll.html",
        {
            "enrollment": enrollment,
            "qr": _qr(enrollment),
            "form": form,
            "error": error,
            "next": _next(request),
        },
    )


def _refused(request: SignedOnRequest, refusal: MfaRefused, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/mfa/add.html",
        {"refusal": refusal, "next": _next(request)},
        status=status,
    )


def _device_id(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**62 else None


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def add(request: SignedOnRequest) -> HttpResponse:
    """Add an authenticator app: an introduction (GET), a new secret shown as QR code and
    text (POST start), then the app's name and a current code (POST confirm)."""
    account = request.user
    if request.method == "GET":
        try:
            mfa_enroll_check(account=account)  # only the checks: the POST makes the secret
        except MfaRefused as refusal:
            return _refused(request, refusal)
        return render(request, "accounts/mfa/add.html", {"next": _next(request)})
    if request.POST.get("step") != "confirm":
        try:
            enrollment = mfa_enroll_start(account=account)
        except MfaRefused as refusal:
            return _refused(request, refusal, status=403)
        return _enroll_page(request, enrollment)
    form = EnrollConfirmForm(request.POST, account=account)
    device_id = _device_id(request.POST.get("device"))
    enrollment_now = mfa_enroll_resume(account=account, device_id=device_id) if device_id else None
    if enrollment_now is None:
        return render(
            request,
            "accounts/mfa/add.html",
            {
                "error": "This setup has expired or was replaced by a newer one. Start again.",
                "next": _next(request),
            },
            status=400,
        )
    if not form.is_valid():
        return _enroll_page(request, enrollment_now, form)
    try:
        device, codes = mfa_enroll_confirm(
            account=account,
            device_id=enrollment_now.device.pk,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            actor=Actor.from_request(request),
        )
    except MfaRefused as refusal:
        if refusal.reason == "invalid_code":
            form.add_error("code", refusal.message)
            return _enroll_page(request, enrollment_now, form)
        return _refused(request, refusal, status=403)
    return render(
        request,
        "accounts/mfa/enrolled.html",
        {"device": device, "codes": codes, "next": _next(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def remove(request: SignedOnRequest, pk: int) -> HttpResponse:
    account = request.user
    device = (
        account.totp_devices.filter(pk=pk, confirmed=True).first() if _device_id(str(pk)) else None
    )
    if device is None:
        return render(request, "accounts/mfa/remove.html", {"device": None}, status=404)
    apps = _apps(request)
    last = len(apps) == 1
    if request.method == "POST":
        removed = mfa_remove(
            account=account,
            device_id=device.pk,
            actor=Actor.from_request(request),
            filer=has_filing_rights(account),
        )
        return render(
            request,
            "accounts/mfa/removed.html",
            {
                "device": removed,
                "last": last,
                "filer": has_filing_rights(account),
                "skips_left": skips_left(account),
            },
        )
    return render(
        request,
        "accounts/mfa/remove.html",
        {
            "device": device,
            "last": last,
            "filer": has_filing_rights(account),
            "skips_left": skips_left(account),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
@account_fresh
def backup_codes(request: SignedOnRequest) -> HttpResponse:
    """How many backup codes are left, and "Get new codes", which replaces them all and
    shows the new ones once (they are stored only as hashes)."""
    account = request.user
    has_app = bool(_apps(request))
    codes: list[str] = []
    status = 200
    if request.method == "POST":
        if has_app:
            codes = backup_codes_generate(account=account, actor=Actor.from_request(request))
        else:
            status = 403
    return render(
        request,
        "accounts/mfa/backup_codes.html",
        {"codes": codes, "left": backup_codes_left(account), "has_app": has_app},
        status=status,
    )
