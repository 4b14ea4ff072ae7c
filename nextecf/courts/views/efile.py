"""E-file registration: a central account asks a court for filing rights (PACER's
Manage My Account > Maintenance tab); the court's staff decide in the staff tools."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.accounts.decorators import account_page
from nextecf.accounts.models import Account
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.forms.efile import EfileRequestForm
from nextecf.courts.models import Court, EfileRegistration, FilerAccount
from nextecf.courts.services import (
    EfileRefused,
    efile_access_check,
    efile_pending,
    efile_registration_request,
)
from nextecf.lib.actor import Actor

# A refusal about the account itself is 403; one about this court and this account, 409.
ACCOUNT_REFUSALS = {"shared_account", "legacy_account", "email_unverified"}


@never_cache
@require_http_methods(["GET", "POST"])
@account_page
def efile_home(request: SignedOnRequest) -> HttpResponse:
    """The account's requests and the form for a new one."""
    account = request.user
    refusal = efile_access_check(actor=Actor.from_request(request), account=account)
    if refusal is not None:
        return _refused(request, account, refusal, court=None)

    form = EfileRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            court: Court = form.cleaned_data["court"]
            try:
                efile_registration_request(
                    actor=Actor.from_request(request),
                    account=account,
                    court=court,
                    kind=form.cleaned_data["kind"],
                    bar_number=form.cleaned_data["bar_number"],
                    bar_jurisdiction=form.cleaned_data["bar_jurisdiction"],
                    admission_date=form.cleaned_data["admission_date"],
                    permission_reference=form.cleaned_data["permission_reference"],
                )
            except EfileRefused as refused:
                return _refused(request, account, refused.reason, court=court)
            messages.success(
                request,
                f"Your request was sent to the {court.name}. You will be notified by email "
                "when the court has processed it.",
            )
            return HttpResponseRedirect(reverse("efile:home"))
        status = 400
    requests = (
        EfileRegistration.objects.filter(account=account)
        .select_related("court")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "courts/efile/home.html",
        {"form": form, "requests": requests, "account": account},
        status=status,
    )


def _refused(
    request: SignedOnRequest, account: Account, reason: str, *, court: Court | None
) -> HttpResponse:
    linked = pending = None
    if court is not None:
        linked = FilerAccount.objects.filter(court=court, account=account).first()
        pending = efile_pending(account=account, court=court)
    return render(
        request,
        "courts/efile/refused.html",
        # court stays out of "court": the page belongs to the central account, not a court.
        {
            "reason": reason,
            "about_account": reason in ACCOUNT_REFUSALS,
            "chosen_court": court,
            "linked": linked,
            "pending": pending,
        },
        status=403 if reason in ACCOUNT_REFUSALS else 409,
    )
