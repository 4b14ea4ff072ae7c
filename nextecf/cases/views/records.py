"""The clerk's case records page (court staff only): each document's access level (changed
with a reason) and the accounts granted a sealed one by name, the case's protective order
(admit counsel of record, remove them with a reason), consolidation under a lead case, and
the confidential filings whose public version is overdue. Every change is a service in
cases.services, audited in its transaction. The staff workspace will hold these pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.docket import consolidation_history, consolidation_lines
from nextecf.cases.forms import (
    AdmitForm,
    ConsolidateForm,
    GrantForm,
    LevelChangeForm,
    RecordsCaseForm,
    RemoveAdmissionForm,
)
from nextecf.cases.models import (
    Appearance,
    Case,
    DocketEntry,
    Document,
    DocumentGrant,
    ProtectiveOrderAdmission,
)
from nextecf.cases.selectors import public_versions_overdue
from nextecf.cases.services import (
    CaseRefused,
    case_consolidate,
    case_unconsolidate,
    document_grant,
    document_level_change,
    protective_order_admit,
    protective_order_remove,
)
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court, FilerAccount
from nextecf.courts.views.court import menu_context
from nextecf.lib.actor import Actor


@never_cache
@require_http_methods(["GET"])
@court_page(Action.STAFF)
def records_home(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Find a case by number; lists the confidential filings whose public version is late."""
    form = RecordsCaseForm(request.GET if "case_number" in request.GET else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            case = Case.objects.filter(court=court, number=form.cleaned_data["case_number"]).first()
            if case is not None:
                return HttpResponseRedirect(
                    reverse("courts:records_case", args=[court.pk, case.pk])
                )
            form.add_error("case_number", "Case number: no case of this court has it.")
        status = 400
    overdue = public_versions_overdue(court, timezone.localdate())
    return render(
        request,
        "cases/records_home.html",
        menu_context(request, court, form=form, overdue=overdue),
        status=status,
    )


def _counsel_choices(case: Case) -> list[tuple[int, str]]:
    """Linked counsel of record in the case, not already admitted."""
    admitted = ProtectiveOrderAdmission.objects.current().filter(case=case).values("filer_id")
    filers = (
        FilerAccount.objects.filter(
            appearances__party__case=case,
            appearances__terminated_on__isnull=True,
            account__isnull=False,
            is_active=True,
        )
        .exclude(pk__in=admitted)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    return [(filer.pk, f"{filer.full_name} ({filer.login})") for filer in filers]


ACTIONS = ("level", "grant", "admit", "remove", "consolidate", "unconsolidate")


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.STAFF)
def records_case(request: SignedOnRequest, court: Court, case_id: int) -> HttpResponse:
    case = Case.objects.filter(court=court, pk=case_id).first()
    if case is None:
        return render(
            request,
            "cases/problem.html",
            menu_context(request, court, title="Case not found", message="Case not found."),
            status=404,
        )
    forms: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action not in ACTIONS:
            status = 400
            messages.error(request, "Choose one of the page's buttons.")
        else:
            done, form = _apply(request, court, case, action)
            if done:
                return HttpResponseRedirect(request.path)
            forms[action] = form
            status = 400
    return render(
        request,
        "cases/records_case.html",
        _case_context(request, court, case, forms),
        status=status,
    )


def _apply(request: SignedOnRequest, court: Court, case: Case, action: str) -> tuple[bool, Any]:
    """Run one of the page's forms; (True, None) when it changed something."""
    actor = Actor.from_request(request, court=court)
    form: Any
    try:
        if action in ("level", "grant"):
            form = LevelChangeForm(request.POST) if action == "level" else GrantForm(request.POST)
            if not form.is_valid():
                return False, form
            document = Document.objects.filter(
                entry__case=case, doc_id=form.cleaned_data["doc_id"]
            ).first()
            if document is None:
                form.add_error(None, "Document: not in this case.")
                return False, form
            if action == "level":
                document_level_change(
                    actor=actor,
                    document=document,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request, f"Document {document.doc_id} is now {document.access_level}."
                )
            else:
                document_grant(
                    actor=actor, document=document, username=form.cleaned_data["username"]
                )
                messages.success(
                    request, f"{form.cleaned_data['username']} may read {document.doc_id}."
                )
        elif action == "admit":
            form = AdmitForm(request.POST, choices=_counsel_choices(case))
            if not form.is_valid():
                return False, form
            filer = FilerAccount.objects.get(pk=form.cleaned_data["filer"])
            protective_order_admit(actor=actor, case=case, filer=filer)
            messages.success(request, f"{filer.full_name} is admitted under the protective order.")
        elif action == "remove":
            form = RemoveAdmissionForm(request.POST)
            if not form.is_valid():
                return False, form
            admission = ProtectiveOrderAdmission.objects.filter(
                case=case, pk=form.cleaned_data["admission"]
            ).first()
            if admission is None:
                form.add_error(None, "Admission: not in this case.")
                return False, form
            protective_order_remove(
                actor=actor, admission=admission, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Removed from the protective order.")
        elif action == "consolidate":
            form = ConsolidateForm(request.POST)
            if not form.is_valid():
                return False, form
            member = Case.objects.filter(
                court=court, number=form.cleaned_data["case_number"]
            ).first()
            if member is None:
                form.add_error("case_number", "Case number: no case of this court has it.")
                return False, form
            case_consolidate(actor=actor, lead=case, member=member)
            messages.success(request, f"{member.number} is consolidated under {case.number}.")
        else:
            form = RecordsCaseForm(request.POST)
            if not form.is_valid():
                return False, form
            member = Case.objects.filter(
                court=court, number=form.cleaned_data["case_number"], lead_case__isnull=False
            ).first()
            if member is None or (member.pk != case.pk and member.lead_case_id != case.pk):
                form.add_error("case_number", "Case number: not a member of this group.")
                return False, form
            case_unconsolidate(actor=actor, member=member)
            messages.success(request, f"{member.number} is no longer consolidated.")
    except CaseRefused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return False, form
    return True, None


def _case_context(
    request: SignedOnRequest, court: Court, case: Case, forms: dict[str, Any]
) -> dict[str, object]:
    entries = list(
        DocketEntry.objects.filter(case=case, documents__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.prefetch_related(
                    Prefetch("grants", queryset=DocumentGrant.objects.select_related("account"))
                ),
            )
        )
        .order_by("seq")
    )
    lead, members = consolidation_lines(case)
    return menu_context(
        request,
        court,
        case=case,
        entries=entries,
        forms=forms,
        level_form=forms.get("level") or LevelChangeForm(),
        admissions=list(
            ProtectiveOrderAdmission.objects.filter(case=case).select_related(
                "filer", "admitted_by", "removed_by"
            )
        ),
        admit_form=forms.get("admit") or AdmitForm(choices=_counsel_choices(case)),
        appearing=Appearance.objects.filter(party__case=case).exists(),
        lead=lead,
        members=members,
        history=consolidation_history(case),
        consolidate_form=forms.get("consolidate") or ConsolidateForm(),
    )
