"""Clerk docketing in the staff workspace: a court event (order, minute entry, clerk's
notice, judgment, summons issued, scheduling order...) from the court's catalogue, with or
without its PDF, docketed into a case by filing/staff.court_entry_create: the entry, its
document, the NEF and the audit event commit together. The PDF is checked as filers'
uploads are and stored from its temporary file, never read whole into memory."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.decorators import staff_page
from nextecf.courts.forms.staff import DocketEventForm
from nextecf.courts.models import Court
from nextecf.courts.views.staff import staff_context
from nextecf.filing.staff import CheckedPdf, DocketingRefused, court_entry_create, pdf_checked
from nextecf.lib.actor import Actor
from nextecf.lib.middleware import accepts_upload


@never_cache
@require_http_methods(["GET", "POST"])
@accepts_upload(files=1)
@staff_page(Action.DOCKET_EVENT)
def docket_event(request: SignedOnRequest, court: Court) -> HttpResponse:
    posted = request.method == "POST"
    initial = {"case": request.GET.get("case", "")[:20]}
    form = DocketEventForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        court=court,
        initial=initial,
    )
    error = ""
    if posted and form.is_valid():
        data = form.cleaned_data
        documents: list[CheckedPdf] = []
        try:
            upload = data.get("main_document")
            if upload:
                documents.append(pdf_checked(court=court, upload=upload, label="Document"))
            entry = court_entry_create(
                actor=Actor.from_request(request, court=court),
                staff=request.user,
                case=data["case"],
                event=data["event"],
                date_filed=data["date_filed"],
                text=data["text"],
                documents=documents,
            )
        except DocketingRefused as refused:
            field = refused.field or "main_document"
            form.add_error(field if field in form.fields else None, refused.message)
        else:
            number = f"entry {entry.number}" if entry.number is not None else "an entry"
            messages.success(
                request, f"Docketed {number} ({data['event'].name}) in {entry.case.number}."
            )
            return HttpResponseRedirect(reverse("courts:docket_event", args=[court.pk]))
    elif posted:
        error = "Correct the fields marked below."
    status = 400 if posted else 200
    context = staff_context(request, court, form=form, error=error)
    return render(request, "staff/docket_event.html", context, status=status)
