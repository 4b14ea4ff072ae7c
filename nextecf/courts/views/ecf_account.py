"""Utilities > Maintain Your ECF Account, for a court's linked filers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.decorators import court_page
from nextecf.courts.ecf_account import (
    NoticeAddressRefused,
    docket_contact_update,
    notice_address_add,
    notice_address_remove,
)
from nextecf.courts.forms.ecf_account import DocketContactForm, SecondaryEmailForm
from nextecf.courts.models import Court, FilerAccount, NoticeAddress
from nextecf.courts.views.court import menu_context
from nextecf.lib.actor import Actor

CONTACT_LABELS = {"firm": "firm", "address": "address", "phone": "phone", "fax": "fax"}


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.MAINTAIN_ECF_ACCOUNT)
def ecf_account(request: SignedOnRequest, court: Court) -> HttpResponse:
    filer = (
        FilerAccount.objects.filing_for(request.user)
        .select_related("account", "court")
        .get(court=court)
    )
    add_form = SecondaryEmailForm(prefix="add")
    contact_form = DocketContactForm(instance=filer, prefix="contact")
    error = ""
    here = reverse("courts:ecf_account", args=[court.pk])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            add_form = SecondaryEmailForm(request.POST, prefix="add")
            if add_form.is_valid():
                email = add_form.cleaned_data["email"]
                try:
                    notice_address_add(actor=Actor.from_request(request), filer=filer, email=email)
                except NoticeAddressRefused as refusal:
                    add_form.add_error("email", refusal.message)
                else:
                    messages.success(
                        request, f"{email} was added; it now receives your notices in this court."
                    )
                    return HttpResponseRedirect(here)
        elif action == "remove":
            raw = request.POST.get("address", "")
            try:
                email = notice_address_remove(
                    actor=Actor.from_request(request),
                    filer=filer,
                    address_id=int(raw) if raw.isdigit() and len(raw) < 12 else 0,
                )
            except NoticeAddressRefused as refusal:
                error = refusal.message
            else:
                messages.success(request, f"{email} was removed; it no longer receives notices.")
                return HttpResponseRedirect(here)
        elif action == "contact":
            # Bound to a copy: a refused form must not alter the filer the page shows.
            copy = FilerAccount.objects.get(pk=filer.pk)
            contact_form = DocketContactForm(request.POST, instance=copy, prefix="contact")
            if contact_form.is_valid():
                changed = docket_contact_update(
                    actor=Actor.from_request(request),
                    filer=filer,
                    changes={f: contact_form.cleaned_data[f] for f in CONTACT_LABELS},
                )
                if changed:
                    names = ", ".join(CONTACT_LABELS[f] for f in changed)
                    messages.success(
                        request, f"Your docket contact information was saved ({names})."
                    )
                else:
                    messages.info(request, "Nothing was changed.")
                return HttpResponseRedirect(here)
        else:
            error = "Choose what to change: add an address, remove one, or save your contact."
    addresses = list(NoticeAddress.objects.filter(filer=filer).order_by("created_at", "pk"))
    failed = request.method == "POST"
    return render(
        request,
        "courts/ecf_account.html",
        menu_context(
            request,
            court,
            filer=filer,
            addresses=addresses,
            max_addresses=NoticeAddress.MAX_PER_FILER,
            room=NoticeAddress.MAX_PER_FILER - len(addresses),
            add_form=add_form,
            contact_form=contact_form,
            error=error,
        ),
        status=400 if failed else 200,
    )
