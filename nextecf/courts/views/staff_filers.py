"""The workspace's pages about the court's filers (courts.views.staff lists them): the
conversion report of the seed's rollout (counts, list, CSV, reminder email), the web
import of legacy CM/ECF accounts (the same validation as manage.py import_filer_accounts),
the filer accounts, the locked accounts and the court's audit log."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.courts.decorators import staff_page
from nextecf.courts.forms.staff_filers import FilerImportForm, FilerSearchForm
from nextecf.courts.importing import (
    filer_accounts_import,
    filer_accounts_import_refused,
    parse_filer_csv,
)
from nextecf.courts.models import Court, EfileRegistration, FilerAccount
from nextecf.courts.selectors import (
    LinkStatus,
    conversion_counts,
    conversion_filers,
    filer_status,
    locked_central_accounts,
    locked_filers,
)
from nextecf.courts.services import (
    EFILE_REFUSALS,
    EfileRefused,
    conversion_reminder_send,
    efile_registration_approve,
    efile_registration_reject,
    filer_unlock,
)
from nextecf.courts.views.staff import staff_context
from nextecf.lib.actor import Actor
from nextecf.lib.text import printable

PAGE_SIZE = 50


def _status(request: SignedOnRequest) -> LinkStatus | None:
    try:
        return LinkStatus(request.GET.get("status", ""))
    except ValueError:
        return None  # anything else (or nothing) lists every account


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.MANAGE_FILERS)
def conversion_report(request: SignedOnRequest, court: Court) -> HttpResponse:
    status = _status(request)
    filers = conversion_filers(court, status)
    page = Paginator(filers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = staff_context(
        request,
        court,
        counts=conversion_counts(court),
        statuses=list(LinkStatus),
        status=status,
        page=page,
        rows=[(filer, filer_status(filer)) for filer in page],
    )
    return render(request, "staff/conversion_report.html", context)


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.MANAGE_FILERS)
def conversion_csv(request: SignedOnRequest, court: Court) -> HttpResponse:
    """The report's list as a spreadsheet: every account (or one status), no pages."""
    status = _status(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{court.pk}-conversion{'-' + status.value if status else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["login", "name", "email", "role", "status", "pacer_account", "last_login"])
    for filer in conversion_filers(court, status).iterator(chunk_size=500):
        account = filer.account
        last_login = account.last_login if account else None
        writer.writerow(
            [
                _cell(filer.login),
                _cell(filer.full_name),
                _cell(filer.email),
                filer.get_role_display(),
                filer_status(filer).label,
                _cell(account.username) if account else "",
                last_login.isoformat(timespec="seconds") if last_login else "",
            ]
        )
    return response


def _cell(value: str) -> str:
    """A spreadsheet must not run an imported name as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@staff_page(Action.MANAGE_FILERS)  # outermost: a refused persona is refused on any method
@require_http_methods(["POST"])
def conversion_remind(request: SignedOnRequest, court: Court) -> HttpResponse:
    sent = conversion_reminder_send(actor=Actor.from_request(request, court=court), court=court)
    messages.success(
        request,
        f"Reminder emailed to {sent} not-yet-linked filer(s)."
        if sent
        else "No filer is waiting to link: no reminder was sent.",
    )
    return HttpResponseRedirect(reverse("courts:staff_conversion", kwargs={"court": court.pk}))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_page(Action.MANAGE_FILERS)
def filer_import(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Upload the CSV file manage.py import_filer_accounts takes: every bad row is listed
    with its line number and reason and nothing is imported, or every row is."""
    posted = request.method == "POST"
    form = FilerImportForm(request.POST, request.FILES) if posted else FilerImportForm()
    problems: list[str] = []
    summary = None
    status = 200
    if posted:
        if form.is_valid():
            upload = form.cleaned_data["file"]
            source = printable(upload.name or "upload.csv", 200)
            data = upload.read()
            actor = Actor.from_request(request, court=court)
            result = parse_filer_csv(data)
            if result.problems:
                filer_accounts_import_refused(
                    actor=actor, court=court, result=result, source=source
                )
                problems = [str(problem) for problem in result.problems]
                status = 400
            else:
                summary = filer_accounts_import(
                    actor=actor, court=court, rows=result.rows, source=source
                )
                form = FilerImportForm()
        else:
            status = 400
    context = staff_context(
        request,
        court,
        form=form,
        problems=problems,
        summary=summary,
        columns=["login", "first_name", "last_name", "email", "role"],
    )
    return render(request, "staff/filer_import.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.MANAGE_FILERS)
def filer_list(request: SignedOnRequest, court: Court) -> HttpResponse:
    form = FilerSearchForm(request.GET or None)
    filers = conversion_filers(court)
    if form.is_valid() and form.cleaned_data["q"]:
        filers = FilerSearchForm.matching(filers, form.cleaned_data["q"])
    page = Paginator(filers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = staff_context(
        request, court, form=form, page=page, rows=[(f, filer_status(f)) for f in page]
    )
    return render(request, "staff/filer_list.html", context)


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.MANAGE_FILERS)
def locked_accounts(request: SignedOnRequest, court: Court) -> HttpResponse:
    context = staff_context(
        request,
        court,
        filers=list(locked_filers(court)),
        accounts=list(locked_central_accounts(court)),
    )
    return render(request, "staff/locked_accounts.html", context)


@staff_page(Action.MANAGE_FILERS)  # outermost: a refused persona is refused on any method
@require_http_methods(["POST"])
def filer_unlock_view(request: SignedOnRequest, court: Court, filer_id: int) -> HttpResponse:
    filer = get_object_or_404(FilerAccount, pk=filer_id, court=court)
    if filer_unlock(actor=Actor.from_request(request, court=court), filer=filer):
        messages.success(request, f"CM/ECF account {filer.login} is unlocked.")
    else:
        messages.info(request, f"CM/ECF account {filer.login} was no longer locked.")
    return HttpResponseRedirect(reverse("courts:staff_locked", kwargs={"court": court.pk}))


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.AUDIT_LOG)
def audit_log(request: SignedOnRequest, court: Court) -> HttpResponse:
    """The court's audit events, newest first, a page at a time; reading it is audited."""
    events = AuditEvent.objects.filter(court=court).select_related("actor", "subject")
    wanted = request.GET.get("event", "")
    if wanted in Event.values:
        events = events.filter(event_type=wanted)
    else:
        wanted = ""
    page = Paginator(events.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_record(
        event=Event.STAFF_VIEW,
        success=True,
        actor=Actor.from_request(request, court=court),
        court=court,
        reason="audit_log",
        detail={"query": request.GET.urlencode()[:200]},
    )
    context = staff_context(request, court, page=page, events=Event.choices, wanted=wanted)
    return render(request, "staff/audit_log.html", context)


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.MANAGE_FILERS)
def efile_registrations(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Requests for filing rights: pending ones (oldest first) to approve or reject, then
    the latest decisions."""
    requests = EfileRegistration.objects.filter(court=court).select_related("account")
    pending = list(requests.filter(status=EfileRegistration.Status.PENDING).order_by("created_at"))
    decided = list(
        requests.exclude(status=EfileRegistration.Status.PENDING)
        .select_related("decided_by")
        .order_by("-decided_at")[:PAGE_SIZE]
    )
    context = staff_context(request, court, pending=pending, decided=decided)
    return render(request, "staff/efile_registrations.html", context)


@staff_page(Action.MANAGE_FILERS)  # outermost: a refused persona is refused on any method
@require_http_methods(["POST"])
def efile_decide(request: SignedOnRequest, court: Court, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(EfileRegistration, pk=registration_id, court=court)
    decision = request.POST.get("decision", "")
    note = str(request.POST.get("note", ""))[:500]
    actor = Actor.from_request(request, court=court)
    who = registration.account.username
    try:
        if decision == "approve":
            efile_registration_approve(
                actor=actor, staff=request.user, registration=registration, note=note
            )
            messages.success(request, f"Approved: {who} may now file in this court.")
        elif decision == "reject":
            efile_registration_reject(
                actor=actor, staff=request.user, registration=registration, note=note
            )
            messages.success(request, f"Rejected the request of {who}; they were emailed.")
        else:
            messages.error(request, "Choose Approve or Reject.")
    except EfileRefused as refusal:
        why = EFILE_REFUSALS.get(refusal.reason, refusal.reason)
        messages.error(request, f"The request of {who} was not decided: {why}.")
    return HttpResponseRedirect(reverse("courts:staff_efile", kwargs={"court": court.pk}))
