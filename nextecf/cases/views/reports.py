"""Query, Docket Report, History/Documents, View a Document and Reports, under CM/ECF's
own paths (iquery.pl, DktRpt.pl, HistDocQry.pl, doc1/<id>, show_multidocs.pl,
WrtOpRpt.pl) so that PACER client software finds them. Billable pages end with the PACER
transaction receipt.

PACER client software (juriscraper) posts these forms as multipart bodies, never fetches
a form first and so never has a CSRF token: the report endpoints it posts to (iquery.pl,
DktRpt.pl, HistDocQry.pl, WrtOpRpt.pl, doc1/<id>, show_multidocs.pl) are csrf_exempt, and
only those. They change nothing but the access-fee ledger. A forged cross-site POST
cannot charge anyone either: the sign-on cookie (NextGenCSO) is SameSite=Lax, so browsers
leave it off cross-site POSTs, and such a request arrives not signed on and is sent to the
login page without a charge (nextecf/cases/tests/test_documents.py checks this for doc1, the one
that costs the most). Client software signs on with the cookie or the X-NEXT-GEN-CSO
header, which a cross-site form cannot set.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pypdf import PdfWriter
from pypdf.errors import PyPdfError

from nextecf.access import (
    Action,
    CaseReader,
    case_reader,
    decide,
    entry_documents_readable,
    visible_cases,
)
from nextecf.accounts.request import AnyRequest, SignedOnRequest
from nextecf.alerts.models import Subscription
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.billing.services import (
    Free,
    Quote,
    access_charge,
    access_quote,
    document_free_look_record,
    document_view_charge,
    html_pages,
    image_description,
    receipt_for,
    receipt_for_quote,
)
from nextecf.cases.docket import docket_report as build_docket_report
from nextecf.cases.forms import (
    DateRangeReportForm,
    DocketReportForm,
    HistoryForm,
    OpinionsForm,
    QueryForm,
)
from nextecf.cases.models import AccessLevel, Case, DocketEntry, Document, DocumentView, Party
from nextecf.cases.selectors import (
    full_case_number,
    panel_of,
    parse_case_id,
    search_cases,
    short_description,
    size_label,
)
from nextecf.cases.services import document_view_log
from nextecf.courts.decorators import court_page, login_url, refusal
from nextecf.courts.models import Court
from nextecf.courts.views.court import menu_context
from nextecf.lib.actor import Actor
from nextecf.lib.dates import mdy
from nextecf.lib.guards import public
from nextecf.lib.pagination import paginate
from nextecf.lib.search import SearchTooSlow
from nextecf.lib.storage import document_store
from nextecf.notices.nef import free_look_spend

# The bare token CM/ECF forms carry in their action: DktRpt.pl?1-L_1_0-1. A form bound to
# one case carries the case id as a last part, HistDocQry.pl?1-L_1_0-0-123 (juriscraper's
# get_pacer_case_id_from_nonce_url reads it from there).
_FORM_TOKEN = re.compile(r"\d+-L_[A-Za-z0-9]+_\d+-\d+(?:-(?P<case>\d+))?")
FORM_QUERY = "1-L_1_0-1"  # the bare token, for forms not bound to one case
_DOC_ID = re.compile(r"\d{1,20}")
REPORT_LIMIT = 2000  # rows of a Civil Cases or Written Opinions report


# --- Helpers -----------------------------------------------------------------------------------


def _problem(
    request: SignedOnRequest, court: Court, status: int, title: str, message: str
) -> HttpResponse:
    return render(
        request,
        "cases/problem.html",
        menu_context(request, court, title=title, message=message),
        status=status,
    )


# CM/ECF answers a case or document it cannot show with HTTP 200 and its own words, in
# the page with the menu bar: PACER software checks the status first and would raise on a
# 404, and reads the words ("Case not found.") as an empty result; the menu's logout link
# keeps it from logging in again.


def is_under_seal(court: Court, case_id: int | None) -> bool:
    """Whether the case asked for exists and is sealed: CM/ECF answers "Case Under Seal"
    to someone who may not see it, not "not found" (it says nothing else about the case)."""
    return (
        case_id is not None
        and Case.objects.filter(court=court, pk=case_id, is_sealed=True).exists()
    )


UNDER_SEAL = "Case Under Seal"


def _case_not_found(
    request: SignedOnRequest, court: Court, *, again: str = "", case_id: int | None = None
) -> HttpResponse:
    """`again`: the address of a form bound to the case asked for, which the page carries
    (History/Documents: PACER software reads its token from the form before it posts).
    `case_id`: the case asked for, answered "Case Under Seal" when it is sealed."""
    if is_under_seal(court, case_id):
        return render(
            request,
            "cases/problem.html",
            menu_context(
                request,
                court,
                title=UNDER_SEAL,
                # CM/ECF's "Case not found." closes the message: PACER software (juriscraper)
                # knows those words, and reads the page as an empty result.
                message=f"{UNDER_SEAL}. Only the court and the parties' counsel of record "
                "can see this sealed case; to you it answers Case not found.",
                again=again,
            ),
        )
    return render(
        request,
        "cases/problem.html",
        menu_context(
            request,
            court,
            title="Case not found",
            message="Case not found. Check the case number, or search for the case under Query.",
            again=again,
        ),
    )


def _bad_case_id(request: SignedOnRequest, court: Court) -> HttpResponse:
    return _problem(
        request,
        court,
        400,
        "Invalid case",
        "The case id in the address must be a whole number, e.g. DktRpt.pl?123. "
        "Search for the case under Query.",
    )


def _bare_query(request: HttpRequest) -> str:
    """CM/ECF's pages take a case id as the whole query string: DktRpt.pl?123."""
    query = request.META.get("QUERY_STRING", "")
    return "" if "=" in query or "&" in query else query


