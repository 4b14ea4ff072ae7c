"""Quality control in the staff workspace: the court's QC queue (oldest first, with its
age, filtered by event and case) and one filing's page, where a QC clerk accepts,
corrects or strikes it or sends a deficiency notice (nextecf/filing/quality.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.decorators import staff_page
from nextecf.courts.forms.staff import CorrectForm, DeficiencyForm, QueueFilterForm, StrikeForm
from nextecf.courts.models import Court
from nextecf.courts.views.staff import staff_context
from nextecf.filing.models import Filing
from nextecf.filing.quality import (
    QcRefused,
    filing_accept,
    filing_correct,
    filing_deficiency_notice,
    filing_strike,
    qc_queue,
)
from nextecf.lib.actor import Actor

QUEUE_PAGE = 100


def age(filed: Any) -> str:
    """How long a filing has waited, as a clerk reads it: "3 days", "5 hours"."""
    seconds = max(0, int((timezone.now() - filed).total_seconds()))
    if seconds >= 86400:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds >= 3600:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.QUALITY_CONTROL)
def queue(request: SignedOnRequest, court: Court) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, court=court)
    event_code = case_number = ""
    if form.is_valid():
        event_code = form.cleaned_data["event"]
        case_number = form.cleaned_data["case"]
    rows = qc_queue(court, event_code=event_code, case_number=case_number)
    total = rows.count()
    filings = [(filing, age(filing.created_at)) for filing in rows[:QUEUE_PAGE]]
    context = staff_context(
        request, court, form=form, filings=filings, total=total, shown=len(filings)
    )
    return render(request, "staff/qc_queue.html", context)


ACTIONS = ("accept", "correct", "strike", "deficiency")


def _item_context(
    request: SignedOnRequest, court: Court, filing: Filing, forms: dict[str, Form], error: str
) -> dict[str, object]:
    entry = filing.entry
    return staff_context(
        request,
        court,
        filing=filing,
        entry=entry,
        documents=list(entry.documents.all()),
        revisions=list(entry.revisions.select_related("event", "filer", "changed_by")),
        waiting=age(filing.created_at),
        error=error,
        **forms,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_page(Action.QUALITY_CONTROL)
def item(request: SignedOnRequest, court: Court, filing_id: int) -> HttpResponse:
    filing = (
        Filing.objects.select_related("case", "entry", "entry__event", "entry__filer", "qc_by")
        .filter(court=court, pk=filing_id)
        .first()
    )
    if filing is None:
        return render(
            request,
            "staff/not_found.html",
            staff_context(request, court, what="filing"),
            status=404,
        )
    entry = filing.entry
    posted = request.POST if request.method == "POST" else None
    action = str(request.POST.get("action", "")) if posted is not None else ""
    forms: dict[str, Form] = {
        "correct_form": CorrectForm(
            posted if action == "correct" else None,
            court=court,
            initial={"event": entry.event_id, "text": entry.text, "filer": entry.filer_id},
            prefix="correct",
        ),
        "strike_form": StrikeForm(posted if action == "strike" else None, prefix="strike"),
        "deficiency_form": DeficiencyForm(
            posted if action == "deficiency" else None, prefix="deficiency"
        ),
    }
    error = ""
    status = 200
    if posted is not None:
        if action not in ACTIONS:
            error, status = "Choose Accept, Correct, Strike or Deficiency notice.", 400
        else:
            outcome = _act(request, court, filing, action, forms)
            if outcome is None:
                return HttpResponseRedirect(reverse("courts:qc_queue", args=[court.pk]))
            error, status = outcome
    return render(
        request,
        "staff/qc_item.html",
        _item_context(request, court, filing, forms, error),
        status=status,
    )


DONE = {
    "accept": "accepted",
    "correct": "corrected; the notice of docket correction was docketed and served",
    "strike": "stricken; the notice of docket correction was docketed and served",
    "deficiency": "sent a deficiency notice; the clerk's notice was docketed and served",
}


def _act(
    request: SignedOnRequest, court: Court, filing: Filing, action: str, forms: dict[str, Form]
) -> tuple[str, int] | None:
    """Take the action; None when it was taken, else (message, status)."""
    actor = Actor.from_request(request, court=court)
    clerk = request.user
    form = forms.get(f"{action}_form")
    if form is not None and not form.is_valid():
        return "Correct the fields marked below.", 400
    try:
        if action == "accept":
            filing_accept(actor=actor, clerk=clerk, court=court, filing_id=filing.pk)
        elif action == "correct":
            data = forms["correct_form"].cleaned_data
            filing_correct(
                actor=actor,
                clerk=clerk,
                court=court,
                filing_id=filing.pk,
                event=data["event"],
                text=data["text"],
                filer=data["filer"],
            )
        elif action == "strike":
            filing_strike(
                actor=actor,
                clerk=clerk,
                court=court,
                filing_id=filing.pk,
                reason=forms["strike_form"].cleaned_data["reason"],
            )
        else:
            filing_deficiency_notice(
                actor=actor,
                clerk=clerk,
                court=court,
                filing_id=filing.pk,
                problem=forms["deficiency_form"].cleaned_data["problem"],
            )
    except QcRefused as refused:
        if form is not None and refused.field in form.fields:
            form.add_error(refused.field, refused.message)
        return refused.message, 409 if refused.reason == "already_acted" else 400
    label = entry_label(filing)
    messages.success(request, f"{label} in {filing.case.number}: {DONE[action]}.")
    return None


def entry_label(filing: Filing) -> str:
    entry = filing.entry
    number = f"Entry {entry.number}" if entry.number is not None else "The entry"
    return f"{number} ({filing.event.name})"
