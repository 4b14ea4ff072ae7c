"""The court's public pages, reached without a login as the courts' own websites publish
them: the written opinions (slip opinions) with free downloads. Help is public too
(courts.views.court.help_page). Every download is audited as public access."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from nextecf.access import visible_cases
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import DocketEntry, Document
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.cases.views.reports import pdf_response
from nextecf.courts.models import Court
from nextecf.courts.views.court import public_context
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public

# The newest opinions first; a court's whole list is small (the CIT issues about 150 a year).
OPINIONS_SHOWN = 200


def _readable(request: HttpRequest, court: Court) -> Q:
    """Opinions of the unsealed cases are public; someone signed on also reads those of a
    sealed case they may see (its filers of record, the court's staff)."""
    return Q(case__court=court) & (
        Q(case__is_sealed=False) | Q(case__in=visible_cases(user=request.user, court=court))
    )


def _public_opinions(request: HttpRequest, court: Court) -> list[DocketEntry]:
    return list(
        DocketEntry.objects.filter(
            _readable(request, court),
            event__is_opinion=True,
            documents__attachment_number=0,
        )
        .select_related("case")
        .prefetch_related("documents", "case__panel_seats__judge")
        .distinct()
        .order_by("-date_filed", "-pk")[:OPINIONS_SHOWN]
    )


@public
@require_GET
def opinions(request: HttpRequest, court: str) -> HttpResponse:
    """Opinions: the court's written opinions, newest first, each free to download."""
    court_obj = get_object_or_404(Court, pk=court)
    rows = [
        {
            "entry": entry,
            "number": full_case_number(entry.case, panel_of(entry.case, prefetched=True)),
            "documents": list(entry.documents.all()),
        }
        for entry in _public_opinions(request, court_obj)
    ]
    return render(
        request,
        "cases/public_opinions.html",
        public_context(request, court_obj, rows=rows, limit=OPINIONS_SHOWN),
    )


@public
@require_GET
def opinion_pdf(request: HttpRequest, court: str, doc_id: str) -> HttpResponseBase:
    """One opinion's PDF, free and without a login; anything that is not an opinion of a
    case this person may see is not found here (and the miss is audited)."""
    court_obj = get_object_or_404(Court, pk=court)
    actor = Actor.from_request(request, court=court_obj)
    document = (
        Document.objects.select_related("entry", "entry__case")
        .filter(
            doc_id=doc_id[:12],
            entry__in=DocketEntry.objects.filter(
                _readable(request, court_obj), event__is_opinion=True
            ),
        )
        .first()
    )
    if document is None:
        audit_record(
            event=Event.DOCUMENT_VIEW,
            success=False,
            actor=actor,
            reason="public_opinion_not_found",
            detail={"doc_id": doc_id[:20]},
        )
        raise Http404("No such opinion")
    response = pdf_response(document)
    audit_record(
        event=Event.DOCUMENT_VIEW,
        success=response is not None,
        actor=actor,
        reason="public_opinion" if response is not None else "public_opinion_missing_file",
        detail={
            "doc_id": document.doc_id,
            "case": document.entry.case_id,
        },
    )
    if response is None:
        raise Http404("The opinion's file is not available")
    return response