def case_token(case: Case) -> str:
    """The action token of a form bound to one case (History/Documents' options)."""
    return f"1-L_1_0-0-{case.pk}"


def _address_case(request: HttpRequest) -> str:
    """The case id the address names, as text: DktRpt.pl?123, or the last part of a case's
    form token (1-L_1_0-0-123); "" when it names none (no query, or the bare 1-L_1_0-1)."""
    bare = _bare_query(request)
    token = _FORM_TOKEN.fullmatch(bare)
    if token is not None:
        return token["case"] or ""
    return bare


def _audit_refusal(
    request: AnyRequest | SignedOnRequest, court: Court, reason: str, **detail: object
) -> None:
    """Every refused read on these pages lands in the audit log the same way."""
    audit_record(
        event=Event.ACCESS_DENIED,
        success=False,
        actor=Actor.from_request(request, court=court),
        court=court,
        reason=reason,
        detail=detail,
    )


def _visible_case(request: SignedOnRequest, court: Court, case_id: int) -> Case | None:
    """The case, if it is in this court and this person may see it. A sealed case someone
    may not see is answered exactly like a missing one, and the refusal is audited."""
    case = Case.objects.select_related("judge").filter(court=court, pk=case_id).first()
    if case is None:
        return None
    decision = decide(user=request.user, court=court, action=Action.VIEW_CASE, case=case)
    if not decision:
        _audit_refusal(request, court, decision.reason, action=str(Action.VIEW_CASE), case=case.pk)
        return None
    sealed_read_audit(request, court, case)
    return case


def doc1_base(request: HttpRequest, court: Court) -> str:
    """Where a court's document links start, absolute as CM/ECF's are: the court's own host
    (https://ecf.<court>.<ECF_DOMAIN>/doc1/) where court hosts are served, else this
    host's address of the court's doc1 pages."""
    domain = (settings.ECF_DOMAIN or "").strip(".").lower()
    if domain:
        return f"https://ecf.{court.pk}.{domain}/doc1/"
    return request.build_absolute_uri(reverse("courts:doc1", args=[court.pk, "0"])[:-1])


def sealed_read_audit(request: SignedOnRequest, court: Court, case: Case) -> None:
    """Court staff reading a sealed case is audited (its filers of record are not: it is
    their own case)."""
    if case.is_sealed and decide(user=request.user, court=court, action=Action.STAFF):
        audit_record(
            event=Event.STAFF_VIEW,
            success=True,
            actor=Actor.from_request(request, court=court),
            court=court,
            reason="sealed_case",
            detail={"case": case.pk, "path": request.path[:200]},
        )


BODY_MARK = "<!--report-body-->"


def _billed_page(
    request: SignedOnRequest,
    court: Court,
    *,
    title: str,
    body: str | Sequence[str],
    description: str,
    criteria: str,
    capped: bool,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Count the rendered report's pages, record the charge, and show the report with its
    receipt after it (the receipt is not counted). The report (already rendered, values
    escaped) is put into the page by joining strings, not through the template again: a
    20,000-entry docket is megabytes."""
    parts = [body] if isinstance(body, str) else list(body)
    charge = access_charge(
        actor=Actor.from_request(request, court=court),
        court=court,
        description=description,
        search_criteria=criteria,
        pages=html_pages(*parts),
        capped=capped,
    )
    page = render_to_string(
        "cases/report_page.html",
        menu_context(
            request,
            court,
            title=title,
            body=mark_safe(BODY_MARK),  # noqa: S308 - a constant comment
            receipt=receipt_for(charge, login=request.user.username),
            **(context or {}),
        ),
        request=request,
    )
    before, after = page.split(BODY_MARK, 1)
    return HttpResponse("".join([before, *parts, after]))


# --- Query ----------------------------------------------------------------------------------


@csrf_exempt  # read-only; PACER client software posts it (see the module docstring)
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def query(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Query (iquery.pl, and iqquerymenu.pl): the search form; ?<case id>, or a POST with
    all_case_ids (juriscraper's CaseQuery), opens a case's query page."""
    case_text = _address_case(request)
    data = request.POST if request.method == "POST" else request.GET
    if not case_text and request.method == "POST":
        case_text = str(data.get("all_case_ids", "")).strip()
    if case_text:
        case_id = parse_case_id(case_text)
        if case_id is None:
            return _bad_case_id(request, court)
        case = _visible_case(request, court, case_id)
        if case is None:
            return _case_not_found(request, court, case_id=case_id)
        return _case_query_page(request, court, case)
    searched = any(name in data for name in ("case_num", "case_name", "party_name"))
    form = QueryForm(data if searched else None, court=court)
    if not searched:
        return render(request, "cases/query.html", menu_context(request, court, form=form))
    if not form.is_valid():
        return render(
            request, "cases/query.html", menu_context(request, court, form=form), status=400
        )
    try:
        result = search_cases(
            user=request.user,
            court=court,
            case_number=form.cleaned_data["case_num"],
            case_name=form.cleaned_data["case_name"],
            party_name=form.cleaned_data["party_name"],
        )
    except SearchTooSlow as slow:
        # Nothing was found, so nothing is billed; the form stays filled in to narrow.
        return render(
            request, "cases/query.html", menu_context(request, court, form=form, error=slow)
        )
    body = render_to_string(
        "cases/query_results_body.html",
        {
            "court": court,
            "result": result,
            "page": paginate(result.hits, data),
            "criteria": form.criteria(),
            "form": form,
        },
    )
    return _billed_page(
        request,
        court,
        title="Query results",
        body=body,
        description="Search",
        criteria=form.criteria(),
        capped=False,
        context={"again_url": reverse("courts:query", args=[court.pk]), "again_label": "New query"},
    )


def _caption_context(case: Case) -> dict[str, Any]:
    """What the case's caption block (cases/case_caption.html) shows."""
    panel = panel_of(case)
    return {
        "case": case,
        "panel": panel,
        "number": full_case_number(case, panel),
        "last_filing": case.entries.aggregate(last=Max("date_filed"))["last"],
    }


def _case_query_page(request: SignedOnRequest, court: Court, case: Case) -> HttpResponse:
    return render(
        request,
        "cases/case_query.html",
        menu_context(request, court, **_caption_context(case)),
    )


# --- Docket report --------------------------------------------------------------------------


@csrf_exempt  # read-only; PACER client software posts it without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def docket_report(request: SignedOnRequest, court: Court) -> HttpResponse:
    """DktRpt.pl: GET ?<case id> shows the options; POST runs the report."""
    if request.method == "GET":
        return _docket_options(request, court)
    form = DocketReportForm(request.POST, court=court)
    valid = form.is_valid()
    case_id_text = str(form.cleaned_data.get("all_case_ids", "")) if valid else ""
    case_number = str(form.cleaned_data.get("case_num", "")) if valid else ""
    if not valid:
        # Show the errors with the form of the case asked for, when that case is visible.
        case_id = parse_case_id(str(request.POST.get("all_case_ids", "")))
        case = _visible_case(request, court, case_id) if case_id else None
        return render(
            request,
            "cases/docket_options.html",
            menu_context(request, court, form=form, case=case),
            status=400,
        )
    asked: int | None = None
    if case_id_text.strip():
        asked = parse_case_id(case_id_text)
        if asked is None:
            return _bad_case_id(request, court)
        case = _visible_case(request, court, asked)
    elif case_number:
        found = Case.objects.filter(court=court, number=case_number).values_list("pk", flat=True)
        asked = found[0] if found else None
        case = _visible_case(request, court, asked) if asked is not None else None
    else:
        form.add_error("case_num", "Enter a case number.")
        return render(
            request,
            "cases/docket_options.html",
            menu_context(request, court, form=form, case=None),
            status=400,
        )
    if case is None:
        return _case_not_found(request, court, case_id=asked)
    report = build_docket_report(
        case,
        form.options(),
        court=court,
        doc1_base=doc1_base(request, court),
        may_open=case_reader(request.user, case).may_open,
    )
    return _billed_page(
        request,
        court,
        title=f"Docket Report {case.number}",
        body=report.parts,
        description="Docket Report",
        criteria=report.criteria,
        capped=True,
        context={"print_case_number": case.number},
    )


def _docket_options(request: SignedOnRequest, court: Court) -> HttpResponse:
    case_text = _address_case(request)
    case = None
    if case_text:
        case_id = parse_case_id(case_text)
        if case_id is None:
            return _bad_case_id(request, court)
        case = _visible_case(request, court, case_id)
        if case is None:
            return _case_not_found(request, court, case_id=case_id)
    form = DocketReportForm(
        initial={
            "all_case_ids": case.pk if case else "",
            "case_num": case.number if case else "",
            "list_of_parties_and_counsel": True,
            "terminated_parties": True,
            "date_range_type": "Filed",
            "sort1": "oldest date first",
        }
    )
    return render(
        request, "cases/docket_options.html", menu_context(request, court, form=form, case=case)
    )


# --- History/Documents and Case Summary -------------------------------------------------------


def _case_from_address(
    request: SignedOnRequest, court: Court, *, view: str = ""
) -> tuple[Case | None, HttpResponse | None]:
    case_text = _address_case(request)
    case_id = parse_case_id(case_text) if case_text else None
    if case_id is None:
        return None, _bad_case_id(request, court)
    case = _visible_case(request, court, case_id)
    if case is None:
        again = f"{reverse(view, args=[court.pk])}?1-L_1_0-0-{case_id}" if view else ""
        return None, _case_not_found(request, court, again=again, case_id=case_id)
    return case, None


@csrf_exempt  # read-only; PACER client software posts it (see the module docstring)
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def history(request: SignedOnRequest, court: Court) -> HttpResponse:
    """HistDocQry.pl?<case id>: History/Documents. GET shows the options (free), whose form
    posts to HistDocQry.pl?<the case's form token>; the POST runs the report (billed, capped):
    every entry (History) or the entries with documents (Documents), with their filed and
    entered dates and, if asked for, the docket text."""
    case, refusal = _case_from_address(request, court, view="courts:history")
    if case is None:
        assert refusal is not None
        return refusal
    if request.method == "GET":
        return _history_options(request, court, case, HistoryForm())
    form = HistoryForm(request.POST)
    if not form.is_valid():
        return _history_options(request, court, case, form, status=400)
    documents_only = form.cleaned_data["QueryType"] == "Documents"
    newest_first = form.cleaned_data["sort1"] == "desc"
    entries = DocketEntry.objects.filter(case=case)
    if documents_only:
        entries = entries.filter(documents__attachment_number=0)
    order = ["-date_filed", "-seq"] if newest_first else ["date_filed", "seq"]
    rows = list(
        entries.select_related("event")
        .only("number", "seq", "date_filed", "entered_at", "text", "stricken_at", "event__name")
        .order_by(*order)
    )
    mains = dict(  # a stricken entry's document is not linked (court staff only)
        Document.objects.filter(
            entry__case=case, attachment_number=0, entry__stricken_at__isnull=True
        ).values_list("entry_id", "doc_id")
    )
    caption = _caption_context(case)
    body = render_to_string(
        "cases/history_body.html",
        {
            "court": court,
            **caption,
            "doc1": reverse("courts:doc1", args=[court.pk, "0"])[:-1],
            "query_type": form.cleaned_data["QueryType"],
            "show_text": form.cleaned_data["DisplayDktText"],
            "entries": [(entry, mains.get(entry.pk), short_description(entry)) for entry in rows],
        },
    )
    return _billed_page(
        request,
        court,
        title=f"History/Documents {case.number}",
        body=body,
        description="History/Documents",
        criteria=caption["number"],
        capped=True,
        context={"print_case_number": case.number},
    )


def _history_options(
    request: SignedOnRequest, court: Court, case: Case, form: HistoryForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "cases/history_options.html",
        menu_context(request, court, case=case, form=form, token=case_token(case)),
        status=status,
    )


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def case_summary(request: SignedOnRequest, court: Court) -> HttpResponse:
    """qrySummary.pl?<case id>: the case's data and its parties and counsel, no entries."""
    case, refusal = _case_from_address(request, court)
    if case is None:
        assert refusal is not None
        return refusal
    panel = panel_of(case)
    number = full_case_number(case, panel)
    parties = list(
        Party.objects.filter(case=case)
        .prefetch_related("appearances__filer")
        .order_by("position", "pk")
    )
    summary = case.entries.aggregate(last=Max("date_filed"))
    body = render_to_string(
        "cases/case_summary_body.html",
        {
            "court": court,
            "case": case,
            "number": number,
            "panel": panel,
            "parties": parties,
            "last_filing": summary["last"],
        },
    )
    return _billed_page(
        request,
        court,
        title=f"Case Summary {case.number}",
        body=body,
        description="Case Summary",
        criteria=number,
        capped=True,
        context={
            "print_case_number": case.number,
            "follow_case": case,
            "follow_email_choices": Subscription.Email.choices,
        },
    )


# --- Documents --------------------------------------------------------------------------------


def _find_document(
    request: AnyRequest | SignedOnRequest, court: Court, doc_id: str
) -> tuple[Document | None, bool]:
    """The document and whether to skip its attachment page; None, as if there were no such
    document, when its entry was stricken and this person is not the court's staff (the
    refusal is audited).

    Our ids always have 0 as their 4th digit. PACER software rewrites that digit: 0 asks
    for the attachment page, 1 skips it, so the id is looked up with the digit put back.
    """
    if not _DOC_ID.fullmatch(doc_id) or len(doc_id) < 4:
        return None, False
    stored = doc_id[:3] + "0" + doc_id[4:]
    document = (
        Document.objects.select_related("entry", "entry__case", "entry__event")
        .filter(doc_id=stored, entry__case__court=court)
        .first()
    )
    if document is not None:
        decision = entry_documents_readable(request.user, court, document.entry)
        if not decision:
            _audit_refusal(
                request, court, decision.reason, doc_id=document.doc_id, entry=document.entry_id
            )
            return None, False
    return document, document is not None and doc_id[3] == "1"


def pdf_response(document: Document) -> FileResponse | None:
    """The stored PDF, Content-Type exactly application/pdf; None if the blob is gone."""
    try:
        handle = document_store().open(document.storage_key)
    except (OSError, ValueError):
        return None
    return FileResponse(handle, content_type="application/pdf", filename=f"{document.doc_id}.pdf")


def _free_look(
    request: AnyRequest, court: Court, document: Document, token: str
) -> FileResponse | None:
    """Serve the document free for an unused, unexpired NEF free-look token, and spend the
    token; None when the token does not (or no longer) give a free look."""
    actor = Actor.from_request(request, court=court)
    # Opened only once the token is spent: closing an unused response would end the
    # request (Django's request_finished) in the middle of the view.
    available = document_store().exists(document.storage_key)
    look = free_look_spend(
        actor=actor, court=court, document=document, token=token, available=available
    )
    if look is None:
        return None
    document_free_look_record(actor=actor, court=court, document=document)
    reader = (
        case_reader(request.user, document.entry.case) if request.user.is_authenticated else None
    )
    # A free look needs no sign-on: the log names the NEF's addressee.
    _log_view(
        request,
        court,
        document,
        reader,
        DocumentView.Channel.FREE_LOOK,
        name="" if reader else f"NEF recipient {look.recipient}",
    )
    return pdf_response(document)


def _without_magic(request: HttpRequest) -> str:
    """This address without a (spent or unknown) free-look token, for the login's next."""
    params = request.GET.copy()
    params.pop("magic_num", None)
    return request.path + (f"?{params.urlencode()}" if params else "")


# Read-only but for the charge, and a cross-site POST arrives without the SameSite=Lax
# sign-on cookie, so it is not signed on and charges nobody (see the module docstring).
@public
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def document(request: AnyRequest, court: str, doc_id: str) -> HttpResponseBase:
    """doc1/<doc id>. A free-look link from a Notice of Electronic Filing opens the PDF
    without login while it is unused and unexpired; otherwise this is a signed-on page:
    the attachment page (a filing with attachments, unless the id's 4th digit is 1), the
    Download Confirmation (GET), or the PDF, charged (POST: the View Document button, and
    juriscraper's download_pdf with got_receipt=1)."""
    court_obj = get_object_or_404(Court, pk=court)
    token = request.GET.get("magic_num", "")
    if request.method == "GET" and token:
        found, _skip = _find_document(request, court_obj, doc_id)
        if found is not None:
            free = _free_look(request, court_obj, found, token)
            if free is not None:
                return free
    decision = decide(user=request.user, court=court_obj, action=Action.USE_CMECF)
    if not decision:
        response = refusal(request, court_obj, Action.USE_CMECF, decision)
        if token and isinstance(response, HttpResponseRedirect):
            # The link no longer gives a free look: say so, and offer the login, which
            # comes back here without the token that no longer works.
            return render(
                request,
                "cases/free_look_spent.html",
                {"court": court_obj, "login": login_url(court_obj, _without_magic(request))},
            )
        return response
    return _document_signed_on(cast(SignedOnRequest, request), court_obj, doc_id)


def _document_signed_on(request: SignedOnRequest, court: Court, doc_id: str) -> HttpResponseBase:
    found, skip = _find_document(request, court, doc_id)
    reader = case_reader(request.user, found.entry.case) if found is not None else None
    if found is not None and reader is not None and not reader.sees_case:
        _visible_case(request, court, found.entry.case_id)  # audits the refusal
        found = None
    elif found is not None:
        sealed_read_audit(request, court, found.entry.case)
    if found is None or reader is None:
        return _problem(
            request,
            court,
            200,
            "Document not found",
            "The requested document cannot be displayed: there is no such document in "
            "this court, or the document is not available. Check the document number.",
        )
    entry = found.entry
    asked_case = str(request.POST.get("caseid", "")).strip() if request.method == "POST" else ""
    if asked_case and parse_case_id(asked_case) != entry.case_id:
        # CM/ECF's words: PACER software then asks again without the case id.
        return _problem(
            request,
            court,
            200,
            "Case not found",
            f"Cannot locate the case with caseid: {asked_case[:20]}. The document is in "
            "another case; ask without the case id.",
        )
    skip = skip or request.GET.get("skip_attachment_page") == "1"
    if found.attachment_number == 0 and not skip and request.method == "GET":
        parts = list(entry.documents.all())
        if len(parts) > 1:
            # The menu lists every part; only the parts this person may read are links.
            return _attachment_page(request, court, entry, parts, reader)
    decision = reader.may_read(found, filer_id=entry.filer_id)
    if not decision:
        return _document_refused(request, court, found, decision.reason)
    if entry.event is not None and entry.event.is_opinion:
        return _serve_charged(request, court, found, reader, free_reason=Free.OPINION)
    # got_receipt=0 (juriscraper's is_pdf_sealed) asks for the receipt only: no charge.
    if request.method == "POST" and request.POST.get("got_receipt", "1") != "0":
        return _serve_charged(request, court, found, reader)
    actor = Actor.from_request(request, court=court)
    quote = access_quote(actor=actor, court=court, pages=found.pages)
    receipt = receipt_for_quote(
        quote,
        actor=actor,
        description=image_description(found),
        search_criteria=entry.case.number,
        case_number=full_case_number(entry.case, panel_of(entry.case)),
    )
    return render(
        request,
        "cases/download_confirmation.html",
        menu_context(
            request,
            court,
            document=found,
            entry=entry,
            receipt=receipt,
            level=found.get_access_level_display(),
            public=found.access_level == AccessLevel.PUBLIC,
            view_log=reader.may_read_view_log(found),
            view_logged=reader.court_staff and found.access_level != AccessLevel.PUBLIC,
            print_case_number=entry.case.number,
        ),
    )


# CM/ECF's own words for a document someone may not open, as PACER software reads them:
# juriscraper's is_entry_sealed looks for "could not retrieve dktentry for dlsid" (a sealed
# entry) and is_pdf_sealed for "You do not have permission to view this document."
SEALED_ENTRY_WORDS = "could not retrieve dktentry for dlsid"
NO_PERMISSION_WORDS = "You do not have permission to view this document."


def _document_refused(
    request: SignedOnRequest, court: Court, document: Document, reason: str
) -> HttpResponse:
    """Audit and answer a document this person may not open (HTTP 200, as CM/ECF)."""
    _audit_refusal(request, court, reason, doc_id=document.doc_id, case=document.entry.case_id)
    if document.access_level == AccessLevel.RESTRICTED:
        message = (
            f"{NO_PERMISSION_WORDS} It is restricted to the parties' counsel of record and "
            "the court."
        )
        title = "Restricted document"
    else:
        message = f"Error: {SEALED_ENTRY_WORDS} {document.doc_id}. This document is under seal" + (
            ", available only to the court and counsel admitted under the case's "
            "protective order; the docket lists its public version."
            if document.access_level == AccessLevel.CONFIDENTIAL
            else "."
        )
        title = "Sealed document"
    return _problem(request, court, 200, title, message)


def _view_channel(request: HttpRequest) -> str:
    """Browsers (the View Document button) say Mozilla; PACER software does not."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    return DocumentView.Channel.WEB if "Mozilla/" in agent else DocumentView.Channel.DOC1


def _log_view(
    request: HttpRequest,
    court: Court,
    document: Document,
    reader: CaseReader | None,
    channel: str,
    *,
    name: str = "",
) -> None:
    """The view log's row for an opening of a non-public document."""
    if document.access_level == AccessLevel.PUBLIC:
        return
    role = (
        reader.role(
            level=document.access_level, filer_id=document.entry.filer_id, document_pk=document.pk
        )
        if reader is not None
        else None
    )
    document_view_log(
        actor=Actor.from_request(request, court=court),
        document=document,
        role=str(role) if role is not None else "NEF recipient",
        channel=channel,
        name=name,
    )


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def document_views(request: SignedOnRequest, court: Court, doc_id: str) -> HttpResponse:
    """View log: who opened this restricted, sealed or confidential document, when, and
    by which role. For its filer, counsel of record in the case and the court only; anyone
    else is answered as for a document that is not there (and audited)."""
    found, _skip = _find_document(request, court, doc_id)
    reader = case_reader(request.user, found.entry.case) if found is not None else None
    if found is None or reader is None or not reader.may_read_view_log(found):
        if found is not None:
            _audit_refusal(request, court, "view_log", doc_id=found.doc_id)
        return _problem(
            request,
            court,
            404,
            "View log not available",
            "There is no view log of this document for you: only its filer, counsel of "
            "record in the case and the court can read the view log of a restricted, "
            "sealed or confidential document.",
        )
    entry = found.entry
    views = list(found.views.all()[:VIEW_LOG_LIMIT])
    return render(
        request,
        "cases/view_log.html",
        menu_context(
            request,
            court,
            document=found,
            entry=entry,
            number=full_case_number(entry.case, panel_of(entry.case)),
            views=views,
            limit=VIEW_LOG_LIMIT,
            level=found.get_access_level_display(),
        ),
    )


VIEW_LOG_LIMIT = 1000


def skip_attachments_id(doc_id: str) -> str:
    """The document id with CM/ECF's 4th-digit flag set: open the document itself."""
    return doc_id[:3] + "1" + doc_id[4:]


@dataclass(frozen=True)
class AttachmentRow:
    part: Document
    field: str  # CM/ECF's document_<entry number>_<attachment number>
    value: str  # <serial>-<bytes>-<pages>
    url: str
    size: str
    readable: bool = True


def _attachment_page(
    request: SignedOnRequest,
    court: Court,
    entry: DocketEntry,
    parts: list[Document],
    reader: CaseReader,
) -> HttpResponse:
    """The Document Selection Menu of a filing with attachments, in CM/ECF's layout (what
    juriscraper's AttachmentPage reads): the main document's row ("Document Number:") and
    one row per attachment, each with CM/ECF's document_<entry>_<attachment> field whose
    value is <serial>-<bytes>-<pages>, a link with the goDLS arguments (case id, entry
    sequence), the pages and the size."""
    case = entry.case
    rows = [
        AttachmentRow(
            part=part,
            field=f"document_{entry.number if entry.number is not None else ''}_"
            f"{part.attachment_number}",
            value=f"{part.doc_id[4:]}-{part.size_bytes}-{part.pages}",
            url=reverse("courts:doc1", args=[court.pk, skip_attachments_id(part.doc_id)]),
            size=size_label(part.size_bytes),
            readable=bool(reader.may_read(part, filer_id=entry.filer_id)),
        )
        for part in parts
    ]
    return render(
        request,
        "cases/attachments.html",
        menu_context(
            request,
            court,
            entry=entry,
            case=case,
            number=full_case_number(case, panel_of(case)),
            main=next((row for row in rows if row.part.attachment_number == 0), None),
            attachments=[row for row in rows if row.part.attachment_number],
        ),
    )


def _serve_charged(
    request: SignedOnRequest,
    court: Court,
    document: Document,
    reader: CaseReader,
    *,
    free_reason: str = "",
) -> HttpResponseBase:
    response = pdf_response(document)
    if response is None:
        return _problem(
            request,
            court,
            200,
            "Document not available",
            "The requested document cannot be displayed: the document is not available. "
            "Contact the court's CM/ECF Help Desk.",
        )
    document_view_charge(
        actor=Actor.from_request(request, court=court),
        court=court,
        document=document,
        free_reason=free_reason,
    )
    _log_view(request, court, document, reader, _view_channel(request))
    return response


# --- View multiple documents (show_multidocs.pl) ----------------------------------------------

# One request combines at most this many documents, of at most this many bytes in all: the
# combined PDF is written to a temporary file, and pypdf holds each part while it copies it.
MULTIDOCS_MAX_DOCUMENTS = 50
MULTIDOCS_MAX_BYTES = 200 * 1024 * 1024
_MULTIDOCS_FIELD = re.compile(r"document_\d+_\d+")


@dataclass(frozen=True)
class MultiDocs:
    documents: list[Document]  # in docket order
    refused: list[str]  # one message per document that cannot be included


def _multidocs_selection(request: SignedOnRequest, court: Court) -> MultiDocs:
    """The documents checked on the docket report (its document_<entry>_<part> boxes, each
    valued with a doc id), each refused by itself when it is not a number, not in this
    court (or this case), or in a case this person may not see."""
    asked_case = str(request.POST.get("caseid", "")).strip()
    case_id = parse_case_id(asked_case) if asked_case else None
    found: dict[int, Document] = {}
    refused: list[str] = []
    seen_cases: dict[int, bool] = {}
    readers: dict[int, CaseReader] = {}
    for field in sorted(request.POST):
        if not _MULTIDOCS_FIELD.fullmatch(field):
            continue
        for value in request.POST.getlist(field):
            doc_id = value.strip()[:30]
            if not _DOC_ID.fullmatch(doc_id) or len(doc_id) < 4:
                refused.append(f"{field}: {doc_id} is not a document number.")
                continue
            document, _skip = _find_document(request, court, doc_id)
            if document is None or (case_id is not None and document.entry.case_id != case_id):
                refused.append(f"Document {doc_id}: not found in this case.")
                continue
            case = document.entry.case
            if case.pk not in seen_cases:
                # _visible_case audits a refusal (and a staff read of a sealed case) once.
                seen_cases[case.pk] = _visible_case(request, court, case.pk) is not None
            if not seen_cases[case.pk]:
                refused.append(f"Document {doc_id}: not found in this case.")
                continue
            reader = readers.setdefault(case.pk, case_reader(request.user, case))
            decision = reader.may_read(document)
            if not decision:
                _audit_refusal(
                    request, court, decision.reason, doc_id=document.doc_id, case=case.pk
                )
                refused.append(f"Document {doc_id}: {document.get_access_level_display()}.")
                continue
            found[document.pk] = document
    documents = sorted(
        found.values(), key=lambda d: (d.entry.case_id, d.entry.seq, d.attachment_number)
    )
    return MultiDocs(documents=documents, refused=refused)


def _multidocs_quote(actor: Actor, court: Court, documents: list[Document]) -> Quote:
    """CM/ECF bills each document at its own page count, each capped at 30 pages ($3.00);
    opinions are free."""
    quotes = [
        access_quote(actor=actor, court=court, pages=d.pages, free_reason=_document_free(d))
        for d in documents
    ]
    reasons = {quote.free_reason for quote in quotes}
    return Quote(
        pages=sum(quote.pages for quote in quotes),
        cost_cents=sum(quote.cost_cents for quote in quotes),
        free_reason=reasons.pop() if len(reasons) == 1 else "",
    )


def _document_free(document: Document) -> str:
    event = document.entry.event
    return Free.OPINION if event is not None and event.is_opinion else ""


def _combined_pdf(documents: list[Document]) -> FileResponse | None:
    """The documents, in order, in one PDF written to a temporary file (streamed from it,
    and deleted when the response is closed); None if a stored PDF is gone or unreadable."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    writer = PdfWriter()
    try:
        for document in documents:
            with document_store().open(document.storage_key) as handle:
                writer.append(handle)
        writer.write(spool)
    except (OSError, ValueError, PyPdfError):
        spool.close()
        return None
    finally:
        writer.close()
    spool.seek(0)
    return FileResponse(spool, content_type="application/pdf", filename="multidocs.pdf")


def _too_many_documents(request: SignedOnRequest, court: Court) -> HttpResponse:
    return _problem(
        request,
        court,
        400,
        "Too many documents selected",
        f"Select at most {MULTIDOCS_MAX_DOCUMENTS} documents of at most "
        f"{MULTIDOCS_MAX_BYTES // (1024 * 1024)} MB in all, then click View Selected.",
    )


# Read-only but for the charge; csrf_exempt as doc1 is (see the module docstring).
@csrf_exempt
@never_cache
@require_POST
@court_page(Action.USE_CMECF)
def show_multidocs(request: SignedOnRequest, court: Court) -> HttpResponse:
    """show_multidocs.pl, the docket report's View Selected: the selected documents, in
    docket order, as one PDF. First the transaction receipt (the Download Confirmation),
    then, posted again with got_receipt=1, the PDF, each document charged by
    document_view_charge (its own page count, capped at $3.00; audited). Any document that
    cannot be included refuses the whole request, naming it, and charges nothing."""
    asked = sum(
        len(request.POST.getlist(key)) for key in request.POST if _MULTIDOCS_FIELD.fullmatch(key)
    )
    if asked > MULTIDOCS_MAX_DOCUMENTS:  # before a document is looked up
        return _too_many_documents(request, court)
    selection = _multidocs_selection(request, court)
    documents = selection.documents
    if selection.refused:
        return _problem(
            request,
            court,
            200,
            "Documents not available",
            "The selected documents cannot be displayed: "
            + " ".join(selection.refused)
            + " Go back to the docket report and select others.",
        )
    if not documents:
        return _problem(
            request,
            court,
            400,
            "No documents selected",
            "Select at least one document on the docket report, then click View Selected.",
        )
    if sum(d.size_bytes for d in documents) > MULTIDOCS_MAX_BYTES:
        return _too_many_documents(request, court)
    actor = Actor.from_request(request, court=court)
    if request.POST.get("got_receipt") != "1":
        case = documents[0].entry.case
        receipt = receipt_for_quote(
            _multidocs_quote(actor, court, documents),
            actor=actor,
            description=" ".join(image_description(d) for d in documents)[:100],
            search_criteria=case.number,
            case_number=full_case_number(case, panel_of(case)),
        )
        return render(
            request,
            "cases/multidocs_confirmation.html",
            menu_context(
                request,
                court,
                case=case,
                documents=documents,
                receipt=receipt,
                fields=[
                    (key, value)
                    for key in sorted(request.POST)
                    if key == "caseid" or _MULTIDOCS_FIELD.fullmatch(key)
                    for value in request.POST.getlist(key)
                ],
            ),
        )
    response = _combined_pdf(documents)
    if response is None:
        return _problem(
            request,
            court,
            200,
            "Document not available",
            "The selected documents cannot be displayed: a document is not available. "
            "Contact the court's CM/ECF Help Desk.",
        )
    with transaction.atomic():
        for document in documents:
            document_view_charge(
                actor=actor, court=court, document=document, free_reason=_document_free(document)
            )
            if document.access_level != AccessLevel.PUBLIC:
                _log_view(
                    request,
                    court,
                    document,
                    case_reader(request.user, document.entry.case),
                    _view_channel(request),
                )
    # court_page is typed for HttpResponse; Django serves the streamed FileResponse alike.
    return cast(HttpResponse, response)


# --- Reports ----------------------------------------------------------------------------------


@court_page(Action.USE_CMECF)
def reports(request: SignedOnRequest, court: Court) -> HttpResponse:
    return render(request, "cases/reports.html", menu_context(request, court))


def _range_form(request: SignedOnRequest) -> tuple[DateRangeReportForm, bool]:
    run = "filed_from" in request.GET or "filed_to" in request.GET
    today = timezone.localdate()
    form = DateRangeReportForm(
        request.GET if run else None,
        initial={"filed_from": today - timedelta(days=30), "filed_to": today},
    )
    return form, run


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def civil_cases(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Civil Cases report: the cases filed in a date range (billed, no cap)."""
    form, run = _range_form(request)
    if not run or not form.is_valid():
        return render(
            request,
            "cases/civil_cases.html",
            menu_context(request, court, form=form),
            status=400 if run else 200,
        )
    start, end = form.cleaned_data["filed_from"], form.cleaned_data["filed_to"]
    rows = list(
        visible_cases(user=request.user, court=court)
        .filter(date_filed__gte=start, date_filed__lte=end)
        .select_related("judge")
        .order_by("date_filed", "number")[: REPORT_LIMIT + 1]
    )
    body = render_to_string(
        "cases/civil_cases_body.html",
        {
            "court": court,
            "cases": rows[:REPORT_LIMIT],
            "truncated": len(rows) > REPORT_LIMIT,
            "start": start,
            "end": end,
            "limit": REPORT_LIMIT,
        },
    )
    return _billed_page(
        request,
        court,
        title="Civil Cases Report",
        body=body,
        description="Civil Cases Report",
        criteria=f"Filed From: {mdy(start)} Filed To: {mdy(end)}",
        capped=False,
        context={
            "again_url": reverse("courts:civil_cases", args=[court.pk]),
            "again_label": "Run another Civil Cases report",
        },
    )


@csrf_exempt  # read-only and free; PACER client software posts it (see the module docstring)
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def written_opinions(request: SignedOnRequest, court: Court) -> HttpResponse:
    """WrtOpRpt.pl: written opinions filed in a date range, with free links to them. The
    form posts to WrtOpRpt.pl?<form token>, as CM/ECF's does (juriscraper's FreeOpinionReport
    reads the token from the form, then posts filed_from, filed_to and Key1); a GET with
    filed_from and filed_to runs the report too. Rows are in CM/ECF's layout: date filed,
    case (number, then the caption in bold), document links, docket text, case details;
    Key1=cs_sort_case_numb puts the case first and sorts by it."""
    data = request.POST if request.method == "POST" else request.GET
    run = request.method == "POST" or "filed_from" in data or "filed_to" in data
    today = timezone.localdate()
    form = OpinionsForm(
        data if run else None,
        initial={"filed_from": today - timedelta(days=30), "filed_to": today},
    )
    context = {"form": form, "token": FORM_QUERY}
    if not run or not form.is_valid():
        return render(
            request,
            "cases/opinions.html",
            menu_context(request, court, **context),
            status=400 if run else 200,
        )
    start, end = form.cleaned_data["filed_from"], form.cleaned_data["filed_to"]
    by_case = form.cleaned_data["Key1"] == OpinionsForm.SORT_BY_CASE
    order = ["case__number", "date_filed", "seq"] if by_case else ["date_filed", "case__number"]
    entries = list(
        DocketEntry.objects.filter(
            case__in=visible_cases(user=request.user, court=court),
            event__is_opinion=True,
            date_filed__gte=start,
            date_filed__lte=end,
            documents__attachment_number=0,
        )
        .select_related("case", "case__judge")
        .prefetch_related(
            "case__panel_seats__judge",
            Prefetch("documents", queryset=Document.objects.only("entry_id", "doc_id", "pages")),
        )
        .order_by(*order, "seq")[: REPORT_LIMIT + 1]
    )
    rows = [
        {
            "entry": entry,
            "number": full_case_number(entry.case, panel_of(entry.case, prefetched=True)),
            "documents": [
                (document, skip_attachments_id(document.doc_id))
                for document in entry.documents.all()
            ],
        }
        for entry in entries[:REPORT_LIMIT]
    ]
    return render(
        request,
        "cases/opinions.html",
        menu_context(
            request,
            court,
            **context,
            rows=rows,
            by_case=by_case,
            truncated=len(entries) > REPORT_LIMIT,
            limit=REPORT_LIMIT,
            start=start,
            end=end,
            ran=True,
        ),
    )
